#include "crypto/x25519.h"

#include <openssl/evp.h>

#include <string>

#include "crypto/internal/openssl_error.h"
#include "crypto/internal/openssl_handles.h"

namespace devtrust::crypto {
namespace {

std::unexpected<Error> AllZeroOutput() {
  return MakeError(StatusCode::kInvalidArgument, "key_agreement_failed",
                   "X25519 produced the all-zero shared secret, so the peer public key has "
                   "small order; reject that peer key");
}

}  // namespace

Result<SecretBytes> ComputeX25519SharedSecret(const PrivateKey& own, const PublicKey& peer) {
  if (own.algorithm() != KeyAlgorithm::kX25519) {
    return MakeError(
        StatusCode::kInvalidArgument, "unexpected_key_algorithm",
        "own key is " + std::string(KeyAlgorithmName(own.algorithm())) + ", expected X25519");
  }
  if (peer.algorithm() != KeyAlgorithm::kX25519) {
    return MakeError(
        StatusCode::kInvalidArgument, "unexpected_key_algorithm",
        "peer key is " + std::string(KeyAlgorithmName(peer.algorithm())) + ", expected X25519");
  }

  internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own.native(), nullptr));
  if (ctx == nullptr || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.native(), /*validate_peer=*/0) != 1) {
    return std::unexpected(internal::OpenSslInternalError("X25519 setup"));
  }

  SecretBytes shared_secret(kX25519SharedSecretSize);
  std::size_t size = shared_secret.size();
  if (EVP_PKEY_derive(ctx.get(), shared_secret.data(), &size) != 1) {
    // OpenSSL 3.5.7 fails the derivation itself on an all-zero result ("failed
    // during derivation" from ossl_ecx_compute_key), so a small-order peer key
    // ends here. The check below covers a library that returns the zeros.
    internal::ClearOpenSslErrors();
    return AllZeroOutput();
  }
  if (size != shared_secret.size() ||
      ConstantTimeEquals(shared_secret.view(), SecretBytes(kX25519SharedSecretSize).view())) {
    return AllZeroOutput();
  }
  return shared_secret;
}

}  // namespace devtrust::crypto
