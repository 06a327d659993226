// The key schedule of crypto/session_key.h, separated from the key exchange
// so that tests can feed both modes identical inputs.
//
// Internal to src/crypto.
#ifndef DEVTRUST_CRYPTO_INTERNAL_SESSION_KEY_SCHEDULE_H_
#define DEVTRUST_CRYPTO_INTERNAL_SESSION_KEY_SCHEDULE_H_

#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"
#include "crypto/session_key.h"

namespace devtrust::crypto::internal {

struct SessionTranscript {
  std::string_view label;
  ByteView device_ml_kem_public_key;  // empty in classical mode
  ByteView device_x25519_public_key;
  ByteView kem_ciphertext;  // empty in classical mode
  ByteView ephemeral_public_key;
};

// Derives the session key from the shared secrets and the transcript as the
// header of crypto/session_key.h describes. `kem_shared_secret` is empty in
// classical mode.
Result<SecretBytes> DeriveSessionKey(SessionMode mode, ByteView kem_shared_secret,
                                     ByteView x25519_shared_secret,
                                     const SessionTranscript& transcript);

}  // namespace devtrust::crypto::internal

#endif  // DEVTRUST_CRYPTO_INTERNAL_SESSION_KEY_SCHEDULE_H_
