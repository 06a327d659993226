// VerificationService: checks the one-time code a user received
// (POST /v1/devices/{device_id}/verify).
#ifndef DEVTRUST_SERVICE_VERIFICATION_SERVICE_H_
#define DEVTRUST_SERVICE_VERIFICATION_SERVICE_H_

#include <string>

#include "base/error.h"
#include "crypto/secret_bytes.h"
#include "service/request_facts.h"
#include "service/service_context.h"
#include "store/records.h"

namespace devtrust::service {

struct VerifyRequest {
  std::string device_id;
  std::string challenge_id;
  crypto::SecretBytes code;
};

class VerificationService {
 public:
  explicit VerificationService(const ServiceContext& context) : context_(context) {}

  // Reserves one attempt atomically and compares the code's keyed hash in
  // constant time. On a match it passes the challenge. A registration
  // challenge makes the device trusted. A login challenge accepts the
  // fingerprint that login presented, and a hard one also re-enrolls it as
  // the baseline. The last wrong guess fails the challenge. Returns the
  // device after the change. Errors:
  //   "invalid_device_id", "invalid_challenge_id", "invalid_code" (400);
  //   "challenge_not_found" (404), also for a challenge of another device;
  //   "verification_code_invalid", "challenge_expired", "challenge_locked",
  //   "challenge_closed", "device_revoked" (kFailedPrecondition, 409);
  //   "fallback_not_allowed" (kPermissionDenied); the store's errors.
  Result<store::DeviceRecord> Verify(const VerifyRequest& request, const RequestFacts& facts) const;

 private:
  const ServiceContext& context_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_VERIFICATION_SERVICE_H_
