#include "service/challenge_service.h"

#include <utility>

#include "crypto/hash.h"
#include "crypto/random.h"
#include "service/flow_recorder.h"
#include "service/identifiers.h"

namespace devtrust::service {
namespace {

std::unexpected<Error> DeviceNotFound(const ChallengeRequest& request) {
  // The same answer for a missing device and one of another user, so that a
  // caller cannot probe device ids.
  return MakeError(StatusCode::kNotFound, "device_not_found",
                   "user " + request.user_id + " has no device " + request.device_id);
}

}  // namespace

Result<IssuedChallenge> ChallengeService::Issue(const ChallengeRequest& request,
                                                const RequestFacts& facts) const {
  if (Status valid = ValidateUserId(request.user_id); !valid) {
    return std::unexpected(valid.error());
  }
  const bool login = request.purpose == store::NoncePurpose::kLogin;
  if (login && request.device_id.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "missing_field",
                     "device_id is required for a login challenge");
  }
  if (!login && !request.device_id.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "unknown_field",
                     "device_id must be absent for a register challenge, because the device "
                     "gets its id at registration");
  }
  if (login) {
    if (Status valid = ValidateDeviceId(request.device_id); !valid) {
      return std::unexpected(valid.error());
    }
  }

  FlowRecorder recorder(context_, telemetry::Flow::kChallenge, facts.trace_id);
  recorder.SetUserId(request.user_id);
  recorder.SetDeviceId(request.device_id);
  if (Status allowed = ApplyTlsFallbackPolicy(context_, facts, recorder); !allowed) {
    return std::unexpected(allowed.error());
  }

  // A login nonce is only useful to an enrolled device of this user.
  if (login) {
    Result<store::DeviceRecord> device = context_.store.GetDevice(request.device_id);
    if (!device && device.error().code() != StatusCode::kNotFound) {
      return std::unexpected(std::move(device).error());
    }
    if (!device || device->user_id != request.user_id) {
      recorder.AddStep(telemetry::FlowStep::kNonceIssue, false, "device_unknown");
      recorder.PublishUncommitted();
      return DeviceNotFound(request);
    }
  }

  Result<Bytes> nonce = crypto::RandomBytes(kNonceSize);
  if (!nonce) return std::unexpected(std::move(nonce).error());

  const store::TimePoint now = context_.clock();
  store::NonceRecord record;
  record.nonce_hash = crypto::Sha256(*nonce);
  record.purpose = request.purpose;
  record.user_id = request.user_id;
  record.device_id = request.device_id;
  record.created_at = now;
  record.expires_at = now + context_.settings.nonce_ttl;
  if (Status stored = context_.store.PutNonce(record); !stored) {
    return std::unexpected(stored.error());
  }

  recorder.AddStep(telemetry::FlowStep::kNonceIssue, true, "ok");
  recorder.PublishUncommitted();
  return IssuedChallenge{*std::move(nonce), request.purpose, request.user_id, request.device_id,
                         record.expires_at};
}

}  // namespace devtrust::service
