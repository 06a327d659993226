#include "trust/policy.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

namespace devtrust::trust {
namespace {

constexpr FallbackKind kAllKinds[] = {FallbackKind::kClassicalSessionKey,
                                      FallbackKind::kEcdsaCertificate,
                                      FallbackKind::kTlsWithoutHybridGroup};

void ExpectRejected(const std::string& yaml, std::string_view expected_in_message) {
  const Result<FallbackPolicy> policy = FallbackPolicy::FromYaml(YAML::Load(yaml));
  ASSERT_FALSE(policy.has_value()) << yaml;
  EXPECT_EQ(policy.error().reason(), "fallback_policy_invalid") << yaml;
  EXPECT_NE(policy.error().message().find(expected_in_message), std::string::npos)
      << policy.error().message();
}

TEST(FallbackPolicy, DefaultsAllowOnlySessionKeyAndTls) {
  const FallbackPolicy policy;
  EXPECT_TRUE(policy.Allows(FallbackKind::kClassicalSessionKey));
  EXPECT_FALSE(policy.Allows(FallbackKind::kEcdsaCertificate));
  EXPECT_TRUE(policy.Allows(FallbackKind::kTlsWithoutHybridGroup));
}

TEST(FallbackPolicy, AllowedFallbackContinuesWithTelemetry) {
  const Decision decision = FallbackPolicy{}.Decide(FallbackKind::kClassicalSessionKey);
  EXPECT_EQ(decision.result, TrustResult::kTrusted);
  EXPECT_EQ(decision.reason, ReasonCode::kClassicalFallback);
  EXPECT_EQ(decision.failure_class, FailureClass::kFallbackAllowed);
  EXPECT_TRUE(decision.actions.emit_fallback_telemetry);
}

TEST(FallbackPolicy, ForbiddenFallbackIsDenied) {
  const Decision decision = FallbackPolicy{}.Decide(FallbackKind::kEcdsaCertificate);
  EXPECT_EQ(decision.result, TrustResult::kDenied);
  EXPECT_EQ(decision.reason, ReasonCode::kFallbackNotAllowed);
  EXPECT_EQ(decision.failure_class, FailureClass::kFallbackNotAllowed);
  EXPECT_FALSE(decision.actions.emit_fallback_telemetry);
}

TEST(FallbackPolicy, EveryKindFollowsItsFlag) {
  for (const FallbackKind kind : kAllKinds) {
    FallbackPolicy allow_all{true, true, true};
    FallbackPolicy allow_none{false, false, false};
    EXPECT_EQ(allow_all.Decide(kind).result, TrustResult::kTrusted) << FallbackKindName(kind);
    EXPECT_EQ(allow_none.Decide(kind).result, TrustResult::kDenied) << FallbackKindName(kind);
  }
}

TEST(FallbackPolicy, KindNamesRoundTrip) {
  for (const FallbackKind kind : kAllKinds) {
    EXPECT_EQ(ParseFallbackKind(FallbackKindName(kind)), kind);
  }
  EXPECT_EQ(FallbackKindName(FallbackKind::kTlsWithoutHybridGroup), "tls_without_hybrid_group");
  EXPECT_FALSE(ParseFallbackKind("ecdsa").has_value());
}

TEST(FallbackPolicy, ReadsYaml) {
  const Result<FallbackPolicy> policy = FallbackPolicy::FromYaml(YAML::Load(R"(
classical_session_key: false
ecdsa_certificate: true
tls_without_hybrid_group: false
)"));
  ASSERT_TRUE(policy.has_value()) << policy.error().ToString();
  EXPECT_FALSE(policy->allow_classical_session_key);
  EXPECT_TRUE(policy->allow_ecdsa_certificate);
  EXPECT_FALSE(policy->allow_tls_without_hybrid_group);
}

TEST(FallbackPolicy, AbsentKeysKeepDefaults) {
  const Result<FallbackPolicy> policy =
      FallbackPolicy::FromYaml(YAML::Load("ecdsa_certificate: true"));
  ASSERT_TRUE(policy.has_value());
  EXPECT_TRUE(policy->allow_classical_session_key);
  EXPECT_TRUE(policy->allow_ecdsa_certificate);
  EXPECT_TRUE(policy->allow_tls_without_hybrid_group);
}

TEST(FallbackPolicy, RejectsBadYaml) {
  ExpectRejected("true", "must be a mapping");
  ExpectRejected("- classical_session_key", "must be a mapping");
  ExpectRejected("ecdsa: true", "ecdsa");
  ExpectRejected("ecdsa_certificate: sometimes", "ecdsa_certificate");
  ExpectRejected("ecdsa_certificate: [true]", "ecdsa_certificate");
}

}  // namespace
}  // namespace devtrust::trust
