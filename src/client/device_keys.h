// The device's key pairs: an ML-DSA-65 identity key (FIPS 204), an ECDSA
// P-256 key for the classical fallback, an ML-KEM-768 key (FIPS 203) and an
// X25519 key (RFC 7748) for session keys.
#ifndef DEVTRUST_CLIENT_DEVICE_KEYS_H_
#define DEVTRUST_CLIENT_DEVICE_KEYS_H_

#include <optional>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"

namespace devtrust::client {

struct DeviceKeys {
  crypto::PrivateKey ml_dsa;  // ML-DSA-65, signs every proof of possession
  crypto::PrivateKey ecdsa;   // ECDSA P-256, the classical twin of the identity key
  // ML-KEM-768; absent on a device registered without it, whose sessions use
  // the classical X25519 mode.
  std::optional<crypto::PrivateKey> ml_kem;
  crypto::PrivateKey x25519;  // X25519, in both session modes
};

// Whether DeviceKeys include an ML-KEM-768 key.
enum class MlKemChoice {
  kInclude,
  kOmit,
};

// Generates fresh keys from the CSPRNG. Errors: those of
// crypto::PrivateKey::Generate.
Result<DeviceKeys> GenerateDeviceKeys(MlKemChoice ml_kem = MlKemChoice::kInclude);

// The SubjectPublicKeyInfo DER of each public key, as the registration
// request and its proof of possession carry them.
struct DevicePublicKeys {
  Bytes ml_dsa;
  Bytes ecdsa;
  Bytes ml_kem;  // empty without an ML-KEM key
  Bytes x25519;
};

DevicePublicKeys PublicKeysOf(const DeviceKeys& keys);

// Checks that every key has its expected algorithm. Fails with reason
// "unexpected_key_algorithm" naming the slot.
Status CheckDeviceKeyAlgorithms(const DeviceKeys& keys);

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_DEVICE_KEYS_H_
