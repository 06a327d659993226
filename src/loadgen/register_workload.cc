#include "loadgen/register_workload.h"

#include <utility>

#include "client/proofs.h"
#include "loadgen/schedule.h"

namespace devtrust::loadgen {

Result<std::vector<client::DeviceKeys>> GenerateKeyPool(std::size_t count) {
  std::vector<client::DeviceKeys> pool;
  pool.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Result<client::DeviceKeys> keys = client::GenerateDeviceKeys();
    if (!keys) return std::unexpected(keys.error());
    pool.push_back(*std::move(keys));
  }
  return pool;
}

RequestOutcome RegisterSession::Execute(std::size_t index) {
  const std::size_t slot = index % key_pool_.size();
  const client::DeviceKeys& keys = key_pool_[slot];
  const std::string user_id = user_prefix_ + std::to_string(slot);
  RequestOutcome outcome;

  const Clock::time_point challenge_sent = Clock::now();
  Result<client::Challenge> challenge = client_.CreateRegistrationChallenge(user_id);
  outcome.challenge_latency = Clock::now() - challenge_sent;
  ++outcome.http_requests;
  if (!challenge) {
    outcome.label = "challenge:" + challenge.error().reason();
    return outcome;
  }

  Result<client::ProofSignatures> signatures =
      client::SignRegistrationProof(keys, user_id, challenge->nonce, fingerprint_);
  if (!signatures) {
    outcome.label = "sign:" + signatures.error().reason();
    return outcome;
  }
  const client::RegistrationRequest request{.user_id = user_id,
                                            .nonce = std::move(challenge->nonce),
                                            .public_keys = client::PublicKeysOf(keys),
                                            .fingerprint = fingerprint_,
                                            .signatures = *std::move(signatures)};

  const Clock::time_point register_sent = Clock::now();
  Result<client::Registration> registration = client_.RegisterDevice(request);
  outcome.operation_latency = Clock::now() - register_sent;
  ++outcome.http_requests;
  if (!registration) {
    outcome.label = "register:" + registration.error().reason();
    return outcome;
  }

  if (registration->status == "pending") {
    outcome.ok = true;
    outcome.label = "pending";
  } else {
    outcome.label = "status:" + registration->status;
  }
  return outcome;
}

}  // namespace devtrust::loadgen
