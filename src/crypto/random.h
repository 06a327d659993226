// Random bytes from OpenSSL's CSPRNG (RAND_bytes, a NIST SP 800-90A DRBG
// seeded from the operating system).
#ifndef DEVTRUST_CRYPTO_RANDOM_H_
#define DEVTRUST_CRYPTO_RANDOM_H_

#include <cstddef>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::crypto {

// Upper bound for one request; larger requests fail with "invalid_argument".
inline constexpr std::size_t kMaxRandomSize = 1024 * 1024;

// `size` random bytes for public values: nonces, challenges, identifiers.
// Fails with "crypto_library_error" (kInternal) if the DRBG cannot be seeded.
Result<Bytes> RandomBytes(std::size_t size);

// `size` random bytes for secrets: keys, seeds, one-time codes.
Result<SecretBytes> RandomSecretBytes(std::size_t size);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_RANDOM_H_
