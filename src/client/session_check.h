// The device's side of the session key a validation establishes: derive the
// key from the session block and compare it with the key the server handed
// the relying party.
#ifndef DEVTRUST_CLIENT_SESSION_CHECK_H_
#define DEVTRUST_CLIENT_SESSION_CHECK_H_

#include <string_view>

#include "base/error.h"
#include "client/api_messages.h"
#include "client/device_keys.h"
#include "crypto/session_key.h"

namespace devtrust::client {

struct SessionAgreement {
  crypto::SessionMode mode = crypto::SessionMode::kHybrid;
  // True when the device derived the same key as the relying party got,
  // compared in constant time.
  bool agreed = false;
};

// Derives the device's key from `session` (crypto::AcceptHybridSession or
// AcceptClassicalSession with `transcript_label`) and compares it with
// session.key. A different key is a result (agreed false), not an error.
// Errors: "session_mode_mismatch" for a hybrid block when the device has no
// ML-KEM key or a mode that is neither hybrid nor classical, and the errors
// of the crypto functions ("invalid_ciphertext", "invalid_key").
Result<SessionAgreement> CheckSessionKey(const DeviceKeys& keys, const SessionBlock& session,
                                         std::string_view transcript_label);

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_SESSION_CHECK_H_
