// A verification challenge together with the notification that carries its
// one-time code to the user, ready to be written in one store transaction.
#ifndef DEVTRUST_SERVICE_CODE_CHALLENGE_H_
#define DEVTRUST_SERVICE_CODE_CHALLENGE_H_

#include <string>
#include <string_view>

#include "base/error.h"
#include "service/service_context.h"
#include "store/records.h"

namespace devtrust::service {

struct CodeChallenge {
  store::VerificationChallenge challenge;
  store::Notification notification;
};

// The notification kind that carries the code of a challenge of `reason`.
store::NotificationKind NotificationKindFor(store::ChallengeReason reason);

// The API's name of a challenge kind: "registration", "soft" (drift) or
// "hard" (verification failure).
std::string_view ChallengeKindName(store::ChallengeReason reason);

// Draws a code (FlowSettings::code_digits), stores only its keyed hash in an
// open challenge valid for FlowSettings::verification_ttl with
// FlowSettings::max_attempts guesses, and seals the code into the
// notification. `candidate_fingerprint` becomes the device's accepted
// fingerprint when the challenge passes (empty: none). `flow_reason` is the
// notification's reason code. Errors: those of the CSPRNG, HMAC and cipher.
Result<CodeChallenge> MakeCodeChallenge(const ServiceContext& context, std::string_view user_id,
                                        std::string_view device_id, store::ChallengeReason reason,
                                        std::string candidate_fingerprint,
                                        std::string_view flow_reason, store::TimePoint now);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_CODE_CHALLENGE_H_
