#include "telemetry/event_validation.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "telemetry/test_support.h"

namespace devtrust::telemetry {
namespace {

using testing::ValidDecisionEvent;
using testing::ValidFallback;

void ExpectEventRejected(const TrustEvent& event, std::string_view field) {
  const Status status = ValidateTrustEvent(event);
  ASSERT_FALSE(status.has_value()) << "expected a rejection for " << field;
  EXPECT_EQ(status.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.error().reason(), "invalid_trust_event");
  EXPECT_NE(status.error().message().find(field), std::string::npos) << status.error().message();
}

void ExpectFallbackRejected(const CryptoFallbackTelemetry& fallback, std::string_view field) {
  const Status status = ValidateFallbackTelemetry(fallback);
  ASSERT_FALSE(status.has_value()) << "expected a rejection for " << field;
  EXPECT_EQ(status.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.error().reason(), "invalid_fallback_telemetry");
  EXPECT_NE(status.error().message().find(field), std::string::npos) << status.error().message();
}

TEST(TraceId, AcceptsLowercaseHex) {
  EXPECT_TRUE(IsValidTraceId("4bf92f3577b34da6a3ce929d0e0e4736"));
}

TEST(TraceId, RejectsUppercaseHex) {
  EXPECT_FALSE(IsValidTraceId("4BF92F3577B34DA6A3CE929D0E0E4736"));
}

TEST(TraceId, RejectsWrongLength) {
  EXPECT_FALSE(IsValidTraceId("4bf92f3577b34da6a3ce929d0e0e473"));
  EXPECT_FALSE(IsValidTraceId("4bf92f3577b34da6a3ce929d0e0e47360"));
  EXPECT_FALSE(IsValidTraceId(""));
}

TEST(TraceId, RejectsAllZero) { EXPECT_FALSE(IsValidTraceId(std::string(32, '0'))); }

TEST(TraceId, RejectsNonHexCharacter) {
  EXPECT_FALSE(IsValidTraceId("4bf92f3577b34da6a3ce929d0e0e473g"));
  EXPECT_FALSE(IsValidTraceId("4bf92f3577b34da6-3ce929d0e0e4736"));
}

TEST(ReasonCode, AcceptsSnakeCase) {
  EXPECT_TRUE(IsValidReasonCode("ok"));
  EXPECT_TRUE(IsValidReasonCode("nonce_reused"));
  EXPECT_TRUE(IsValidReasonCode("x25519_fallback2"));
}

TEST(ReasonCode, RejectsOtherForms) {
  EXPECT_FALSE(IsValidReasonCode(""));
  EXPECT_FALSE(IsValidReasonCode("Nonce_reused"));
  EXPECT_FALSE(IsValidReasonCode("_nonce"));
  EXPECT_FALSE(IsValidReasonCode("9lives"));
  EXPECT_FALSE(IsValidReasonCode("nonce-reused"));
  EXPECT_FALSE(IsValidReasonCode("nonce reused"));
  EXPECT_FALSE(IsValidReasonCode(std::string(kMaxCodeLength + 1, 'a')));
  EXPECT_TRUE(IsValidReasonCode(std::string(kMaxCodeLength, 'a')));
}

TEST(ValidateTrustEvent, AcceptsValidEvent) {
  EXPECT_TRUE(ValidateTrustEvent(ValidDecisionEvent()).has_value());
}

TEST(ValidateTrustEvent, AcceptsEmptyIdsAndFingerprint) {
  TrustEvent event = ValidDecisionEvent();
  event.user_id.clear();
  event.device_id.clear();
  event.fingerprint.clear();
  EXPECT_TRUE(ValidateTrustEvent(event).has_value());
}

TEST(ValidateTrustEvent, AcceptsHostileBytesInIds) {
  TrustEvent event = ValidDecisionEvent();
  event.user_id = std::string("\"\n\0\xff", 4);
  EXPECT_TRUE(ValidateTrustEvent(event).has_value());
}

TEST(ValidateTrustEvent, RejectsBadTraceId) {
  TrustEvent event = ValidDecisionEvent();
  event.trace_id = std::string(32, '0');
  ExpectEventRejected(event, "trace_id");
}

TEST(ValidateTrustEvent, RejectsLongUserId) {
  TrustEvent event = ValidDecisionEvent();
  event.user_id = std::string(kMaxIdLength + 1, 'u');
  ExpectEventRejected(event, "user_id");
}

TEST(ValidateTrustEvent, AcceptsUserIdAtLimit) {
  TrustEvent event = ValidDecisionEvent();
  event.user_id = std::string(kMaxIdLength, 'u');
  EXPECT_TRUE(ValidateTrustEvent(event).has_value());
}

TEST(ValidateTrustEvent, RejectsLongDeviceId) {
  TrustEvent event = ValidDecisionEvent();
  event.device_id = std::string(kMaxIdLength + 1, 'd');
  ExpectEventRejected(event, "device_id");
}

TEST(ValidateTrustEvent, RejectsLongFingerprint) {
  TrustEvent event = ValidDecisionEvent();
  event.fingerprint = std::string(kMaxFingerprintLength + 1, 'f');
  ExpectEventRejected(event, "fingerprint");
}

TEST(ValidateTrustEvent, RejectsBadReason) {
  TrustEvent event = ValidDecisionEvent();
  event.reason = "Fingerprint Mismatch";
  ExpectEventRejected(event, "reason");
}

TEST(ValidateTrustEvent, RejectsEmptyReason) {
  TrustEvent event = ValidDecisionEvent();
  event.reason.clear();
  ExpectEventRejected(event, "reason");
}

TEST(ValidateTrustEvent, RejectsNegativeLatency) {
  TrustEvent event = ValidDecisionEvent();
  event.latency_us = -1;
  ExpectEventRejected(event, "latency_us");
}

TEST(ValidateTrustEvent, RejectsEmptyNode) {
  TrustEvent event = ValidDecisionEvent();
  event.node.clear();
  ExpectEventRejected(event, "node");
}

TEST(ValidateTrustEvent, RejectsLongNode) {
  TrustEvent event = ValidDecisionEvent();
  event.node = std::string(kMaxNodeLength + 1, 'n');
  ExpectEventRejected(event, "node");
}

TEST(ValidateTrustEvent, RejectsEmptyCommit) {
  TrustEvent event = ValidDecisionEvent();
  event.commit.clear();
  ExpectEventRejected(event, "commit");
}

TEST(ValidateTrustEvent, DefaultCommitIsBuildCommit) {
  const TrustEvent event;
  EXPECT_EQ(event.commit, BuildCommit());
  EXPECT_FALSE(event.commit.empty());
}

TEST(ValidateTrustEvent, RejectsNonFiniteDriftScore) {
  TrustEvent event = ValidDecisionEvent();
  event.drift_score = std::numeric_limits<double>::quiet_NaN();
  ExpectEventRejected(event, "drift_score");
  event.drift_score = std::numeric_limits<double>::infinity();
  ExpectEventRejected(event, "drift_score");
}

TEST(ValidateTrustEvent, RejectsFallbackWithoutAlgorithm) {
  TrustEvent event = ValidDecisionEvent();
  event.fallback = FallbackBlock{"", "ML-KEM-768+X25519", "mlkem_key_missing"};
  ExpectEventRejected(event, "fallback.algorithm");
}

TEST(ValidateTrustEvent, RejectsFallbackWithoutRequestedAlgorithm) {
  TrustEvent event = ValidDecisionEvent();
  event.fallback = FallbackBlock{"X25519", "", "mlkem_key_missing"};
  ExpectEventRejected(event, "fallback.requested_algorithm");
}

TEST(ValidateTrustEvent, RejectsFallbackWithBadReason) {
  TrustEvent event = ValidDecisionEvent();
  event.fallback = FallbackBlock{"X25519", "ML-KEM-768+X25519", "ML-KEM key missing"};
  ExpectEventRejected(event, "fallback.reason");
}

TEST(ValidateTrustEvent, MessageDoesNotEchoFieldContent) {
  TrustEvent event = ValidDecisionEvent();
  event.user_id = std::string(kMaxIdLength, 'u') + "SECRET-LOOKING-TEXT";
  const Status status = ValidateTrustEvent(event);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().message().find("SECRET-LOOKING-TEXT"), std::string::npos);
}

TEST(ValidateFallbackTelemetry, AcceptsValidRecord) {
  EXPECT_TRUE(ValidateFallbackTelemetry(ValidFallback()).has_value());
}

TEST(ValidateFallbackTelemetry, RejectsBadTraceId) {
  CryptoFallbackTelemetry fallback = ValidFallback();
  fallback.trace_id = "not-a-trace-id";
  ExpectFallbackRejected(fallback, "trace_id");
}

TEST(ValidateFallbackTelemetry, RejectsEmptyAlgorithm) {
  CryptoFallbackTelemetry fallback = ValidFallback();
  fallback.algorithm.clear();
  ExpectFallbackRejected(fallback, "algorithm");
}

TEST(ValidateFallbackTelemetry, RejectsLongRequestedAlgorithm) {
  CryptoFallbackTelemetry fallback = ValidFallback();
  fallback.requested_algorithm = std::string(kMaxAlgorithmLength + 1, 'A');
  ExpectFallbackRejected(fallback, "requested_algorithm");
}

TEST(ValidateFallbackTelemetry, RejectsBadReason) {
  CryptoFallbackTelemetry fallback = ValidFallback();
  fallback.reason = "pqc cert invalid";
  ExpectFallbackRejected(fallback, "reason");
}

TEST(ValidateFallbackTelemetry, RejectsLongDeviceId) {
  CryptoFallbackTelemetry fallback = ValidFallback();
  fallback.device_id = std::string(kMaxIdLength + 1, 'd');
  ExpectFallbackRejected(fallback, "device_id");
}

TEST(ValidateFallbackTelemetry, RejectsEmptyNode) {
  CryptoFallbackTelemetry fallback = ValidFallback();
  fallback.node.clear();
  ExpectFallbackRejected(fallback, "node");
}

}  // namespace
}  // namespace devtrust::telemetry
