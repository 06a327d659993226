// Metrics: the Prometheus metrics of devtrust and the one mapping from trust
// events to them.
//
// Names are exact, without a prefix, for the five metrics of the operations
// document:
//   trusted_device_validation_success_total                      counter
//   crypto_fallback_triggered_total{algorithm,reason,flow_origin} counter
//   device_registration_pending_total                            counter
//   replay_attempts_detected_total{kind}                         counter
//   trust_drift_soft_flags_total                                 counter
// and with the devtrust_ prefix for the rest:
//   devtrust_trust_decisions_total{result,reason}                counter
//   devtrust_validation_duration_seconds                         histogram
//   devtrust_registration_duration_seconds                       histogram
//   devtrust_certificate_issuance_duration_seconds               histogram
//   devtrust_outbox_pending_events                               gauge
//   devtrust_notifications_pending                               gauge
//   devtrust_review_queue_open_items                             gauge
//   devtrust_build_info{version,commit,openssl}                  gauge, always 1
//   devtrust_http_requests_total{route,code}                     counter
//
// Every label value comes from an enumeration or an allowlist (LabelValues),
// so a client cannot add time series; values outside the list count as
// "other". Counter children are cached after first use, so recording an event
// neither builds a label map nor takes a lock. All methods are thread-safe.
#ifndef DEVTRUST_TELEMETRY_METRICS_H_
#define DEVTRUST_TELEMETRY_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "telemetry/fallback_telemetry.h"
#include "telemetry/internal/counter_grid.h"
#include "telemetry/trust_event.h"

namespace devtrust::telemetry {

// Bucket upper bounds, in seconds, of the validation and registration latency
// histograms. 0.1 is exact so that the p99 < 100 ms objective can be read off
// one bucket.
inline constexpr std::array<double, 11> kLatencyBucketsSeconds = {
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};

// Bucket upper bounds of the certificate issuance histogram, which add 0.3 for
// the operations document's < 300 ms target.
inline constexpr std::array<double, 12> kCertificateIssuanceBucketsSeconds = {
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1};

// Queue lengths read just before each serialization.
struct QueueDepths {
  std::int64_t outbox_pending_events = 0;
  std::int64_t notifications_pending = 0;
  std::int64_t review_queue_open_items = 0;
};

// The default allowlists. Decision reasons are the reason codes of the trust
// flows; fallback algorithms are the classical algorithms a flow falls back to.
std::vector<std::string> DefaultDecisionReasons();
std::vector<std::string> DefaultFallbackAlgorithms();
std::vector<std::string> DefaultFallbackReasons();
std::vector<std::string> DefaultHttpRoutes();

struct MetricsOptions {
  // Values allowed in the reason label of devtrust_trust_decisions_total.
  std::vector<std::string> decision_reasons = DefaultDecisionReasons();

  // Values allowed in the algorithm and reason labels of
  // crypto_fallback_triggered_total.
  std::vector<std::string> fallback_algorithms = DefaultFallbackAlgorithms();
  std::vector<std::string> fallback_reasons = DefaultFallbackReasons();

  // Route templates allowed in the route label of devtrust_http_requests_total,
  // such as "/v1/devices/{id}/verify".
  std::vector<std::string> http_routes = DefaultHttpRoutes();
};

class Metrics {
 public:
  // Registers every metric. Counters without labels, the replay kinds and the
  // build information start at their values (0 or 1), so they appear in the
  // first scrape.
  // Errors: kInvalidArgument, reason "invalid_label_values", when an
  // allowlist in `options` has an empty, overlong, duplicate or reserved value.
  static Result<std::unique_ptr<Metrics>> Create(MetricsOptions options = {});

  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Updates the metrics for one trust event. The mapping:
  //   - Counters change on decision events (flow_step == decision) only, so a
  //     flow counts once however many steps it logs. Each decision increments
  //     devtrust_trust_decisions_total{result,reason}.
  //   - A validation decision observes latency_us in
  //     devtrust_validation_duration_seconds. A trusted one increments
  //     trusted_device_validation_success_total. A challenge_soft one with a
  //     drift_score increments trust_drift_soft_flags_total.
  //   - A registration decision observes
  //     devtrust_registration_duration_seconds. A pending one increments
  //     device_registration_pending_total.
  //   - A decision with a replay_kind increments
  //     replay_attempts_detected_total{kind}.
  //   - A cert_issue step that passed observes latency_us in
  //     devtrust_certificate_issuance_duration_seconds; this is the only step
  //     event that changes a metric.
  // A fallback block on an event changes nothing; RecordFallback counts it.
  void RecordTrustEvent(const TrustEvent& event);

  // Increments crypto_fallback_triggered_total{algorithm,reason,flow_origin}.
  void RecordFallback(const CryptoFallbackTelemetry& fallback);

  // Creates the crypto_fallback_triggered_total series for these labels at 0,
  // so that it appears in the first scrape and increase() in an alert rule
  // counts the first fallback. Values outside the allowlists map to "other",
  // as in RecordFallback.
  void InitializeFallbackSeries(std::string_view algorithm, std::string_view reason,
                                FallbackOrigin flow_origin);

  // Increments devtrust_http_requests_total{route,code}. `route_template` is
  // the template the router matched, never the raw path. A template outside
  // the allowlist counts as route "other". A status code outside the list of
  // codes devtrust sends counts as code "other".
  void RecordHttpRequest(std::string_view route_template, int status_code);

  // Sets the function that Serialize calls for the queue-depth gauges. It must
  // not throw and should return quickly, because a scrape waits for it.
  void SetQueueDepthSource(std::function<QueueDepths()> source);

  // Refreshes the queue-depth gauges and returns every metric in the
  // Prometheus text exposition format (version 0.0.4), for GET /metrics.
  std::string Serialize();

 private:
  Metrics(LabelValues decision_reasons, LabelValues fallback_algorithms,
          LabelValues fallback_reasons, LabelValues http_routes);

  void RecordDecision(const TrustEvent& event);

  prometheus::Registry registry_;

  prometheus::Counter& validation_success_;
  prometheus::Counter& registration_pending_;
  prometheus::Counter& drift_soft_flags_;
  std::array<prometheus::Counter*, 4> replay_by_kind_{};
  internal::CounterGrid fallbacks_;
  internal::CounterGrid decisions_;
  internal::CounterGrid http_requests_;
  std::array<std::uint16_t, 600> http_code_index_{};

  prometheus::Histogram& validation_duration_;
  prometheus::Histogram& registration_duration_;
  prometheus::Histogram& certificate_issuance_duration_;

  prometheus::Gauge& outbox_pending_events_;
  prometheus::Gauge& notifications_pending_;
  prometheus::Gauge& review_queue_open_items_;

  std::mutex queue_depth_mutex_;
  std::function<QueueDepths()> queue_depth_source_;
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_METRICS_H_
