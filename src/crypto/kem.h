// Key encapsulation with ML-KEM-768 and ML-KEM-1024 (FIPS 203).
#ifndef DEVTRUST_CRYPTO_KEM_H_
#define DEVTRUST_CRYPTO_KEM_H_

#include <cstddef>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/secret_bytes.h"

namespace devtrust::crypto {

// FIPS 203 section 7: the shared secret K has 32 bytes at every level.
inline constexpr std::size_t kKemSharedSecretSize = 32;

struct Encapsulation {
  Bytes ciphertext;           // sent to the holder of the private key
  SecretBytes shared_secret;  // kKemSharedSecretSize bytes
};

// The ciphertext size: 1088 bytes for ML-KEM-768, 1568 for ML-KEM-1024
// (FIPS 203 section 8 table 3); 0 for other algorithms.
std::size_t KemCiphertextSize(KeyAlgorithm algorithm);

// Encapsulates a fresh shared secret to `key` (ML-KEM.Encaps, FIPS 203
// algorithm 20). Fails with "unexpected_key_algorithm" unless `key` is
// ML-KEM-768 or ML-KEM-1024.
Result<Encapsulation> Encapsulate(const PublicKey& key);

// Recovers the shared secret from `ciphertext` (ML-KEM.Decaps, FIPS 203
// algorithm 21). A ciphertext of the right size always yields a secret: when
// it was not produced for this key, the result is a pseudorandom value
// derived from the key's z (implicit rejection), so a mismatch shows up only
// when the secrets are used. Errors: "unexpected_key_algorithm" for a key
// that is not ML-KEM; "invalid_ciphertext" when the size is not
// KemCiphertextSize(key.algorithm()).
Result<SecretBytes> Decapsulate(const PrivateKey& key, ByteView ciphertext);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_KEM_H_
