// The device's proofs of possession (docs/openapi.yaml, "What the device
// signs"): an ML-DSA-65 signature (FIPS 204) with a per-purpose context
// string, and an ECDSA P-256 signature over the same bytes for the classical
// fallback. The bytes are the encodings of trust/proof.h, the same code the
// service verifies with.
#ifndef DEVTRUST_CLIENT_PROOFS_H_
#define DEVTRUST_CLIENT_PROOFS_H_

#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "client/device_keys.h"
#include "trust/fingerprint.h"

namespace devtrust::client {

struct ProofSignatures {
  Bytes ml_dsa;  // ML-DSA-65 with the purpose's context string
  Bytes ecdsa;   // ECDSA P-256 with SHA-256, DER (RFC 5480 section 2.2)
};

// Signs the registration encoding of `user_id`, `nonce`, the device's public
// keys and `fingerprint` with context "devtrust/register/v1". Errors: those
// of crypto::Sign.
Result<ProofSignatures> SignRegistrationProof(const DeviceKeys& keys, std::string_view user_id,
                                              ByteView nonce,
                                              const trust::Fingerprint& fingerprint);

// Signs the login encoding of `user_id`, `device_id`, `nonce` and
// `fingerprint` with context "devtrust/login/v1".
Result<ProofSignatures> SignLoginProof(const DeviceKeys& keys, std::string_view user_id,
                                       std::string_view device_id, ByteView nonce,
                                       const trust::Fingerprint& fingerprint);

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_PROOFS_H_
