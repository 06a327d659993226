// Publisher: the one entry point for trust events and crypto fallback records.
//
// Every record goes to every sink: the JSON trust log and the metrics always,
// and the outbox sink when the record is decision-level. The service layer
// publishes through this class only, so that no sink is left out.
#ifndef DEVTRUST_TELEMETRY_PUBLISHER_H_
#define DEVTRUST_TELEMETRY_PUBLISHER_H_

#include "base/error.h"
#include "telemetry/event_sink.h"
#include "telemetry/fallback_telemetry.h"
#include "telemetry/json_log.h"
#include "telemetry/metrics.h"
#include "telemetry/trust_event.h"

namespace devtrust::telemetry {

// Returns true when `event` goes to the outbox as well as to the log and the
// metrics. That is the case for
//   - a decision (flow_step == decision);
//   - an outcome of a registration, revocation or review, meaning any of their
//     events whose trust_result is trusted, challenge_soft, challenge_hard,
//     denied or pending rather than a step result (passed, failed);
//   - an event that carries a replay_kind or a fallback block.
// Every other step event goes to the log and the metrics only.
bool IsDecisionLevelEvent(const TrustEvent& event);

class Publisher {
 public:
  // `log`, `metrics` and `outbox` must outlive the publisher.
  Publisher(TrustLog& log, Metrics& metrics, EventSink& outbox);

  // Validates `event` (ValidateTrustEvent), then writes it to the log, records
  // it in the metrics and, when IsDecisionLevelEvent, hands it to the outbox.
  // A failing sink does not stop the others.
  // Errors: the validation error, in which case no sink saw the event;
  // otherwise the first error of the log or the outbox, in that order.
  // Thread-safe.
  Status Publish(const TrustEvent& event);

  // Validates `fallback` (ValidateFallbackTelemetry), then writes its
  // CRYPTO_FALLBACK_USED line, counts it in crypto_fallback_triggered_total and
  // hands it to the outbox. Errors as for Publish. Thread-safe.
  Status PublishFallback(const CryptoFallbackTelemetry& fallback);

 private:
  TrustLog& log_;
  Metrics& metrics_;
  EventSink& outbox_;
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_PUBLISHER_H_
