// The Store interface: everything devtrust persists, as unit-of-work
// operations.
//
// Each write method is one atomic transaction: either all of its effects are
// committed, or none is. A method returns only after its transaction is
// durable to the degree the implementation was configured for. Atomicity comes
// from conditions evaluated inside the transaction, so several processes may
// share one database. Every method is safe to call from many threads at once.
//
// Besides the errors listed per method, every method may return these
// (code, reason, meaning):
//   kInvalidArgument, "invalid_argument": an input field is missing or out of
//       range. The message names the field.
//   kUnavailable, "store_busy": another writer kept the database locked past
//       the busy timeout. Retrying may help.
//   kUnavailable, "store_transaction_aborted": an error in another operation
//       of the same group commit aborted the shared transaction. Nothing was
//       written, and retrying may help.
//   kDataLoss, "store_corrupt": the database file is damaged.
//   kResourceExhausted, "store_full": the disk is full.
//   kFailedPrecondition, "store_closed": Close() was called.
//   kInternal, "store_internal": an unexpected database error.
//
// Write methods insert the outbox events and notifications they are given as
// new rows. The store assigns the event sequence and starts both with zero
// attempts and no delivery time, ignoring those fields of the input.
#ifndef DEVTRUST_STORE_STORE_H_
#define DEVTRUST_STORE_STORE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "store/records.h"

namespace devtrust::store {

// Largest `limit` the list and fetch methods accept.
inline constexpr std::int64_t kMaxListLimit = 1000;

// Identifies the nonce a request presents and what the request is for.
struct NonceClaim {
  // SHA-256 of the 32-byte nonce.
  Bytes nonce_hash;
  NoncePurpose purpose = NoncePurpose::kLogin;
  std::string user_id;
  // Empty for kRegister.
  std::string device_id;
};

// Outcome of an attempt to consume a nonce. Only kConsumed lets the request
// continue.
enum class NonceOutcome {
  kConsumed,  // the nonce was unused, unexpired and bound to this claim
  kReused,    // the nonce had been consumed before: a replay
  kExpired,   // the nonce was unused but past its expiry time
  kUnknown,   // no such nonce, or it was pruned
  kMismatch,  // the nonce exists but was issued for another purpose, user or device
};
std::string_view NonceOutcomeName(NonceOutcome outcome);

// Everything a registration writes, in one transaction.
struct DeviceRegistration {
  // Must have purpose kRegister, the device's user_id and an empty device_id.
  // It is consumed at device.created_at.
  NonceClaim nonce;
  // Must have status kPending and no verification or revocation times.
  DeviceRecord device;
  // Kind kMlDsa and kEcdsa respectively, both for device.device_id.
  CertificateRecord ml_dsa_certificate;
  CertificateRecord ecdsa_certificate;
  // An open challenge with reason kRegistration for the device.
  VerificationChallenge challenge;
  // The message that carries the challenge to the user.
  Notification notification;
  std::vector<OutboxEvent> events;
};

// Outcome of reserving one guess at a verification code.
enum class AttemptOutcome {
  kReserved,   // attempts was incremented, so the caller may check the code now
  kLockedOut,  // all max_attempts were used
  kExpired,    // the challenge is past expires_at
  kNotOpen,    // the challenge already passed or failed
  kUnknown,    // no such challenge
};
std::string_view AttemptOutcomeName(AttemptOutcome outcome);

// The state changes that one trust validation persists. Every part is
// optional.
struct ValidationWrite {
  // The device the decision is about. It is required when
  // accepted_fingerprint, challenge or review_item is set. Otherwise it may
  // be empty or unknown, as for a replay alert about a certificate that names
  // no enrolled device.
  std::string device_id;
  TimePoint now;
  // Becomes the device's accepted fingerprint.
  std::optional<std::string> accepted_fingerprint;
  // A new open challenge for device_id. It supersedes any open challenge of
  // the same device and reason, which is marked kExpired.
  std::optional<VerificationChallenge> challenge;
  // A new open review item for device_id. The device is flagged for review.
  std::optional<ReviewItem> review_item;
  std::vector<Notification> notifications;
  std::vector<OutboxEvent> events;
};

enum class RevocationOutcome {
  kRevoked,         // the device was revoked by this call
  kAlreadyRevoked,  // the device was revoked before, so nothing changed
};

class Store {
 public:
  virtual ~Store() = default;

  // --- Nonces ---

  // Stores a new unconsumed nonce. Fails with kAlreadyExists, reason
  // "nonce_exists", when the hash is already stored.
  virtual Status PutNonce(const NonceRecord& nonce) = 0;

  // Consumes the claimed nonce at `now` if it is unused, unexpired
  // (now < expires_at) and bound to the claim's purpose, user and device.
  // Exactly one of any number of concurrent calls for one nonce, from any
  // process, returns kConsumed. A failed claim changes nothing. When several
  // outcomes apply, the first of kUnknown, kMismatch, kReused, kExpired is
  // returned.
  virtual Result<NonceOutcome> ConsumeNonce(const NonceClaim& claim, TimePoint now) = 0;

  // Returns what ConsumeNonce would return at `now`, from a read that
  // changes nothing. kConsumed here means that the nonce is valid now, so a
  // later consumption succeeds unless another request consumes it first or
  // it expires in between.
  virtual Result<NonceOutcome> CheckNonce(const NonceClaim& claim, TimePoint now) = 0;

  // Deletes at most `max_rows` nonces with expires_at <= before and returns
  // how many were deleted. Call again while it returns max_rows. A deleted
  // nonce presented later is kUnknown, so it is still rejected.
  virtual Result<std::int64_t> PruneExpiredNonces(TimePoint before, std::int64_t max_rows) = 0;

  // --- Registration ---

  // Consumes the registration nonce and writes the device, both certificates,
  // the challenge, the notification and the events. Returns the nonce
  // outcome. Any outcome other than kConsumed means nothing was written.
  // Fails with kAlreadyExists and reason "device_exists" when the device id
  // is taken (the nonce stays unconsumed), or reason "certificate_exists",
  // "challenge_exists" or "notification_exists" when another id collides.
  virtual Result<NonceOutcome> RegisterDevice(const DeviceRegistration& registration) = 0;

  // --- Reads ---
  // Lookups by id fail with kNotFound and reason "<record>_not_found".

  virtual Result<DeviceRecord> GetDevice(std::string_view device_id) = 0;
  // The user's devices, oldest first.
  virtual Result<std::vector<DeviceRecord>> ListDevicesByUser(std::string_view user_id,
                                                              std::int64_t limit) = 0;
  virtual Result<CertificateRecord> GetCertificate(std::string_view serial) = 0;
  // Every revoked certificate of one kind, which is one issuing CA, ordered
  // by serial. Certificates past not_after are included, and the CRL builder
  // may drop them.
  virtual Result<std::vector<RevokedCertificate>> ListRevokedCertificates(CertificateKind kind) = 0;
  virtual Result<VerificationChallenge> GetChallenge(std::string_view challenge_id) = 0;
  // The newest challenge of the device with status kOpen, restricted to
  // `reason` when given, or nullopt. An open challenge may be past
  // expires_at, so the caller compares it with the current time.
  virtual Result<std::optional<VerificationChallenge>> GetOpenChallengeForDevice(
      std::string_view device_id, std::optional<ChallengeReason> reason) = 0;
  // Review items with `status`, oldest first. For the next page, pass the
  // review_id of the last item returned as `after_review_id`; an empty one
  // starts at the beginning. An id that does not exist fails with
  // kInvalidArgument, reason "invalid_cursor".
  virtual Result<std::vector<ReviewItem>> ListReviewItems(ReviewStatus status, std::int64_t limit,
                                                          std::string_view after_review_id) = 0;
  virtual Result<ReviewItem> GetReviewItem(std::string_view review_id) = 0;
  // Queue depths for the gauges: undelivered notifications and outbox events,
  // and open review items.
  virtual Result<std::int64_t> CountPendingNotifications() = 0;
  virtual Result<std::int64_t> CountUndeliveredOutbox() = 0;
  virtual Result<std::int64_t> CountOpenReviewItems() = 0;

  // --- Verification challenges ---

  // Counts one guess at the challenge's code. Increments attempts only while
  // the challenge is open, now < expires_at and attempts < max_attempts, so
  // concurrent guesses never exceed max_attempts. An open challenge found
  // past expires_at is marked kExpired.
  virtual Result<AttemptOutcome> ReserveChallengeAttempt(std::string_view challenge_id,
                                                         TimePoint now) = 0;

  // Marks the challenge passed after the caller checked the code of a
  // reserved attempt. For a registration challenge the pending device becomes
  // trusted with verified_at = now. A non-empty candidate fingerprint becomes
  // the device's accepted fingerprint, and for a kVerificationFailure
  // challenge also its baseline fingerprint. Fails with kNotFound
  // ("challenge_not_found"), or kFailedPrecondition with reason
  // "challenge_not_open", "challenge_expired", "attempt_not_reserved" (no
  // attempt was counted) or "device_revoked"; nothing is written then.
  virtual Status PassChallenge(std::string_view challenge_id, TimePoint now,
                               std::span<const OutboxEvent> events) = 0;

  // Marks an open challenge failed, as when its attempts ran out. Fails with
  // kNotFound ("challenge_not_found") or kFailedPrecondition
  // ("challenge_not_open").
  virtual Status FailChallenge(std::string_view challenge_id, TimePoint now,
                               std::span<const OutboxEvent> events) = 0;

  // --- Validation ---

  // Writes the parts of `write` that are set. Fails with kNotFound
  // ("device_not_found") when a part needs the device and it does not exist,
  // and with kFailedPrecondition ("device_revoked") when a fingerprint or a
  // challenge is written for a revoked device. A review item may be written
  // for a revoked device.
  virtual Status RecordValidation(const ValidationWrite& write) = 0;

  // Consumes the login nonce `nonce` at write.now, as ConsumeNonce does, and
  // in the same transaction writes `write` as RecordValidation does, so that
  // a validation's nonce and its decision commit together. Returns the nonce
  // outcome. Any outcome other than kConsumed means nothing was written: of
  // two validations that present one nonce, only one can store its
  // decision. Errors: those of RecordValidation, which leave the nonce
  // unconsumed.
  virtual Result<NonceOutcome> ConsumeNonceAndRecordValidation(const NonceClaim& nonce,
                                                               const ValidationWrite& write) = 0;

  // --- Revocation ---

  // Revokes the device and every certificate of it that is not yet revoked,
  // and writes the events. For a device revoked before, changes nothing and
  // writes no events. Fails with kNotFound ("device_not_found").
  virtual Result<RevocationOutcome> RevokeDevice(std::string_view device_id,
                                                 std::string_view reason, TimePoint now,
                                                 std::span<const OutboxEvent> events) = 0;

  // --- Review ---

  // Resolves an open review item. The device's flagged_for_review is cleared
  // when no other open item for it remains. Fails with kNotFound
  // ("review_item_not_found") or kFailedPrecondition ("review_item_resolved").
  virtual Status ResolveReviewItem(std::string_view review_id, std::string_view resolution,
                                   std::string_view resolved_by, TimePoint now,
                                   std::span<const OutboxEvent> events) = 0;

  // --- Outbox ---

  // Undelivered events of `topic` with sequence > after_sequence, in
  // sequence order.
  virtual Result<std::vector<OutboxEvent>> FetchOutbox(std::string_view topic,
                                                       std::int64_t after_sequence,
                                                       std::int64_t limit) = 0;
  // Marks the events delivered, counts the attempt and returns how many were
  // undelivered before. Unknown and already delivered sequences are skipped.
  virtual Result<std::int64_t> MarkOutboxDelivered(std::span<const std::int64_t> sequences,
                                                   TimePoint now) = 0;
  // Counts a failed delivery attempt of undelivered events and returns how
  // many were updated.
  virtual Result<std::int64_t> MarkOutboxAttemptFailed(std::span<const std::int64_t> sequences) = 0;

  // --- Notifications ---

  // Undelivered notifications with next_attempt_at <= now, earliest first.
  virtual Result<std::vector<Notification>> FetchDueNotifications(TimePoint now,
                                                                  std::int64_t limit) = 0;
  // Marks the notification delivered. A second call changes nothing. Fails
  // with kNotFound ("notification_not_found").
  virtual Status MarkNotificationDelivered(std::string_view notification_id, TimePoint now) = 0;
  // Counts a failed attempt and schedules the next one. `error_text` must not
  // contain secrets, and it is cut to 256 bytes. Fails with kNotFound
  // ("notification_not_found") or kFailedPrecondition
  // ("notification_delivered").
  virtual Status MarkNotificationAttemptFailed(std::string_view notification_id,
                                               TimePoint next_attempt_at,
                                               std::string_view error_text) = 0;

  // --- Lifecycle ---

  // Runs a query on the database and checks the schema version, for
  // readiness probes. Fails with kFailedPrecondition, reason
  // "schema_changed", when a newer devtrust migrated the database since it
  // was opened.
  virtual Status Ping() = 0;

  // Finishes the writes already queued, then releases the database. Calls
  // made afterwards fail with kFailedPrecondition ("store_closed"). Calling
  // it again does nothing.
  virtual void Close() = 0;
};

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_STORE_H_
