#include "client/device_keys.h"

#include <string>
#include <string_view>
#include <utility>

namespace devtrust::client {
namespace {

Status CheckAlgorithm(const crypto::PrivateKey& key, crypto::KeyAlgorithm expected,
                      std::string_view slot) {
  if (key.algorithm() == expected) {
    return {};
  }
  return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                   "the " + std::string(slot) + " key is " +
                       std::string(crypto::KeyAlgorithmName(key.algorithm())) + ", expected " +
                       std::string(crypto::KeyAlgorithmName(expected)));
}

}  // namespace

Result<DeviceKeys> GenerateDeviceKeys(MlKemChoice ml_kem) {
  Result<crypto::PrivateKey> ml_dsa = crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlDsa65);
  if (!ml_dsa) {
    return std::unexpected(ml_dsa.error());
  }
  Result<crypto::PrivateKey> ecdsa = crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kEcdsaP256);
  if (!ecdsa) {
    return std::unexpected(ecdsa.error());
  }
  Result<crypto::PrivateKey> x25519 = crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kX25519);
  if (!x25519) {
    return std::unexpected(x25519.error());
  }

  std::optional<crypto::PrivateKey> kem;
  if (ml_kem == MlKemChoice::kInclude) {
    Result<crypto::PrivateKey> generated =
        crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlKem768);
    if (!generated) {
      return std::unexpected(generated.error());
    }
    kem = std::move(*generated);
  }

  return DeviceKeys{.ml_dsa = std::move(*ml_dsa),
                    .ecdsa = std::move(*ecdsa),
                    .ml_kem = std::move(kem),
                    .x25519 = std::move(*x25519)};
}

DevicePublicKeys PublicKeysOf(const DeviceKeys& keys) {
  DevicePublicKeys public_keys;
  public_keys.ml_dsa = keys.ml_dsa.GetPublicKey().ToSpkiDer();
  public_keys.ecdsa = keys.ecdsa.GetPublicKey().ToSpkiDer();
  if (keys.ml_kem) {
    public_keys.ml_kem = keys.ml_kem->GetPublicKey().ToSpkiDer();
  }
  public_keys.x25519 = keys.x25519.GetPublicKey().ToSpkiDer();
  return public_keys;
}

Status CheckDeviceKeyAlgorithms(const DeviceKeys& keys) {
  if (Status checked = CheckAlgorithm(keys.ml_dsa, crypto::KeyAlgorithm::kMlDsa65, "identity");
      !checked) {
    return checked;
  }
  if (Status checked = CheckAlgorithm(keys.ecdsa, crypto::KeyAlgorithm::kEcdsaP256, "fallback");
      !checked) {
    return checked;
  }
  if (keys.ml_kem) {
    if (Status checked = CheckAlgorithm(*keys.ml_kem, crypto::KeyAlgorithm::kMlKem768, "ML-KEM");
        !checked) {
      return checked;
    }
  }
  return CheckAlgorithm(keys.x25519, crypto::KeyAlgorithm::kX25519, "X25519");
}

}  // namespace devtrust::client
