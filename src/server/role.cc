#include "server/role.h"

#include <string>

namespace devtrust::server {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kRelyingParty:
      return "relying_party";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

Result<Role> ParseRole(std::string_view name) {
  if (name == "relying_party") {
    return Role::kRelyingParty;
  }
  if (name == "admin") {
    return Role::kAdmin;
  }
  return MakeError(
      StatusCode::kInvalidArgument, "invalid_role",
      "role '" + std::string(name.substr(0, 64)) + "' is not known; use relying_party or admin");
}

std::string_view AccessName(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kRelyingParty:
      return "relying_party";
    case Access::kAdmin:
      return "admin";
    case Access::kLoopbackOrAdmin:
      return "loopback_or_admin";
  }
  return "unknown";
}

bool RoleSatisfies(Role role, Access access) {
  switch (access) {
    case Access::kPublic:
    case Access::kRelyingParty:
      return true;
    case Access::kAdmin:
    case Access::kLoopbackOrAdmin:
      return role == Role::kAdmin;
  }
  return false;
}

}  // namespace devtrust::server
