// ValidationService: decides at login whether the presenting device is the
// one enrolled (POST /v1/trust/validate).
//
// It runs the trust pipeline (trust/validation_pipeline.h) over the store,
// the CA and the crypto library, then carries out what the decision asks
// for: a verification or drift challenge with its code notification, a
// review item, a replay alert and a SIEM event, the accepted fingerprint of
// a trusted login, and the outbox copy of the decision. All of them are
// written in one store transaction before the answer leaves, together with
// the consumption of the login nonce once replay_check has found it valid,
// and the step and decision events are published once it has committed. Of
// several validations that present one nonce at once, only the first to
// commit keeps its decision; the others are decided again as replays.
#ifndef DEVTRUST_SERVICE_VALIDATION_SERVICE_H_
#define DEVTRUST_SERVICE_VALIDATION_SERVICE_H_

#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/session_key.h"
#include "service/device_key_cache.h"
#include "service/request_facts.h"
#include "service/service_context.h"
#include "store/records.h"
#include "trust/fingerprint.h"
#include "trust/validation_pipeline.h"

namespace devtrust::service {

struct ValidationRequest {
  std::string user_id;
  std::string device_id;
  // Empty when absent; the pipeline's token_check decides about them.
  Bytes nonce;
  Bytes certificate;
  Bytes classical_certificate;
  Bytes signature;
  Bytes classical_signature;
  // Required.
  std::optional<trust::Fingerprint> fingerprint;
};

// The challenge a login raised.
struct RaisedChallenge {
  std::string challenge_id;
  store::ChallengeReason reason = store::ChallengeReason::kVerificationFailure;
  store::TimePoint expires_at;
};

struct ValidationResponse {
  trust::ValidationOutcome outcome;
  std::optional<RaisedChallenge> challenge;
  // The session key material of a trusted login.
  std::optional<crypto::ServerSession> session;
};

class ValidationService {
 public:
  // `pipeline` and `key_cache` must outlive the service.
  ValidationService(const ServiceContext& context, const trust::ValidationPipeline& pipeline,
                    DeviceKeyCache& key_cache)
      : context_(context), pipeline_(pipeline), key_cache_(key_cache) {}

  // A denied or challenged device is a response, not an error. Errors:
  // "invalid_user_id", "invalid_device_id", "invalid_nonce" (present but not
  // 32 bytes), "fingerprint_invalid" (missing), all kInvalidArgument; the
  // errors of the store and the crypto library, which leave nothing decided.
  Result<ValidationResponse> Validate(const ValidationRequest& request,
                                      const RequestFacts& facts) const;

 private:
  const ServiceContext& context_;
  const trust::ValidationPipeline& pipeline_;
  DeviceKeyCache& key_cache_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_VALIDATION_SERVICE_H_
