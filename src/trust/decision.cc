#include "trust/decision.h"

namespace devtrust::trust {
namespace {

FailureClass FailureClassOf(ReasonCode reason) {
  switch (reason) {
    case ReasonCode::kOk:
      return FailureClass::kNone;
    case ReasonCode::kDeviceTokenMissing:
    case ReasonCode::kCertificateMissing:
    case ReasonCode::kCertificateMalformed:
    case ReasonCode::kCertificateForeignIssuer:
    case ReasonCode::kCertificateSignatureInvalid:
    case ReasonCode::kCertificateNotYetValid:
    case ReasonCode::kPopSignatureInvalid:
    case ReasonCode::kFingerprintMismatch:
    case ReasonCode::kHeadlessBrowser:
      return FailureClass::kVerificationFailure;
    case ReasonCode::kNonceReused:
    case ReasonCode::kCertificateExpired:
    case ReasonCode::kCertificateRevoked:
    case ReasonCode::kCertificateUnknown:
      return FailureClass::kReplay;
    case ReasonCode::kFingerprintDrift:
      return FailureClass::kDrift;
    case ReasonCode::kNonceExpired:
    case ReasonCode::kNonceUnknown:
    case ReasonCode::kNonceMismatch:
      return FailureClass::kStaleChallenge;
    case ReasonCode::kDeviceNotTrusted:
    case ReasonCode::kDeviceRevoked:
    case ReasonCode::kDeviceUnknown:
      return FailureClass::kDeviceState;
    case ReasonCode::kClassicalFallback:
      return FailureClass::kFallbackAllowed;
    case ReasonCode::kFallbackNotAllowed:
      return FailureClass::kFallbackNotAllowed;
  }
  // Unreachable for a valid enumerator; treat anything else as the strictest class.
  return FailureClass::kFallbackNotAllowed;
}

}  // namespace

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
  }
  return "unknown";
}

TrustResult MoreSevere(TrustResult a, TrustResult b) {
  return static_cast<int>(b) > static_cast<int>(a) ? b : a;
}

std::string_view FailureClassName(FailureClass failure_class) {
  switch (failure_class) {
    case FailureClass::kNone:
      return "none";
    case FailureClass::kVerificationFailure:
      return "verification_failure";
    case FailureClass::kReplay:
      return "replay";
    case FailureClass::kDrift:
      return "drift";
    case FailureClass::kStaleChallenge:
      return "stale_challenge";
    case FailureClass::kDeviceState:
      return "device_state";
    case FailureClass::kFallbackAllowed:
      return "fallback_allowed";
    case FailureClass::kFallbackNotAllowed:
      return "fallback_not_allowed";
  }
  return "unknown";
}

Decision DecideFor(ReasonCode reason) {
  Decision decision;
  decision.reason = reason;
  decision.failure_class = FailureClassOf(reason);
  decision.replay_kind = ReplayKindOf(reason);

  switch (decision.failure_class) {
    case FailureClass::kNone:
      decision.result = TrustResult::kTrusted;
      break;
    case FailureClass::kVerificationFailure:
      decision.result = TrustResult::kChallengeHard;
      decision.actions.send_verification_challenge = true;
      break;
    case FailureClass::kReplay:
      decision.result = TrustResult::kDenied;
      decision.actions.notify_user = true;
      decision.actions.enqueue_siem = true;
      break;
    case FailureClass::kDrift:
      decision.result = TrustResult::kChallengeSoft;
      decision.actions.flag_for_review = true;
      break;
    case FailureClass::kStaleChallenge:
      decision.result = TrustResult::kDenied;
      break;
    case FailureClass::kDeviceState:
      decision.result = TrustResult::kDenied;
      // A revoked device that still tries to log in is a security event; a
      // pending one only has to finish its verification.
      if (reason == ReasonCode::kDeviceRevoked) {
        decision.actions.notify_user = true;
        decision.actions.enqueue_siem = true;
      }
      break;
    case FailureClass::kFallbackAllowed:
      decision.result = TrustResult::kTrusted;
      decision.actions.emit_fallback_telemetry = true;
      break;
    case FailureClass::kFallbackNotAllowed:
      decision.result = TrustResult::kDenied;
      break;
  }
  return decision;
}

ReasonCode DriftReasonCode(const DriftAssessment& assessment) {
  switch (assessment.verdict) {
    case DriftVerdict::kMatch:
      return ReasonCode::kOk;
    case DriftVerdict::kSoftChallenge:
      return ReasonCode::kFingerprintDrift;
    case DriftVerdict::kHardChallenge:
      return assessment.decisive().categorical == CategoricalChange::kHeadlessMarker
                 ? ReasonCode::kHeadlessBrowser
                 : ReasonCode::kFingerprintMismatch;
  }
  return ReasonCode::kFingerprintMismatch;
}

Decision DecideForDrift(const DriftAssessment& assessment) {
  return DecideFor(DriftReasonCode(assessment));
}

Decision Combine(const Decision& first, const Decision& second) {
  Decision combined =
      static_cast<int>(second.result) > static_cast<int>(first.result) ? second : first;
  combined.actions.send_verification_challenge =
      first.actions.send_verification_challenge || second.actions.send_verification_challenge;
  combined.actions.notify_user = first.actions.notify_user || second.actions.notify_user;
  combined.actions.enqueue_siem = first.actions.enqueue_siem || second.actions.enqueue_siem;
  combined.actions.flag_for_review =
      first.actions.flag_for_review || second.actions.flag_for_review;
  combined.actions.emit_fallback_telemetry =
      first.actions.emit_fallback_telemetry || second.actions.emit_fallback_telemetry;
  return combined;
}

}  // namespace devtrust::trust
