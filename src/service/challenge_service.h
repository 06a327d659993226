// ChallengeService: issues the single-use nonces that registrations and
// logins consume (POST /v1/challenges).
#ifndef DEVTRUST_SERVICE_CHALLENGE_SERVICE_H_
#define DEVTRUST_SERVICE_CHALLENGE_SERVICE_H_

#include <string>

#include "base/bytes.h"
#include "base/error.h"
#include "service/request_facts.h"
#include "service/service_context.h"
#include "store/records.h"

namespace devtrust::service {

// The nonce size in bytes.
inline constexpr std::size_t kNonceSize = 32;

struct ChallengeRequest {
  store::NoncePurpose purpose = store::NoncePurpose::kLogin;
  std::string user_id;
  // Required for a login, absent for a registration.
  std::string device_id;
};

struct IssuedChallenge {
  Bytes nonce;
  store::NoncePurpose purpose = store::NoncePurpose::kLogin;
  std::string user_id;
  std::string device_id;
  store::TimePoint expires_at;
};

class ChallengeService {
 public:
  explicit ChallengeService(const ServiceContext& context) : context_(context) {}

  // Draws a 32-byte nonce bound to the purpose, user and (for a login)
  // device, valid for FlowSettings::nonce_ttl, and stores its SHA-256 digest.
  // Errors (kInvalidArgument unless noted):
  //   "invalid_user_id", "invalid_device_id";
  //   "missing_field" for a login without device_id;
  //   "unknown_field" for a registration with a device_id;
  //   "device_not_found" (kNotFound) when no device of this user has the id;
  //   "fallback_not_allowed" (kPermissionDenied), see ApplyTlsFallbackPolicy;
  //   the store's and the CSPRNG's errors.
  Result<IssuedChallenge> Issue(const ChallengeRequest& request, const RequestFacts& facts) const;

 private:
  const ServiceContext& context_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_CHALLENGE_SERVICE_H_
