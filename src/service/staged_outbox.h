// StagedOutbox: the outbox sink of one request, which writes decision-level
// trust events in the same store transaction as the state change they
// report.
//
// A request first stages the events it is about to publish; the rows are
// added to its store write (RegisterDevice, RecordValidation, ...). After that
// write commits, the request marks the stage committed and publishes the
// events through a Publisher that uses this sink, so the log and the metrics
// see only decisions that were stored. When the Publisher hands over a staged
// event, the sink finds its row already written and does nothing more; an
// event that was not staged, such as one published after a failed write, is
// written in a transaction of its own. Either way each decision-level event
// reaches the outbox exactly once.
//
// One instance serves one request on one thread.
#ifndef DEVTRUST_SERVICE_STAGED_OUTBOX_H_
#define DEVTRUST_SERVICE_STAGED_OUTBOX_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "store/records.h"
#include "store/store.h"
#include "telemetry/event_sink.h"
#include "telemetry/fallback_telemetry.h"
#include "telemetry/trust_event.h"

namespace devtrust::service {

// Outbox topics.
inline constexpr std::string_view kTrustEventTopic = "trust_event";
inline constexpr std::string_view kSiemTopic = "siem";
inline constexpr std::string_view kAuditTopic = "audit";

// The outbox payload of an event or a fallback record: its JSON log line
// without the final newline.
std::string OutboxPayload(const telemetry::TrustEvent& event);
std::string OutboxPayload(const telemetry::CryptoFallbackTelemetry& fallback);

class StagedOutbox final : public telemetry::EventSink {
 public:
  StagedOutbox(store::Store& store, std::function<store::TimePoint()> clock);

  // Adds the row that publishing `event` will need, when the Publisher would
  // hand it to an outbox (telemetry::IsDecisionLevelEvent).
  void Stage(const telemetry::TrustEvent& event);
  // Adds the row of a fallback record, which always reaches the outbox.
  void Stage(const telemetry::CryptoFallbackTelemetry& fallback);
  // Adds a row of another topic, such as the SIEM copy of a replay decision.
  void StageRow(std::string_view topic, std::string payload);

  // The staged rows, for the request's store write.
  const std::vector<store::OutboxEvent>& rows() const { return rows_; }

  // Records that the write carrying rows() committed.
  void MarkCommitted() { committed_ = true; }

  // Forgets every staged row, as when the write that would carry them did
  // not happen.
  void Clear();

  // EventSink: acknowledges a committed staged event, otherwise writes it in
  // its own transaction. Errors: the store's.
  Status AcceptEvent(const telemetry::TrustEvent& event) override;
  Status AcceptFallback(const telemetry::CryptoFallbackTelemetry& fallback) override;

 private:
  Status Accept(std::string payload);
  store::OutboxEvent Row(std::string_view topic, std::string payload) const;

  store::Store& store_;
  std::function<store::TimePoint()> clock_;
  std::vector<store::OutboxEvent> rows_;
  // Payloads of staged trust_event rows not yet handed over by the Publisher.
  std::vector<std::string> awaiting_;
  bool committed_ = false;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_STAGED_OUTBOX_H_
