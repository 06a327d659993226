#include "service/flow_recorder.h"

#include <utility>

#include "service/fingerprint_digest.h"
#include "service/telemetry_mapping.h"
#include "telemetry/publisher.h"

namespace devtrust::service {
namespace {

std::int64_t Microseconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
}

}  // namespace

FlowRecorder::FlowRecorder(const ServiceContext& context, telemetry::Flow flow,
                           std::string trace_id)
    : context_(context),
      flow_(flow),
      trace_id_(std::move(trace_id)),
      started_(std::chrono::steady_clock::now()),
      started_wall_(context.clock()),
      outbox_(context.store, context.clock) {}

void FlowRecorder::SetFingerprint(const trust::Fingerprint& fingerprint) {
  fingerprint_digest_ = FingerprintDigest(context_.keys.log_digest_key(), fingerprint);
}

telemetry::TrustEvent FlowRecorder::BaseEvent() const {
  telemetry::TrustEvent event;
  event.timestamp = context_.clock();
  event.trace_id = trace_id_;
  event.user_id = user_id_;
  event.device_id = device_id_;
  event.flow = flow_;
  event.fingerprint = fingerprint_digest_;
  event.node = context_.node;
  return event;
}

void FlowRecorder::AddStep(telemetry::FlowStep step, bool passed, std::string_view reason,
                           std::chrono::nanoseconds latency, std::chrono::nanoseconds offset) {
  telemetry::TrustEvent event = BaseEvent();
  event.timestamp =
      started_wall_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(offset);
  event.level = passed ? telemetry::Level::kInfo : telemetry::Level::kWarn;
  event.flow_step = step;
  event.trust_result = passed ? telemetry::TrustResult::kPassed : telemetry::TrustResult::kFailed;
  event.reason = std::string(reason);
  event.latency_us = Microseconds(latency);
  last_step_end_ = offset;
  records_.emplace_back(std::move(event));
}

void FlowRecorder::AddStep(telemetry::FlowStep step, bool passed, std::string_view reason) {
  const std::chrono::nanoseconds now = Elapsed();
  AddStep(step, passed, reason, now - last_step_end_, now);
}

void FlowRecorder::AddStep(const trust::StepRecord& step, std::chrono::nanoseconds offset) {
  AddStep(ToTelemetry(step.step), step.passed, step.reason, step.duration, offset);
  auto& event = std::get<telemetry::TrustEvent>(records_.back());
  event.drift_score = step.drift_score;
  if (step.fallback.has_value()) {
    event.fallback = telemetry::FallbackBlock{
        step.fallback->algorithm, step.fallback->requested_algorithm, step.fallback->reason};
  }
}

void FlowRecorder::AddFallback(const trust::FallbackUse& fallback) {
  telemetry::CryptoFallbackTelemetry record;
  record.timestamp = context_.clock();
  record.algorithm = fallback.algorithm;
  record.requested_algorithm = fallback.requested_algorithm;
  record.reason = fallback.reason;
  record.flow_origin = ToTelemetry(fallback.origin);
  record.user_id = user_id_;
  record.device_id = device_id_;
  record.trace_id = trace_id_;
  record.node = context_.node;
  records_.emplace_back(std::move(record));
}

telemetry::TrustEvent FlowRecorder::SetDecision(telemetry::TrustResult result,
                                                std::string_view reason,
                                                std::optional<telemetry::ReplayKind> replay_kind,
                                                std::optional<double> drift_score) {
  telemetry::TrustEvent event = BaseEvent();
  event.flow_step = telemetry::FlowStep::kDecision;
  event.trust_result = result;
  event.level =
      result == telemetry::TrustResult::kDenied ? telemetry::Level::kWarn : telemetry::Level::kInfo;
  event.reason = std::string(reason);
  event.latency_us = Microseconds(Elapsed());
  event.replay_kind = replay_kind;
  event.drift_score = drift_score;
  decision_ = event;
  return event;
}

void FlowRecorder::AddOutboxRow(std::string_view topic, std::string payload) {
  extra_rows_.emplace_back(std::string(topic), std::move(payload));
}

std::vector<store::OutboxEvent> FlowRecorder::StageForWrite() {
  outbox_.Clear();
  for (const Record& record : records_) {
    std::visit([this](const auto& value) { outbox_.Stage(value); }, record);
  }
  if (decision_.has_value()) outbox_.Stage(*decision_);
  for (const auto& [topic, payload] : extra_rows_) outbox_.StageRow(topic, payload);
  return outbox_.rows();
}

void FlowRecorder::PublishCommitted() {
  outbox_.MarkCommitted();
  extra_rows_.clear();
  Publish();
}

void FlowRecorder::PublishUncommitted() {
  outbox_.Clear();
  if (!extra_rows_.empty()) {
    store::ValidationWrite write;
    write.now = context_.clock();
    for (auto& [topic, payload] : extra_rows_) {
      store::OutboxEvent row;
      row.topic = topic;
      row.payload = std::move(payload);
      row.created_at = write.now;
      write.events.push_back(std::move(row));
    }
    extra_rows_.clear();
    if (Status written = context_.store.RecordValidation(write); !written) {
      context_.logger->Error({{"trace_id", trace_id_}, {"error", written.error().reason()}},
                             "could not write outbox rows: {}", written.error().message());
    }
  }
  Publish();
}

void FlowRecorder::Publish() {
  telemetry::Publisher publisher(context_.trust_log, context_.metrics, outbox_);
  const auto report = [this](const Status& published) {
    // A log that cannot be written cannot report itself; the logger counts
    // those failures. Other failures, such as an outbox write, are logged.
    if (!published && published.error().reason() != "log_write_failed") {
      context_.logger->Error({{"trace_id", trace_id_}, {"error", published.error().reason()}},
                             "could not publish a trust event: {}", published.error().message());
    }
  };
  for (const Record& record : records_) {
    if (const auto* event = std::get_if<telemetry::TrustEvent>(&record)) {
      report(publisher.Publish(*event));
    } else {
      report(publisher.PublishFallback(std::get<telemetry::CryptoFallbackTelemetry>(record)));
    }
  }
  if (decision_.has_value()) report(publisher.Publish(*decision_));
  records_.clear();
  decision_.reset();
}

}  // namespace devtrust::service
