#include "telemetry/event_validation.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

namespace devtrust::telemetry {
namespace {

constexpr std::string_view kEventReason = "invalid_trust_event";
constexpr std::string_view kFallbackReason = "invalid_fallback_telemetry";

// Each helper returns an empty string when the field is valid, or a sentence
// naming the field and the rule it broke. The sentences give lengths but never
// field contents, because contents may be hostile or long.

std::string CheckTraceId(std::string_view trace_id) {
  if (!IsValidTraceId(trace_id)) {
    return fmt::format(
        "trace_id is not 32 lowercase hex digits with at least one non-zero digit (got {} bytes)",
        trace_id.size());
  }
  return {};
}

std::string CheckLength(std::string_view field, std::string_view value, std::size_t max_length) {
  if (value.size() > max_length) {
    return fmt::format("{} is {} bytes, over the maximum of {}", field, value.size(), max_length);
  }
  return {};
}

std::string CheckRequired(std::string_view field, std::string_view value, std::size_t max_length) {
  if (value.empty()) {
    return fmt::format("{} is empty", field);
  }
  return CheckLength(field, value, max_length);
}

std::string CheckReason(std::string_view field, std::string_view code) {
  if (!IsValidReasonCode(code)) {
    return fmt::format("{} must be 1 to {} characters of [a-z0-9_] starting with a letter", field,
                       kMaxCodeLength);
  }
  return {};
}

std::string CheckFallbackBlock(const FallbackBlock& block) {
  if (std::string problem =
          CheckRequired("fallback.algorithm", block.algorithm, kMaxAlgorithmLength);
      !problem.empty()) {
    return problem;
  }
  if (std::string problem = CheckRequired("fallback.requested_algorithm", block.requested_algorithm,
                                          kMaxAlgorithmLength);
      !problem.empty()) {
    return problem;
  }
  return CheckReason("fallback.reason", block.reason);
}

std::string CheckLatency(std::int64_t latency_us) {
  if (latency_us < 0) {
    return fmt::format("latency_us is {}, but a duration cannot be negative", latency_us);
  }
  return {};
}

std::string CheckDriftScore(const std::optional<double>& drift_score) {
  // JSON has no NaN or infinity (RFC 8259, section 6).
  if (drift_score.has_value() && !std::isfinite(*drift_score)) {
    return "drift_score is not a finite number";
  }
  return {};
}

// Returns the first non-empty problem. Every check runs, which costs a few
// comparisons, so that each record type lists its checks in one place.
std::string FirstProblem(std::initializer_list<std::string> problems) {
  for (const std::string& problem : problems) {
    if (!problem.empty()) {
      return problem;
    }
  }
  return {};
}

std::string FindEventProblem(const TrustEvent& event) {
  return FirstProblem({
      CheckTraceId(event.trace_id),
      CheckLength("user_id", event.user_id, kMaxIdLength),
      CheckLength("device_id", event.device_id, kMaxIdLength),
      CheckLength("fingerprint", event.fingerprint, kMaxFingerprintLength),
      CheckReason("reason", event.reason),
      CheckLatency(event.latency_us),
      CheckRequired("node", event.node, kMaxNodeLength),
      CheckRequired("commit", event.commit, kMaxCommitLength),
      CheckDriftScore(event.drift_score),
      event.fallback.has_value() ? CheckFallbackBlock(*event.fallback) : std::string(),
  });
}

std::string FindFallbackProblem(const CryptoFallbackTelemetry& fallback) {
  return FirstProblem({
      CheckTraceId(fallback.trace_id),
      CheckLength("user_id", fallback.user_id, kMaxIdLength),
      CheckLength("device_id", fallback.device_id, kMaxIdLength),
      CheckRequired("algorithm", fallback.algorithm, kMaxAlgorithmLength),
      CheckRequired("requested_algorithm", fallback.requested_algorithm, kMaxAlgorithmLength),
      CheckReason("reason", fallback.reason),
      CheckRequired("node", fallback.node, kMaxNodeLength),
      CheckRequired("commit", fallback.commit, kMaxCommitLength),
  });
}

}  // namespace

bool IsValidTraceId(std::string_view trace_id) {
  if (trace_id.size() != 32) {
    return false;
  }
  bool all_zero = true;
  for (const char c : trace_id) {
    const bool is_hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!is_hex) {
      return false;
    }
    all_zero = all_zero && c == '0';
  }
  return !all_zero;
}

bool IsValidReasonCode(std::string_view code) {
  if (code.empty() || code.size() > kMaxCodeLength) {
    return false;
  }
  if (code.front() < 'a' || code.front() > 'z') {
    return false;
  }
  for (const char c : code) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!allowed) {
      return false;
    }
  }
  return true;
}

Status ValidateTrustEvent(const TrustEvent& event) {
  const std::string problem = FindEventProblem(event);
  if (!problem.empty()) {
    return MakeError(StatusCode::kInvalidArgument, std::string(kEventReason),
                     fmt::format("invalid trust event: {}; fix the code that built it", problem));
  }
  return {};
}

Status ValidateFallbackTelemetry(const CryptoFallbackTelemetry& fallback) {
  const std::string problem = FindFallbackProblem(fallback);
  if (!problem.empty()) {
    return MakeError(
        StatusCode::kInvalidArgument, std::string(kFallbackReason),
        fmt::format("invalid crypto fallback telemetry: {}; fix the code that built it", problem));
  }
  return {};
}

}  // namespace devtrust::telemetry
