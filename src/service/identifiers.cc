#include "service/identifiers.h"

#include <algorithm>
#include <cstdint>

#include "crypto/random.h"
#include "pki/device_identity.h"

namespace devtrust::service {
namespace {

constexpr std::string_view kBase32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
// 128 bits in 5-bit groups: 25 full groups and one of 3 bits.
constexpr std::size_t kRandomIdCharacters = 26;

// Lowercase RFC 4648 section 6 base32 without padding.
std::string Base32(ByteView bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 0x1f];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1f];
  return out;
}

bool IsBase32Character(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

}  // namespace

Result<std::string> NewRandomId(std::string_view prefix) {
  Result<Bytes> random = crypto::RandomBytes(16);
  if (!random) return std::unexpected(std::move(random).error());
  return std::string(prefix) + "_" + Base32(*random);
}

Result<std::string> NewDeviceId() { return NewRandomId("dev"); }

Status ValidateRandomId(std::string_view id, std::string_view prefix, std::string_view what,
                        std::string_view reason) {
  const std::size_t head = prefix.size() + 1;
  const bool valid =
      id.size() == head + kRandomIdCharacters && id.starts_with(prefix) &&
      id[prefix.size()] == '_' &&
      std::all_of(id.begin() + static_cast<std::ptrdiff_t>(head), id.end(), IsBase32Character);
  if (!valid) {
    return MakeError(StatusCode::kInvalidArgument, std::string(reason),
                     std::string(what) + " must be \"" + std::string(prefix) +
                         "_\" followed by 26 characters from a-z and 2-7");
  }
  return {};
}

Status ValidateDeviceId(std::string_view device_id) {
  return ValidateRandomId(device_id, "dev", "device id", "invalid_device_id");
}

Status ValidateUserId(std::string_view user_id) { return pki::ValidateUserId(user_id); }

}  // namespace devtrust::service
