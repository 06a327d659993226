#include <string>

#include "crypto/internal/algorithm_info.h"
#include "crypto/keys.h"

namespace devtrust::crypto {

std::string_view KeyAlgorithmName(KeyAlgorithm algorithm) {
  return internal::GetAlgorithmInfo(algorithm).name;
}

Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view name) {
  for (KeyAlgorithm algorithm :
       {KeyAlgorithm::kMlDsa65, KeyAlgorithm::kMlDsa87, KeyAlgorithm::kMlKem768,
        KeyAlgorithm::kMlKem1024, KeyAlgorithm::kEcdsaP256, KeyAlgorithm::kX25519}) {
    if (KeyAlgorithmName(algorithm) == name) {
      return algorithm;
    }
  }
  return MakeError(StatusCode::kInvalidArgument, "unknown_key_algorithm",
                   "unknown key algorithm \"" + std::string(name.substr(0, 64)) +
                       "\"; expected ML-DSA-65, ML-DSA-87, ML-KEM-768, ML-KEM-1024, "
                       "ECDSA-P256 or X25519");
}

std::size_t SeedSize(KeyAlgorithm algorithm) {
  return internal::GetAlgorithmInfo(algorithm).seed_size;
}

}  // namespace devtrust::crypto
