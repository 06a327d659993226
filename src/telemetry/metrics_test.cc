#include "telemetry/metrics.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/build_info.h"
#include "crypto/library_info.h"
#include "telemetry/test_support.h"

namespace devtrust::telemetry {
namespace {

using testing::SampleValue;
using testing::ValidDecisionEvent;
using testing::ValidFallback;

constexpr std::string_view kDecisionsTrustedOk =
    R"(devtrust_trust_decisions_total{reason="ok",result="trusted"})";

std::unique_ptr<Metrics> NewMetrics() {
  Result<std::unique_ptr<Metrics>> metrics = Metrics::Create();
  if (!metrics.has_value()) {
    ADD_FAILURE() << metrics.error().ToString();
    return nullptr;
  }
  return *std::move(metrics);
}

// The number of exposition lines that start with `prefix`.
int CountLines(const std::string& exposition, std::string_view prefix) {
  std::istringstream lines(exposition);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    if (line.starts_with(prefix)) {
      ++count;
    }
  }
  return count;
}

double Sample(Metrics& metrics, std::string_view series) {
  const std::optional<double> value = SampleValue(metrics.Serialize(), series);
  EXPECT_TRUE(value.has_value()) << "no sample " << series;
  return value.value_or(-1);
}

TrustEvent Decision(Flow flow, TrustResult result, std::string reason) {
  TrustEvent event = ValidDecisionEvent();
  event.flow = flow;
  event.trust_result = result;
  event.reason = std::move(reason);
  return event;
}

TrustEvent Step(Flow flow, FlowStep step, TrustResult result) {
  TrustEvent event = ValidDecisionEvent();
  event.flow = flow;
  event.flow_step = step;
  event.trust_result = result;
  event.reason = result == TrustResult::kPassed ? "ok" : "signature_invalid";
  return event;
}

TEST(Metrics, DocumentMetricsHaveExactNamesAndTypes) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  // A labeled family appears in the output once it has a child.
  metrics->RecordFallback(ValidFallback());
  metrics->RecordTrustEvent(Decision(Flow::kValidation, TrustResult::kTrusted, "ok"));
  metrics->RecordHttpRequest("/v1/trust/validate", 200);
  const std::string text = metrics->Serialize();
  for (const std::string_view name :
       {"trusted_device_validation_success_total", "crypto_fallback_triggered_total",
        "device_registration_pending_total", "replay_attempts_detected_total",
        "trust_drift_soft_flags_total", "devtrust_trust_decisions_total",
        "devtrust_http_requests_total"}) {
    EXPECT_EQ(CountLines(text, fmt::format("# TYPE {} counter", name)), 1) << name;
  }
  for (const std::string_view name :
       {"devtrust_validation_duration_seconds", "devtrust_registration_duration_seconds",
        "devtrust_certificate_issuance_duration_seconds"}) {
    EXPECT_EQ(CountLines(text, fmt::format("# TYPE {} histogram", name)), 1) << name;
  }
  for (const std::string_view name :
       {"devtrust_outbox_pending_events", "devtrust_notifications_pending",
        "devtrust_review_queue_open_items", "devtrust_build_info"}) {
    EXPECT_EQ(CountLines(text, fmt::format("# TYPE {} gauge", name)), 1) << name;
  }
}

TEST(Metrics, EveryMetricHasHelpSentence) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  const std::string text = metrics->Serialize();
  std::istringstream lines(text);
  std::string line;
  int help_lines = 0;
  while (std::getline(lines, line)) {
    if (!line.starts_with("# HELP ")) {
      continue;
    }
    ++help_lines;
    const std::size_t text_start = line.find(' ', 7);
    ASSERT_NE(text_start, std::string::npos) << line;
    const std::string help = line.substr(text_start + 1);
    EXPECT_GT(help.size(), 20u) << line;
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(help.front()))) << line;
    EXPECT_EQ(help.back(), '.') << line;
  }
  EXPECT_EQ(help_lines, CountLines(text, "# TYPE "));
}

TEST(Metrics, UnlabeledCountersStartAtZero) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, "trusted_device_validation_success_total"), 0.0);
  EXPECT_EQ(SampleValue(text, "device_registration_pending_total"), 0.0);
  EXPECT_EQ(SampleValue(text, "trust_drift_soft_flags_total"), 0.0);
}

TEST(Metrics, EveryReplayKindStartsAtZero) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  const std::string text = metrics->Serialize();
  for (const std::string_view kind :
       {"nonce_reused", "certificate_expired", "certificate_revoked", "certificate_unknown"}) {
    EXPECT_EQ(SampleValue(text, fmt::format("replay_attempts_detected_total{{kind=\"{}\"}}", kind)),
              0.0)
        << kind;
  }
}

TEST(Metrics, TrustedValidationDecision) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordTrustEvent(Decision(Flow::kValidation, TrustResult::kTrusted, "ok"));
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, "trusted_device_validation_success_total"), 1.0);
  EXPECT_EQ(SampleValue(text, kDecisionsTrustedOk), 1.0);
  EXPECT_EQ(SampleValue(text, "devtrust_validation_duration_seconds_count"), 1.0);
  EXPECT_EQ(SampleValue(text, "devtrust_registration_duration_seconds_count"), 0.0);
  EXPECT_EQ(SampleValue(text, "trust_drift_soft_flags_total"), 0.0);
}

TEST(Metrics, TrustedVerificationIsNotValidationSuccess) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordTrustEvent(Decision(Flow::kVerification, TrustResult::kTrusted, "ok"));
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, "trusted_device_validation_success_total"), 0.0);
  EXPECT_EQ(SampleValue(text, kDecisionsTrustedOk), 1.0);
  EXPECT_EQ(SampleValue(text, "devtrust_validation_duration_seconds_count"), 0.0);
}

TEST(Metrics, StepEventsChangeNoCounter) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordTrustEvent(Step(Flow::kValidation, FlowStep::kCertChain, TrustResult::kPassed));
  metrics->RecordTrustEvent(Step(Flow::kValidation, FlowStep::kPopSignature, TrustResult::kFailed));
  TrustEvent replay_step = Step(Flow::kValidation, FlowStep::kReplayCheck, TrustResult::kFailed);
  replay_step.replay_kind = ReplayKind::kNonceReused;
  metrics->RecordTrustEvent(replay_step);
  TrustEvent pending_step =
      Step(Flow::kRegistration, FlowStep::kStoreCommit, TrustResult::kPending);
  metrics->RecordTrustEvent(pending_step);

  const std::string text = metrics->Serialize();
  EXPECT_EQ(CountLines(text, "devtrust_trust_decisions_total{"), 0);
  EXPECT_EQ(SampleValue(text, R"(replay_attempts_detected_total{kind="nonce_reused"})"), 0.0);
  EXPECT_EQ(SampleValue(text, "device_registration_pending_total"), 0.0);
  EXPECT_EQ(SampleValue(text, "devtrust_validation_duration_seconds_count"), 0.0);
}

TEST(Metrics, ReplayDecisionCountsItsKind) {
  const std::pair<ReplayKind, std::string_view> kinds[] = {
      {ReplayKind::kNonceReused, "nonce_reused"},
      {ReplayKind::kCertificateExpired, "certificate_expired"},
      {ReplayKind::kCertificateRevoked, "certificate_revoked"},
      {ReplayKind::kCertificateUnknown, "certificate_unknown"}};
  for (const auto& [kind, name] : kinds) {
    std::unique_ptr<Metrics> metrics = NewMetrics();
    ASSERT_NE(metrics, nullptr);
    TrustEvent event = Decision(Flow::kValidation, TrustResult::kDenied, std::string(name));
    event.replay_kind = kind;
    metrics->RecordTrustEvent(event);

    const std::string text = metrics->Serialize();
    for (const auto& [other_kind, other_name] : kinds) {
      const std::string series =
          fmt::format("replay_attempts_detected_total{{kind=\"{}\"}}", other_name);
      EXPECT_EQ(SampleValue(text, series), other_kind == kind ? 1.0 : 0.0) << series;
    }
    EXPECT_EQ(SampleValue(text, "trusted_device_validation_success_total"), 0.0);
    EXPECT_EQ(SampleValue(text, fmt::format("devtrust_trust_decisions_total{{reason=\"{}\","
                                            "result=\"denied\"}}",
                                            name)),
              1.0);
  }
}

TEST(Metrics, SoftChallengeWithDriftScoreIsDriftFlag) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  TrustEvent event = Decision(Flow::kValidation, TrustResult::kChallengeSoft, "drift_soft");
  event.drift_score = 0.37;
  metrics->RecordTrustEvent(event);
  EXPECT_EQ(Sample(*metrics, "trust_drift_soft_flags_total"), 1.0);
}

TEST(Metrics, SoftChallengeWithoutScoreIgnored) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordTrustEvent(
      Decision(Flow::kValidation, TrustResult::kChallengeSoft, "token_missing"));
  EXPECT_EQ(Sample(*metrics, "trust_drift_soft_flags_total"), 0.0);
}

TEST(Metrics, HardChallengeIsNotSoftDriftFlag) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  TrustEvent event = Decision(Flow::kValidation, TrustResult::kChallengeHard, "drift_hard");
  event.drift_score = 0.91;
  metrics->RecordTrustEvent(event);
  EXPECT_EQ(Sample(*metrics, "trust_drift_soft_flags_total"), 0.0);
}

TEST(Metrics, PendingRegistrationDecision) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordTrustEvent(Decision(Flow::kRegistration, TrustResult::kPending, "ok"));
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, "device_registration_pending_total"), 1.0);
  EXPECT_EQ(SampleValue(text, "devtrust_registration_duration_seconds_count"), 1.0);
  EXPECT_EQ(SampleValue(text, "devtrust_validation_duration_seconds_count"), 0.0);
  EXPECT_EQ(SampleValue(text, R"(devtrust_trust_decisions_total{reason="ok",result="pending"})"),
            1.0);
}

TEST(Metrics, DeniedRegistrationIsNotPending) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordTrustEvent(
      Decision(Flow::kRegistration, TrustResult::kDenied, "signature_invalid"));
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, "device_registration_pending_total"), 0.0);
  EXPECT_EQ(SampleValue(text, "devtrust_registration_duration_seconds_count"), 1.0);
}

TEST(Metrics, PassedCertIssueStepObservesIssuanceTime) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  TrustEvent issued = Step(Flow::kRegistration, FlowStep::kCertIssue, TrustResult::kPassed);
  issued.latency_us = 280'000;
  metrics->RecordTrustEvent(issued);
  metrics->RecordTrustEvent(Step(Flow::kRegistration, FlowStep::kCertIssue, TrustResult::kFailed));

  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, "devtrust_certificate_issuance_duration_seconds_count"), 1.0);
  EXPECT_EQ(
      SampleValue(text, R"(devtrust_certificate_issuance_duration_seconds_bucket{le="0.25"})"),
      0.0);
  EXPECT_EQ(SampleValue(text, R"(devtrust_certificate_issuance_duration_seconds_bucket{le="0.3"})"),
            1.0);
  EXPECT_EQ(CountLines(text, "devtrust_trust_decisions_total{"), 0);
}

TEST(Metrics, LatencyHistogramsHaveExactTenthSecondBucket) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  const std::string text = metrics->Serialize();
  EXPECT_EQ(CountLines(text, R"(devtrust_validation_duration_seconds_bucket{le="0.1"})"), 1);
  EXPECT_EQ(CountLines(text, R"(devtrust_registration_duration_seconds_bucket{le="0.1"})"), 1);
  EXPECT_EQ(CountLines(text, R"(devtrust_certificate_issuance_duration_seconds_bucket{le="0.1"})"),
            1);
}

TEST(Metrics, LatencyHistogramListsEveryBucket) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  const std::string text = metrics->Serialize();
  for (const std::string_view bound : {"0.0005", "0.001", "0.002", "0.005", "0.01", "0.025", "0.05",
                                       "0.1", "0.25", "0.5", "1", "+Inf"}) {
    EXPECT_EQ(
        CountLines(text,
                   fmt::format("devtrust_validation_duration_seconds_bucket{{le=\"{}\"}}", bound)),
        1)
        << bound;
  }
}

TEST(Metrics, HundredMillisecondsInTenthSecondBucket) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  TrustEvent event = Decision(Flow::kValidation, TrustResult::kTrusted, "ok");
  event.latency_us = 100'000;
  metrics->RecordTrustEvent(event);
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, R"(devtrust_validation_duration_seconds_bucket{le="0.05"})"), 0.0);
  EXPECT_EQ(SampleValue(text, R"(devtrust_validation_duration_seconds_bucket{le="0.1"})"), 1.0);
  EXPECT_EQ(SampleValue(text, "devtrust_validation_duration_seconds_sum"), 0.1);
}

TEST(Metrics, FallbackCountsAlgorithmReasonAndOrigin) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordFallback(ValidFallback());
  CryptoFallbackTelemetry tls = ValidFallback();
  tls.flow_origin = FallbackOrigin::kTls;
  tls.reason = "tls_no_hybrid_group";
  metrics->RecordFallback(tls);
  metrics->RecordFallback(tls);

  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, R"(crypto_fallback_triggered_total{algorithm="X25519",)"
                              R"(flow_origin="session_kem",reason="mlkem_key_missing"})"),
            1.0);
  EXPECT_EQ(SampleValue(text, R"(crypto_fallback_triggered_total{algorithm="X25519",)"
                              R"(flow_origin="tls",reason="tls_no_hybrid_group"})"),
            2.0);
}

TEST(Metrics, InitializedFallbackSeriesStartsAtZero) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  const std::string series = R"(crypto_fallback_triggered_total{algorithm="ECDSA-P256",)"
                             R"(flow_origin="certificate",reason="pqc_cert_invalid"})";
  EXPECT_FALSE(SampleValue(metrics->Serialize(), series).has_value());

  metrics->InitializeFallbackSeries("ECDSA-P256", "pqc_cert_invalid", FallbackOrigin::kCertificate);

  EXPECT_EQ(SampleValue(metrics->Serialize(), series), 0.0);
}

TEST(Metrics, InitializedFallbackSeriesCountsLaterFallback) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->InitializeFallbackSeries("X25519", "mlkem_key_missing", FallbackOrigin::kSessionKem);

  metrics->RecordFallback(ValidFallback());

  EXPECT_EQ(
      SampleValue(metrics->Serialize(), R"(crypto_fallback_triggered_total{algorithm="X25519",)"
                                        R"(flow_origin="session_kem",reason="mlkem_key_missing"})"),
      1.0);
}

TEST(Metrics, UnknownDecisionReasonIsOther) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordTrustEvent(
      Decision(Flow::kValidation, TrustResult::kDenied, "attacker_chosen_reason"));
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, R"(devtrust_trust_decisions_total{reason="other",result="denied"})"),
            1.0);
  EXPECT_EQ(text.find("attacker_chosen_reason"), std::string::npos);
}

TEST(Metrics, UnknownFallbackLabelsAreOther) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  CryptoFallbackTelemetry fallback = ValidFallback();
  fallback.algorithm = "RSA-1024";
  fallback.reason = "made_up_reason";
  fallback.flow_origin = FallbackOrigin::kCertificate;
  metrics->RecordFallback(fallback);
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, R"(crypto_fallback_triggered_total{algorithm="other",)"
                              R"(flow_origin="certificate",reason="other"})"),
            1.0);
  EXPECT_EQ(text.find("RSA-1024"), std::string::npos);
}

TEST(Metrics, ManyDistinctReasonsAddOneSeries) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  for (int i = 0; i < 1000; ++i) {
    metrics->RecordTrustEvent(
        Decision(Flow::kValidation, TrustResult::kDenied, fmt::format("reason_{}", i)));
  }
  const std::string text = metrics->Serialize();
  EXPECT_EQ(CountLines(text, "devtrust_trust_decisions_total{"), 1);
  EXPECT_EQ(SampleValue(text, R"(devtrust_trust_decisions_total{reason="other",result="denied"})"),
            1000.0);
}

TEST(Metrics, HttpRequestsCountRouteTemplateAndCode) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordHttpRequest("/v1/devices/{id}/verify", 200);
  metrics->RecordHttpRequest("/v1/trust/validate", 429);
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, R"(devtrust_http_requests_total{code="200",)"
                              R"(route="/v1/devices/{id}/verify"})"),
            1.0);
  EXPECT_EQ(
      SampleValue(text, R"(devtrust_http_requests_total{code="429",route="/v1/trust/validate"})"),
      1.0);
}

TEST(Metrics, RawPathAndOddCodesAreOther) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  metrics->RecordHttpRequest("/v1/devices/d41d8cd98f00/verify", 200);
  metrics->RecordHttpRequest("/v1/trust/validate", 418);
  metrics->RecordHttpRequest("/v1/trust/validate", 999);
  metrics->RecordHttpRequest("/v1/trust/validate", -1);
  const std::string text = metrics->Serialize();
  EXPECT_EQ(SampleValue(text, R"(devtrust_http_requests_total{code="200",route="other"})"), 1.0);
  EXPECT_EQ(
      SampleValue(text, R"(devtrust_http_requests_total{code="other",route="/v1/trust/validate"})"),
      3.0);
  EXPECT_EQ(text.find("d41d8cd98f00"), std::string::npos);
}

TEST(Metrics, BuildInfoCarriesVersionCommitAndOpenSsl) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  const crypto::OpenSslVersion openssl = crypto::RuntimeOpenSslVersion();
  const std::string series =
      fmt::format(R"(devtrust_build_info{{commit="{}",openssl="{}.{}.{}",version="{}"}})",
                  BuildCommit(), openssl.major, openssl.minor, openssl.patch, BuildVersion());
  EXPECT_EQ(Sample(*metrics, series), 1.0);
}

TEST(Metrics, QueueDepthSourceRunsOnEverySerialize) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  int calls = 0;
  metrics->SetQueueDepthSource([&calls] {
    ++calls;
    return QueueDepths{.outbox_pending_events = 5 + calls,
                       .notifications_pending = 2,
                       .review_queue_open_items = 7};
  });
  const std::string first = metrics->Serialize();
  const std::string second = metrics->Serialize();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(SampleValue(first, "devtrust_outbox_pending_events"), 6.0);
  EXPECT_EQ(SampleValue(second, "devtrust_outbox_pending_events"), 7.0);
  EXPECT_EQ(SampleValue(second, "devtrust_notifications_pending"), 2.0);
  EXPECT_EQ(SampleValue(second, "devtrust_review_queue_open_items"), 7.0);
}

TEST(Metrics, QueueGaugesAreZeroWithoutSource) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  EXPECT_EQ(Sample(*metrics, "devtrust_outbox_pending_events"), 0.0);
}

TEST(Metrics, ConcurrentRecordingLosesNoIncrement) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  ASSERT_NE(metrics, nullptr);
  constexpr int kThreads = 8;
  constexpr int kEventsPerThread = 5000;
  const std::string reasons[] = {"ok", "nonce_reused", "fingerprint_mismatch", "unknown_code"};

  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&metrics, &reasons, thread] {
      for (int i = 0; i < kEventsPerThread; ++i) {
        metrics->RecordTrustEvent(
            Decision(Flow::kValidation, TrustResult::kDenied, reasons[(thread + i) % 4]));
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }

  const std::string text = metrics->Serialize();
  double total = 0;
  for (const std::string_view reason : {"ok", "nonce_reused", "fingerprint_mismatch", "other"}) {
    const std::optional<double> value = SampleValue(
        text,
        fmt::format("devtrust_trust_decisions_total{{reason=\"{}\",result=\"denied\"}}", reason));
    ASSERT_TRUE(value.has_value()) << reason;
    EXPECT_EQ(*value, kThreads * kEventsPerThread / 4) << reason;
    total += *value;
  }
  EXPECT_EQ(total, kThreads * kEventsPerThread);
  EXPECT_EQ(CountLines(text, "devtrust_trust_decisions_total{"), 4);
}

TEST(Metrics, CreateRejectsDuplicateAllowlistValue) {
  MetricsOptions options;
  options.http_routes = {"/v1/devices", "/v1/devices"};
  Result<std::unique_ptr<Metrics>> metrics = Metrics::Create(std::move(options));
  ASSERT_FALSE(metrics.has_value());
  EXPECT_EQ(metrics.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(metrics.error().reason(), "invalid_label_values");
}

TEST(Metrics, CreateRejectsReservedOtherValue) {
  MetricsOptions options;
  options.decision_reasons = {"ok", "other"};
  Result<std::unique_ptr<Metrics>> metrics = Metrics::Create(std::move(options));
  ASSERT_FALSE(metrics.has_value());
  EXPECT_EQ(metrics.error().reason(), "invalid_label_values");
}

TEST(Metrics, CreateRejectsQuoteInValue) {
  MetricsOptions options;
  options.fallback_algorithms = {"X25519\""};
  Result<std::unique_ptr<Metrics>> metrics = Metrics::Create(std::move(options));
  ASSERT_FALSE(metrics.has_value());
  EXPECT_EQ(metrics.error().reason(), "invalid_label_values");
}

TEST(Metrics, CustomAllowlistReplacesDefault) {
  MetricsOptions options;
  options.decision_reasons = {"custom_reason"};
  Result<std::unique_ptr<Metrics>> created = Metrics::Create(std::move(options));
  ASSERT_TRUE(created.has_value());
  Metrics& metrics = **created;
  metrics.RecordTrustEvent(Decision(Flow::kValidation, TrustResult::kDenied, "custom_reason"));
  metrics.RecordTrustEvent(Decision(Flow::kValidation, TrustResult::kTrusted, "ok"));
  const std::string text = metrics.Serialize();
  EXPECT_EQ(SampleValue(
                text, R"(devtrust_trust_decisions_total{reason="custom_reason",result="denied"})"),
            1.0);
  EXPECT_EQ(SampleValue(text, R"(devtrust_trust_decisions_total{reason="other",result="trusted"})"),
            1.0);
}

}  // namespace
}  // namespace devtrust::telemetry
