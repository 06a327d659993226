#include "client/session_check.h"

#include <string>

namespace devtrust::client {

Result<SessionAgreement> CheckSessionKey(const DeviceKeys& keys, const SessionBlock& session,
                                         std::string_view transcript_label) {
  crypto::SessionOffer offer;
  offer.kem_ciphertext = session.ciphertext;
  offer.ephemeral_public_key = session.server_public_key;

  Result<crypto::SecretBytes> derived = crypto::SecretBytes();
  if (session.mode == "hybrid") {
    if (!keys.ml_kem) {
      return MakeError(StatusCode::kFailedPrecondition, "session_mode_mismatch",
                       "the server offered a hybrid session, but this device has no ML-KEM-768 "
                       "key");
    }
    offer.mode = crypto::SessionMode::kHybrid;
    derived = crypto::AcceptHybridSession(*keys.ml_kem, keys.x25519, offer, transcript_label);
  } else if (session.mode == "classical") {
    offer.mode = crypto::SessionMode::kClassical;
    derived = crypto::AcceptClassicalSession(keys.x25519, offer, transcript_label);
  } else {
    return MakeError(
        StatusCode::kInvalidArgument, "session_mode_mismatch",
        "session mode \"" + session.mode.substr(0, 32) + "\" is neither hybrid nor classical");
  }
  if (!derived) {
    return std::unexpected(derived.error());
  }
  return SessionAgreement{.mode = offer.mode,
                          .agreed = derived->ConstantTimeEquals(session.key.view())};
}

}  // namespace devtrust::client
