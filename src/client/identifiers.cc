#include "client/identifiers.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace devtrust::client {
namespace {

constexpr std::size_t kMaxUserIdLength = 128;
constexpr std::string_view kDeviceIdPrefix = "dev_";
constexpr std::size_t kDeviceIdSuffixLength = 26;

bool IsUserIdCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '@' ||
         c == '-';
}

bool IsBase32Character(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

}  // namespace

Status ValidateUserId(std::string_view user_id) {
  if (user_id.empty() || user_id.size() > kMaxUserIdLength ||
      !std::all_of(user_id.begin(), user_id.end(), IsUserIdCharacter)) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_user_id",
                     "user id \"" + std::string(user_id.substr(0, kMaxUserIdLength)) +
                         "\" is invalid; use 1 to 128 characters from A-Z a-z 0-9 . _ @ -");
  }
  return {};
}

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
