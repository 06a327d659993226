// Trust results and the response to each reason code.
//
// Every failure class the validation pipeline can meet maps to one result and
// a fixed set of follow-up actions:
//   verification failure (token, certificate, proof or fingerprint rejected)
//       -> challenge_hard; the user is sent a verification challenge
//   replay (nonce reused; expired, revoked or unknown certificate)
//       -> denied; the user is notified, the event goes to the SIEM queue
//   drift between the soft and hard thresholds
//       -> challenge_soft; the device is flagged into the review queue
//   stale or foreign challenge (nonce expired, unknown or bound elsewhere)
//       -> denied; the client requests a new challenge
//   device state (pending, revoked or unknown device)
//       -> denied; a revoked device also notifies the user and the SIEM
//   fallback the policy allows -> trusted, with fallback telemetry
//   fallback the policy forbids -> denied
// The caller carries the actions out; trust itself sends nothing.
#ifndef DEVTRUST_TRUST_DECISION_H_
#define DEVTRUST_TRUST_DECISION_H_

#include <optional>
#include <string_view>

#include "trust/drift.h"
#include "trust/reason_code.h"

namespace devtrust::trust {

// Ordered from mildest to most severe.
enum class TrustResult {
  kTrusted,        // "trusted"
  kChallengeSoft,  // "challenge_soft"
  kChallengeHard,  // "challenge_hard"
  kDenied,         // "denied"
};

std::string_view TrustResultName(TrustResult result);

// The more severe of two results.
TrustResult MoreSevere(TrustResult a, TrustResult b);

enum class FailureClass {
  kNone,                 // "none"
  kVerificationFailure,  // "verification_failure"
  kReplay,               // "replay"
  kDrift,                // "drift"
  kStaleChallenge,       // "stale_challenge"
  kDeviceState,          // "device_state"
  kFallbackAllowed,      // "fallback_allowed"
  kFallbackNotAllowed,   // "fallback_not_allowed"
};

std::string_view FailureClassName(FailureClass failure_class);

// Follow-up work for the layers above trust.
struct DecisionActions {
  bool send_verification_challenge = false;  // the notifier sends the user a verification challenge
  bool notify_user = false;                  // the user gets a security notice
  bool enqueue_siem = false;                 // the trust event goes to the SIEM queue
  bool flag_for_review = false;              // the device enters the review queue
  bool emit_fallback_telemetry = false;      // CryptoFallbackTelemetry (CRYPTO_FALLBACK_USED)

  bool operator==(const DecisionActions&) const = default;
};

struct Decision {
  TrustResult result = TrustResult::kTrusted;
  ReasonCode reason = ReasonCode::kOk;
  FailureClass failure_class = FailureClass::kNone;
  // Set for the replay reasons; the label of replay_attempts_detected_total.
  std::optional<ReplayKind> replay_kind;
  DecisionActions actions;
};

// The decision for one reason code. Defined for every ReasonCode.
Decision DecideFor(ReasonCode reason);

// The reason a drift verdict reports: ok for a match, fingerprint_drift for
// a soft challenge, headless_browser when a headless marker appeared, and
// fingerprint_mismatch for any other hard challenge.
ReasonCode DriftReasonCode(const DriftAssessment& assessment);

// DecideFor(DriftReasonCode(assessment)).
Decision DecideForDrift(const DriftAssessment& assessment);

// Merges the decisions of two pipeline steps. The more severe result wins
// with its reason, class and replay kind, and the first one wins a tie. The
// actions of both are kept, so an allowed fallback still emits its telemetry
// when drift also raises a soft challenge.
Decision Combine(const Decision& first, const Decision& second);

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_DECISION_H_
