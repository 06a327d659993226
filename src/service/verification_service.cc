#include "service/verification_service.h"

#include <algorithm>
#include <utility>

#include "service/flow_reasons.h"
#include "service/flow_recorder.h"
#include "service/identifiers.h"
#include "service/verification_code.h"

namespace devtrust::service {
namespace {

std::unexpected<Error> ChallengeNotFound(const VerifyRequest& request) {
  return MakeError(StatusCode::kNotFound, "challenge_not_found",
                   "device " + request.device_id + " has no challenge " + request.challenge_id);
}

std::unexpected<Error> Conflict(std::string_view reason, std::string message) {
  return MakeError(StatusCode::kFailedPrecondition, std::string(reason), std::move(message));
}

bool IsDecimalCode(const crypto::SecretBytes& code) {
  const std::string_view digits = code.AsStringView();
  return digits.size() >= static_cast<std::size_t>(kMinCodeDigits) &&
         digits.size() <= static_cast<std::size_t>(kMaxCodeDigits) &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<store::DeviceRecord> VerificationService::Verify(const VerifyRequest& request,
                                                        const RequestFacts& facts) const {
  if (Status valid = ValidateDeviceId(request.device_id); !valid) {
    return std::unexpected(valid.error());
  }
  if (Status valid =
          ValidateRandomId(request.challenge_id, "chl", "challenge_id", "invalid_challenge_id");
      !valid) {
    return std::unexpected(valid.error());
  }
  if (!IsDecimalCode(request.code)) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_code",
                     "code must be the 6 to 8 digits the user received");
  }

  FlowRecorder recorder(context_, telemetry::Flow::kVerification, facts.trace_id);
  recorder.SetDeviceId(request.device_id);
  if (Status allowed = ApplyTlsFallbackPolicy(context_, facts, recorder); !allowed) {
    return std::unexpected(allowed.error());
  }

  Result<store::VerificationChallenge> challenge =
      context_.store.GetChallenge(request.challenge_id);
  if (!challenge) {
    if (challenge.error().code() == StatusCode::kNotFound) return ChallengeNotFound(request);
    return std::unexpected(std::move(challenge).error());
  }
  if (challenge->device_id != request.device_id) return ChallengeNotFound(request);
  recorder.SetUserId(challenge->user_id);

  // One guess is counted before the code is compared, so concurrent guesses
  // can never exceed max_attempts.
  const store::TimePoint now = context_.clock();
  Result<store::AttemptOutcome> attempt =
      context_.store.ReserveChallengeAttempt(request.challenge_id, now);
  if (!attempt) return std::unexpected(std::move(attempt).error());
  std::optional<Error> closed;
  switch (*attempt) {
    case store::AttemptOutcome::kReserved:
      break;
    case store::AttemptOutcome::kUnknown:
      return ChallengeNotFound(request);
    case store::AttemptOutcome::kNotOpen:
      // A challenge that failed because its guesses ran out stays locked.
      if (challenge->status != store::ChallengeStatus::kFailed ||
          challenge->attempts < challenge->max_attempts) {
        closed = Error(StatusCode::kFailedPrecondition, std::string(kReasonChallengeClosed),
                       "challenge " + request.challenge_id + " is no longer open");
        break;
      }
      [[fallthrough]];
    case store::AttemptOutcome::kLockedOut:
      closed = Error(StatusCode::kFailedPrecondition, std::string(kReasonChallengeLocked),
                     "challenge " + request.challenge_id +
                         " used all its attempts; log in again for a new code");
      break;
    case store::AttemptOutcome::kExpired:
      closed = Error(StatusCode::kFailedPrecondition, std::string(kReasonChallengeExpired),
                     "challenge " + request.challenge_id + " expired; log in again for a new code");
      break;
  }
  if (closed.has_value()) {
    recorder.AddStep(telemetry::FlowStep::kCodeCheck, false, closed->reason());
    recorder.SetDecision(telemetry::TrustResult::kDenied, closed->reason());
    recorder.PublishUncommitted();
    return std::unexpected(*std::move(closed));
  }

  if (!VerificationCodeMatches(context_.keys.code_mac_key(), request.challenge_id,
                               request.code.view(), challenge->code_hash)) {
    const std::int32_t used = challenge->attempts + 1;
    recorder.AddStep(telemetry::FlowStep::kCodeCheck, false, kReasonCodeInvalid);
    recorder.SetDecision(telemetry::TrustResult::kDenied, kReasonCodeInvalid);
    if (used >= challenge->max_attempts) {
      // The last guess was wrong: the challenge fails now rather than staying
      // open until it expires.
      const std::vector<store::OutboxEvent> rows = recorder.StageForWrite();
      if (Status failed = context_.store.FailChallenge(request.challenge_id, now, rows); failed) {
        recorder.PublishCommitted();
      } else {
        recorder.PublishUncommitted();
      }
    } else {
      recorder.PublishUncommitted();
    }
    const std::int32_t left = std::max(0, challenge->max_attempts - used);
    return Conflict(kReasonCodeInvalid, "the code is wrong; " + std::to_string(left) +
                                            " attempt(s) left for challenge " +
                                            request.challenge_id);
  }

  recorder.AddStep(telemetry::FlowStep::kCodeCheck, true, "ok");
  recorder.SetDecision(telemetry::TrustResult::kTrusted, "ok");
  const std::vector<store::OutboxEvent> rows = recorder.StageForWrite();
  if (Status passed = context_.store.PassChallenge(request.challenge_id, now, rows); !passed) {
    recorder.ClearDecision();
    recorder.AddStep(telemetry::FlowStep::kStoreCommit, false, passed.error().reason());
    recorder.PublishUncommitted();
    const Error& error = passed.error();
    if (error.reason() == "challenge_not_open") {
      return Conflict(kReasonChallengeClosed, error.message());
    }
    return std::unexpected(error);
  }
  recorder.AddStep(telemetry::FlowStep::kStoreCommit, true, "ok");
  recorder.PublishCommitted();

  return context_.store.GetDevice(request.device_id);
}

}  // namespace devtrust::service
