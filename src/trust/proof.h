// The canonical byte encodings that a device signs as proof of possession,
// shared by the service, which verifies them, and the device side, which
// signs them (docs/openapi.yaml, "What the device signs").
//
// An encoding is an ASCII label followed by each field as a 4-byte big-endian
// length and its bytes. The label and the FIPS 204 context string separate
// the purposes, so a registration proof never verifies as a login proof. The
// ML-DSA-65 key signs with the purpose's context string; the ECDSA P-256 key
// signs the same bytes without a context, because ECDSA has none.
#ifndef DEVTRUST_TRUST_PROOF_H_
#define DEVTRUST_TRUST_PROOF_H_

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "trust/fingerprint.h"

namespace devtrust::trust {

// FIPS 204 context strings (section 5.2) of the two proofs.
inline constexpr std::string_view kRegistrationProofContext = "devtrust/register/v1";
inline constexpr std::string_view kLoginProofContext = "devtrust/login/v1";

// The labels each encoding starts with.
inline constexpr std::string_view kRegistrationProofLabel = "devtrust-registration-v1";
inline constexpr std::string_view kLoginProofLabel = "devtrust-login-v1";

// The fields of a registration proof. Public keys are SubjectPublicKeyInfo
// DER; ml_kem_public_key is empty for a device without ML-KEM.
struct RegistrationProofFields {
  std::string_view user_id;
  ByteView nonce;
  ByteView ml_dsa_public_key;
  ByteView ecdsa_public_key;
  ByteView ml_kem_public_key;
  ByteView x25519_public_key;
};

// The registration encoding: the label, then user_id, nonce, the ML-DSA-65,
// ECDSA P-256, ML-KEM-768 and X25519 keys, and the canonical fingerprint
// (Fingerprint::CanonicalJson). Every field must be shorter than 2^32 bytes,
// which the request size limits guarantee; a longer one aborts the process.
Bytes EncodeRegistrationProof(const RegistrationProofFields& fields,
                              const Fingerprint& fingerprint);

// The login encoding: the label, then user_id, device_id, nonce and the
// canonical fingerprint, with the same length rule.
Bytes EncodeLoginProof(std::string_view user_id, std::string_view device_id, ByteView nonce,
                       const Fingerprint& fingerprint);

// The transcript label of the session key a login establishes
// (crypto/session_key.h): "login/<device id>/<nonce in unpadded base64url>".
// It binds the key to the device and to the login's challenge.
std::string LoginSessionLabel(std::string_view device_id, ByteView nonce);

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_PROOF_H_
