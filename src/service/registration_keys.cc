#include "service/registration_keys.h"

#include <string>
#include <string_view>
#include <utility>

#include "crypto/session_key.h"

namespace devtrust::service {
namespace {

std::unexpected<Error> InvalidKey(std::string_view field, std::string_view what) {
  return MakeError(StatusCode::kInvalidArgument, "invalid_key",
                   std::string(field) + " " + std::string(what));
}

Result<crypto::PublicKey> ParseKey(const Bytes& der, crypto::KeyAlgorithm algorithm,
                                   std::string_view field) {
  Result<crypto::PublicKey> key = crypto::PublicKey::FromSpkiDer(der, algorithm);
  if (!key) {
    return InvalidKey(field, "is not a " + std::string(crypto::KeyAlgorithmName(algorithm)) +
                                 " SubjectPublicKeyInfo: " + key.error().message());
  }
  if (key->ToSpkiDer() != der) {
    return InvalidKey(field, "is not in canonical DER; send the encoding the key library writes");
  }
  return key;
}

}  // namespace

Result<DevicePublicKeys> ParseSubmittedKeys(const SubmittedKeys& keys) {
  Result<crypto::PublicKey> ml_dsa =
      ParseKey(keys.ml_dsa, crypto::KeyAlgorithm::kMlDsa65, "public_keys.ml_dsa_65");
  if (!ml_dsa) return std::unexpected(std::move(ml_dsa).error());
  Result<crypto::PublicKey> ecdsa =
      ParseKey(keys.ecdsa, crypto::KeyAlgorithm::kEcdsaP256, "public_keys.ecdsa_p256");
  if (!ecdsa) return std::unexpected(std::move(ecdsa).error());
  Result<crypto::PublicKey> x25519 =
      ParseKey(keys.x25519, crypto::KeyAlgorithm::kX25519, "public_keys.x25519");
  if (!x25519) return std::unexpected(std::move(x25519).error());

  std::optional<crypto::PublicKey> ml_kem;
  if (!keys.ml_kem.empty()) {
    Result<crypto::PublicKey> parsed =
        ParseKey(keys.ml_kem, crypto::KeyAlgorithm::kMlKem768, "public_keys.ml_kem_768");
    if (!parsed) return std::unexpected(std::move(parsed).error());
    ml_kem = *std::move(parsed);
  }

  // A small-order point yields an all-zero shared secret, which the key
  // agreement rejects; finding out now keeps such a device from enrolling.
  if (Result<crypto::ServerSession> trial =
          crypto::EstablishClassicalSession(*x25519, "devtrust registration key check");
      !trial) {
    return InvalidKey("public_keys.x25519", "cannot agree a key: " + trial.error().message());
  }

  return DevicePublicKeys{*std::move(ml_dsa), *std::move(ecdsa), std::move(ml_kem),
                          *std::move(x25519)};
}

}  // namespace devtrust::service
