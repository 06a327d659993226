// HMAC-SHA256 (RFC 2104, FIPS 198-1).
#ifndef DEVTRUST_CRYPTO_HMAC_H_
#define DEVTRUST_CRYPTO_HMAC_H_

#include <cstddef>

#include "base/bytes.h"
#include "base/error.h"

namespace devtrust::crypto {

inline constexpr std::size_t kHmacSha256Size = 32;

// The 32-byte HMAC-SHA256 tag of `data` under `key`. Fails with
// "invalid_key" when `key` is empty.
Result<Bytes> HmacSha256(ByteView key, ByteView data);

// Recomputes the tag and compares it with `tag` in constant time. Errors:
// "invalid_key" for an empty key; "mac_invalid" when the tags differ,
// including a `tag` of the wrong size.
Status VerifyHmacSha256(ByteView key, ByteView data, ByteView tag);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_HMAC_H_
