#include "client/proofs.h"

#include <utility>

#include "crypto/signature.h"
#include "trust/proof.h"

namespace devtrust::client {
namespace {

Result<ProofSignatures> SignBoth(const DeviceKeys& keys, ByteView message,
                                 std::string_view context) {
  Result<Bytes> ml_dsa = crypto::Sign(keys.ml_dsa, message, {.context = context});
  if (!ml_dsa) {
    return std::unexpected(ml_dsa.error());
  }
  // ECDSA has no context string (FIPS 186-5); the label at the start of the
  // encoding keeps registration and login signatures apart.
  Result<Bytes> ecdsa = crypto::Sign(keys.ecdsa, message);
  if (!ecdsa) {
    return std::unexpected(ecdsa.error());
  }
  return ProofSignatures{.ml_dsa = std::move(*ml_dsa), .ecdsa = std::move(*ecdsa)};
}

}  // namespace

Result<ProofSignatures> SignRegistrationProof(const DeviceKeys& keys, std::string_view user_id,
                                              ByteView nonce,
                                              const trust::Fingerprint& fingerprint) {
  const DevicePublicKeys public_keys = PublicKeysOf(keys);
  const Bytes message = trust::EncodeRegistrationProof({.user_id = user_id,
                                                        .nonce = nonce,
                                                        .ml_dsa_public_key = public_keys.ml_dsa,
                                                        .ecdsa_public_key = public_keys.ecdsa,
                                                        .ml_kem_public_key = public_keys.ml_kem,
                                                        .x25519_public_key = public_keys.x25519},
                                                       fingerprint);
  return SignBoth(keys, message, trust::kRegistrationProofContext);
}

Result<ProofSignatures> SignLoginProof(const DeviceKeys& keys, std::string_view user_id,
                                       std::string_view device_id, ByteView nonce,
                                       const trust::Fingerprint& fingerprint) {
  const Bytes message = trust::EncodeLoginProof(user_id, device_id, nonce, fingerprint);
  return SignBoth(keys, message, trust::kLoginProofContext);
}

}  // namespace devtrust::client
