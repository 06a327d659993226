// Checks that a TrustEvent or CryptoFallbackTelemetry record is fit to publish.
//
// Publisher runs these checks before any sink receives a record, so that a
// malformed trace id or an unbounded string never reaches the log, the
// metrics or the outbox. Ids supplied by clients (user_id, device_id) may hold
// any bytes, because the JSON log escapes them, but their length is bounded.
#ifndef DEVTRUST_TELEMETRY_EVENT_VALIDATION_H_
#define DEVTRUST_TELEMETRY_EVENT_VALIDATION_H_

#include <cstddef>
#include <string_view>

#include "base/error.h"
#include "telemetry/fallback_telemetry.h"
#include "telemetry/trust_event.h"

namespace devtrust::telemetry {

// Maximum byte lengths of the string fields.
inline constexpr std::size_t kMaxIdLength = 256;           // user_id, device_id
inline constexpr std::size_t kMaxFingerprintLength = 128;  // a keyed digest in text form
inline constexpr std::size_t kMaxCodeLength = 64;          // reason codes
inline constexpr std::size_t kMaxNodeLength = 64;
inline constexpr std::size_t kMaxCommitLength = 80;  // a SHA-256 commit id plus "-dirty"
inline constexpr std::size_t kMaxAlgorithmLength = 64;

// Returns true when `trace_id` is 32 lowercase hex digits and not all zero, the
// trace-id format of W3C Trace Context.
bool IsValidTraceId(std::string_view trace_id);

// Returns true when `code` is 1 to kMaxCodeLength characters of [a-z0-9_]
// starting with a letter, the form of every reason code.
bool IsValidReasonCode(std::string_view code);

// Checks every field of `event`:
//   - trace_id passes IsValidTraceId;
//   - user_id and device_id are at most kMaxIdLength bytes (may be empty);
//   - fingerprint is at most kMaxFingerprintLength bytes (may be empty);
//   - reason passes IsValidReasonCode;
//   - latency_us is not negative;
//   - node and commit are non-empty and within their maximum lengths;
//   - drift_score, if set, is finite;
//   - fallback, if set, names both algorithms and has a valid reason code.
// Errors: kInvalidArgument with reason "invalid_trust_event" and a message that
// names the first field that failed.
Status ValidateTrustEvent(const TrustEvent& event);

// Checks `fallback`. trace_id, user_id, device_id, node and commit follow the
// rules above. algorithm and requested_algorithm must be non-empty and at most
// kMaxAlgorithmLength bytes, and reason must pass IsValidReasonCode.
// Errors: kInvalidArgument with reason "invalid_fallback_telemetry".
Status ValidateFallbackTelemetry(const CryptoFallbackTelemetry& fallback);

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_EVENT_VALIDATION_H_
