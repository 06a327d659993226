// Mapping between the records and the rows of the SQLite schema: the column
// lists, readers that turn a result row into a record, and inserts.
//
// The column lists are macros so that they join string literals into
// complete SQL texts at compile time, which also serve as the keys of the
// statement cache.
#ifndef DEVTRUST_STORE_SQLITE_ROWS_H_
#define DEVTRUST_STORE_SQLITE_ROWS_H_

#include <span>
#include <string>
#include <string_view>

#include "base/error.h"
#include "store/records.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_statement.h"

#define DEVTRUST_DEVICE_COLUMNS                                                          \
  "device_id, user_id, status, ml_dsa_public_key, ml_kem_public_key, ecdsa_public_key, " \
  "x25519_public_key, baseline_fingerprint, accepted_fingerprint, flagged_for_review, "  \
  "created_at, updated_at, verified_at, revoked_at, revocation_reason"

#define DEVTRUST_CERTIFICATE_COLUMNS \
  "serial, device_id, kind, der, not_before, not_after, revoked_at, revocation_reason"

#define DEVTRUST_CHALLENGE_COLUMNS                                                         \
  "challenge_id, user_id, device_id, reason, code_hash, candidate_fingerprint, attempts, " \
  "max_attempts, status, created_at, expires_at, completed_at"

#define DEVTRUST_NOTIFICATION_COLUMNS                                                           \
  "notification_id, user_id, device_id, kind, payload, created_at, attempts, next_attempt_at, " \
  "delivered_at, last_error"

#define DEVTRUST_REVIEW_ITEM_COLUMNS                                                               \
  "review_id, device_id, user_id, reason, drift_score, details, status, resolution, resolved_by, " \
  "created_at, resolved_at"

#define DEVTRUST_OUTBOX_COLUMNS "sequence, topic, payload, created_at, delivered_at, attempts"

namespace devtrust::store {

// The error for a stored enum text that is not a known value. The CHECK
// constraints admit only known texts, so this means the file was changed
// outside devtrust or damaged.
Error StoredValueError(std::string_view column_name, std::string_view text);

// Parses the enum text in `column` of `row` with `parse`, one of the Parse*
// functions of records.h. Fails with kDataLoss, reason "store_corrupt".
template <typename Enum>
Result<Enum> ParseStored(Result<Enum> (*parse)(std::string_view), const SqliteStatement& row,
                         int column, std::string_view column_name) {
  const std::string text = row.ColumnText(column);
  Result<Enum> parsed = parse(text);
  if (!parsed) return std::unexpected(StoredValueError(column_name, text));
  return parsed;
}

// Each reader expects the row's columns in the order of the matching column
// list. A stored enum text that is not a known value fails with kDataLoss,
// reason "store_corrupt".
Result<DeviceRecord> ReadDevice(const SqliteStatement& row);
Result<CertificateRecord> ReadCertificate(const SqliteStatement& row);
Result<VerificationChallenge> ReadChallenge(const SqliteStatement& row);
Result<Notification> ReadNotification(const SqliteStatement& row);
Result<ReviewItem> ReadReviewItem(const SqliteStatement& row);
OutboxEvent ReadOutboxEvent(const SqliteStatement& row);

// Each insert fails with kAlreadyExists and reason "<record>_exists" (such as
// "device_exists") when the primary key is taken.
Status InsertDevice(SqliteConnection& connection, const DeviceRecord& device);
Status InsertCertificate(SqliteConnection& connection, const CertificateRecord& certificate);
Status InsertNonce(SqliteConnection& connection, const NonceRecord& nonce);
Status InsertChallenge(SqliteConnection& connection, const VerificationChallenge& challenge);
// Starts with zero attempts, no delivery time and no error.
Status InsertNotification(SqliteConnection& connection, const Notification& notification);
Status InsertReviewItem(SqliteConnection& connection, const ReviewItem& item);
// Assigns the sequences and starts with zero attempts and no delivery time.
Status InsertOutboxEvents(SqliteConnection& connection, std::span<const OutboxEvent> events);

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_SQLITE_ROWS_H_
