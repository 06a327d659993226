// The stable reason codes of trust decisions and the kinds of replay.
//
// The names are part of the API: clients, dashboards, alert rules and the
// audit trail match on them, so a name never changes once released.
#ifndef DEVTRUST_TRUST_REASON_CODE_H_
#define DEVTRUST_TRUST_REASON_CODE_H_

#include <optional>
#include <span>
#include <string_view>

namespace devtrust::trust {

enum class ReasonCode {
  kOk,                           // ok
  kDeviceTokenMissing,           // device_token_missing: no device credential in the request
  kCertificateMissing,           // certificate_missing
  kCertificateMalformed,         // certificate_malformed: not parseable X.509
  kCertificateForeignIssuer,     // certificate_foreign_issuer: not issued by the devtrust CA
  kCertificateSignatureInvalid,  // certificate_signature_invalid
  kCertificateExpired,           // certificate_expired: presented after notAfter
  kCertificateNotYetValid,       // certificate_not_yet_valid: presented before notBefore
  kCertificateRevoked,           // certificate_revoked
  kCertificateUnknown,           // certificate_unknown: issuer matches, serial never issued
  kNonceReused,                  // nonce_reused: a consumed challenge nonce came back
  kNonceExpired,                 // nonce_expired: the challenge's lifetime ran out
  kNonceUnknown,                 // nonce_unknown: never issued by this service
  kNonceMismatch,                // nonce_mismatch: issued for another user, device or purpose
  kPopSignatureInvalid,          // pop_signature_invalid: the proof of possession failed
  kFingerprintMismatch,          // fingerprint_mismatch: drift at or above the hard threshold
  kFingerprintDrift,             // fingerprint_drift: drift between the soft and hard thresholds
  kHeadlessBrowser,              // headless_browser: an automation marker appeared
  kDeviceNotTrusted,             // device_not_trusted: still pending verification
  kDeviceRevoked,                // device_revoked
  kDeviceUnknown,                // device_unknown: no enrolled device of this user has the id
  kClassicalFallback,            // classical_fallback: a classical path was used, as policy allows
  kFallbackNotAllowed,  // fallback_not_allowed: a classical path was needed, policy forbids it
};

// The snake_case name shown in the comments above.
std::string_view ReasonCodeName(ReasonCode reason);
std::optional<ReasonCode> ParseReasonCode(std::string_view name);

// Every reason code, in declaration order.
std::span<const ReasonCode> AllReasonCodes();

// The stale or foreign credential a replay attempt presented, used as the
// label of replay_attempts_detected_total{kind}.
enum class ReplayKind {
  kNonceReused,         // nonce_reused
  kCertificateExpired,  // certificate_expired
  kCertificateRevoked,  // certificate_revoked
  kCertificateUnknown,  // certificate_unknown
};

std::string_view ReplayKindName(ReplayKind kind);
std::optional<ReplayKind> ParseReplayKind(std::string_view name);

// The replay kind a reason code reports, or nullopt when it is no replay.
std::optional<ReplayKind> ReplayKindOf(ReasonCode reason);

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_REASON_CODE_H_
