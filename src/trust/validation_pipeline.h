// The login validation pipeline: decides whether the device presenting a
// proof is the device that enrolled.
//
// The steps run in the order below. Each one either passes or ends the run
// with a decision.
//   token_check       The device exists for this user and is not pending.
//                     The nonce, certificate and signature are present. A TLS
//                     connection without a hybrid group is a fallback here.
//   cert_parse        The ML-DSA-65 certificate parses.
//   cert_chain        The ML-DSA-65 root issued it, and the directory lists
//                     its serial with the same bytes for this device.
//   cert_validity     It is within its validity period.
//   revocation_check  Neither it nor the device is revoked.
//   replay_check      The login nonce is unused, unexpired and bound to this
//                     user and device. The caller consumes it when it stores
//                     the decision (ValidationOutcome::consume_nonce).
//   pop_signature     The ML-DSA-65 signature over the login encoding
//                     (trust/proof.h) verifies with the enrolled key.
//   fingerprint_match The fingerprint equals the baseline or the last
//                     accepted one.
//   drift_eval        The drift score against both (trust/drift.h).
//   session_kem       A session key: hybrid, or classical where policy allows.
// The caller then emits the decision. When the ML-DSA certificate fails to
// parse or chain and the request carries the ECDSA twin and its signature, the
// certificate steps and pop_signature run on the twin if FallbackPolicy allows
// it (flow origin "certificate").
//
// The pipeline performs no I/O of its own. It calls its ports and returns the
// outcome, which the caller logs, stores and sends; decision.h lists the
// follow-up actions of each reason.
#ifndef DEVTRUST_TRUST_VALIDATION_PIPELINE_H_
#define DEVTRUST_TRUST_VALIDATION_PIPELINE_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "trust/decision.h"
#include "trust/drift.h"
#include "trust/drift_policy.h"
#include "trust/fingerprint.h"
#include "trust/policy.h"
#include "trust/reason_code.h"
#include "trust/validation_pipeline_ports.h"

namespace devtrust::trust {

enum class ValidationStep {
  kTokenCheck,
  kCertParse,
  kCertChain,
  kCertValidity,
  kRevocationCheck,
  kReplayCheck,
  kPopSignature,
  kFingerprintMatch,
  kDriftEval,
  kSessionKem,
};

// The snake_case name, such as "cert_chain".
std::string_view ValidationStepName(ValidationStep step);

// The part of a login that fell back to a classical algorithm.
enum class FallbackOrigin {
  kSessionKem,   // "session_kem": X25519 instead of ML-KEM-768 + X25519
  kCertificate,  // "certificate": the ECDSA twin instead of the ML-DSA certificate
  kTls,          // "tls": the TLS connection negotiated no hybrid group
};

std::string_view FallbackOriginName(FallbackOrigin origin);

// One use of a classical path that the policy allowed.
struct FallbackUse {
  FallbackKind kind = FallbackKind::kClassicalSessionKey;
  FallbackOrigin origin = FallbackOrigin::kSessionKem;
  std::string algorithm;            // used: "X25519", "ECDSA-P256", "P-256"
  std::string requested_algorithm;  // "ML-KEM-768+X25519", "ML-DSA-65", "X25519MLKEM768"
  // mlkem_key_missing, mlkem_encapsulation_failed, pqc_cert_invalid or
  // tls_no_hybrid_group.
  std::string reason;

  bool operator==(const FallbackUse&) const = default;
};

// The fallback of a request that arrived over TLS with the classical group
// `tls_group` (its IANA name, such as "x25519" or "secp256r1").
FallbackUse TlsFallback(std::string_view tls_group);

// One step that ran.
struct StepRecord {
  ValidationStep step = ValidationStep::kTokenCheck;
  bool passed = false;
  // "ok" or the reason code of the failure. fingerprint_match passes with
  // "fingerprint_changed" when the fingerprint equals neither reference,
  // leaving the verdict to drift_eval.
  std::string reason;
  std::chrono::nanoseconds duration{0};
  std::optional<double> drift_score;
  // Set on the step that continued on a classical path.
  std::optional<FallbackUse> fallback;
};

// The verification challenge the caller sends the user.
struct ChallengeSpec {
  enum class Kind {
    kDrift,                // soft: a drift challenge
    kVerificationFailure,  // hard: a verification challenge
  };
  Kind kind = Kind::kVerificationFailure;
  // Canonical JSON of the presented fingerprint, which passing the challenge
  // accepts, or empty when passing changes no fingerprint: a hard challenge
  // for anything but a fingerprint mismatch, since a headless or unproven
  // fingerprint must never become a reference.
  std::string candidate_fingerprint;
};

struct ValidationInput {
  std::string_view user_id;
  std::string_view device_id;
  // Empty views are absent values; token_check requires the nonce, the
  // certificate and the signature.
  ByteView nonce;
  ByteView certificate;                      // ML-DSA-65 certificate, DER
  ByteView classical_certificate;            // ECDSA P-256 twin, DER; fallback only
  ByteView signature;                        // ML-DSA-65 over EncodeLoginProof
  ByteView classical_signature;              // ECDSA P-256 over the same; fallback only
  const Fingerprint* fingerprint = nullptr;  // must not be null
  // Whether the request's TLS connection negotiated a hybrid ML-KEM group,
  // and the group it negotiated.
  bool tls_hybrid_group = true;
  std::string_view tls_group;
};

struct ValidationOutcome {
  // The decision and the follow-up actions the caller carries out.
  Decision decision;
  // Every reason code, the decisive one first, then remarks such as
  // classical_fallback. Contains only ok when trusted without remarks.
  std::vector<ReasonCode> reasons;
  std::vector<StepRecord> steps;
  // The fallbacks used, in the order they happened. Each one is reported as
  // CryptoFallbackTelemetry.
  std::vector<FallbackUse> fallbacks;
  // The device, once token_check found it.
  std::optional<EnrolledDevice> device;
  // Set once drift_eval ran.
  std::optional<DriftAssessment> drift;
  // The challenge to send, for challenge_soft and for the verification
  // failures of a known device.
  std::optional<ChallengeSpec> challenge;
  // True when the device should enter the review queue now: a soft drift
  // challenge for a device not yet flagged.
  bool flag_for_review = false;
  // The session established for a trusted device. The session issuer keeps
  // its key material.
  std::optional<SessionKind> session;
  // Canonical JSON of the presented fingerprint when a trusted login makes it
  // the device's last accepted fingerprint, because it differs from the
  // current one.
  std::optional<std::string> accepted_fingerprint;
  // The serial number of the certificate the login used, once parsed.
  std::string certificate_serial;
  // True once replay_check passed. The caller must then consume the nonce in
  // the same transaction that stores the decision, and when another request
  // consumed it first, run the pipeline again with that nonce outcome, so
  // that the decision becomes nonce_reused and nothing of this one is kept.
  bool consume_nonce = false;
  // The time the pipeline ran.
  std::chrono::nanoseconds duration{0};
};

struct ValidationPorts {
  NonceLedger& nonces;
  DeviceDirectory& devices;
  CertificateChecker& certificates;
  ProofVerifier& proofs;
  SessionIssuer& sessions;
};

class ValidationPipeline {
 public:
  // `drift_policy` must pass DriftPolicy::Validate.
  ValidationPipeline(DriftPolicy drift_policy, FallbackPolicy fallback_policy);

  // Runs the steps for `input`. Thread-safe: the pipeline keeps no state
  // between runs. Errors: those of the ports, which end the run without a
  // decision, so the caller responds with a server error.
  Result<ValidationOutcome> Run(const ValidationInput& input, const ValidationPorts& ports) const;

  const DriftPolicy& drift_policy() const { return drift_policy_; }
  const FallbackPolicy& fallback_policy() const { return fallback_policy_; }

 private:
  DriftPolicy drift_policy_;
  FallbackPolicy fallback_policy_;
};

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_VALIDATION_PIPELINE_H_
