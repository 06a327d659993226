#include "store/sqlite_rows.h"

#include <fmt/format.h>

#include <string>

#include "base/status_macros.h"

namespace devtrust::store {
namespace {

std::int32_t ColumnInt32(const SqliteStatement& row, int column) {
  // CHECK constraints and the int32 inputs keep these columns in range.
  return static_cast<std::int32_t>(row.ColumnInt64(column));
}

// Gives a primary key collision the reason and message of the record.
Status NameCollision(Status inserted, std::string_view reason, std::string message) {
  if (!inserted && inserted.error().code() == StatusCode::kAlreadyExists) {
    return MakeError(StatusCode::kAlreadyExists, std::string(reason), std::move(message));
  }
  return inserted;
}

}  // namespace

Error StoredValueError(std::string_view column_name, std::string_view text) {
  return Error(StatusCode::kDataLoss, "store_corrupt",
               fmt::format("column {} holds '{}', which is not a valid value; the database "
                           "was modified outside devtrust or is damaged",
                           column_name, text));
}

Result<DeviceRecord> ReadDevice(const SqliteStatement& row) {
  DeviceRecord device;
  device.device_id = row.ColumnText(0);
  device.user_id = row.ColumnText(1);
  DEVTRUST_ASSIGN_OR_RETURN(device.status,
                            ParseStored(&ParseDeviceStatus, row, 2, "devices.status"));
  device.ml_dsa_public_key = row.ColumnBlob(3);
  device.ml_kem_public_key = row.ColumnBlob(4);
  device.ecdsa_public_key = row.ColumnBlob(5);
  device.x25519_public_key = row.ColumnBlob(6);
  device.baseline_fingerprint = row.ColumnText(7);
  device.accepted_fingerprint = row.ColumnText(8);
  device.flagged_for_review = row.ColumnInt64(9) != 0;
  device.created_at = row.ColumnTime(10);
  device.updated_at = row.ColumnTime(11);
  device.verified_at = row.ColumnOptionalTime(12);
  device.revoked_at = row.ColumnOptionalTime(13);
  device.revocation_reason = row.ColumnText(14);
  return device;
}

Result<CertificateRecord> ReadCertificate(const SqliteStatement& row) {
  CertificateRecord certificate;
  certificate.serial = row.ColumnText(0);
  certificate.device_id = row.ColumnText(1);
  DEVTRUST_ASSIGN_OR_RETURN(certificate.kind,
                            ParseStored(&ParseCertificateKind, row, 2, "certificates.kind"));
  certificate.der = row.ColumnBlob(3);
  certificate.not_before = row.ColumnTime(4);
  certificate.not_after = row.ColumnTime(5);
  certificate.revoked_at = row.ColumnOptionalTime(6);
  certificate.revocation_reason = row.ColumnText(7);
  return certificate;
}

Result<VerificationChallenge> ReadChallenge(const SqliteStatement& row) {
  VerificationChallenge challenge;
  challenge.challenge_id = row.ColumnText(0);
  challenge.user_id = row.ColumnText(1);
  challenge.device_id = row.ColumnText(2);
  DEVTRUST_ASSIGN_OR_RETURN(challenge.reason, ParseStored(&ParseChallengeReason, row, 3,
                                                          "verification_challenges.reason"));
  challenge.code_hash = row.ColumnBlob(4);
  challenge.candidate_fingerprint = row.ColumnText(5);
  challenge.attempts = ColumnInt32(row, 6);
  challenge.max_attempts = ColumnInt32(row, 7);
  DEVTRUST_ASSIGN_OR_RETURN(challenge.status, ParseStored(&ParseChallengeStatus, row, 8,
                                                          "verification_challenges.status"));
  challenge.created_at = row.ColumnTime(9);
  challenge.expires_at = row.ColumnTime(10);
  challenge.completed_at = row.ColumnOptionalTime(11);
  return challenge;
}

Result<Notification> ReadNotification(const SqliteStatement& row) {
  Notification notification;
  notification.notification_id = row.ColumnText(0);
  notification.user_id = row.ColumnText(1);
  notification.device_id = row.ColumnText(2);
  DEVTRUST_ASSIGN_OR_RETURN(notification.kind,
                            ParseStored(&ParseNotificationKind, row, 3, "notifications.kind"));
  notification.payload = row.ColumnText(4);
  notification.created_at = row.ColumnTime(5);
  notification.attempts = ColumnInt32(row, 6);
  notification.next_attempt_at = row.ColumnTime(7);
  notification.delivered_at = row.ColumnOptionalTime(8);
  notification.last_error = row.ColumnText(9);
  return notification;
}

Result<ReviewItem> ReadReviewItem(const SqliteStatement& row) {
  ReviewItem item;
  item.review_id = row.ColumnText(0);
  item.device_id = row.ColumnText(1);
  item.user_id = row.ColumnText(2);
  DEVTRUST_ASSIGN_OR_RETURN(item.reason,
                            ParseStored(&ParseReviewReason, row, 3, "review_items.reason"));
  item.drift_score = row.ColumnDouble(4);
  item.details = row.ColumnText(5);
  DEVTRUST_ASSIGN_OR_RETURN(item.status,
                            ParseStored(&ParseReviewStatus, row, 6, "review_items.status"));
  item.resolution = row.ColumnText(7);
  item.resolved_by = row.ColumnText(8);
  item.created_at = row.ColumnTime(9);
  item.resolved_at = row.ColumnOptionalTime(10);
  return item;
}

OutboxEvent ReadOutboxEvent(const SqliteStatement& row) {
  OutboxEvent event;
  event.sequence = row.ColumnInt64(0);
  event.topic = row.ColumnText(1);
  event.payload = row.ColumnText(2);
  event.created_at = row.ColumnTime(3);
  event.delivered_at = row.ColumnOptionalTime(4);
  event.attempts = ColumnInt32(row, 5);
  return event;
}

Status InsertDevice(SqliteConnection& connection, const DeviceRecord& device) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      connection.Prepare("INSERT INTO devices (" DEVTRUST_DEVICE_COLUMNS
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  DEVTRUST_RETURN_IF_ERROR(insert.BindAll(
      device.device_id, device.user_id, DeviceStatusName(device.status), device.ml_dsa_public_key,
      device.ml_kem_public_key, device.ecdsa_public_key, device.x25519_public_key,
      device.baseline_fingerprint, device.accepted_fingerprint,
      std::int64_t{device.flagged_for_review ? 1 : 0}, device.created_at, device.updated_at,
      device.verified_at, device.revoked_at, device.revocation_reason));
  return NameCollision(insert.Run(), "device_exists",
                       fmt::format("device '{}' is already registered", device.device_id));
}

Status InsertCertificate(SqliteConnection& connection, const CertificateRecord& certificate) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      connection.Prepare("INSERT INTO certificates (" DEVTRUST_CERTIFICATE_COLUMNS
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  DEVTRUST_RETURN_IF_ERROR(insert.BindAll(certificate.serial, certificate.device_id,
                                          CertificateKindName(certificate.kind), certificate.der,
                                          certificate.not_before, certificate.not_after,
                                          certificate.revoked_at, certificate.revocation_reason));
  return NameCollision(insert.Run(), "certificate_exists",
                       fmt::format("a certificate with serial {} already exists; issue a new "
                                   "serial",
                                   certificate.serial));
}

Status InsertNonce(SqliteConnection& connection, const NonceRecord& nonce) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      connection.Prepare("INSERT INTO nonces (nonce_hash, purpose, user_id, device_id, "
                         "created_at, expires_at, consumed_at) VALUES (?, ?, ?, ?, ?, ?, NULL)"));
  DEVTRUST_RETURN_IF_ERROR(insert.BindAll(nonce.nonce_hash, NoncePurposeName(nonce.purpose),
                                          nonce.user_id, nonce.device_id, nonce.created_at,
                                          nonce.expires_at));
  return NameCollision(insert.Run(), "nonce_exists",
                       "a nonce with the same hash is already stored; generate a new nonce");
}

Status InsertChallenge(SqliteConnection& connection, const VerificationChallenge& challenge) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      connection.Prepare("INSERT INTO verification_challenges (" DEVTRUST_CHALLENGE_COLUMNS
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  DEVTRUST_RETURN_IF_ERROR(insert.BindAll(
      challenge.challenge_id, challenge.user_id, challenge.device_id,
      ChallengeReasonName(challenge.reason), challenge.code_hash, challenge.candidate_fingerprint,
      challenge.attempts, challenge.max_attempts, ChallengeStatusName(challenge.status),
      challenge.created_at, challenge.expires_at, challenge.completed_at));
  return NameCollision(insert.Run(), "challenge_exists",
                       fmt::format("challenge '{}' already exists", challenge.challenge_id));
}

Status InsertNotification(SqliteConnection& connection, const Notification& notification) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      connection.Prepare("INSERT INTO notifications (" DEVTRUST_NOTIFICATION_COLUMNS
                         ") VALUES (?, ?, ?, ?, ?, ?, 0, ?, NULL, '')"));
  DEVTRUST_RETURN_IF_ERROR(
      insert.BindAll(notification.notification_id, notification.user_id, notification.device_id,
                     NotificationKindName(notification.kind), notification.payload,
                     notification.created_at, notification.next_attempt_at));
  return NameCollision(
      insert.Run(), "notification_exists",
      fmt::format("notification '{}' already exists", notification.notification_id));
}

Status InsertReviewItem(SqliteConnection& connection, const ReviewItem& item) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      connection.Prepare("INSERT INTO review_items (" DEVTRUST_REVIEW_ITEM_COLUMNS
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  DEVTRUST_RETURN_IF_ERROR(
      insert.BindAll(item.review_id, item.device_id, item.user_id, ReviewReasonName(item.reason),
                     item.drift_score, item.details, ReviewStatusName(item.status), item.resolution,
                     item.resolved_by, item.created_at, item.resolved_at));
  return NameCollision(insert.Run(), "review_item_exists",
                       fmt::format("review item '{}' already exists", item.review_id));
}

Status InsertOutboxEvents(SqliteConnection& connection, std::span<const OutboxEvent> events) {
  if (events.empty()) return {};

  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      connection.Prepare("INSERT INTO outbox (topic, payload, created_at, delivered_at, attempts) "
                         "VALUES (?, ?, ?, NULL, 0)"));
  for (const OutboxEvent& event : events) {
    DEVTRUST_RETURN_IF_ERROR(insert.BindAll(event.topic, event.payload, event.created_at));
    DEVTRUST_RETURN_IF_ERROR(insert.Run());
    DEVTRUST_RETURN_IF_ERROR(insert.Reset());
  }
  return {};
}

}  // namespace devtrust::store
