#include "telemetry/metrics.h"

#include <fmt/format.h>
#include <prometheus/text_serializer.h>

#include <cstdlib>
#include <iterator>
#include <string>
#include <utility>

#include "base/build_info.h"
#include "crypto/library_info.h"

namespace devtrust::telemetry {
namespace {

// Status codes that get their own label value: the success, client error and
// server error codes that a JSON API such as devtrust's sends, defined in
// RFC 9110, section 15, and RFC 6585 for 429 and 431. Every other code counts
// as "other".
constexpr int kHttpStatusCodes[] = {200, 201, 202, 204, 304, 400, 401, 403, 404,
                                    405, 406, 408, 409, 410, 411, 413, 414, 415,
                                    422, 429, 431, 500, 501, 502, 503, 504};

// Builds the label set of an enumeration from its names. The names are
// constants of this component, so a failure is a bug.
template <typename Enum, std::size_t N>
LabelValues EnumLabelValues(std::string_view label_name, const Enum (&enumerators)[N],
                            std::string_view (*name)(Enum)) {
  std::vector<std::string> values;
  for (const Enum value : enumerators) {
    values.emplace_back(name(value));
  }
  Result<LabelValues> labels = LabelValues::Create(label_name, std::move(values));
  if (!labels.has_value()) {
    std::abort();
  }
  return *std::move(labels);
}

// These lists follow the order of their enumerations, so that an enumerator
// cast to std::size_t is its label index.
constexpr TrustResult kTrustResults[] = {TrustResult::kTrusted,       TrustResult::kChallengeSoft,
                                         TrustResult::kChallengeHard, TrustResult::kDenied,
                                         TrustResult::kPending,       TrustResult::kPassed,
                                         TrustResult::kFailed};
constexpr FallbackOrigin kFallbackOrigins[] = {FallbackOrigin::kSessionKem,
                                               FallbackOrigin::kCertificate, FallbackOrigin::kTls};
constexpr ReplayKind kReplayKinds[] = {ReplayKind::kNonceReused, ReplayKind::kCertificateExpired,
                                       ReplayKind::kCertificateRevoked,
                                       ReplayKind::kCertificateUnknown};

LabelValues HttpCodeLabelValues() {
  std::vector<std::string> values;
  for (const int code : kHttpStatusCodes) {
    values.push_back(std::to_string(code));
  }
  Result<LabelValues> labels = LabelValues::Create("code", std::move(values));
  if (!labels.has_value()) {
    std::abort();
  }
  return *std::move(labels);
}

prometheus::Family<prometheus::Counter>& RegisterCounter(prometheus::Registry& registry,
                                                         const std::string& name,
                                                         const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

prometheus::Counter& RegisterUnlabeledCounter(prometheus::Registry& registry,
                                              const std::string& name, const std::string& help) {
  return RegisterCounter(registry, name, help).Add({});
}

template <std::size_t N>
prometheus::Histogram& RegisterHistogram(prometheus::Registry& registry, const std::string& name,
                                         const std::string& help,
                                         const std::array<double, N>& buckets) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(registry).Add(
      {}, prometheus::Histogram::BucketBoundaries(buckets.begin(), buckets.end()));
}

prometheus::Gauge& RegisterGauge(prometheus::Registry& registry, const std::string& name,
                                 const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
}

double MicrosecondsToSeconds(std::int64_t microseconds) {
  return static_cast<double>(microseconds) / 1e6;
}

}  // namespace

std::vector<std::string> DefaultDecisionReasons() {
  // A fallback for tools and tests. The service passes the reason codes of
  // src/trust/reason_code.h and of its own flows through MetricsOptions.
  return {"ok",
          "token_missing",
          "token_invalid",
          "certificate_malformed",
          "certificate_chain_invalid",
          "certificate_expired",
          "certificate_not_yet_valid",
          "certificate_revoked",
          "certificate_unknown",
          "pqc_cert_invalid",
          "nonce_reused",
          "nonce_expired",
          "nonce_unknown",
          "signature_invalid",
          "fingerprint_mismatch",
          "drift_soft",
          "drift_hard",
          "device_not_found",
          "device_pending",
          "device_revoked",
          "policy_denied",
          "verification_code_invalid",
          "verification_code_expired",
          "review_approved",
          "review_rejected",
          "revoked_by_user",
          "revoked_by_operator",
          "internal_error"};
}

std::vector<std::string> DefaultFallbackAlgorithms() { return {"X25519", "ECDSA-P256"}; }

std::vector<std::string> DefaultFallbackReasons() {
  return {"mlkem_key_missing", "mlkem_encapsulation_failed", "pqc_cert_invalid",
          "tls_no_hybrid_group"};
}

std::vector<std::string> DefaultHttpRoutes() {
  return {"/v1/challenges",     "/v1/devices", "/v1/devices/{id}", "/v1/devices/{id}/verify",
          "/v1/trust/validate", "/metrics",    "/healthz",         "/readyz"};
}

Result<std::unique_ptr<Metrics>> Metrics::Create(MetricsOptions options) {
  Result<LabelValues> decision_reasons =
      LabelValues::Create("reason", std::move(options.decision_reasons));
  if (!decision_reasons.has_value()) {
    return std::unexpected(decision_reasons.error());
  }
  Result<LabelValues> fallback_algorithms =
      LabelValues::Create("algorithm", std::move(options.fallback_algorithms));
  if (!fallback_algorithms.has_value()) {
    return std::unexpected(fallback_algorithms.error());
  }
  Result<LabelValues> fallback_reasons =
      LabelValues::Create("reason", std::move(options.fallback_reasons));
  if (!fallback_reasons.has_value()) {
    return std::unexpected(fallback_reasons.error());
  }
  Result<LabelValues> http_routes = LabelValues::Create("route", std::move(options.http_routes));
  if (!http_routes.has_value()) {
    return std::unexpected(http_routes.error());
  }

  return std::unique_ptr<Metrics>(
      new Metrics(*std::move(decision_reasons), *std::move(fallback_algorithms),
                  *std::move(fallback_reasons), *std::move(http_routes)));
}

Metrics::Metrics(LabelValues decision_reasons, LabelValues fallback_algorithms,
                 LabelValues fallback_reasons, LabelValues http_routes)
    : validation_success_(
          RegisterUnlabeledCounter(registry_, "trusted_device_validation_success_total",
                                   "Login validations that ended with the device trusted.")),
      registration_pending_(RegisterUnlabeledCounter(
          registry_, "device_registration_pending_total",
          "Devices registered into the pending state, where they wait for the user to verify "
          "them after login.")),
      drift_soft_flags_(RegisterUnlabeledCounter(
          registry_, "trust_drift_soft_flags_total",
          "Validations that ended in a soft challenge because the device fingerprint drifted "
          "past the soft threshold.")),
      fallbacks_(RegisterCounter(registry_, "crypto_fallback_triggered_total",
                                 "Flows that continued on a classical algorithm because the "
                                 "post-quantum one could not be used, by the algorithm used, the "
                                 "reason and the flow origin."),
                 {std::move(fallback_algorithms), std::move(fallback_reasons),
                  EnumLabelValues("flow_origin", kFallbackOrigins, FallbackOriginName)}),
      decisions_(
          RegisterCounter(registry_, "devtrust_trust_decisions_total",
                          "Trust decisions of every flow by result and reason code. Reason "
                          "codes outside the known list are counted as other."),
          {EnumLabelValues("result", kTrustResults, TrustResultName), std::move(decision_reasons)}),
      http_requests_(RegisterCounter(registry_, "devtrust_http_requests_total",
                                     "HTTP requests served, by route template and status code."),
                     {std::move(http_routes), HttpCodeLabelValues()}),
      validation_duration_(RegisterHistogram(
          registry_, "devtrust_validation_duration_seconds",
          "Time from the start of a login validation to its decision.", kLatencyBucketsSeconds)),
      registration_duration_(RegisterHistogram(
          registry_, "devtrust_registration_duration_seconds",
          "Time from the start of a device registration to its decision.", kLatencyBucketsSeconds)),
      certificate_issuance_duration_(RegisterHistogram(
          registry_, "devtrust_certificate_issuance_duration_seconds",
          "Time to issue the certificates of one device.", kCertificateIssuanceBucketsSeconds)),
      outbox_pending_events_(
          RegisterGauge(registry_, "devtrust_outbox_pending_events",
                        "Events in the outbox that are not yet delivered to every destination.")),
      notifications_pending_(RegisterGauge(registry_, "devtrust_notifications_pending",
                                           "User notifications queued and not yet sent.")),
      review_queue_open_items_(RegisterGauge(registry_, "devtrust_review_queue_open_items",
                                             "Flagged devices that wait in the review queue.")) {
  // Create every replay kind now, so that increase() in an alert rule counts
  // the first replay as a change from 0 rather than missing it in a new series.
  prometheus::Family<prometheus::Counter>& replays = RegisterCounter(
      registry_, "replay_attempts_detected_total",
      "Requests rejected as replays, by what was replayed: a reused nonce or an expired, "
      "revoked or unknown certificate.");
  for (const ReplayKind kind : kReplayKinds) {
    replay_by_kind_[static_cast<std::size_t>(kind)] =
        &replays.Add({{"kind", std::string(ReplayKindName(kind))}});
  }

  const crypto::OpenSslVersion openssl = crypto::RuntimeOpenSslVersion();
  prometheus::BuildGauge()
      .Name("devtrust_build_info")
      .Help(
          "Always 1. The labels give the devtrust version, the git commit it was built from "
          "and the OpenSSL version the process runs with.")
      .Register(registry_)
      .Add({{"version", std::string(BuildVersion())},
            {"commit", std::string(BuildCommit())},
            {"openssl", fmt::format("{}.{}.{}", openssl.major, openssl.minor, openssl.patch)}})
      .Set(1);

  // HttpCodeLabelValues lists kHttpStatusCodes in order, so code i of that
  // list has label index i.
  http_code_index_.fill(static_cast<std::uint16_t>(http_requests_.dimension(1).other_index()));
  for (std::size_t index = 0; index < std::size(kHttpStatusCodes); ++index) {
    http_code_index_[static_cast<std::size_t>(kHttpStatusCodes[index])] =
        static_cast<std::uint16_t>(index);
  }
}

void Metrics::RecordTrustEvent(const TrustEvent& event) {
  if (event.flow_step == FlowStep::kCertIssue && event.trust_result == TrustResult::kPassed) {
    certificate_issuance_duration_.Observe(MicrosecondsToSeconds(event.latency_us));
    return;
  }
  if (event.flow_step == FlowStep::kDecision) {
    RecordDecision(event);
  }
}

void Metrics::RecordDecision(const TrustEvent& event) {
  const LabelValues& reasons = decisions_.dimension(1);
  decisions_.At({static_cast<std::size_t>(event.trust_result), reasons.IndexOf(event.reason)})
      .Increment();

  if (event.flow == Flow::kValidation) {
    validation_duration_.Observe(MicrosecondsToSeconds(event.latency_us));
    if (event.trust_result == TrustResult::kTrusted) {
      validation_success_.Increment();
    }
    if (event.trust_result == TrustResult::kChallengeSoft && event.drift_score.has_value()) {
      drift_soft_flags_.Increment();
    }
  }

  if (event.flow == Flow::kRegistration) {
    registration_duration_.Observe(MicrosecondsToSeconds(event.latency_us));
    if (event.trust_result == TrustResult::kPending) {
      registration_pending_.Increment();
    }
  }

  if (event.replay_kind.has_value()) {
    replay_by_kind_[static_cast<std::size_t>(*event.replay_kind)]->Increment();
  }
}

void Metrics::RecordFallback(const CryptoFallbackTelemetry& fallback) {
  fallbacks_
      .At({fallbacks_.dimension(0).IndexOf(fallback.algorithm),
           fallbacks_.dimension(1).IndexOf(fallback.reason),
           static_cast<std::size_t>(fallback.flow_origin)})
      .Increment();
}

void Metrics::InitializeFallbackSeries(std::string_view algorithm, std::string_view reason,
                                       FallbackOrigin flow_origin) {
  fallbacks_.At({fallbacks_.dimension(0).IndexOf(algorithm),
                 fallbacks_.dimension(1).IndexOf(reason), static_cast<std::size_t>(flow_origin)});
}

void Metrics::RecordHttpRequest(std::string_view route_template, int status_code) {
  const std::size_t code_index =
      status_code >= 0 && static_cast<std::size_t>(status_code) < http_code_index_.size()
          ? http_code_index_[static_cast<std::size_t>(status_code)]
          : http_requests_.dimension(1).other_index();
  http_requests_.At({http_requests_.dimension(0).IndexOf(route_template), code_index}).Increment();
}

void Metrics::SetQueueDepthSource(std::function<QueueDepths()> source) {
  const std::lock_guard<std::mutex> lock(queue_depth_mutex_);
  queue_depth_source_ = std::move(source);
}

std::string Metrics::Serialize() {
  std::function<QueueDepths()> source;
  {
    const std::lock_guard<std::mutex> lock(queue_depth_mutex_);
    source = queue_depth_source_;
  }
  if (source) {
    const QueueDepths depths = source();
    outbox_pending_events_.Set(static_cast<double>(depths.outbox_pending_events));
    notifications_pending_.Set(static_cast<double>(depths.notifications_pending));
    review_queue_open_items_.Set(static_cast<double>(depths.review_queue_open_items));
  }
  return prometheus::TextSerializer().Serialize(registry_.Collect());
}

}  // namespace devtrust::telemetry
