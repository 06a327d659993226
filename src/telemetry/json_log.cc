#include "telemetry/json_log.h"

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "telemetry/json_text.h"

namespace devtrust::telemetry {
namespace {

// Appends `"key":` after a comma, or after the opening brace for the first key.
// Keys here are fixed identifiers that need no escaping.
void AppendKey(fmt::memory_buffer& out, std::string_view key) {
  out.push_back(out.size() == 0 ? '{' : ',');
  out.push_back('"');
  out.append(key.data(), key.data() + key.size());
  out.push_back('"');
  out.push_back(':');
}

void AppendStringField(fmt::memory_buffer& out, std::string_view key, std::string_view value) {
  AppendKey(out, key);
  AppendJsonString(out, value);
}

void AppendTimestampField(fmt::memory_buffer& out,
                          std::chrono::system_clock::time_point timestamp) {
  AppendKey(out, "timestamp");
  out.push_back('"');
  AppendRfc3339Millis(out, timestamp);
  out.push_back('"');
}

void AppendFallbackObject(fmt::memory_buffer& out, const FallbackBlock& block) {
  AppendKey(out, "fallback");
  fmt::memory_buffer object;
  AppendStringField(object, "algorithm", block.algorithm);
  AppendStringField(object, "requested_algorithm", block.requested_algorithm);
  AppendStringField(object, "reason", block.reason);
  object.push_back('}');
  out.append(object.data(), object.data() + object.size());
}

// fmt::memory_buffer keeps its first 500 bytes on the stack, which fits a
// typical line, so TrustLog::Write usually renders without a heap allocation.
void RenderTrustEvent(fmt::memory_buffer& out, const TrustEvent& event) {
  AppendTimestampField(out, event.timestamp);
  AppendStringField(out, "level", LevelName(event.level));
  AppendStringField(out, "trace_id", event.trace_id);
  AppendStringField(out, "user_id", event.user_id);
  AppendStringField(out, "device_id", event.device_id);
  AppendStringField(out, "flow", FlowName(event.flow));
  AppendStringField(out, "flow_step", FlowStepName(event.flow_step));
  AppendStringField(out, "fingerprint", event.fingerprint);
  AppendStringField(out, "trust_result", TrustResultName(event.trust_result));
  AppendStringField(out, "reason", event.reason);
  AppendKey(out, "latency_us");
  AppendJsonInteger(out, event.latency_us);
  AppendStringField(out, "node", event.node);
  AppendStringField(out, "commit", event.commit);

  if (event.replay_kind.has_value()) {
    AppendStringField(out, "replay_kind", ReplayKindName(*event.replay_kind));
  }
  if (event.drift_score.has_value()) {
    AppendKey(out, "drift_score");
    AppendJsonDouble(out, *event.drift_score);
  }
  if (event.fallback.has_value()) {
    AppendFallbackObject(out, *event.fallback);
  }
  out.push_back('}');
  out.push_back('\n');
}

void RenderFallback(fmt::memory_buffer& out, const CryptoFallbackTelemetry& fallback) {
  AppendTimestampField(out, fallback.timestamp);
  AppendStringField(out, "level", LevelName(Level::kWarn));
  AppendStringField(out, "trace", kCryptoFallbackTrace);
  AppendStringField(out, "trace_id", fallback.trace_id);
  AppendStringField(out, "user_id", fallback.user_id);
  AppendStringField(out, "device_id", fallback.device_id);
  AppendStringField(out, "flow_origin", FallbackOriginName(fallback.flow_origin));
  AppendStringField(out, "algorithm", fallback.algorithm);
  AppendStringField(out, "requested_algorithm", fallback.requested_algorithm);
  AppendStringField(out, "reason", fallback.reason);
  AppendStringField(out, "node", fallback.node);
  AppendStringField(out, "commit", fallback.commit);
  out.push_back('}');
  out.push_back('\n');
}

}  // namespace

std::string TrustEventToJsonLine(const TrustEvent& event) {
  fmt::memory_buffer out;
  RenderTrustEvent(out, event);
  return fmt::to_string(out);
}

std::string FallbackToJsonLine(const CryptoFallbackTelemetry& fallback) {
  fmt::memory_buffer out;
  RenderFallback(out, fallback);
  return fmt::to_string(out);
}

TrustLog::TrustLog(std::shared_ptr<LogOutput> output) : output_(std::move(output)) {}

Status TrustLog::Write(const TrustEvent& event) {
  fmt::memory_buffer out;
  RenderTrustEvent(out, event);
  return output_->WriteLine(std::string_view(out.data(), out.size()));
}

Status TrustLog::WriteFallback(const CryptoFallbackTelemetry& fallback) {
  fmt::memory_buffer out;
  RenderFallback(out, fallback);
  return output_->WriteLine(std::string_view(out.data(), out.size()));
}

}  // namespace devtrust::telemetry
