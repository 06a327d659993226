#include "service/code_challenge.h"

#include <utility>

#include "base/status_macros.h"
#include "service/identifiers.h"
#include "service/notification_payload.h"
#include "service/verification_code.h"

namespace devtrust::service {

store::NotificationKind NotificationKindFor(store::ChallengeReason reason) {
  switch (reason) {
    case store::ChallengeReason::kRegistration:
      return store::NotificationKind::kDeviceVerification;
    case store::ChallengeReason::kDrift:
      return store::NotificationKind::kDriftChallenge;
    case store::ChallengeReason::kVerificationFailure:
      return store::NotificationKind::kVerificationFailure;
  }
  return store::NotificationKind::kVerificationFailure;
}

std::string_view ChallengeKindName(store::ChallengeReason reason) {
  switch (reason) {
    case store::ChallengeReason::kRegistration:
      return "registration";
    case store::ChallengeReason::kDrift:
      return "soft";
    case store::ChallengeReason::kVerificationFailure:
      return "hard";
  }
  return "hard";
}

Result<CodeChallenge> MakeCodeChallenge(const ServiceContext& context, std::string_view user_id,
                                        std::string_view device_id, store::ChallengeReason reason,
                                        std::string candidate_fingerprint,
                                        std::string_view flow_reason, store::TimePoint now) {
  DEVTRUST_ASSIGN_OR_RETURN(std::string challenge_id, NewRandomId("chl"));
  DEVTRUST_ASSIGN_OR_RETURN(crypto::SecretBytes code,
                            GenerateVerificationCode(context.settings.code_digits));
  DEVTRUST_ASSIGN_OR_RETURN(Bytes code_hash, HashVerificationCode(context.keys.code_mac_key(),
                                                                  challenge_id, code.view()));

  CodeChallenge result;
  store::VerificationChallenge& challenge = result.challenge;
  challenge.challenge_id = challenge_id;
  challenge.user_id = std::string(user_id);
  challenge.device_id = std::string(device_id);
  challenge.reason = reason;
  challenge.code_hash = std::move(code_hash);
  challenge.candidate_fingerprint = std::move(candidate_fingerprint);
  challenge.max_attempts = context.settings.max_attempts;
  challenge.created_at = now;
  challenge.expires_at = now + context.settings.verification_ttl;

  NotificationContent content;
  content.kind = NotificationKindFor(reason);
  content.user_id = std::string(user_id);
  content.device_id = std::string(device_id);
  content.challenge_id = challenge_id;
  content.expires_at = challenge.expires_at;
  content.reason = std::string(flow_reason);
  DEVTRUST_ASSIGN_OR_RETURN(result.notification,
                            MakeNotification(context.keys, content, &code, now));
  return result;
}

}  // namespace devtrust::service
