// FlowRecorder: collects the trust events of one request and publishes them
// through the one Publisher once the request's store write is done.
//
// Every event carries the request's trace id, the user and device ids, the
// flow, the keyed fingerprint digest and this node's name. Right before its
// store write, the service calls StageForWrite and adds the returned outbox
// rows to the write; after the write it calls PublishCommitted, or
// PublishUncommitted when no write carried the rows. staged_outbox.h explains
// why publishing waits for the commit.
#ifndef DEVTRUST_SERVICE_FLOW_RECORDER_H_
#define DEVTRUST_SERVICE_FLOW_RECORDER_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "service/service_context.h"
#include "service/staged_outbox.h"
#include "telemetry/fallback_telemetry.h"
#include "telemetry/trust_event.h"
#include "trust/fingerprint.h"
#include "trust/validation_pipeline.h"

namespace devtrust::service {

class FlowRecorder {
 public:
  FlowRecorder(const ServiceContext& context, telemetry::Flow flow, std::string trace_id);

  FlowRecorder(const FlowRecorder&) = delete;
  FlowRecorder& operator=(const FlowRecorder&) = delete;

  void SetUserId(std::string_view user_id) { user_id_ = user_id; }
  void SetDeviceId(std::string_view device_id) { device_id_ = device_id; }
  // Sets the keyed digest that every later event carries.
  void SetFingerprint(const trust::Fingerprint& fingerprint);

  // Adds a step event that ended `offset` after the flow started and took
  // `latency`.
  void AddStep(telemetry::FlowStep step, bool passed, std::string_view reason,
               std::chrono::nanoseconds latency, std::chrono::nanoseconds offset);
  // Adds a step that ends now and took the time since the previous step.
  void AddStep(telemetry::FlowStep step, bool passed, std::string_view reason);
  // Adds a validation step record of the pipeline.
  void AddStep(const trust::StepRecord& step, std::chrono::nanoseconds offset);
  // Adds a CryptoFallbackTelemetry record for `fallback`.
  void AddFallback(const trust::FallbackUse& fallback);

  // Adds the flow's decision event, or replaces the one added before, with
  // the time since construction as its latency. Returns a copy.
  telemetry::TrustEvent SetDecision(telemetry::TrustResult result, std::string_view reason,
                                    std::optional<telemetry::ReplayKind> replay_kind = std::nullopt,
                                    std::optional<double> drift_score = std::nullopt);

  // Removes the decision, as when the write that would have recorded it
  // failed for a reason that decides nothing about the device.
  void ClearDecision() { decision_.reset(); }

  // Adds an outbox row of another topic, such as the SIEM copy of a replay.
  void AddOutboxRow(std::string_view topic, std::string payload);
  // Removes the rows AddOutboxRow added, as when they describe a change
  // whose write failed.
  void ClearOutboxRows() { extra_rows_.clear(); }

  // The outbox rows of every record added so far, for the request's store
  // write. Calling it again restages from scratch.
  std::vector<store::OutboxEvent> StageForWrite();

  // Publishes every record in order after the write that carried the staged
  // rows committed.
  void PublishCommitted();
  // Publishes every record when no write carried the staged rows: the outbox
  // sink then writes the decision-level events and the extra rows itself.
  void PublishUncommitted();

  const std::string& trace_id() const { return trace_id_; }
  std::chrono::nanoseconds Elapsed() const { return std::chrono::steady_clock::now() - started_; }

 private:
  using Record = std::variant<telemetry::TrustEvent, telemetry::CryptoFallbackTelemetry>;

  telemetry::TrustEvent BaseEvent() const;
  void Publish();

  const ServiceContext& context_;
  const telemetry::Flow flow_;
  const std::string trace_id_;
  const std::chrono::steady_clock::time_point started_;
  const std::chrono::system_clock::time_point started_wall_;
  std::chrono::nanoseconds last_step_end_{0};
  std::string user_id_;
  std::string device_id_;
  std::string fingerprint_digest_;
  StagedOutbox outbox_;
  std::vector<Record> records_;
  std::optional<telemetry::TrustEvent> decision_;
  std::vector<std::pair<std::string, std::string>> extra_rows_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_FLOW_RECORDER_H_
