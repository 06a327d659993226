// TrustEvent: the typed record of one step or outcome of a trust flow.
//
// The trust domain returns these records and the service layer hands each one
// to Publisher::Publish, which writes it to the JSON log, the metrics and, for
// decision-level events, the outbox. Every field has a fixed meaning and a
// fixed place in the log line; ValidateTrustEvent (event_validation.h) states
// the limits on each.
#ifndef DEVTRUST_TELEMETRY_TRUST_EVENT_H_
#define DEVTRUST_TELEMETRY_TRUST_EVENT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/build_info.h"
#include "telemetry/fallback_telemetry.h"

namespace devtrust::telemetry {

enum class Level { kDebug, kInfo, kWarn, kError };

// "debug", "info", "warn" or "error".
std::string_view LevelName(Level level);

enum class Flow {
  kChallenge,     // POST /v1/challenges issues a nonce
  kRegistration,  // POST /v1/devices enrolls a device as pending
  kVerification,  // POST /v1/devices/{id}/verify moves a device to trusted
  kValidation,    // POST /v1/trust/validate decides at login
  kRevocation,    // a device or its certificate is revoked
  kReview,        // an operator resolves a flagged device
};

// The snake_case name, such as "validation".
std::string_view FlowName(Flow flow);

// The steps of every flow. A validation runs token_check through session_kem in
// this order and ends with decision. The other flows use some of the same
// steps, plus nonce_issue, cert_issue, store_commit and code_check.
enum class FlowStep {
  kTokenCheck,
  kCertParse,
  kCertChain,
  kCertValidity,
  kRevocationCheck,
  kReplayCheck,
  kPopSignature,
  kFingerprintMatch,
  kDriftEval,
  kSessionKem,
  kNonceIssue,
  kCertIssue,
  kStoreCommit,
  kCodeCheck,
  kDecision,
};

// The snake_case name, such as "cert_chain".
std::string_view FlowStepName(FlowStep step);

// The outcome of a flow (trusted through pending) or of a single step (passed,
// failed).
enum class TrustResult {
  kTrusted,
  kChallengeSoft,
  kChallengeHard,
  kDenied,
  kPending,
  kPassed,
  kFailed,
};

// The snake_case name, such as "challenge_soft".
std::string_view TrustResultName(TrustResult result);

// The kind of replay: a reused nonce, or a certificate that is expired,
// revoked or unknown.
enum class ReplayKind {
  kNonceReused,
  kCertificateExpired,
  kCertificateRevoked,
  kCertificateUnknown,
};

// The snake_case name, such as "nonce_reused".
std::string_view ReplayKindName(ReplayKind kind);

struct TrustEvent {
  // When the step finished. Rendered as RFC 3339 UTC with milliseconds.
  std::chrono::system_clock::time_point timestamp = std::chrono::system_clock::now();

  Level level = Level::kInfo;

  // 32 lowercase hex digits (the trace-id of W3C Trace Context), shared by
  // every event of one request.
  std::string trace_id;

  std::string user_id;
  std::string device_id;
  Flow flow = Flow::kValidation;
  FlowStep flow_step = FlowStep::kDecision;

  // A keyed digest of the device attributes, computed by the caller. Raw
  // attributes never go here.
  std::string fingerprint;

  TrustResult trust_result = TrustResult::kPassed;

  // A stable snake_case code, such as "ok" or "fingerprint_mismatch".
  std::string reason;

  // The step's duration in microseconds. On a decision event it is the whole
  // flow's duration, which feeds the latency histograms.
  std::int64_t latency_us = 0;

  // The node that emitted the event, and the git commit it runs, so that log
  // lines, CI runs and releases match by SHA.
  std::string node;
  std::string commit = std::string(BuildCommit());

  // Set when the request was a replay. The metrics count it on the decision
  // event only, so a flow counts once however many of its steps carry it.
  std::optional<ReplayKind> replay_kind;

  // The fingerprint drift score, set by drift_eval and on a decision that the
  // drift caused. A challenge_soft decision with a drift score is a soft drift
  // flag.
  std::optional<double> drift_score;

  // Set on the step that fell back to a classical algorithm. Logged only; the
  // fallback counter counts CryptoFallbackTelemetry records.
  std::optional<FallbackBlock> fallback;
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_TRUST_EVENT_H_
