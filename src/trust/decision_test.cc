#include "trust/decision.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace devtrust::trust {
namespace {

struct Expected {
  ReasonCode reason;
  std::string_view name;
  TrustResult result;
  FailureClass failure_class;
  DecisionActions actions;
  std::optional<ReplayKind> replay_kind;
};

constexpr DecisionActions kNoActions{};
constexpr DecisionActions kVerification{.send_verification_challenge = true};
constexpr DecisionActions kNotifyAndSiem{.notify_user = true, .enqueue_siem = true};
constexpr DecisionActions kReview{.flag_for_review = true};
constexpr DecisionActions kTelemetry{.emit_fallback_telemetry = true};

// The response to every reason code. A new ReasonCode fails
// CoversEveryReasonCode until it is added here.
const Expected kTable[] = {
    {ReasonCode::kOk, "ok", TrustResult::kTrusted, FailureClass::kNone, kNoActions, {}},
    {ReasonCode::kDeviceTokenMissing,
     "device_token_missing",
     TrustResult::kChallengeHard,
     FailureClass::kVerificationFailure,
     kVerification,
     {}},
    {ReasonCode::kCertificateMissing,
     "certificate_missing",
     TrustResult::kChallengeHard,
     FailureClass::kVerificationFailure,
     kVerification,
     {}},
    {ReasonCode::kCertificateMalformed,
     "certificate_malformed",
     TrustResult::kChallengeHard,
     FailureClass::kVerificationFailure,
     kVerification,
     {}},
    {ReasonCode::kCertificateForeignIssuer,
     "certificate_foreign_issuer",
     TrustResult::kChallengeHard,
     FailureClass::kVerificationFailure,
     kVerification,
     {}},
    {ReasonCode::kCertificateSignatureInvalid,
     "certificate_signature_invalid",
     TrustResult::kChallengeHard,
     FailureClass::kVerificationFailure,
     kVerification,
     {}},
    {ReasonCode::kCertificateExpired, "certificate_expired", TrustResult::kDenied,
     FailureClass::kReplay, kNotifyAndSiem, ReplayKind::kCertificateExpired},
    {ReasonCode::kCertificateNotYetValid,
     "certificate_not_yet_valid",
     TrustResult::kChallengeHard,
     FailureClass::kVerificationFailure,
     kVerification,
     {}},
    {ReasonCode::kCertificateRevoked, "certificate_revoked", TrustResult::kDenied,
     FailureClass::kReplay, kNotifyAndSiem, ReplayKind::kCertificateRevoked},
    {ReasonCode::kCertificateUnknown, "certificate_unknown", TrustResult::kDenied,
     FailureClass::kReplay, kNotifyAndSiem, ReplayKind::kCertificateUnknown},
    {ReasonCode::kNonceReused, "nonce_reused", TrustResult::kDenied, FailureClass::kReplay,
     kNotifyAndSiem, ReplayKind::kNonceReused},
    {ReasonCode::kNonceExpired,
     "nonce_expired",
     TrustResult::kDenied,
     FailureClass::kStaleChallenge,
     kNoActions,
     {}},
    {ReasonCode::kNonceUnknown,
     "nonce_unknown",
     TrustResult::kDenied,
     FailureClass::kStaleChallenge,
     kNoActions,
     {}},
    {ReasonCode::kNonceMismatch,
     "nonce_mismatch",
     TrustResult::kDenied,
     FailureClass::kStaleChallenge,
     kNoActions,
     {}},
    {ReasonCode::kPopSignatureInvalid,
     "pop_signature_invalid",
     TrustResult::kChallengeHard,
     FailureClass::kVerificationFailure,
     kVerification,
     {}},
    {ReasonCode::kFingerprintMismatch,
     "fingerprint_mismatch",
     TrustResult::kChallengeHard,
     FailureClass::kVerificationFailure,
     kVerification,
     {}},
    {ReasonCode::kFingerprintDrift,
     "fingerprint_drift",
     TrustResult::kChallengeSoft,
     FailureClass::kDrift,
     kReview,
     {}},
    {ReasonCode::kHeadlessBrowser,
     "headless_browser",
     TrustResult::kChallengeHard,
     FailureClass::kVerificationFailure,
     kVerification,
     {}},
    {ReasonCode::kDeviceNotTrusted,
     "device_not_trusted",
     TrustResult::kDenied,
     FailureClass::kDeviceState,
     kNoActions,
     {}},
    {ReasonCode::kDeviceRevoked,
     "device_revoked",
     TrustResult::kDenied,
     FailureClass::kDeviceState,
     kNotifyAndSiem,
     {}},
    {ReasonCode::kDeviceUnknown,
     "device_unknown",
     TrustResult::kDenied,
     FailureClass::kDeviceState,
     kNoActions,
     {}},
    {ReasonCode::kClassicalFallback,
     "classical_fallback",
     TrustResult::kTrusted,
     FailureClass::kFallbackAllowed,
     kTelemetry,
     {}},
    {ReasonCode::kFallbackNotAllowed,
     "fallback_not_allowed",
     TrustResult::kDenied,
     FailureClass::kFallbackNotAllowed,
     kNoActions,
     {}},
};

TEST(Decision, MapsEveryReasonCode) {
  for (const Expected& expected : kTable) {
    SCOPED_TRACE(expected.name);
    const Decision decision = DecideFor(expected.reason);
    EXPECT_EQ(decision.reason, expected.reason);
    EXPECT_EQ(TrustResultName(decision.result), TrustResultName(expected.result));
    EXPECT_EQ(FailureClassName(decision.failure_class), FailureClassName(expected.failure_class));
    EXPECT_EQ(decision.actions, expected.actions);
    EXPECT_EQ(decision.replay_kind, expected.replay_kind);
  }
}

TEST(Decision, CoversEveryReasonCode) {
  EXPECT_EQ(std::size(kTable), AllReasonCodes().size());
  std::set<ReasonCode> listed;
  for (const Expected& expected : kTable) {
    listed.insert(expected.reason);
  }
  for (const ReasonCode reason : AllReasonCodes()) {
    EXPECT_TRUE(listed.contains(reason)) << ReasonCodeName(reason);
  }
}

TEST(ReasonCode, NamesAreStableAndRoundTrip) {
  std::set<std::string_view> names;
  for (const Expected& expected : kTable) {
    EXPECT_EQ(ReasonCodeName(expected.reason), expected.name);
    EXPECT_EQ(ParseReasonCode(expected.name), expected.reason);
    names.insert(expected.name);
  }
  EXPECT_EQ(names.size(), std::size(kTable));
  EXPECT_FALSE(ParseReasonCode("OK").has_value());
  EXPECT_FALSE(ParseReasonCode("").has_value());
}

TEST(ReplayKind, NamesRoundTrip) {
  const std::pair<ReplayKind, std::string_view> kinds[] = {
      {ReplayKind::kNonceReused, "nonce_reused"},
      {ReplayKind::kCertificateExpired, "certificate_expired"},
      {ReplayKind::kCertificateRevoked, "certificate_revoked"},
      {ReplayKind::kCertificateUnknown, "certificate_unknown"},
  };
  for (const auto& [kind, name] : kinds) {
    EXPECT_EQ(ReplayKindName(kind), name);
    EXPECT_EQ(ParseReplayKind(name), kind);
  }
  EXPECT_FALSE(ParseReplayKind("nonce_expired").has_value());
}

TEST(TrustResult, NamesAndSeverityOrder) {
  EXPECT_EQ(TrustResultName(TrustResult::kTrusted), "trusted");
  EXPECT_EQ(TrustResultName(TrustResult::kChallengeSoft), "challenge_soft");
  EXPECT_EQ(TrustResultName(TrustResult::kChallengeHard), "challenge_hard");
  EXPECT_EQ(TrustResultName(TrustResult::kDenied), "denied");
  EXPECT_EQ(MoreSevere(TrustResult::kTrusted, TrustResult::kChallengeSoft),
            TrustResult::kChallengeSoft);
  EXPECT_EQ(MoreSevere(TrustResult::kChallengeHard, TrustResult::kChallengeSoft),
            TrustResult::kChallengeHard);
  EXPECT_EQ(MoreSevere(TrustResult::kDenied, TrustResult::kChallengeHard), TrustResult::kDenied);
  EXPECT_EQ(MoreSevere(TrustResult::kTrusted, TrustResult::kTrusted), TrustResult::kTrusted);
}

TEST(Decision, CombineKeepsSevereResultAndAllActions) {
  const Decision combined =
      Combine(DecideFor(ReasonCode::kClassicalFallback), DecideFor(ReasonCode::kFingerprintDrift));
  EXPECT_EQ(combined.result, TrustResult::kChallengeSoft);
  EXPECT_EQ(combined.reason, ReasonCode::kFingerprintDrift);
  EXPECT_EQ(combined.failure_class, FailureClass::kDrift);
  EXPECT_TRUE(combined.actions.flag_for_review);
  EXPECT_TRUE(combined.actions.emit_fallback_telemetry);
}

TEST(Decision, CombineKeepsFirstOnTie) {
  const Decision combined =
      Combine(DecideFor(ReasonCode::kNonceReused), DecideFor(ReasonCode::kFallbackNotAllowed));
  EXPECT_EQ(combined.reason, ReasonCode::kNonceReused);
  EXPECT_EQ(combined.replay_kind, ReplayKind::kNonceReused);
}

TEST(Decision, CombineWithOkKeepsFallback) {
  const Decision combined =
      Combine(DecideFor(ReasonCode::kOk), DecideFor(ReasonCode::kClassicalFallback));
  EXPECT_EQ(combined.result, TrustResult::kTrusted);
  EXPECT_EQ(combined.reason, ReasonCode::kOk);
  EXPECT_TRUE(combined.actions.emit_fallback_telemetry);
}

DriftAssessment AssessmentWith(DriftVerdict verdict, CategoricalChange categorical) {
  DriftAssessment assessment;
  assessment.verdict = verdict;
  assessment.baseline.verdict = verdict;
  assessment.baseline.categorical = categorical;
  return assessment;
}

TEST(Decision, DriftVerdictsMapToReasons) {
  EXPECT_EQ(DriftReasonCode(AssessmentWith(DriftVerdict::kMatch, CategoricalChange::kNone)),
            ReasonCode::kOk);
  EXPECT_EQ(DriftReasonCode(AssessmentWith(DriftVerdict::kSoftChallenge, CategoricalChange::kNone)),
            ReasonCode::kFingerprintDrift);
  EXPECT_EQ(DriftReasonCode(AssessmentWith(DriftVerdict::kHardChallenge, CategoricalChange::kNone)),
            ReasonCode::kFingerprintMismatch);
  EXPECT_EQ(
      DriftReasonCode(AssessmentWith(DriftVerdict::kHardChallenge, CategoricalChange::kOsFamily)),
      ReasonCode::kFingerprintMismatch);
  EXPECT_EQ(DriftReasonCode(
                AssessmentWith(DriftVerdict::kHardChallenge, CategoricalChange::kHeadlessMarker)),
            ReasonCode::kHeadlessBrowser);
}

TEST(Decision, SoftDriftGoesToReviewQueue) {
  const Decision decision =
      DecideForDrift(AssessmentWith(DriftVerdict::kSoftChallenge, CategoricalChange::kNone));
  EXPECT_EQ(decision.result, TrustResult::kChallengeSoft);
  EXPECT_TRUE(decision.actions.flag_for_review);
}

}  // namespace
}  // namespace devtrust::trust
