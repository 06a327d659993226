// TrustLog: writes trust events and crypto fallback records as JSON lines.
//
// Every line is one JSON object (RFC 8259) ending in '\n', with its fields in a
// fixed order. A trust event line has, in this order:
//   timestamp, level, trace_id, user_id, device_id, flow, flow_step,
//   fingerprint, trust_result, reason, latency_us, node, commit
// and then, only when set, replay_kind, drift_score and a fallback object
// {algorithm, requested_algorithm, reason}. latency_us and drift_score are
// numbers, fallback is an object, and every other value is a string.
//
// A fallback line has, in this order:
//   timestamp, level ("warn"), trace ("CRYPTO_FALLBACK_USED"), trace_id,
//   user_id, device_id, flow_origin, algorithm, requested_algorithm, reason,
//   node, commit
//
// Strings are escaped by AppendJsonString, so hostile ids cannot split a line
// or break the JSON. The log writes what it is given; Publisher validates
// records before they get here.
#ifndef DEVTRUST_TELEMETRY_JSON_LOG_H_
#define DEVTRUST_TELEMETRY_JSON_LOG_H_

#include <memory>
#include <string>

#include "base/error.h"
#include "telemetry/fallback_telemetry.h"
#include "telemetry/log_output.h"
#include "telemetry/trust_event.h"

namespace devtrust::telemetry {

// The JSON line for `event`, including the final '\n'.
std::string TrustEventToJsonLine(const TrustEvent& event);

// The JSON line for `fallback`, including the final '\n'.
std::string FallbackToJsonLine(const CryptoFallbackTelemetry& fallback);

class TrustLog {
 public:
  explicit TrustLog(std::shared_ptr<LogOutput> output);

  // Writes the line for `event`. Trust events are never filtered by level,
  // because every step must be traceable.
  // Errors: those of LogOutput::WriteLine.
  Status Write(const TrustEvent& event);

  // Writes the line for `fallback`.
  // Errors: those of LogOutput::WriteLine.
  Status WriteFallback(const CryptoFallbackTelemetry& fallback);

 private:
  std::shared_ptr<LogOutput> output_;
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_JSON_LOG_H_
