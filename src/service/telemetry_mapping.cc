#include "service/telemetry_mapping.h"

namespace devtrust::service {

telemetry::TrustResult ToTelemetry(trust::TrustResult result) {
  switch (result) {
    case trust::TrustResult::kTrusted:
      return telemetry::TrustResult::kTrusted;
    case trust::TrustResult::kChallengeSoft:
      return telemetry::TrustResult::kChallengeSoft;
    case trust::TrustResult::kChallengeHard:
      return telemetry::TrustResult::kChallengeHard;
    case trust::TrustResult::kDenied:
      return telemetry::TrustResult::kDenied;
  }
  return telemetry::TrustResult::kDenied;
}

telemetry::ReplayKind ToTelemetry(trust::ReplayKind kind) {
  switch (kind) {
    case trust::ReplayKind::kNonceReused:
      return telemetry::ReplayKind::kNonceReused;
    case trust::ReplayKind::kCertificateExpired:
      return telemetry::ReplayKind::kCertificateExpired;
    case trust::ReplayKind::kCertificateRevoked:
      return telemetry::ReplayKind::kCertificateRevoked;
    case trust::ReplayKind::kCertificateUnknown:
      return telemetry::ReplayKind::kCertificateUnknown;
  }
  return telemetry::ReplayKind::kCertificateUnknown;
}

telemetry::FlowStep ToTelemetry(trust::ValidationStep step) {
  switch (step) {
    case trust::ValidationStep::kTokenCheck:
      return telemetry::FlowStep::kTokenCheck;
    case trust::ValidationStep::kCertParse:
      return telemetry::FlowStep::kCertParse;
    case trust::ValidationStep::kCertChain:
      return telemetry::FlowStep::kCertChain;
    case trust::ValidationStep::kCertValidity:
      return telemetry::FlowStep::kCertValidity;
    case trust::ValidationStep::kRevocationCheck:
      return telemetry::FlowStep::kRevocationCheck;
    case trust::ValidationStep::kReplayCheck:
      return telemetry::FlowStep::kReplayCheck;
    case trust::ValidationStep::kPopSignature:
      return telemetry::FlowStep::kPopSignature;
    case trust::ValidationStep::kFingerprintMatch:
      return telemetry::FlowStep::kFingerprintMatch;
    case trust::ValidationStep::kDriftEval:
      return telemetry::FlowStep::kDriftEval;
    case trust::ValidationStep::kSessionKem:
      return telemetry::FlowStep::kSessionKem;
  }
  return telemetry::FlowStep::kDecision;
}

telemetry::FallbackOrigin ToTelemetry(trust::FallbackOrigin origin) {
  switch (origin) {
    case trust::FallbackOrigin::kSessionKem:
      return telemetry::FallbackOrigin::kSessionKem;
    case trust::FallbackOrigin::kCertificate:
      return telemetry::FallbackOrigin::kCertificate;
    case trust::FallbackOrigin::kTls:
      return telemetry::FallbackOrigin::kTls;
  }
  return telemetry::FallbackOrigin::kTls;
}

}  // namespace devtrust::service
