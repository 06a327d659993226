// The JSON bodies of the devtrust API (docs/openapi.yaml) as the device side
// sends and reads them. Encoders build request bodies; decoders check every
// field they use and ignore members they do not know, so that a newer server
// may add fields.
#ifndef DEVTRUST_CLIENT_API_MESSAGES_H_
#define DEVTRUST_CLIENT_API_MESSAGES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "client/device_keys.h"
#include "client/proofs.h"
#include "crypto/secret_bytes.h"
#include "trust/fingerprint.h"

namespace devtrust::client {

// A single-use nonce from POST /v1/challenges.
struct Challenge {
  Bytes nonce;
  std::string purpose;  // "register" or "login"
  std::string user_id;
  std::string device_id;  // empty for registration
  std::string expires_at;
};

// A verification challenge, passed with the code the user receives.
struct ChallengeRef {
  std::string challenge_id;
  std::string kind;  // "registration", "soft" or "hard"
  std::string expires_at;
};

struct RegistrationRequest {
  std::string user_id;
  Bytes nonce;
  DevicePublicKeys public_keys;
  trust::Fingerprint fingerprint;
  ProofSignatures signatures;
};

// The response to POST /v1/devices.
struct Registration {
  std::string device_id;
  std::string user_id;
  std::string status;
  Bytes ml_dsa_certificate;  // DER
  Bytes ecdsa_certificate;   // DER
  ChallengeRef verification;
  std::string trace_id;
};

// A device as GET /v1/devices/{id}, verify and revoke return it.
struct DeviceRecord {
  std::string device_id;
  std::string user_id;
  std::string status;  // "pending", "trusted" or "revoked"
  bool flagged_for_review = false;
  std::optional<bool> has_ml_kem;
  std::string created_at;
  std::string verified_at;  // empty when absent
  std::string revoked_at;   // empty when absent
};

struct ValidationRequest {
  std::string user_id;
  std::string device_id;
  Bytes nonce;
  Bytes certificate;            // the ML-DSA-65 certificate, DER
  Bytes classical_certificate;  // the ECDSA twin, DER
  trust::Fingerprint fingerprint;
  ProofSignatures signatures;
};

struct DriftReport {
  double score = 0.0;
  std::vector<std::string> changed;
};

// The session block of a validation result.
struct SessionBlock {
  std::string mode;  // "hybrid" or "classical"
  std::string algorithm;
  Bytes ciphertext;  // empty in classical mode
  Bytes server_public_key;
  // The key the server derived for the relying party.
  crypto::SecretBytes key;
};

struct FallbackReport {
  std::string algorithm;
  std::string requested_algorithm;
  std::string reason;
  std::string flow_origin;  // "session_kem", "certificate" or "tls"
};

// The response to POST /v1/trust/validate.
struct ValidationResult {
  std::string decision;      // "trusted", "challenge" or "denied"
  std::string trust_result;  // "trusted", "challenge_soft", "challenge_hard", "denied"
  std::vector<std::string> reasons;
  std::string trace_id;
  std::optional<ChallengeRef> challenge;
  std::optional<DriftReport> drift;
  std::optional<SessionBlock> session;
  std::optional<FallbackReport> fallback;
};

// The devtrust root certificates from GET /v1/ca/certificates, PEM.
struct CaCertificates {
  std::string ml_dsa_65;
  std::string ecdsa_p256;
};

// Request bodies.
std::string EncodeChallengeRequest(std::string_view purpose, std::string_view user_id,
                                   std::string_view device_id);
std::string EncodeRegistrationRequest(const RegistrationRequest& request);
std::string EncodeValidationRequest(const ValidationRequest& request);
// In a wiping buffer, because it carries the one-time code.
crypto::SecretBytes EncodeVerifyRequest(std::string_view challenge_id,
                                        const crypto::SecretBytes& code);
std::string EncodeRevokeRequest(std::string_view reason);

// Response bodies. Errors: "response_invalid" (kInternal), naming the
// operation and the field, for a body that is not the documented shape.
Result<Challenge> DecodeChallenge(std::string_view body);
Result<Registration> DecodeRegistration(std::string_view body);
Result<DeviceRecord> DecodeDeviceRecord(std::string_view body, std::string_view operation);
// Parses in a wiping arena, because the body carries the session key.
Result<ValidationResult> DecodeValidationResult(std::string_view body);
Result<CaCertificates> DecodeCaCertificates(std::string_view body);

// The error for a response with a status outside 2xx. The reason is the
// server's error code when the body has the documented error shape, else
// "http_<status>". The message names `operation`, the status, the server's
// message (at most 300 characters, control characters removed), the trace id
// and what to check.
Error DecodeErrorResponse(std::string_view operation, unsigned status, std::string_view body,
                          std::string_view trace_id_header);

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_API_MESSAGES_H_
