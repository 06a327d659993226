// Session keys between the devtrust server and a device.
//
// The server establishes a session against the device's registered public
// keys and sends a SessionOffer. The device derives the same 32-byte key from
// the offer and its private keys. Two modes exist:
//
//   hybrid     ML-KEM-768 encapsulation to the device's ML-KEM key plus
//              X25519 between a fresh ephemeral key and the device's X25519
//              key; the key stays secret while either problem stays hard.
//   classical  X25519 only, the fallback for devices or peers without
//              ML-KEM. Which mode a device may use is the caller's policy.
//
// Construction (both sides compute it the same way):
//
//   ss_kem, ct = ML-KEM-768.Encaps(ek_device)        hybrid only
//   e, E       = X25519 ephemeral key pair (server)
//   ss_x       = X25519(e, X_device) = X25519(x_device, E)
//   ikm        = ss_kem || ss_x      (hybrid)
//              = ss_x                (classical)
//   transcript = LP(label) || LP(ek_device) || LP(X_device) || LP(ct) || LP(E)
//                where LP(v) = uint32_be(len(v)) || v, and ek_device and ct
//                are empty in classical mode
//   info       = mode_label || 0x00 || SHA-256(transcript)
//   key        = HKDF-SHA256(salt = empty, ikm, info, L = 32)   (RFC 5869)
//
//   mode_label = "devtrust session v1 hybrid ML-KEM-768+X25519" or
//                "devtrust session v1 classical X25519"
//
// Binding every public value and the caller's transcript label into info
// means a key derived for one device, ciphertext or context cannot be
// reproduced for another, and the distinct mode labels keep the two modes
// from ever yielding the same key. The transcript is hashed so that info has
// a fixed, short size; the raw ML-KEM key and ciphertext alone exceed 2 KiB.
#ifndef DEVTRUST_CRYPTO_SESSION_KEY_H_
#define DEVTRUST_CRYPTO_SESSION_KEY_H_

#include <cstddef>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/secret_bytes.h"

namespace devtrust::crypto {

inline constexpr std::size_t kSessionKeySize = 32;
inline constexpr std::size_t kMaxTranscriptLabelSize = 255;

enum class SessionMode {
  kHybrid,     // ML-KEM-768 + X25519
  kClassical,  // X25519 only
};

// "hybrid" or "classical".
std::string_view SessionModeName(SessionMode mode);

// The server's message to the device.
struct SessionOffer {
  SessionMode mode = SessionMode::kHybrid;
  Bytes kem_ciphertext;        // 1088 bytes in hybrid mode, empty in classical mode
  Bytes ephemeral_public_key;  // the server's 32-byte X25519 public key E
};

// The server's result: the offer for the device and the derived key.
struct ServerSession {
  SessionOffer offer;
  SecretBytes key;  // kSessionKeySize bytes
};

// Server side of the hybrid mode. `transcript_label` names the context the
// key belongs to (for example "login/<device id>/<nonce>") and must have 1 to
// kMaxTranscriptLabelSize bytes. Errors: "unexpected_key_algorithm" unless
// the keys are ML-KEM-768 and X25519; "invalid_transcript_label";
// "key_agreement_failed" for a small-order device X25519 key.
Result<ServerSession> EstablishHybridSession(const PublicKey& device_ml_kem,
                                             const PublicKey& device_x25519,
                                             std::string_view transcript_label);

// Server side of the classical mode; errors as for EstablishHybridSession.
Result<ServerSession> EstablishClassicalSession(const PublicKey& device_x25519,
                                                std::string_view transcript_label);

// Device side of the hybrid mode: derives the server's key from `offer` with
// the device's private keys and the same transcript label. Errors, besides
// those of EstablishHybridSession:
//   "session_mode_mismatch"  the offer is not hybrid;
//   "invalid_ciphertext"     the ciphertext is not 1088 bytes;
//   "invalid_key"            the ephemeral key is not 32 bytes.
// A tampered ciphertext or ephemeral key of the right size yields a different
// key rather than an error (ML-KEM implicit rejection). The mismatch shows up
// when the key is first used.
Result<SecretBytes> AcceptHybridSession(const PrivateKey& device_ml_kem,
                                        const PrivateKey& device_x25519, const SessionOffer& offer,
                                        std::string_view transcript_label);

// Device side of the classical mode. Errors as for AcceptHybridSession, and
// "session_mode_mismatch" also when a classical offer carries a ciphertext.
Result<SecretBytes> AcceptClassicalSession(const PrivateKey& device_x25519,
                                           const SessionOffer& offer,
                                           std::string_view transcript_label);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_SESSION_KEY_H_
