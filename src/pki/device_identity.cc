#include "pki/device_identity.h"

#include <algorithm>
#include <optional>

namespace devtrust::pki {
namespace {

bool IsIdentifierCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

Status ValidateIdentifier(std::string_view value, std::string_view kind, std::string reason) {
  if (value.empty() || value.size() > kMaxIdentifierLength) {
    return MakeError(StatusCode::kInvalidArgument, std::move(reason),
                     std::string(kind) + " must be 1 to " + std::to_string(kMaxIdentifierLength) +
                         " characters, got " + std::to_string(value.size()));
  }
  if (!std::all_of(value.begin(), value.end(), IsIdentifierCharacter)) {
    return MakeError(StatusCode::kInvalidArgument, std::move(reason),
                     std::string(kind) + " may contain only letters, digits, '.', '_' and '-'");
  }
  return {};
}

std::unexpected<Error> ProfileInvalid(std::string what) {
  return MakeError(StatusCode::kInvalidArgument, "certificate_profile_invalid",
                   "device certificate " + std::move(what));
}

}  // namespace

Status ValidateDeviceId(std::string_view device_id) {
  return ValidateIdentifier(device_id, "device id", "invalid_device_id");
}

Status ValidateUserId(std::string_view user_id) {
  return ValidateIdentifier(user_id, "user id", "invalid_user_id");
}

Status ValidateDeviceIdentity(const DeviceIdentity& identity) {
  if (Status device = ValidateDeviceId(identity.device_id); !device) {
    return device;
  }
  return ValidateUserId(identity.user_id);
}

std::string DeviceUri(std::string_view device_id) {
  return std::string(kDeviceUriPrefix) + std::string(device_id);
}

std::string UserUri(std::string_view user_id) {
  return std::string(kUserUriPrefix) + std::string(user_id);
}

Result<DeviceIdentity> DeviceIdentityFromCertificate(const crypto::Certificate& certificate) {
  // Collect the devtrust URIs; any second one of a kind is ambiguous.
  std::optional<std::string_view> device_id;
  std::optional<std::string_view> user_id;
  for (const std::string& uri : certificate.san_uris()) {
    std::string_view value(uri);
    std::optional<std::string_view>* slot = nullptr;
    if (value.starts_with(kDeviceUriPrefix)) {
      value.remove_prefix(kDeviceUriPrefix.size());
      slot = &device_id;
    } else if (value.starts_with(kUserUriPrefix)) {
      value.remove_prefix(kUserUriPrefix.size());
      slot = &user_id;
    } else {
      continue;
    }
    if (slot->has_value()) {
      return ProfileInvalid("has more than one " +
                            std::string(slot == &device_id ? "device" : "user") + " URI");
    }
    *slot = value;
  }

  if (!device_id || !user_id) {
    return ProfileInvalid("lacks the " +
                          std::string(!device_id ? kDeviceUriPrefix : kUserUriPrefix) +
                          " subjectAltName URI");
  }
  if (Status valid = ValidateDeviceId(*device_id); !valid) {
    return ProfileInvalid("has an invalid device URI: " + valid.error().message());
  }
  if (Status valid = ValidateUserId(*user_id); !valid) {
    return ProfileInvalid("has an invalid user URI: " + valid.error().message());
  }
  if (certificate.subject_common_name() != *device_id) {
    return ProfileInvalid("has a subject commonName other than its device id");
  }
  return DeviceIdentity{std::string(*device_id), std::string(*user_id)};
}

}  // namespace devtrust::pki
