// CryptoFallbackTelemetry: the record emitted whenever a flow continues on a
// classical algorithm because its post-quantum one could not be used.
//
// The JSON log renders it as one line carrying "trace":"CRYPTO_FALLBACK_USED",
// and the metrics count it in
// crypto_fallback_triggered_total{algorithm,reason,flow_origin}.
// Publisher::PublishFallback does both. A FallbackBlock on a TrustEvent is
// logged but not counted, so a fallback that is published both ways counts
// once.
#ifndef DEVTRUST_TELEMETRY_FALLBACK_TELEMETRY_H_
#define DEVTRUST_TELEMETRY_FALLBACK_TELEMETRY_H_

#include <chrono>
#include <string>
#include <string_view>

#include "base/build_info.h"

namespace devtrust::telemetry {

// The value of the "trace" field on every fallback log line.
inline constexpr std::string_view kCryptoFallbackTrace = "CRYPTO_FALLBACK_USED";

// The part of a flow that fell back.
enum class FallbackOrigin {
  kSessionKem,   // session key encapsulation fell back from ML-KEM-768 to X25519
  kCertificate,  // the ML-DSA device certificate was unusable, ECDSA was used
  kTls,          // the TLS peer offered no hybrid key exchange group
};

// "session_kem", "certificate" or "tls".
std::string_view FallbackOriginName(FallbackOrigin origin);

// The fallback details attached to a TrustEvent step, such as a session_kem
// step that fell back. Logged only; counting happens through
// CryptoFallbackTelemetry.
struct FallbackBlock {
  std::string algorithm;            // used, such as "X25519" or "ECDSA-P256"
  std::string requested_algorithm;  // such as "ML-KEM-768+X25519" or "ML-DSA-65"
  std::string reason;               // stable snake_case code, such as "mlkem_key_missing"
};

struct CryptoFallbackTelemetry {
  std::chrono::system_clock::time_point timestamp = std::chrono::system_clock::now();

  // The algorithm used instead, such as "X25519" or "ECDSA-P256".
  std::string algorithm;

  // The algorithm the flow asked for, such as "ML-KEM-768+X25519" or "ML-DSA-65".
  std::string requested_algorithm;

  // A stable snake_case code: mlkem_key_missing, mlkem_encapsulation_failed,
  // pqc_cert_invalid, tls_no_hybrid_group, or another code of the caller's.
  // Codes outside the metric's allowlist are counted under reason="other".
  std::string reason;

  FallbackOrigin flow_origin = FallbackOrigin::kSessionKem;
  std::string user_id;
  std::string device_id;

  // 32 lowercase hex digits (the trace-id of W3C Trace Context).
  std::string trace_id;

  // The node that emitted the record, and the git commit it runs.
  std::string node;
  std::string commit = std::string(BuildCommit());
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_FALLBACK_TELEMETRY_H_
