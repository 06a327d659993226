#include "crypto/kem.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <string>

#include "crypto/internal/algorithm_info.h"
#include "crypto/internal/kem_derandomized.h"
#include "crypto/internal/openssl_error.h"
#include "crypto/internal/openssl_handles.h"

namespace devtrust::crypto {
namespace {

using internal::EvpPkeyCtxPtr;

// FIPS 203 section 3.3 and algorithm 17: the encapsulation randomness m.
constexpr std::size_t kEncapsulationMessageSize = 32;

Status CheckKemKey(KeyAlgorithm algorithm) {
  if (!internal::IsMlKem(algorithm)) {
    return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                     std::string(KeyAlgorithmName(algorithm)) +
                         " keys cannot encapsulate; use ML-KEM-768 or ML-KEM-1024");
  }
  return {};
}

// Encapsulates to `key`; a non-null `params` carries the test-only message.
Result<Encapsulation> EncapsulateWithParams(const PublicKey& key, const OSSL_PARAM* params) {
  if (Status kem_key = CheckKemKey(key.algorithm()); !kem_key) {
    return std::unexpected(kem_key.error());
  }

  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.native(), nullptr));
  if (ctx == nullptr || EVP_PKEY_encapsulate_init(ctx.get(), params) != 1) {
    return std::unexpected(internal::OpenSslInternalError("ML-KEM encapsulation setup"));
  }

  Encapsulation result{
      .ciphertext = Bytes(KemCiphertextSize(key.algorithm())),
      .shared_secret = SecretBytes(kKemSharedSecretSize),
  };
  std::size_t ciphertext_size = result.ciphertext.size();
  std::size_t secret_size = result.shared_secret.size();
  if (EVP_PKEY_encapsulate(ctx.get(), result.ciphertext.data(), &ciphertext_size,
                           result.shared_secret.data(), &secret_size) != 1 ||
      ciphertext_size != result.ciphertext.size() || secret_size != result.shared_secret.size()) {
    return std::unexpected(internal::OpenSslInternalError("ML-KEM encapsulation"));
  }
  return result;
}

}  // namespace

std::size_t KemCiphertextSize(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kMlKem768:
      return 1088;
    case KeyAlgorithm::kMlKem1024:
      return 1568;
    case KeyAlgorithm::kMlDsa65:
    case KeyAlgorithm::kMlDsa87:
    case KeyAlgorithm::kEcdsaP256:
    case KeyAlgorithm::kX25519:
      return 0;
  }
  return 0;
}

Result<Encapsulation> Encapsulate(const PublicKey& key) {
  return EncapsulateWithParams(key, nullptr);
}

Result<SecretBytes> Decapsulate(const PrivateKey& key, ByteView ciphertext) {
  if (Status kem_key = CheckKemKey(key.algorithm()); !kem_key) {
    return std::unexpected(kem_key.error());
  }
  const std::size_t expected_size = KemCiphertextSize(key.algorithm());
  if (ciphertext.size() != expected_size) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_ciphertext",
                     std::string(KeyAlgorithmName(key.algorithm())) + " ciphertext must be " +
                         std::to_string(expected_size) + " bytes, got " +
                         std::to_string(ciphertext.size()));
  }

  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.native(), nullptr));
  if (ctx == nullptr || EVP_PKEY_decapsulate_init(ctx.get(), nullptr) != 1) {
    return std::unexpected(internal::OpenSslInternalError("ML-KEM decapsulation setup"));
  }
  SecretBytes shared_secret(kKemSharedSecretSize);
  std::size_t secret_size = shared_secret.size();
  if (EVP_PKEY_decapsulate(ctx.get(), shared_secret.data(), &secret_size, ciphertext.data(),
                           ciphertext.size()) != 1 ||
      secret_size != shared_secret.size()) {
    return std::unexpected(internal::OpenSslInternalError("ML-KEM decapsulation"));
  }
  return shared_secret;
}

namespace internal {

Result<Encapsulation> EncapsulateWithMessage(const PublicKey& key, ByteView message) {
  if (message.size() != kEncapsulationMessageSize) {
    return MakeError(
        StatusCode::kInvalidArgument, "invalid_argument",
        "ML-KEM encapsulation message must be 32 bytes, got " + std::to_string(message.size()));
  }
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KEM_PARAM_IKME,
                                        const_cast<std::uint8_t*>(message.data()), message.size()),
      OSSL_PARAM_construct_end(),
  };
  return EncapsulateWithParams(key, params);
}

}  // namespace internal
}  // namespace devtrust::crypto
