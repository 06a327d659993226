#include "store/record_checks.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace devtrust::store {
namespace {

// RFC 5280 section 4.1.2.2: a serial number is at most 20 octets.
constexpr std::size_t kMaxSerialHexDigits = 40;

std::unexpected<Error> Invalid(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "invalid_argument", std::move(message));
}

bool IsLowercaseHex(std::string_view text) {
  for (const char c : text) {
    const bool digit = c >= '0' && c <= '9';
    const bool letter = c >= 'a' && c <= 'f';
    if (!digit && !letter) return false;
  }
  return true;
}

Status CheckSame(std::string_view field, std::string_view value, std::string_view expected_field,
                 std::string_view expected) {
  if (value != expected) {
    return Invalid(
        fmt::format("{} differs from {}; both must name the same object", field, expected_field));
  }
  return {};
}

}  // namespace

Status CheckNotEmpty(std::string_view field, std::string_view value) {
  if (value.empty()) return Invalid(fmt::format("{} is empty", field));
  return {};
}

Status CheckLimit(std::int64_t limit) {
  if (limit < 1 || limit > kMaxListLimit) {
    return Invalid(fmt::format("limit {} is out of range; use 1 to {}", limit, kMaxListLimit));
  }
  return {};
}

Status CheckNonceClaim(std::string_view field, const NonceClaim& claim) {
  if (claim.nonce_hash.size() != kNonceHashSize) {
    return Invalid(fmt::format("{}.nonce_hash has {} bytes; expected the {}-byte SHA-256 digest",
                               field, claim.nonce_hash.size(), kNonceHashSize));
  }

  if (Status status = CheckNotEmpty(fmt::format("{}.user_id", field), claim.user_id); !status) {
    return status;
  }

  // A registration nonce is issued before the device exists, while a login
  // nonce is bound to the device that signs it.
  if (claim.purpose == NoncePurpose::kRegister && !claim.device_id.empty()) {
    return Invalid(fmt::format("{}.device_id must be empty for a register nonce", field));
  }
  if (claim.purpose == NoncePurpose::kLogin && claim.device_id.empty()) {
    return Invalid(fmt::format("{}.device_id is empty; a login nonce names its device", field));
  }
  return {};
}

Status CheckNonceRecord(const NonceRecord& nonce) {
  const NonceClaim claim{nonce.nonce_hash, nonce.purpose, nonce.user_id, nonce.device_id};
  if (Status status = CheckNonceClaim("nonce", claim); !status) return status;

  if (nonce.expires_at <= nonce.created_at) {
    return Invalid("nonce.expires_at is not after nonce.created_at");
  }

  if (nonce.consumed_at.has_value()) {
    return Invalid("nonce.consumed_at is set; a new nonce must be unconsumed");
  }
  return {};
}

Status CheckDeviceRecord(std::string_view field, const DeviceRecord& device) {
  const std::pair<std::string_view, std::string_view> required_text[] = {
      {"device_id", device.device_id},
      {"user_id", device.user_id},
      {"baseline_fingerprint", device.baseline_fingerprint},
      {"accepted_fingerprint", device.accepted_fingerprint},
  };
  for (const auto& [name, value] : required_text) {
    if (value.empty()) return Invalid(fmt::format("{}.{} is empty", field, name));
  }

  // ML-KEM is optional: a device without it agrees session keys with X25519.
  const std::pair<std::string_view, const Bytes*> required_keys[] = {
      {"ml_dsa_public_key", &device.ml_dsa_public_key},
      {"ecdsa_public_key", &device.ecdsa_public_key},
      {"x25519_public_key", &device.x25519_public_key},
  };
  for (const auto& [name, key] : required_keys) {
    if (key->empty()) return Invalid(fmt::format("{}.{} is empty", field, name));
  }

  if (device.updated_at < device.created_at) {
    return Invalid(fmt::format("{}.updated_at is before {}.created_at", field, field));
  }
  return {};
}

Status CheckCertificateRecord(std::string_view field, const CertificateRecord& certificate) {
  if (certificate.serial.empty() || certificate.serial.size() > kMaxSerialHexDigits ||
      !IsLowercaseHex(certificate.serial)) {
    return Invalid(fmt::format("{}.serial must be 1 to {} lowercase hexadecimal digits", field,
                               kMaxSerialHexDigits));
  }

  if (Status status = CheckNotEmpty(fmt::format("{}.device_id", field), certificate.device_id);
      !status) {
    return status;
  }

  if (certificate.der.empty()) return Invalid(fmt::format("{}.der is empty", field));

  if (certificate.not_after <= certificate.not_before) {
    return Invalid(fmt::format("{}.not_after is not after {}.not_before", field, field));
  }
  return {};
}

Status CheckNewChallenge(std::string_view field, const VerificationChallenge& challenge) {
  const std::pair<std::string_view, std::string_view> required_text[] = {
      {"challenge_id", challenge.challenge_id},
      {"user_id", challenge.user_id},
      {"device_id", challenge.device_id},
  };
  for (const auto& [name, value] : required_text) {
    if (value.empty()) return Invalid(fmt::format("{}.{} is empty", field, name));
  }

  if (challenge.code_hash.empty()) return Invalid(fmt::format("{}.code_hash is empty", field));

  if (challenge.status != ChallengeStatus::kOpen) {
    return Invalid(fmt::format("{}.status is {}; a new challenge must be open", field,
                               ChallengeStatusName(challenge.status)));
  }

  if (challenge.attempts != 0) {
    return Invalid(
        fmt::format("{}.attempts is {}; a new challenge starts at 0", field, challenge.attempts));
  }

  if (challenge.max_attempts < 1) {
    return Invalid(
        fmt::format("{}.max_attempts is {}; it must be at least 1", field, challenge.max_attempts));
  }

  if (challenge.expires_at <= challenge.created_at) {
    return Invalid(fmt::format("{}.expires_at is not after {}.created_at", field, field));
  }

  if (challenge.completed_at.has_value()) {
    return Invalid(fmt::format("{}.completed_at is set; a new challenge is not completed", field));
  }
  return {};
}

Status CheckNewNotification(std::string_view field, const Notification& notification) {
  if (Status status =
          CheckNotEmpty(fmt::format("{}.notification_id", field), notification.notification_id);
      !status) {
    return status;
  }
  return CheckNotEmpty(fmt::format("{}.user_id", field), notification.user_id);
}

Status CheckNewReviewItem(std::string_view field, const ReviewItem& item) {
  const std::pair<std::string_view, std::string_view> required_text[] = {
      {"review_id", item.review_id},
      {"device_id", item.device_id},
      {"user_id", item.user_id},
  };
  for (const auto& [name, value] : required_text) {
    if (value.empty()) return Invalid(fmt::format("{}.{} is empty", field, name));
  }

  // SQLite would store NaN as NULL, and no comparison orders NaN or infinity
  // usefully in the review queue.
  if (!std::isfinite(item.drift_score)) {
    return Invalid(fmt::format("{}.drift_score is not a finite number", field));
  }

  if (item.status != ReviewStatus::kOpen || !item.resolution.empty() || !item.resolved_by.empty() ||
      item.resolved_at.has_value()) {
    return Invalid(fmt::format("{} must be open and unresolved", field));
  }
  return {};
}

Status CheckNewOutboxEvents(std::span<const OutboxEvent> events) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].topic.empty()) return Invalid(fmt::format("events[{}].topic is empty", i));
  }
  return {};
}

Status CheckDeviceRegistration(const DeviceRegistration& registration) {
  const DeviceRecord& device = registration.device;

  // Each part on its own.
  if (Status status = CheckNonceClaim("registration.nonce", registration.nonce); !status) {
    return status;
  }
  if (Status status = CheckDeviceRecord("registration.device", device); !status) return status;
  if (Status status = CheckCertificateRecord("registration.ml_dsa_certificate",
                                             registration.ml_dsa_certificate);
      !status) {
    return status;
  }
  if (Status status =
          CheckCertificateRecord("registration.ecdsa_certificate", registration.ecdsa_certificate);
      !status) {
    return status;
  }
  if (Status status = CheckNewChallenge("registration.challenge", registration.challenge);
      !status) {
    return status;
  }
  if (Status status = CheckNewNotification("registration.notification", registration.notification);
      !status) {
    return status;
  }
  if (Status status = CheckNewOutboxEvents(registration.events); !status) return status;

  // The state a new device starts in.
  if (registration.nonce.purpose != NoncePurpose::kRegister) {
    return Invalid("registration.nonce.purpose must be register");
  }
  if (device.status != DeviceStatus::kPending) {
    return Invalid(fmt::format("registration.device.status is {}; a new device must be pending",
                               DeviceStatusName(device.status)));
  }
  if (device.verified_at.has_value() || device.revoked_at.has_value() ||
      device.flagged_for_review) {
    return Invalid("registration.device must not be verified, revoked or flagged yet");
  }
  if (registration.ml_dsa_certificate.kind != CertificateKind::kMlDsa) {
    return Invalid("registration.ml_dsa_certificate.kind must be ml_dsa");
  }
  if (registration.ecdsa_certificate.kind != CertificateKind::kEcdsa) {
    return Invalid("registration.ecdsa_certificate.kind must be ecdsa");
  }
  if (registration.ml_dsa_certificate.revoked_at.has_value() ||
      registration.ecdsa_certificate.revoked_at.has_value()) {
    return Invalid("registration certificates must not be revoked");
  }
  if (registration.challenge.reason != ChallengeReason::kRegistration) {
    return Invalid("registration.challenge.reason must be registration");
  }

  // Every part belongs to the same device and user.
  const std::pair<std::string_view, std::string_view> device_ids[] = {
      {"registration.ml_dsa_certificate.device_id", registration.ml_dsa_certificate.device_id},
      {"registration.ecdsa_certificate.device_id", registration.ecdsa_certificate.device_id},
      {"registration.challenge.device_id", registration.challenge.device_id},
      {"registration.notification.device_id", registration.notification.device_id},
  };
  for (const auto& [name, value] : device_ids) {
    if (Status status = CheckSame(name, value, "registration.device.device_id", device.device_id);
        !status) {
      return status;
    }
  }
  const std::pair<std::string_view, std::string_view> user_ids[] = {
      {"registration.nonce.user_id", registration.nonce.user_id},
      {"registration.challenge.user_id", registration.challenge.user_id},
      {"registration.notification.user_id", registration.notification.user_id},
  };
  for (const auto& [name, value] : user_ids) {
    if (Status status = CheckSame(name, value, "registration.device.user_id", device.user_id);
        !status) {
      return status;
    }
  }
  if (registration.ml_dsa_certificate.serial == registration.ecdsa_certificate.serial) {
    return Invalid("registration certificates have the same serial");
  }
  return {};
}

Status CheckValidationWrite(const ValidationWrite& write) {
  const bool needs_device = write.accepted_fingerprint.has_value() || write.challenge.has_value() ||
                            write.review_item.has_value();
  if (needs_device && write.device_id.empty()) {
    return Invalid(
        "validation.device_id is empty but a fingerprint, challenge or review item names a device");
  }

  if (write.accepted_fingerprint.has_value() && write.accepted_fingerprint->empty()) {
    return Invalid("validation.accepted_fingerprint is set but empty");
  }

  if (write.challenge.has_value()) {
    if (Status status = CheckNewChallenge("validation.challenge", *write.challenge); !status) {
      return status;
    }
    if (Status status = CheckSame("validation.challenge.device_id", write.challenge->device_id,
                                  "validation.device_id", write.device_id);
        !status) {
      return status;
    }
  }

  if (write.review_item.has_value()) {
    if (Status status = CheckNewReviewItem("validation.review_item", *write.review_item); !status) {
      return status;
    }
    if (Status status = CheckSame("validation.review_item.device_id", write.review_item->device_id,
                                  "validation.device_id", write.device_id);
        !status) {
      return status;
    }
  }

  for (std::size_t i = 0; i < write.notifications.size(); ++i) {
    if (Status status = CheckNewNotification(fmt::format("validation.notifications[{}]", i),
                                             write.notifications[i]);
        !status) {
      return status;
    }
  }
  return CheckNewOutboxEvents(write.events);
}

}  // namespace devtrust::store
