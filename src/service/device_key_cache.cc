#include "service/device_key_cache.h"

#include <utility>

namespace devtrust::service {
namespace {

Result<crypto::PublicKey> ParseStoredKey(const Bytes& der, crypto::KeyAlgorithm algorithm,
                                         std::string_view device_id) {
  Result<crypto::PublicKey> key = crypto::PublicKey::FromSpkiDer(der, algorithm);
  if (!key) {
    return MakeError(StatusCode::kDataLoss, "stored_key_invalid",
                     "the stored " + std::string(crypto::KeyAlgorithmName(algorithm)) +
                         " key of device " + std::string(device_id) +
                         " does not parse: " + key.error().message());
  }
  return key;
}

}  // namespace

Result<DevicePublicKeys> ParseDevicePublicKeys(const store::DeviceRecord& device) {
  Result<crypto::PublicKey> ml_dsa =
      ParseStoredKey(device.ml_dsa_public_key, crypto::KeyAlgorithm::kMlDsa65, device.device_id);
  if (!ml_dsa) return std::unexpected(std::move(ml_dsa).error());
  Result<crypto::PublicKey> ecdsa =
      ParseStoredKey(device.ecdsa_public_key, crypto::KeyAlgorithm::kEcdsaP256, device.device_id);
  if (!ecdsa) return std::unexpected(std::move(ecdsa).error());
  Result<crypto::PublicKey> x25519 =
      ParseStoredKey(device.x25519_public_key, crypto::KeyAlgorithm::kX25519, device.device_id);
  if (!x25519) return std::unexpected(std::move(x25519).error());

  std::optional<crypto::PublicKey> ml_kem;
  if (!device.ml_kem_public_key.empty()) {
    Result<crypto::PublicKey> parsed =
        ParseStoredKey(device.ml_kem_public_key, crypto::KeyAlgorithm::kMlKem768, device.device_id);
    if (!parsed) return std::unexpected(std::move(parsed).error());
    ml_kem = *std::move(parsed);
  }
  return DevicePublicKeys{*std::move(ml_dsa), *std::move(ecdsa), std::move(ml_kem),
                          *std::move(x25519)};
}

Result<std::shared_ptr<const DevicePublicKeys>> DeviceKeyCache::Get(
    const store::DeviceRecord& device) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto found = index_.find(device.device_id);
    if (found != index_.end()) {
      entries_.splice(entries_.begin(), entries_, found->second);
      return found->second->second;
    }
  }

  // Parsing runs outside the lock. Two threads that miss at once both parse,
  // and the second insert finds the first one's entry.
  Result<DevicePublicKeys> parsed = ParseDevicePublicKeys(device);
  if (!parsed) return std::unexpected(std::move(parsed).error());
  auto keys = std::make_shared<const DevicePublicKeys>(*std::move(parsed));
  if (capacity_ == 0) return keys;

  const std::lock_guard<std::mutex> lock(mutex_);
  const auto found = index_.find(device.device_id);
  if (found != index_.end()) return found->second->second;
  entries_.emplace_front(device.device_id, keys);
  index_.emplace(device.device_id, entries_.begin());
  if (entries_.size() > capacity_) {
    index_.erase(entries_.back().first);
    entries_.pop_back();
  }
  return keys;
}

void DeviceKeyCache::Invalidate(std::string_view device_id) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto found = index_.find(std::string(device_id));
  if (found == index_.end()) return;
  entries_.erase(found->second);
  index_.erase(found);
}

std::size_t DeviceKeyCache::size() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace devtrust::service
