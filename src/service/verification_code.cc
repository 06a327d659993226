#include "service/verification_code.h"

#include <cstdint>
#include <limits>

#include "crypto/hmac.h"
#include "crypto/random.h"

namespace devtrust::service {

Result<crypto::SecretBytes> GenerateVerificationCode(int digits) {
  if (digits < kMinCodeDigits || digits > kMaxCodeDigits) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_argument",
                     "verification codes have 6 to 8 digits, got " + std::to_string(digits));
  }

  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  // Draws at or above `limit` would make the low codes likelier.
  constexpr std::uint64_t kRange = std::uint64_t{std::numeric_limits<std::uint32_t>::max()} + 1;
  const std::uint64_t limit = kRange - kRange % modulus;

  std::uint32_t value = 0;
  for (;;) {
    Result<crypto::SecretBytes> draw = crypto::RandomSecretBytes(4);
    if (!draw) return std::unexpected(std::move(draw).error());
    const std::uint8_t* bytes = draw->data();
    const std::uint32_t candidate = (std::uint32_t{bytes[0]} << 24) |
                                    (std::uint32_t{bytes[1]} << 16) |
                                    (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
    if (candidate < limit) {
      value = candidate % modulus;
      break;
    }
  }

  crypto::SecretBytes code(static_cast<std::size_t>(digits));
  for (int i = digits - 1; i >= 0; --i) {
    code.data()[i] = static_cast<std::uint8_t>('0' + value % 10);
    value /= 10;
  }
  return code;
}

Result<Bytes> HashVerificationCode(const crypto::SecretBytes& key, std::string_view challenge_id,
                                   ByteView code) {
  crypto::SecretBytes message(challenge_id.size() + 1 + code.size());
  std::uint8_t* out = message.data();
  for (const char c : challenge_id) *out++ = static_cast<std::uint8_t>(c);
  *out++ = 0;
  for (const std::uint8_t c : code) *out++ = c;
  return crypto::HmacSha256(key.view(), message.view());
}

bool VerificationCodeMatches(const crypto::SecretBytes& key, std::string_view challenge_id,
                             ByteView code, ByteView stored_hash) {
  Result<Bytes> hash = HashVerificationCode(key, challenge_id, code);
  return hash.has_value() && crypto::ConstantTimeEquals(*hash, stored_hash);
}

}  // namespace devtrust::service
