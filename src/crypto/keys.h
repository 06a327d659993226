// Public and private keys for every algorithm devtrust uses, with import and
// export in the standard encodings.
//
// Encodings:
//   - public keys: SubjectPublicKeyInfo (RFC 5280), DER or PEM; and the raw
//     encodings of the algorithm specifications (FIPS 203/204 encoded keys,
//     the 32-byte X25519 u-coordinate, the 65-byte uncompressed P-256 point);
//   - private keys: PKCS#8 (RFC 5958), DER or PEM. ML-DSA and ML-KEM private
//     keys are written in the seed-only form, which other implementations
//     accept, instead of OpenSSL's default seed-and-expanded-key form.
// Every import checks the algorithm, the sizes and the encoding, and fails with
// reason "invalid_key" or "unexpected_key_algorithm" on bad input; nothing here
// throws.
#ifndef DEVTRUST_CRYPTO_KEYS_H_
#define DEVTRUST_CRYPTO_KEYS_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"

// OpenSSL's key type, declared here so that no header outside src/crypto needs
// OpenSSL's headers.
struct evp_pkey_st;

namespace devtrust::crypto {

enum class KeyAlgorithm {
  kMlDsa65,    // FIPS 204 ML-DSA-65, signatures
  kMlDsa87,    // FIPS 204 ML-DSA-87, signatures
  kMlKem768,   // FIPS 203 ML-KEM-768, key encapsulation
  kMlKem1024,  // FIPS 203 ML-KEM-1024, key encapsulation
  kEcdsaP256,  // ECDSA over NIST P-256 with SHA-256, the classical fallback signature
  kX25519,     // RFC 7748 X25519, the classical key agreement
};

// The standard name: "ML-DSA-65", "ML-DSA-87", "ML-KEM-768", "ML-KEM-1024",
// "ECDSA-P256", "X25519".
std::string_view KeyAlgorithmName(KeyAlgorithm algorithm);
Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view name);

// The size in bytes of the seed FromSeed takes: 32 for ML-DSA (xi, FIPS 204),
// 64 for ML-KEM (d || z, FIPS 203), 32 for X25519 and P-256 (the private
// scalar itself).
std::size_t SeedSize(KeyAlgorithm algorithm);

class PublicKey {
 public:
  // Parses a DER SubjectPublicKeyInfo. With `expected`, any other algorithm is
  // rejected with reason "unexpected_key_algorithm".
  static Result<PublicKey> FromSpkiDer(ByteView der,
                                       std::optional<KeyAlgorithm> expected = std::nullopt);
  // Parses a PEM "PUBLIC KEY" block.
  static Result<PublicKey> FromPem(std::string_view pem,
                                   std::optional<KeyAlgorithm> expected = std::nullopt);
  // Parses the raw encoding of `algorithm`; its size must match exactly.
  static Result<PublicKey> FromRaw(KeyAlgorithm algorithm, ByteView raw);

  KeyAlgorithm algorithm() const { return algorithm_; }
  Bytes ToSpkiDer() const;
  std::string ToPem() const;
  Bytes ToRaw() const;

  // The OpenSSL handle, for code inside src/crypto only.
  evp_pkey_st* native() const { return key_.get(); }
  // Wraps an OpenSSL handle, taking ownership; for code inside src/crypto only.
  static Result<PublicKey> FromNative(evp_pkey_st* key);

 private:
  PublicKey(KeyAlgorithm algorithm, std::shared_ptr<evp_pkey_st> key)
      : algorithm_(algorithm), key_(std::move(key)) {}

  KeyAlgorithm algorithm_;
  // OpenSSL keys are reference counted and immutable once built, so copies of
  // a PublicKey share one handle.
  std::shared_ptr<evp_pkey_st> key_;
};

class PrivateKey {
 public:
  // A new key from the CSPRNG.
  static Result<PrivateKey> Generate(KeyAlgorithm algorithm);
  // The key derived deterministically from `seed` of SeedSize(algorithm) bytes.
  static Result<PrivateKey> FromSeed(KeyAlgorithm algorithm, ByteView seed);
  // Parses a DER PKCS#8 PrivateKeyInfo, in the seed-only, expanded or combined
  // form for ML-DSA and ML-KEM.
  static Result<PrivateKey> FromPkcs8Der(ByteView der,
                                         std::optional<KeyAlgorithm> expected = std::nullopt);
  // Parses a PEM "PRIVATE KEY" block.
  static Result<PrivateKey> FromPem(std::string_view pem,
                                    std::optional<KeyAlgorithm> expected = std::nullopt);

  KeyAlgorithm algorithm() const { return algorithm_; }
  PublicKey GetPublicKey() const;

  // PKCS#8, seed-only for ML-DSA and ML-KEM. Fails for an ML-DSA or ML-KEM key
  // imported without its seed, since the seed-only form cannot be produced.
  Result<SecretBytes> ToPkcs8Der() const;
  // The same as a PEM "PRIVATE KEY" block.
  Result<SecretBytes> ToPem() const;

  evp_pkey_st* native() const { return key_.get(); }

 private:
  PrivateKey(KeyAlgorithm algorithm, std::shared_ptr<evp_pkey_st> key)
      : algorithm_(algorithm), key_(std::move(key)) {}

  KeyAlgorithm algorithm_;
  std::shared_ptr<evp_pkey_st> key_;
};

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_KEYS_H_
