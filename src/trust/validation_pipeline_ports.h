// The ports through which the validation pipeline (validation_pipeline.h)
// reaches the world: the nonce ledger, the device directory, the certificate
// checker, the proof verifier and the session issuer.
//
// The pipeline itself only decides. The service layer implements these ports
// with the store, the CA and the crypto library, and the unit tests implement
// them in memory. Port errors (a failed store query, say) abort the
// validation with that error, because the pipeline cannot decide without the
// facts. A "no" from a port (an unknown certificate, a bad signature) is a
// fact and becomes a decision instead.
#ifndef DEVTRUST_TRUST_VALIDATION_PIPELINE_PORTS_H_
#define DEVTRUST_TRUST_VALIDATION_PIPELINE_PORTS_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "trust/fingerprint.h"
#include "trust/reason_code.h"

namespace devtrust::trust {

// --- Nonce ledger ---

// The state of a login nonce.
enum class NonceOutcome {
  kValid,     // unused, unexpired and bound to this user and device
  kReused,    // consumed before: a replay
  kExpired,   // unused but past its lifetime
  kUnknown,   // never issued, or pruned after it expired
  kMismatch,  // issued for another purpose, user or device
};

struct LoginNonceClaim {
  ByteView nonce;
  std::string_view user_id;
  std::string_view device_id;
};

class NonceLedger {
 public:
  virtual ~NonceLedger() = default;

  // Reads the state of the login nonce without consuming it. The caller
  // consumes a kValid nonce in the transaction that stores the decision,
  // conditionally, so that of any number of concurrent validations of one
  // nonce, from any node, exactly one stores a decision that relied on it
  // (ValidationOutcome::consume_nonce). Errors: storage failures only.
  virtual Result<NonceOutcome> CheckLoginNonce(const LoginNonceClaim& claim) = 0;
};

// --- Device directory ---

enum class DeviceState { kPending, kTrusted, kRevoked };

// An enrolled device as the pipeline needs it.
struct EnrolledDevice {
  std::string device_id;
  std::string user_id;
  DeviceState state = DeviceState::kPending;
  bool has_ml_kem_key = false;
  bool flagged_for_review = false;
  Fingerprint baseline;
  // Absent when it equals the baseline, as right after enrollment.
  std::optional<Fingerprint> last_accepted;
};

// The two certificates every device holds.
enum class CertificateSlot {
  kMlDsa,  // the ML-DSA-65 certificate under the ML-DSA-65 root
  kEcdsa,  // its ECDSA P-256 twin under the classical root
};

// A certificate the CA issued, as the directory recorded it.
struct IssuedCertificate {
  std::string device_id;
  CertificateSlot slot = CertificateSlot::kMlDsa;
  bool revoked = false;
  Bytes der;
};

class DeviceDirectory {
 public:
  virtual ~DeviceDirectory() = default;

  // The device with `device_id`, or nullopt when none exists. Errors: storage
  // failures, and kDataLoss when a stored record cannot be read.
  virtual Result<std::optional<EnrolledDevice>> FindDevice(std::string_view device_id) = 0;

  // The certificate with serial number `serial` (lowercase hexadecimal), or
  // nullopt when the CA never issued it. Errors as for FindDevice.
  virtual Result<std::optional<IssuedCertificate>> FindCertificate(std::string_view serial) = 0;
};

// --- Certificate checker ---

// The certificate checks, in the order the pipeline runs them.
enum class CertificateStage {
  kParse,       // DER structure (cert_parse)
  kChain,       // issued by the devtrust root of the slot: issuer, signature, profile (cert_chain)
  kValidity,    // inside notBefore..notAfter, with clock skew (cert_validity)
  kRevocation,  // not on the CA's revocation list (revocation_check)
};

struct CertificateInspection {
  // The stage that failed, or nullopt when every stage passed.
  std::optional<CertificateStage> failed_stage;
  // Why the stage failed: certificate_malformed, certificate_foreign_issuer,
  // certificate_signature_invalid, certificate_not_yet_valid,
  // certificate_expired or certificate_revoked. kOk when all passed.
  ReasonCode reason = ReasonCode::kOk;
  // The serial number in lowercase hexadecimal, once the DER parsed.
  std::string serial;
};

class CertificateChecker {
 public:
  virtual ~CertificateChecker() = default;

  // Runs every stage on a presented DER certificate for `slot`, stopping at
  // the first failure. A certificate of the other slot fails kChain with
  // certificate_foreign_issuer, since the slot's root did not issue it.
  virtual CertificateInspection Inspect(ByteView der, CertificateSlot slot) = 0;
};

// --- Proof verifier ---

enum class ProofAlgorithm {
  kMlDsa65,    // the device's ML-DSA-65 key with context devtrust/login/v1
  kEcdsaP256,  // the device's ECDSA P-256 key, on the classical fallback path
};

class ProofVerifier {
 public:
  virtual ~ProofVerifier() = default;

  // Verifies `signature` over `message` with the key `device` enrolled for
  // `algorithm`. Returns false for a signature that does not verify, of any
  // size. Errors: kDataLoss when the enrolled key cannot be parsed.
  virtual Result<bool> VerifyLoginProof(const EnrolledDevice& device, ProofAlgorithm algorithm,
                                        ByteView message, ByteView signature) = 0;
};

// --- Session issuer ---

enum class SessionKind {
  kHybrid,     // ML-KEM-768 + X25519
  kClassical,  // X25519 only
};

class SessionIssuer {
 public:
  virtual ~SessionIssuer() = default;

  // Establishes a session key of `kind` to the device's enrolled keys under
  // `transcript_label` and keeps it for the caller. Errors: any failure, such
  // as a failed ML-KEM encapsulation; the pipeline falls back from a failed
  // hybrid session where policy allows.
  virtual Status EstablishSession(const EnrolledDevice& device, SessionKind kind,
                                  std::string_view transcript_label) = 0;
};

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_VALIDATION_PIPELINE_PORTS_H_
