// SqliteStore: verification challenges and validation outcomes.
#include <fmt/format.h>

#include "base/status_macros.h"
#include "store/record_checks.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_steps.h"
#include "store/sqlite_store.h"

namespace devtrust::store {
namespace {

std::unexpected<Error> ChallengeNotFound(std::string_view challenge_id) {
  return MakeError(StatusCode::kNotFound, "challenge_not_found",
                   fmt::format("challenge '{}' does not exist", challenge_id));
}

std::unexpected<Error> ChallengeNotOpen(std::string_view challenge_id, std::string_view status) {
  return MakeError(
      StatusCode::kFailedPrecondition, "challenge_not_open",
      fmt::format("challenge '{}' is {}, not open; start a new challenge", challenge_id, status));
}

// The columns of a challenge that decide what a state change may do.
struct ChallengeState {
  ChallengeReason reason;
  std::string device_id;
  ChallengeStatus status;
  std::int32_t attempts;
  std::int32_t max_attempts;
  TimePoint expires_at;
  std::string candidate_fingerprint;
};

Result<std::optional<ChallengeState>> ChallengeStateStep(SqliteConnection& connection,
                                                         std::string_view challenge_id) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement select,
      connection.Prepare("SELECT reason, device_id, status, attempts, max_attempts, expires_at, "
                         "candidate_fingerprint FROM verification_challenges "
                         "WHERE challenge_id = ?"));
  DEVTRUST_RETURN_IF_ERROR(select.BindAll(challenge_id));
  DEVTRUST_ASSIGN_OR_RETURN(const bool found, select.Step());
  if (!found) return std::nullopt;

  ChallengeState state;
  DEVTRUST_ASSIGN_OR_RETURN(state.reason, ParseStored(&ParseChallengeReason, select, 0,
                                                      "verification_challenges.reason"));
  state.device_id = select.ColumnText(1);
  DEVTRUST_ASSIGN_OR_RETURN(state.status, ParseStored(&ParseChallengeStatus, select, 2,
                                                      "verification_challenges.status"));
  state.attempts = static_cast<std::int32_t>(select.ColumnInt64(3));
  state.max_attempts = static_cast<std::int32_t>(select.ColumnInt64(4));
  state.expires_at = select.ColumnTime(5);
  state.candidate_fingerprint = select.ColumnText(6);
  return state;
}

// Moves an open challenge to `status`; returns whether it was open.
Result<bool> CompleteChallengeStep(SqliteConnection& connection, std::string_view challenge_id,
                                   ChallengeStatus status, TimePoint now) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement complete,
      connection.Prepare("UPDATE verification_challenges SET status = ?1, completed_at = ?2 "
                         "WHERE challenge_id = ?3 AND status = 'open'"));
  DEVTRUST_RETURN_IF_ERROR(complete.BindAll(ChallengeStatusName(status), now, challenge_id));
  DEVTRUST_RETURN_IF_ERROR(complete.Run());
  return connection.changes() == 1;
}

Status SetAcceptedFingerprintStep(SqliteConnection& connection, std::string_view device_id,
                                  std::string_view fingerprint, TimePoint now) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement update,
      connection.Prepare("UPDATE devices SET accepted_fingerprint = ?1, updated_at = ?2 "
                         "WHERE device_id = ?3"));
  DEVTRUST_RETURN_IF_ERROR(update.BindAll(fingerprint, now, device_id));
  return update.Run();
}

std::unexpected<Error> DeviceRevoked(std::string_view device_id) {
  return MakeError(StatusCode::kFailedPrecondition, "device_revoked",
                   fmt::format("device '{}' is revoked; it must be registered again", device_id));
}

// Writes the parts of a validation that are set, as RecordValidation
// describes, inside the caller's transaction.
Status WriteValidationStep(SqliteConnection& connection, const ValidationWrite& write) {
  const bool changes_device = write.accepted_fingerprint.has_value() || write.challenge.has_value();
  const bool needs_device = changes_device || write.review_item.has_value();

  if (needs_device) {
    DEVTRUST_ASSIGN_OR_RETURN(const DeviceStatus status,
                              DeviceStatusStep(connection, write.device_id));
    // A revoked device may still get a review item, as when its revoked
    // certificate is presented again, but nothing that would let it back in.
    if (status == DeviceStatus::kRevoked && changes_device) {
      return DeviceRevoked(write.device_id);
    }
  }

  if (write.accepted_fingerprint.has_value()) {
    DEVTRUST_RETURN_IF_ERROR(SetAcceptedFingerprintStep(connection, write.device_id,
                                                        *write.accepted_fingerprint, write.now));
  }

  // Only the newest code of a kind stays valid, as users expect after
  // requesting another code.
  if (write.challenge.has_value()) {
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement supersede,
        connection.Prepare("UPDATE verification_challenges SET status = 'expired', "
                           "completed_at = ?1 WHERE device_id = ?2 AND reason = ?3 AND "
                           "status = 'open'"));
    DEVTRUST_RETURN_IF_ERROR(supersede.BindAll(write.now, write.device_id,
                                               ChallengeReasonName(write.challenge->reason)));
    DEVTRUST_RETURN_IF_ERROR(supersede.Run());
    DEVTRUST_RETURN_IF_ERROR(InsertChallenge(connection, *write.challenge));
  }

  if (write.review_item.has_value()) {
    DEVTRUST_RETURN_IF_ERROR(InsertReviewItem(connection, *write.review_item));
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement flag,
        connection.Prepare("UPDATE devices SET flagged_for_review = 1, updated_at = ?1 "
                           "WHERE device_id = ?2"));
    DEVTRUST_RETURN_IF_ERROR(flag.BindAll(write.now, write.device_id));
    DEVTRUST_RETURN_IF_ERROR(flag.Run());
  }

  for (const Notification& notification : write.notifications) {
    DEVTRUST_RETURN_IF_ERROR(InsertNotification(connection, notification));
  }
  return InsertOutboxEvents(connection, write.events);
}

}  // namespace

Result<VerificationChallenge> SqliteStore::GetChallenge(std::string_view challenge_id) {
  return Read<VerificationChallenge>(
      [&](SqliteConnection& connection) -> Result<VerificationChallenge> {
        DEVTRUST_ASSIGN_OR_RETURN(
            SqliteStatement select,
            connection.Prepare("SELECT " DEVTRUST_CHALLENGE_COLUMNS
                               " FROM verification_challenges WHERE challenge_id = ?"));
        DEVTRUST_RETURN_IF_ERROR(select.BindAll(challenge_id));
        DEVTRUST_ASSIGN_OR_RETURN(const bool found, select.Step());
        if (!found) return ChallengeNotFound(challenge_id);
        return ReadChallenge(select);
      });
}

Result<std::optional<VerificationChallenge>> SqliteStore::GetOpenChallengeForDevice(
    std::string_view device_id, std::optional<ChallengeReason> reason) {
  using MaybeChallenge = std::optional<VerificationChallenge>;
  return Read<MaybeChallenge>([&](SqliteConnection& connection) -> Result<MaybeChallenge> {
    // reason IS NULL matches every reason when none is given.
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement select,
        connection.Prepare("SELECT " DEVTRUST_CHALLENGE_COLUMNS
                           " FROM verification_challenges WHERE device_id = ?1 AND "
                           "status = 'open' AND (?2 IS NULL OR reason = ?2) "
                           "ORDER BY created_at DESC, challenge_id DESC LIMIT 1"));
    DEVTRUST_RETURN_IF_ERROR(select.Bind(1, device_id));
    if (reason.has_value()) {
      DEVTRUST_RETURN_IF_ERROR(select.Bind(2, ChallengeReasonName(*reason)));
    }
    DEVTRUST_ASSIGN_OR_RETURN(const bool found, select.Step());
    if (!found) return MaybeChallenge();
    DEVTRUST_ASSIGN_OR_RETURN(VerificationChallenge challenge, ReadChallenge(select));
    return MaybeChallenge(std::move(challenge));
  });
}

Result<AttemptOutcome> SqliteStore::ReserveChallengeAttempt(std::string_view challenge_id,
                                                            TimePoint now) {
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("challenge_id", challenge_id));

  AttemptOutcome outcome = AttemptOutcome::kUnknown;
  DEVTRUST_RETURN_IF_ERROR(Write([&](SqliteConnection& connection) -> Status {
    // The limit is part of the UPDATE, so concurrent guesses, from any
    // process, can never count past max_attempts.
    {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement reserve,
          connection.Prepare("UPDATE verification_challenges SET attempts = attempts + 1 "
                             "WHERE challenge_id = ?1 AND status = 'open' AND expires_at > ?2 "
                             "AND attempts < max_attempts"));
      DEVTRUST_RETURN_IF_ERROR(reserve.BindAll(challenge_id, now));
      DEVTRUST_RETURN_IF_ERROR(reserve.Run());
      if (connection.changes() == 1) {
        outcome = AttemptOutcome::kReserved;
        return {};
      }
    }

    // Nothing changed: find out why.
    DEVTRUST_ASSIGN_OR_RETURN(const std::optional<ChallengeState> state,
                              ChallengeStateStep(connection, challenge_id));
    if (!state.has_value()) {
      outcome = AttemptOutcome::kUnknown;
    } else if (state->status == ChallengeStatus::kExpired) {
      outcome = AttemptOutcome::kExpired;
    } else if (state->status != ChallengeStatus::kOpen) {
      outcome = AttemptOutcome::kNotOpen;
    } else if (state->expires_at <= now) {
      // Record the expiry, so that the challenge leaves the open ones.
      DEVTRUST_RETURN_IF_ERROR(
          CompleteChallengeStep(connection, challenge_id, ChallengeStatus::kExpired, now));
      outcome = AttemptOutcome::kExpired;
    } else {
      outcome = AttemptOutcome::kLockedOut;
    }
    return {};
  }));
  return outcome;
}

Status SqliteStore::PassChallenge(std::string_view challenge_id, TimePoint now,
                                  std::span<const OutboxEvent> events) {
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("challenge_id", challenge_id));
  DEVTRUST_RETURN_IF_ERROR(CheckNewOutboxEvents(events));

  return Write([&](SqliteConnection& connection) -> Status {
    // Every condition is checked inside the write transaction, which holds
    // the database's write lock, so no other writer can change the rows
    // between the checks and the updates below.
    DEVTRUST_ASSIGN_OR_RETURN(const std::optional<ChallengeState> state,
                              ChallengeStateStep(connection, challenge_id));
    if (!state.has_value()) return ChallengeNotFound(challenge_id);
    if (state->status != ChallengeStatus::kOpen) {
      return ChallengeNotOpen(challenge_id, ChallengeStatusName(state->status));
    }
    if (state->expires_at <= now) {
      return MakeError(StatusCode::kFailedPrecondition, "challenge_expired",
                       fmt::format("challenge '{}' expired; start a new challenge", challenge_id));
    }
    // A pass without a counted attempt would bypass the guess limit.
    if (state->attempts == 0) {
      return MakeError(StatusCode::kFailedPrecondition, "attempt_not_reserved",
                       fmt::format("challenge '{}' has no reserved attempt; call "
                                   "ReserveChallengeAttempt before checking the code",
                                   challenge_id));
    }

    DEVTRUST_ASSIGN_OR_RETURN(const DeviceStatus device_status,
                              DeviceStatusStep(connection, state->device_id));
    if (device_status == DeviceStatus::kRevoked) return DeviceRevoked(state->device_id);

    DEVTRUST_RETURN_IF_ERROR(
        CompleteChallengeStep(connection, challenge_id, ChallengeStatus::kPassed, now));

    // A registration challenge confirms that the user controls the device.
    if (state->reason == ChallengeReason::kRegistration) {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement trust,
          connection.Prepare("UPDATE devices SET status = 'trusted', verified_at = ?1, "
                             "updated_at = ?1 WHERE device_id = ?2 AND status = 'pending'"));
      DEVTRUST_RETURN_IF_ERROR(trust.BindAll(now, state->device_id));
      DEVTRUST_RETURN_IF_ERROR(trust.Run());
    }

    // A drift or verification-failure challenge accepts the fingerprint the
    // device presented.
    if (!state->candidate_fingerprint.empty()) {
      DEVTRUST_RETURN_IF_ERROR(SetAcceptedFingerprintStep(connection, state->device_id,
                                                          state->candidate_fingerprint, now));
    }

    // A passed verification-failure challenge confirms a changed device, so
    // its fingerprint becomes the baseline too. Otherwise the baseline guard
    // (docs/drift.md) would keep every later login at a soft challenge.
    if (state->reason == ChallengeReason::kVerificationFailure &&
        !state->candidate_fingerprint.empty()) {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement rebase,
          connection.Prepare("UPDATE devices SET baseline_fingerprint = ?1, updated_at = ?2 "
                             "WHERE device_id = ?3"));
      DEVTRUST_RETURN_IF_ERROR(rebase.BindAll(state->candidate_fingerprint, now, state->device_id));
      DEVTRUST_RETURN_IF_ERROR(rebase.Run());
    }

    return InsertOutboxEvents(connection, events);
  });
}

Status SqliteStore::FailChallenge(std::string_view challenge_id, TimePoint now,
                                  std::span<const OutboxEvent> events) {
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("challenge_id", challenge_id));
  DEVTRUST_RETURN_IF_ERROR(CheckNewOutboxEvents(events));

  return Write([&](SqliteConnection& connection) -> Status {
    DEVTRUST_ASSIGN_OR_RETURN(
        const bool failed,
        CompleteChallengeStep(connection, challenge_id, ChallengeStatus::kFailed, now));
    if (!failed) {
      DEVTRUST_ASSIGN_OR_RETURN(const std::optional<ChallengeState> state,
                                ChallengeStateStep(connection, challenge_id));
      if (!state.has_value()) return ChallengeNotFound(challenge_id);
      return ChallengeNotOpen(challenge_id, ChallengeStatusName(state->status));
    }

    return InsertOutboxEvents(connection, events);
  });
}

Status SqliteStore::RecordValidation(const ValidationWrite& write) {
  DEVTRUST_RETURN_IF_ERROR(CheckValidationWrite(write));

  return Write([&](SqliteConnection& connection) -> Status {
    return WriteValidationStep(connection, write);
  });
}

Result<NonceOutcome> SqliteStore::ConsumeNonceAndRecordValidation(const NonceClaim& nonce,
                                                                  const ValidationWrite& write) {
  DEVTRUST_RETURN_IF_ERROR(CheckNonceClaim("nonce", nonce));
  if (nonce.purpose != NoncePurpose::kLogin) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_argument",
                     "nonce.purpose is register; a validation consumes a login nonce");
  }
  DEVTRUST_RETURN_IF_ERROR(CheckValidationWrite(write));

  NonceOutcome outcome = NonceOutcome::kUnknown;
  DEVTRUST_RETURN_IF_ERROR(Write([&](SqliteConnection& connection) -> Status {
    // The nonce goes first: a validation that cannot consume it writes
    // nothing, and an error below rolls the consumption back.
    DEVTRUST_ASSIGN_OR_RETURN(outcome, ConsumeNonceStep(connection, nonce, write.now));
    if (outcome != NonceOutcome::kConsumed) return {};
    return WriteValidationStep(connection, write);
  }));
  return outcome;
}

}  // namespace devtrust::store
