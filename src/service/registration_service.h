// RegistrationService: enrolls a device (POST /v1/devices).
#ifndef DEVTRUST_SERVICE_REGISTRATION_SERVICE_H_
#define DEVTRUST_SERVICE_REGISTRATION_SERVICE_H_

#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/error.h"
#include "service/registration_keys.h"
#include "service/request_facts.h"
#include "service/service_context.h"
#include "store/records.h"
#include "trust/fingerprint.h"

namespace devtrust::service {

struct RegistrationRequest {
  std::string user_id;
  Bytes nonce;
  SubmittedKeys public_keys;
  // Required.
  std::optional<trust::Fingerprint> fingerprint;
  // ML-DSA-65 with context devtrust/register/v1, and ECDSA P-256, both over
  // trust::EncodeRegistrationProof.
  Bytes ml_dsa_signature;
  Bytes ecdsa_signature;
};

struct RegistrationResult {
  store::DeviceRecord device;
  Bytes ml_dsa_certificate;  // DER
  Bytes ecdsa_certificate;   // DER
  // The registration challenge whose code went to the user.
  std::string challenge_id;
  store::TimePoint challenge_expires_at;
};

class RegistrationService {
 public:
  explicit RegistrationService(const ServiceContext& context) : context_(context) {}

  // Checks the request, verifies both proofs of possession, issues the
  // ML-DSA-65 certificate and its ECDSA twin, and writes the pending device,
  // both certificates, a registration challenge, the notification carrying
  // its code and the outbox events in one transaction that also consumes the
  // nonce. Errors (kInvalidArgument unless noted):
  //   "invalid_user_id"; "invalid_nonce" (not 32 bytes);
  //   "fingerprint_invalid" (missing);
  //   "invalid_key" naming the key;
  //   "headless_browser": the fingerprint marks an automated browser;
  //   "pop_signature_invalid" naming the signature that does not verify;
  //   "nonce_reused", "nonce_expired", "nonce_unknown", "nonce_mismatch"
  //       (kFailedPrecondition): the nonce cannot be consumed;
  //   "fallback_not_allowed" (kPermissionDenied);
  //   the errors of the CA, the store and the CSPRNG.
  Result<RegistrationResult> Register(const RegistrationRequest& request,
                                      const RequestFacts& facts) const;

 private:
  const ServiceContext& context_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_REGISTRATION_SERVICE_H_
