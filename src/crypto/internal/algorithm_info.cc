#include "crypto/internal/algorithm_info.h"

#include <openssl/core_names.h>

#include <array>
#include <cstdlib>
#include <string>

#include "crypto/internal/openssl_error.h"

namespace devtrust::crypto::internal {
namespace {

// Seed sizes: FIPS 204 section 6.1 (xi, 32 bytes), FIPS 203 section 7.1
// (d || z, 64 bytes); X25519 and P-256 take their 32-byte private scalar.
// Raw public key sizes: FIPS 204 table 2, FIPS 203 section 8 table 3,
// RFC 7748 section 5, and SEC 1 section 2.3.3 uncompressed points.
constexpr std::array<AlgorithmInfo, 6> kAlgorithms = {{
    {KeyAlgorithm::kMlDsa65, "ML-DSA-65", "ML-DSA-65", 32, 1952},
    {KeyAlgorithm::kMlDsa87, "ML-DSA-87", "ML-DSA-87", 32, 2592},
    {KeyAlgorithm::kMlKem768, "ML-KEM-768", "ML-KEM-768", 64, 1184},
    {KeyAlgorithm::kMlKem1024, "ML-KEM-1024", "ML-KEM-1024", 64, 1568},
    {KeyAlgorithm::kEcdsaP256, "ECDSA-P256", "EC", 32, 65},
    {KeyAlgorithm::kX25519, "X25519", "X25519", 32, 32},
}};

// The OpenSSL group name of P-256 (RFC 5480 secp256r1).
constexpr std::string_view kP256GroupName = "prime256v1";

}  // namespace

const AlgorithmInfo& GetAlgorithmInfo(KeyAlgorithm algorithm) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.algorithm == algorithm) {
      return info;
    }
  }
  // Every enumerator has a row above; reaching this is a bug.
  std::abort();
}

Result<KeyAlgorithm> IdentifyKeyAlgorithm(const EVP_PKEY* key) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.algorithm == KeyAlgorithm::kEcdsaP256 || !EVP_PKEY_is_a(key, info.openssl_name)) {
      continue;
    }
    return info.algorithm;
  }

  if (EVP_PKEY_is_a(key, "EC")) {
    std::array<char, 64> group{};
    std::size_t group_length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(),
                                       &group_length) != 1) {
      ClearOpenSslErrors();
      return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                       "EC key has no named curve; only P-256 is supported");
    }
    const std::string_view group_name(group.data(), group_length);
    if (group_name != kP256GroupName) {
      return MakeError(
          StatusCode::kInvalidArgument, "unexpected_key_algorithm",
          "EC key is on curve " + std::string(group_name) + "; only P-256 is supported");
    }
    return KeyAlgorithm::kEcdsaP256;
  }

  const char* type_name = EVP_PKEY_get0_type_name(key);
  return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                   "key type " + std::string(type_name != nullptr ? type_name : "unknown") +
                       " is not supported; use ML-DSA-65, ML-DSA-87, ML-KEM-768, "
                       "ML-KEM-1024, ECDSA-P256 or X25519");
}

}  // namespace devtrust::crypto::internal
