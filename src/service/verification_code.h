// One-time verification codes: drawn from the CSPRNG, sent to the user once,
// and stored only as a keyed hash.
#ifndef DEVTRUST_SERVICE_VERIFICATION_CODE_H_
#define DEVTRUST_SERVICE_VERIFICATION_CODE_H_

#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::service {

inline constexpr int kMinCodeDigits = 6;
inline constexpr int kMaxCodeDigits = 8;

// A code of `digits` decimal digits, leading zeros included, uniformly
// distributed: a 32-bit draw is rejected and redrawn when it falls in the
// last partial block of 10^digits values, so no code is likelier than
// another (a plain modulo would favour the low codes). Errors:
// "invalid_argument" for `digits` outside 6..8; the CSPRNG's errors.
Result<crypto::SecretBytes> GenerateVerificationCode(int digits);

// HMAC-SHA256 under `key` of challenge_id || 0x00 || code. Binding the
// challenge id means a hash copied to another challenge does not match.
// Errors: "invalid_key" for an empty key.
Result<Bytes> HashVerificationCode(const crypto::SecretBytes& key, std::string_view challenge_id,
                                   ByteView code);

// Whether `code` hashes to `stored_hash`, compared in constant time.
bool VerificationCodeMatches(const crypto::SecretBytes& key, std::string_view challenge_id,
                             ByteView code, ByteView stored_hash);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_VERIFICATION_CODE_H_
