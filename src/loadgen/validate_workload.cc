#include "loadgen/validate_workload.h"

#include <string>
#include <utility>

#include "client/proofs.h"
#include "loadgen/schedule.h"

namespace devtrust::loadgen {

RequestOutcome ValidateSession::Execute(std::size_t index) {
  const EnrolledDevice& device = devices_[index % devices_.size()];
  RequestOutcome outcome;

  const Clock::time_point challenge_sent = Clock::now();
  Result<client::Challenge> challenge =
      client_.CreateLoginChallenge(device.user_id, device.device_id);
  outcome.challenge_latency = Clock::now() - challenge_sent;
  ++outcome.http_requests;
  if (!challenge) {
    outcome.label = "challenge:" + challenge.error().reason();
    return outcome;
  }

  Result<client::ProofSignatures> signatures = client::SignLoginProof(
      device.keys, device.user_id, device.device_id, challenge->nonce, fingerprint_);
  if (!signatures) {
    outcome.label = "sign:" + signatures.error().reason();
    return outcome;
  }
  const client::ValidationRequest request{.user_id = device.user_id,
                                          .device_id = device.device_id,
                                          .nonce = std::move(challenge->nonce),
                                          .certificate = device.ml_dsa_certificate,
                                          .classical_certificate = device.ecdsa_certificate,
                                          .fingerprint = fingerprint_,
                                          .signatures = *std::move(signatures)};

  const Clock::time_point validate_sent = Clock::now();
  Result<client::ValidationResult> result = client_.Validate(request);
  outcome.operation_latency = Clock::now() - validate_sent;
  ++outcome.http_requests;
  if (!result) {
    outcome.label = "validate:" + result.error().reason();
    return outcome;
  }

  if (result->trust_result == "trusted") {
    outcome.ok = true;
    outcome.label = "trusted";
  } else {
    const std::string reason = result->reasons.empty() ? "none" : result->reasons.front();
    outcome.label = "decision:" + result->trust_result + ":" + reason;
  }
  return outcome;
}

}  // namespace devtrust::loadgen
