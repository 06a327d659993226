#include "crypto/internal/seed_pkcs8.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "crypto/internal/algorithm_info.h"

namespace devtrust::crypto::internal {
namespace {

// The DER bytes that precede the seed, written out because every field has a
// fixed size:
//   30 len                       PrivateKeyInfo SEQUENCE
//     02 01 00                   version v1 (0)
//     30 0b 06 09 <OID>          AlgorithmIdentifier, parameters absent
//     04 len 80 len              privateKey OCTET STRING wrapping seed [0]
// OIDs from NIST's Computer Security Objects Register:
// id-ml-dsa-65 2.16.840.1.101.3.4.3.18, id-ml-dsa-87 2.16.840.1.101.3.4.3.19,
// id-alg-ml-kem-768 2.16.840.1.101.3.4.4.2, id-alg-ml-kem-1024 2.16.840.1.101.3.4.4.3.
using Prefix = std::array<std::uint8_t, 22>;

constexpr Prefix kMlDsa65Prefix = {0x30, 0x34, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x06,
                                   0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                                   0x03, 0x12, 0x04, 0x22, 0x80, 0x20};
constexpr Prefix kMlDsa87Prefix = {0x30, 0x34, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x06,
                                   0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                                   0x03, 0x13, 0x04, 0x22, 0x80, 0x20};
constexpr Prefix kMlKem768Prefix = {0x30, 0x54, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x06,
                                    0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                                    0x04, 0x02, 0x04, 0x42, 0x80, 0x40};
constexpr Prefix kMlKem1024Prefix = {0x30, 0x54, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x06,
                                     0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                                     0x04, 0x03, 0x04, 0x42, 0x80, 0x40};

const Prefix* PrefixFor(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kMlDsa65:
      return &kMlDsa65Prefix;
    case KeyAlgorithm::kMlDsa87:
      return &kMlDsa87Prefix;
    case KeyAlgorithm::kMlKem768:
      return &kMlKem768Prefix;
    case KeyAlgorithm::kMlKem1024:
      return &kMlKem1024Prefix;
    case KeyAlgorithm::kEcdsaP256:
    case KeyAlgorithm::kX25519:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

Result<SecretBytes> EncodeSeedOnlyPkcs8(KeyAlgorithm algorithm, ByteView seed) {
  const Prefix* prefix = PrefixFor(algorithm);
  if (prefix == nullptr) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_seed",
                     std::string(KeyAlgorithmName(algorithm)) +
                         " has no seed-only PKCS#8 form; only ML-DSA and ML-KEM do");
  }
  if (seed.size() != GetAlgorithmInfo(algorithm).seed_size) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_seed",
                     std::string(KeyAlgorithmName(algorithm)) + " seed must be " +
                         std::to_string(GetAlgorithmInfo(algorithm).seed_size) + " bytes, got " +
                         std::to_string(seed.size()));
  }

  SecretBytes der(prefix->size() + seed.size());
  std::uint8_t* out = std::copy(prefix->begin(), prefix->end(), der.data());
  std::copy(seed.begin(), seed.end(), out);
  return der;
}

}  // namespace devtrust::crypto::internal
