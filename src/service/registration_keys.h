// The public keys a device submits at registration, and their checks.
#ifndef DEVTRUST_SERVICE_REGISTRATION_KEYS_H_
#define DEVTRUST_SERVICE_REGISTRATION_KEYS_H_

#include "base/bytes.h"
#include "base/error.h"
#include "service/device_key_cache.h"

namespace devtrust::service {

// SubjectPublicKeyInfo DER of each key; ml_kem is empty for a device without
// ML-KEM.
struct SubmittedKeys {
  Bytes ml_dsa;
  Bytes ecdsa;
  Bytes ml_kem;
  Bytes x25519;
};

// Parses every key with its exact algorithm (ML-DSA-65, ECDSA P-256,
// ML-KEM-768, X25519) and requires the DER to be the canonical encoding the
// key re-encodes to, so that the bytes the device signed are the bytes
// stored. An X25519 key of small order, which would make every session key
// predictable (RFC 7748 section 6.1), is rejected by a trial key agreement.
// Errors: "invalid_key" (kInvalidArgument) with a message that names the
// field, such as public_keys.ml_kem_768.
Result<DevicePublicKeys> ParseSubmittedKeys(const SubmittedKeys& keys);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_REGISTRATION_KEYS_H_
