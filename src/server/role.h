// Roles of API keys and the access that routes require.
//
// devtrust has two roles. A relying party (an application's login backend)
// calls the enrollment and validation API. An admin (an operator) may also
// read the review queue and audit data. The roles are ordered: an admin key
// may call every route a relying-party key may call, so one operator key is
// enough to drive the whole API by hand, as docs/openapi.yaml states.
#ifndef DEVTRUST_SERVER_ROLE_H_
#define DEVTRUST_SERVER_ROLE_H_

#include <optional>
#include <string_view>

#include "base/error.h"

namespace devtrust::server {

enum class Role {
  kRelyingParty,
  kAdmin,
};

// "relying_party" or "admin", as configuration files and logs spell them.
std::string_view RoleName(Role role);

// Parses a RoleName. Errors: "invalid_role" naming the accepted values.
Result<Role> ParseRole(std::string_view name);

// The credential a route requires of the caller.
enum class Access {
  // Anyone, without a key: health and readiness.
  kPublic,
  // A relying-party or admin key.
  kRelyingParty,
  // An admin key.
  kAdmin,
  // No key from a loopback peer (127.0.0.0/8 or ::1), an admin key from any
  // other peer. Meant for /metrics scraped by a local agent.
  kLoopbackOrAdmin,
};

std::string_view AccessName(Access access);

// Whether a key of `role` may call a route that requires `access`. A route
// that needs no key admits every role.
bool RoleSatisfies(Role role, Access access);

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_ROLE_H_
