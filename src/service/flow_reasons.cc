#include "service/flow_reasons.h"

#include <algorithm>

#include "trust/reason_code.h"

namespace devtrust::service {

std::vector<std::string> DecisionReasonAllowlist() {
  std::vector<std::string> reasons;
  for (const trust::ReasonCode reason : trust::AllReasonCodes()) {
    reasons.emplace_back(trust::ReasonCodeName(reason));
  }
  for (const std::string_view reason :
       {kReasonRegistration, kReasonInvalidKey, kReasonCodeInvalid, kReasonChallengeExpired,
        kReasonChallengeLocked, kReasonChallengeClosed, kReasonRevoked, kReasonAlreadyRevoked,
        kReasonReviewBenign, kReasonReviewRevoke}) {
    if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) {
      reasons.emplace_back(reason);
    }
  }
  return reasons;
}

std::vector<std::string> FallbackAlgorithmAllowlist() {
  // X25519 for sessions and TLS, ECDSA-P256 for the certificate twin, P-256
  // and P-384 for TLS groups.
  return {"X25519", "ECDSA-P256", "P-256", "P-384"};
}

std::vector<std::string> FallbackReasonAllowlist() {
  return {"mlkem_key_missing", "mlkem_encapsulation_failed", "pqc_cert_invalid",
          "tls_no_hybrid_group"};
}

}  // namespace devtrust::service
