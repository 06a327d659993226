#include "telemetry/trust_event.h"

#include <cstdlib>

namespace devtrust::telemetry {

// Each switch lists every enumerator and has no default, so -Wswitch flags a new
// enumerator that lacks a name. The abort after it is unreachable for valid
// enum values.

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  std::abort();
}

std::string_view FlowName(Flow flow) {
  switch (flow) {
    case Flow::kChallenge:
      return "challenge";
    case Flow::kRegistration:
      return "registration";
    case Flow::kVerification:
      return "verification";
    case Flow::kValidation:
      return "validation";
    case Flow::kRevocation:
      return "revocation";
    case Flow::kReview:
      return "review";
  }
  std::abort();
}

std::string_view FlowStepName(FlowStep step) {
  switch (step) {
    case FlowStep::kTokenCheck:
      return "token_check";
    case FlowStep::kCertParse:
      return "cert_parse";
    case FlowStep::kCertChain:
      return "cert_chain";
    case FlowStep::kCertValidity:
      return "cert_validity";
    case FlowStep::kRevocationCheck:
      return "revocation_check";
    case FlowStep::kReplayCheck:
      return "replay_check";
    case FlowStep::kPopSignature:
      return "pop_signature";
    case FlowStep::kFingerprintMatch:
      return "fingerprint_match";
    case FlowStep::kDriftEval:
      return "drift_eval";
    case FlowStep::kSessionKem:
      return "session_kem";
    case FlowStep::kNonceIssue:
      return "nonce_issue";
    case FlowStep::kCertIssue:
      return "cert_issue";
    case FlowStep::kStoreCommit:
      return "store_commit";
    case FlowStep::kCodeCheck:
      return "code_check";
    case FlowStep::kDecision:
      return "decision";
  }
  std::abort();
}

std::string_view TrustResultName(TrustResult result) {
  switch (result) {
    case TrustResult::kTrusted:
      return "trusted";
    case TrustResult::kChallengeSoft:
      return "challenge_soft";
    case TrustResult::kChallengeHard:
      return "challenge_hard";
    case TrustResult::kDenied:
      return "denied";
    case TrustResult::kPending:
      return "pending";
    case TrustResult::kPassed:
      return "passed";
    case TrustResult::kFailed:
      return "failed";
  }
  std::abort();
}

std::string_view ReplayKindName(ReplayKind kind) {
  switch (kind) {
    case ReplayKind::kNonceReused:
      return "nonce_reused";
    case ReplayKind::kCertificateExpired:
      return "certificate_expired";
    case ReplayKind::kCertificateRevoked:
      return "certificate_revoked";
    case ReplayKind::kCertificateUnknown:
      return "certificate_unknown";
  }
  std::abort();
}

std::string_view FallbackOriginName(FallbackOrigin origin) {
  switch (origin) {
    case FallbackOrigin::kSessionKem:
      return "session_kem";
    case FallbackOrigin::kCertificate:
      return "certificate";
    case FallbackOrigin::kTls:
      return "tls";
  }
  std::abort();
}

}  // namespace devtrust::telemetry
