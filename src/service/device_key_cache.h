// A bounded cache of devices' parsed public keys, so that a login does not
// parse the same ML-DSA, ML-KEM, ECDSA and X25519 keys from DER again.
//
// A device's keys never change after registration, so an entry stays valid
// until the device is revoked, when Invalidate drops it; a revoked device is
// denied before its keys are used anyway. Least recently used entries are
// evicted once the cache holds `capacity` devices.
#ifndef DEVTRUST_SERVICE_DEVICE_KEY_CACHE_H_
#define DEVTRUST_SERVICE_DEVICE_KEY_CACHE_H_

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/error.h"
#include "crypto/keys.h"
#include "store/records.h"

namespace devtrust::service {

struct DevicePublicKeys {
  crypto::PublicKey ml_dsa;
  crypto::PublicKey ecdsa;
  std::optional<crypto::PublicKey> ml_kem;  // absent for a device without ML-KEM
  crypto::PublicKey x25519;
};

// Parses the stored keys of `device`, each with its exact algorithm. Errors:
// "stored_key_invalid" (kDataLoss) naming the key, since registration only
// stores keys that parsed.
Result<DevicePublicKeys> ParseDevicePublicKeys(const store::DeviceRecord& device);

// Thread-safe.
class DeviceKeyCache {
 public:
  // A capacity of 0 disables caching: every Get parses.
  explicit DeviceKeyCache(std::size_t capacity) : capacity_(capacity) {}

  // The keys of `device`, from the cache or parsed now and cached. Errors:
  // those of ParseDevicePublicKeys.
  Result<std::shared_ptr<const DevicePublicKeys>> Get(const store::DeviceRecord& device);

  // Drops the entry of `device_id`, if any.
  void Invalidate(std::string_view device_id);

  std::size_t size() const;

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const DevicePublicKeys>>;

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  // Most recently used first.
  std::list<Entry> entries_;
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_DEVICE_KEY_CACHE_H_
