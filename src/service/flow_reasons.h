// Reason codes of the flows around validation (registration, verification,
// revocation, review), and the allowlists the metrics take from them.
//
// Validation decisions use the trust reason codes (trust/reason_code.h); the
// other flows reuse those where they mean the same thing (nonce_reused,
// pop_signature_invalid, headless_browser) and add the codes below.
#ifndef DEVTRUST_SERVICE_FLOW_REASONS_H_
#define DEVTRUST_SERVICE_FLOW_REASONS_H_

#include <string>
#include <string_view>
#include <vector>

namespace devtrust::service {

// Registration.
inline constexpr std::string_view kReasonRegistration = "registration";
inline constexpr std::string_view kReasonInvalidKey = "invalid_key";
// Verification.
inline constexpr std::string_view kReasonCodeInvalid = "verification_code_invalid";
inline constexpr std::string_view kReasonChallengeExpired = "challenge_expired";
inline constexpr std::string_view kReasonChallengeLocked = "challenge_locked";
inline constexpr std::string_view kReasonChallengeClosed = "challenge_closed";
// Revocation and review.
inline constexpr std::string_view kReasonRevoked = "revoked";
inline constexpr std::string_view kReasonAlreadyRevoked = "already_revoked";
inline constexpr std::string_view kReasonReviewBenign = "review_benign";
inline constexpr std::string_view kReasonReviewRevoke = "review_revoke";

// Every decision reason the service emits: the trust reason codes, then the
// codes above. The metrics count any other value as "other".
std::vector<std::string> DecisionReasonAllowlist();

// The fallback algorithms and reasons the service reports.
std::vector<std::string> FallbackAlgorithmAllowlist();
std::vector<std::string> FallbackReasonAllowlist();

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_FLOW_REASONS_H_
