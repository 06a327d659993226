#include "client/identifiers.h"

#include <algorithm>
#include <string>

#include "pki/device_identity.h"

namespace devtrust::client {
namespace {

constexpr std::string_view kDeviceIdPrefix = "dev_";
constexpr std::size_t kDeviceIdSuffixLength = 26;

bool IsBase32Character(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

}  // namespace

// The server puts the user id into a certificate URI, so the client checks
// it with the same rule the CA applies instead of a looser one of its own.
Status ValidateUserId(std::string_view user_id) { return pki::ValidateUserId(user_id); }

Status ValidateDeviceId(std::string_view device_id) {
  const bool valid =
      device_id.size() == kDeviceIdPrefix.size() + kDeviceIdSuffixLength &&
      device_id.starts_with(kDeviceIdPrefix) &&
      std::all_of(device_id.begin() + kDeviceIdPrefix.size(), device_id.end(), IsBase32Character);
  if (!valid) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_device_id",
                     "device id \"" + std::string(device_id.substr(0, 64)) +
                         "\" is invalid; devtrust device ids are \"dev_\" followed by 26 "
                         "characters from a-z and 2-7");
  }
  return {};
}

}  // namespace devtrust::client
