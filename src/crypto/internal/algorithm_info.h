// Per-algorithm constants that src/crypto needs to drive OpenSSL: the
// provider's algorithm name and the sizes of seeds and raw public keys.
//
// Internal to src/crypto.
#ifndef DEVTRUST_CRYPTO_INTERNAL_ALGORITHM_INFO_H_
#define DEVTRUST_CRYPTO_INTERNAL_ALGORITHM_INFO_H_

#include <openssl/evp.h>

#include <cstddef>
#include <string_view>

#include "base/error.h"
#include "crypto/keys.h"

namespace devtrust::crypto::internal {

struct AlgorithmInfo {
  KeyAlgorithm algorithm;
  std::string_view name;     // devtrust's name, as KeyAlgorithmName returns it
  const char* openssl_name;  // the key type name that OpenSSL providers use
  std::size_t seed_size;     // bytes that PrivateKey::FromSeed takes
  std::size_t raw_public_key_size;
};

const AlgorithmInfo& GetAlgorithmInfo(KeyAlgorithm algorithm);

// Identifies the devtrust algorithm of an OpenSSL key. EC keys count only on
// the P-256 curve (named, not explicit parameters); any other key type fails
// with reason "unexpected_key_algorithm".
Result<KeyAlgorithm> IdentifyKeyAlgorithm(const EVP_PKEY* key);

inline bool IsMlDsa(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kMlDsa65 || algorithm == KeyAlgorithm::kMlDsa87;
}

inline bool IsMlKem(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kMlKem768 || algorithm == KeyAlgorithm::kMlKem1024;
}

}  // namespace devtrust::crypto::internal

#endif  // DEVTRUST_CRYPTO_INTERNAL_ALGORITHM_INFO_H_
