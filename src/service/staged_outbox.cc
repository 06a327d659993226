#include "service/staged_outbox.h"

#include <algorithm>
#include <utility>

#include "telemetry/json_log.h"
#include "telemetry/publisher.h"

namespace devtrust::service {
namespace {

std::string WithoutNewline(std::string line) {
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

}  // namespace

std::string OutboxPayload(const telemetry::TrustEvent& event) {
  return WithoutNewline(telemetry::TrustEventToJsonLine(event));
}

std::string OutboxPayload(const telemetry::CryptoFallbackTelemetry& fallback) {
  return WithoutNewline(telemetry::FallbackToJsonLine(fallback));
}

StagedOutbox::StagedOutbox(store::Store& store, std::function<store::TimePoint()> clock)
    : store_(store), clock_(std::move(clock)) {}

store::OutboxEvent StagedOutbox::Row(std::string_view topic, std::string payload) const {
  store::OutboxEvent row;
  row.topic = std::string(topic);
  row.payload = std::move(payload);
  row.created_at = clock_();
  return row;
}

void StagedOutbox::Stage(const telemetry::TrustEvent& event) {
  if (!telemetry::IsDecisionLevelEvent(event)) return;
  std::string payload = OutboxPayload(event);
  awaiting_.push_back(payload);
  rows_.push_back(Row(kTrustEventTopic, std::move(payload)));
}

void StagedOutbox::Stage(const telemetry::CryptoFallbackTelemetry& fallback) {
  std::string payload = OutboxPayload(fallback);
  awaiting_.push_back(payload);
  rows_.push_back(Row(kTrustEventTopic, std::move(payload)));
}

void StagedOutbox::StageRow(std::string_view topic, std::string payload) {
  rows_.push_back(Row(topic, std::move(payload)));
}

void StagedOutbox::Clear() {
  rows_.clear();
  awaiting_.clear();
  committed_ = false;
}

Status StagedOutbox::AcceptEvent(const telemetry::TrustEvent& event) {
  return Accept(OutboxPayload(event));
}

Status StagedOutbox::AcceptFallback(const telemetry::CryptoFallbackTelemetry& fallback) {
  return Accept(OutboxPayload(fallback));
}

Status StagedOutbox::Accept(std::string payload) {
  if (committed_) {
    const auto staged = std::find(awaiting_.begin(), awaiting_.end(), payload);
    if (staged != awaiting_.end()) {
      awaiting_.erase(staged);
      return {};
    }
  }
  store::ValidationWrite write;
  write.now = clock_();
  write.events.push_back(Row(kTrustEventTopic, std::move(payload)));
  return store_.RecordValidation(write);
}

}  // namespace devtrust::service
