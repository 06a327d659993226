// The records devtrust keeps in its Store, one struct per table.
//
// Times are system_clock time points. Stores keep them as integer milliseconds
// since the Unix epoch, so a value read back is truncated to whole
// milliseconds. Free-form JSON documents (fingerprints, payloads, details) are
// kept as the caller's text, which the store neither parses nor rewrites.
#ifndef DEVTRUST_STORE_RECORDS_H_
#define DEVTRUST_STORE_RECORDS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace devtrust::store {

using TimePoint = std::chrono::system_clock::time_point;

enum class DeviceStatus { kPending, kTrusted, kRevoked };
enum class CertificateKind { kMlDsa, kEcdsa };
enum class NoncePurpose { kRegister, kLogin };
enum class ChallengeReason { kRegistration, kVerificationFailure, kDrift };
enum class ChallengeStatus { kOpen, kPassed, kFailed, kExpired };
enum class NotificationKind {
  kDeviceVerification,
  kReplayAlert,
  kDriftChallenge,
  kVerificationFailure
};
enum class ReviewReason { kDrift, kReplay, kManual };
enum class ReviewStatus { kOpen, kResolved };

// The snake_case names below are the values stored in the database and the
// ones logs and metric labels use. Each Parse function accepts exactly these
// names and fails with kInvalidArgument, reason "invalid_enum_value", on any
// other text.
std::string_view DeviceStatusName(DeviceStatus status);
Result<DeviceStatus> ParseDeviceStatus(std::string_view name);
std::string_view CertificateKindName(CertificateKind kind);
Result<CertificateKind> ParseCertificateKind(std::string_view name);
std::string_view NoncePurposeName(NoncePurpose purpose);
Result<NoncePurpose> ParseNoncePurpose(std::string_view name);
std::string_view ChallengeReasonName(ChallengeReason reason);
Result<ChallengeReason> ParseChallengeReason(std::string_view name);
std::string_view ChallengeStatusName(ChallengeStatus status);
Result<ChallengeStatus> ParseChallengeStatus(std::string_view name);
std::string_view NotificationKindName(NotificationKind kind);
Result<NotificationKind> ParseNotificationKind(std::string_view name);
std::string_view ReviewReasonName(ReviewReason reason);
Result<ReviewReason> ParseReviewReason(std::string_view name);
std::string_view ReviewStatusName(ReviewStatus status);
Result<ReviewStatus> ParseReviewStatus(std::string_view name);

// An enrolled device and the public keys it registered, all as DER
// SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7).
struct DeviceRecord {
  std::string device_id;
  std::string user_id;
  DeviceStatus status = DeviceStatus::kPending;
  Bytes ml_dsa_public_key;
  // Empty for a device without ML-KEM, which then agrees session keys with
  // X25519 only.
  Bytes ml_kem_public_key;
  Bytes ecdsa_public_key;
  Bytes x25519_public_key;
  // Canonical JSON of the fingerprint attributes reported at enrollment.
  std::string baseline_fingerprint;
  // Canonical JSON of the last fingerprint that validation accepted.
  std::string accepted_fingerprint;
  bool flagged_for_review = false;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> verified_at;
  std::optional<TimePoint> revoked_at;
  std::string revocation_reason;

  bool operator==(const DeviceRecord&) const = default;
};

// A device certificate that the devtrust CA issued.
struct CertificateRecord {
  // Lowercase hexadecimal, at most 40 digits because RFC 5280 section 4.1.2.2
  // limits serial numbers to 20 octets.
  std::string serial;
  std::string device_id;
  CertificateKind kind = CertificateKind::kMlDsa;
  Bytes der;
  TimePoint not_before;
  TimePoint not_after;
  std::optional<TimePoint> revoked_at;
  std::string revocation_reason;

  bool operator==(const CertificateRecord&) const = default;
};

// The fields a CRL entry needs (RFC 5280 section 5.3), without the certificate.
struct RevokedCertificate {
  std::string serial;
  CertificateKind kind = CertificateKind::kMlDsa;
  TimePoint not_after;
  TimePoint revoked_at;
  std::string revocation_reason;

  bool operator==(const RevokedCertificate&) const = default;
};

// A single-use challenge nonce. The store keeps only the SHA-256 digest of the
// nonce, which the caller computes, so a copy of the database does not reveal
// nonces that are still valid.
struct NonceRecord {
  // 32 bytes.
  Bytes nonce_hash;
  NoncePurpose purpose = NoncePurpose::kLogin;
  std::string user_id;
  // Empty for kRegister, because the device does not exist yet. Required for
  // kLogin.
  std::string device_id;
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> consumed_at;

  bool operator==(const NonceRecord&) const = default;
};

// A one-time code sent to the user to confirm a device.
struct VerificationChallenge {
  std::string challenge_id;
  std::string user_id;
  std::string device_id;
  ChallengeReason reason = ChallengeReason::kRegistration;
  // Keyed hash of the code, computed by the caller. The code itself is never
  // stored.
  Bytes code_hash;
  // Canonical JSON of the fingerprint that becomes the device's accepted one
  // when the challenge passes, or empty when passing changes no fingerprint.
  std::string candidate_fingerprint;
  std::int32_t attempts = 0;
  std::int32_t max_attempts = 0;
  ChallengeStatus status = ChallengeStatus::kOpen;
  TimePoint created_at;
  TimePoint expires_at;
  // When the store recorded the challenge as passed, failed or expired;
  // nullopt while it is open.
  std::optional<TimePoint> completed_at;

  bool operator==(const VerificationChallenge&) const = default;
};

// A message for the user, delivered by the notification dispatcher.
struct Notification {
  std::string notification_id;
  std::string user_id;
  std::string device_id;
  NotificationKind kind = NotificationKind::kDeviceVerification;
  // JSON document for the notifier.
  std::string payload;
  TimePoint created_at;
  std::int32_t attempts = 0;
  TimePoint next_attempt_at;
  std::optional<TimePoint> delivered_at;
  // Short description of the last delivery failure, which must not contain
  // secrets.
  std::string last_error;

  bool operator==(const Notification&) const = default;
};

// An entry in the operators' review queue.
struct ReviewItem {
  std::string review_id;
  std::string device_id;
  std::string user_id;
  ReviewReason reason = ReviewReason::kDrift;
  double drift_score = 0.0;
  // JSON document with what the operator needs to decide.
  std::string details;
  ReviewStatus status = ReviewStatus::kOpen;
  // Short code such as "benign" or "revoke"; empty while open.
  std::string resolution;
  std::string resolved_by;
  TimePoint created_at;
  std::optional<TimePoint> resolved_at;

  bool operator==(const ReviewItem&) const = default;
};

// An event written in the same transaction as the state change it reports
// (the transactional outbox pattern), for delivery to the SIEM and the trust
// event publisher.
struct OutboxEvent {
  // Assigned by the store when the event is written, and strictly increasing
  // in commit order.
  std::int64_t sequence = 0;
  // Destination, such as "siem" or "trust_event".
  std::string topic;
  // JSON document.
  std::string payload;
  TimePoint created_at;
  std::optional<TimePoint> delivered_at;
  std::int32_t attempts = 0;

  bool operator==(const OutboxEvent&) const = default;
};

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_RECORDS_H_
