// Message digests: SHA-256 (FIPS 180-4) and SHA3-256 (FIPS 202).
#ifndef DEVTRUST_CRYPTO_HASH_H_
#define DEVTRUST_CRYPTO_HASH_H_

#include <cstddef>

#include "base/bytes.h"

namespace devtrust::crypto {

inline constexpr std::size_t kSha256Size = 32;
inline constexpr std::size_t kSha3_256Size = 32;

// The 32-byte SHA-256 digest of `data`.
Bytes Sha256(ByteView data);

// The 32-byte SHA3-256 digest of `data`.
Bytes Sha3_256(ByteView data);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_HASH_H_
