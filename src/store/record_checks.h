// Input checks shared by every Store implementation. They run before an
// operation is queued, so a malformed request never reaches the database.
//
// Each function returns kInvalidArgument with reason "invalid_argument" and a
// message that names the first offending field, such as
// "registration.device.user_id is empty".
#ifndef DEVTRUST_STORE_RECORD_CHECKS_H_
#define DEVTRUST_STORE_RECORD_CHECKS_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "base/error.h"
#include "store/records.h"
#include "store/store.h"

namespace devtrust::store {

// Size of a SHA-256 digest, the form in which nonces are stored.
inline constexpr std::size_t kNonceHashSize = 32;

// Maximum bytes of Notification::last_error that are kept.
inline constexpr std::size_t kMaxLastErrorSize = 256;

Status CheckNotEmpty(std::string_view field, std::string_view value);
// Requires 1 <= limit <= kMaxListLimit.
Status CheckLimit(std::int64_t limit);

Status CheckNonceRecord(const NonceRecord& nonce);
Status CheckNonceClaim(std::string_view field, const NonceClaim& claim);

// Checks a new device: ids and the ML-DSA, ECDSA and X25519 keys present,
// both fingerprints present, updated_at not before created_at.
Status CheckDeviceRecord(std::string_view field, const DeviceRecord& device);
// Checks a certificate: lowercase hexadecimal serial of 1 to 40 digits, a
// device id, DER present, not_before < not_after.
Status CheckCertificateRecord(std::string_view field, const CertificateRecord& certificate);
// Checks a new challenge: status kOpen, attempts 0, max_attempts >= 1, a code
// hash and created_at < expires_at.
Status CheckNewChallenge(std::string_view field, const VerificationChallenge& challenge);
Status CheckNewNotification(std::string_view field, const Notification& notification);
// Checks a new review item: status kOpen, no resolution and a finite score.
Status CheckNewReviewItem(std::string_view field, const ReviewItem& item);
Status CheckNewOutboxEvents(std::span<const OutboxEvent> events);

// Checks every part and that the parts agree. The nonce must have purpose
// kRegister and the device's user. The device must be pending and not yet
// verified or revoked. The certificates must have the right kinds, the
// challenge must have reason kRegistration, and every part must name the
// same device and user.
Status CheckDeviceRegistration(const DeviceRegistration& registration);

// Checks every part that is set and that the challenge and review item name
// write.device_id.
Status CheckValidationWrite(const ValidationWrite& write);

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_RECORD_CHECKS_H_
