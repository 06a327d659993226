// HKDF with SHA-256 (RFC 5869).
#ifndef DEVTRUST_CRYPTO_HKDF_H_
#define DEVTRUST_CRYPTO_HKDF_H_

#include <cstddef>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::crypto {

// RFC 5869 section 2.3: L is at most 255 * HashLen.
inline constexpr std::size_t kHkdfSha256MaxOutputSize = 255 * 32;

// HKDF-Extract then HKDF-Expand (RFC 5869 section 2): `length` bytes of
// output keying material from `ikm`, `salt` (an empty salt means HashLen
// zero bytes, section 2.2) and `info`. Fails with "invalid_argument" when
// `length` is 0 or above kHkdfSha256MaxOutputSize.
Result<SecretBytes> HkdfSha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_HKDF_H_
