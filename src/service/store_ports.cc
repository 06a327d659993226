#include "service/store_ports.h"

#include <string>
#include <utility>

#include "crypto/hash.h"

namespace devtrust::service {
namespace {

trust::DeviceState ToTrust(store::DeviceStatus status) {
  switch (status) {
    case store::DeviceStatus::kPending:
      return trust::DeviceState::kPending;
    case store::DeviceStatus::kTrusted:
      return trust::DeviceState::kTrusted;
    case store::DeviceStatus::kRevoked:
      return trust::DeviceState::kRevoked;
  }
  return trust::DeviceState::kRevoked;
}

Result<trust::Fingerprint> ParseStoredFingerprint(const std::string& text,
                                                  std::string_view device_id,
                                                  std::string_view which) {
  Result<trust::Fingerprint> fingerprint = trust::Fingerprint::FromJsonText(text);
  if (!fingerprint) {
    return MakeError(StatusCode::kDataLoss, "stored_fingerprint_invalid",
                     "the stored " + std::string(which) + " fingerprint of device " +
                         std::string(device_id) +
                         " does not parse: " + fingerprint.error().message());
  }
  return fingerprint;
}

}  // namespace

store::NonceClaim StoredLoginNonceClaim(ByteView nonce, std::string_view user_id,
                                        std::string_view device_id) {
  store::NonceClaim claim;
  claim.nonce_hash = crypto::Sha256(nonce);
  claim.purpose = store::NoncePurpose::kLogin;
  claim.user_id = std::string(user_id);
  claim.device_id = std::string(device_id);
  return claim;
}

trust::NonceOutcome ToTrustNonceOutcome(store::NonceOutcome outcome) {
  switch (outcome) {
    case store::NonceOutcome::kConsumed:
      return trust::NonceOutcome::kValid;
    case store::NonceOutcome::kReused:
      return trust::NonceOutcome::kReused;
    case store::NonceOutcome::kExpired:
      return trust::NonceOutcome::kExpired;
    case store::NonceOutcome::kUnknown:
      return trust::NonceOutcome::kUnknown;
    case store::NonceOutcome::kMismatch:
      return trust::NonceOutcome::kMismatch;
  }
  return trust::NonceOutcome::kUnknown;
}

Result<trust::NonceOutcome> StoreNonceLedger::CheckLoginNonce(const trust::LoginNonceClaim& claim) {
  Result<store::NonceOutcome> outcome = store_.CheckNonce(
      StoredLoginNonceClaim(claim.nonce, claim.user_id, claim.device_id), clock_());
  if (!outcome) return std::unexpected(std::move(outcome).error());
  return ToTrustNonceOutcome(*outcome);
}

Result<std::optional<trust::EnrolledDevice>> StoreDeviceDirectory::FindDevice(
    std::string_view device_id) {
  Result<store::DeviceRecord> record = store_.GetDevice(device_id);
  if (!record) {
    if (record.error().code() == StatusCode::kNotFound) return std::nullopt;
    return std::unexpected(std::move(record).error());
  }

  Result<trust::Fingerprint> baseline =
      ParseStoredFingerprint(record->baseline_fingerprint, device_id, "baseline");
  if (!baseline) return std::unexpected(std::move(baseline).error());
  std::optional<trust::Fingerprint> last_accepted;
  if (!record->accepted_fingerprint.empty() &&
      record->accepted_fingerprint != record->baseline_fingerprint) {
    Result<trust::Fingerprint> accepted =
        ParseStoredFingerprint(record->accepted_fingerprint, device_id, "accepted");
    if (!accepted) return std::unexpected(std::move(accepted).error());
    last_accepted = *std::move(accepted);
  }

  trust::EnrolledDevice device{.device_id = record->device_id,
                               .user_id = record->user_id,
                               .state = ToTrust(record->status),
                               .has_ml_kem_key = !record->ml_kem_public_key.empty(),
                               .flagged_for_review = record->flagged_for_review,
                               .baseline = *std::move(baseline),
                               .last_accepted = std::move(last_accepted)};
  record_ = *std::move(record);
  return device;
}

Result<std::optional<trust::IssuedCertificate>> StoreDeviceDirectory::FindCertificate(
    std::string_view serial) {
  Result<store::CertificateRecord> record = store_.GetCertificate(serial);
  if (!record) {
    if (record.error().code() == StatusCode::kNotFound) return std::nullopt;
    return std::unexpected(std::move(record).error());
  }
  trust::IssuedCertificate certificate;
  certificate.device_id = record->device_id;
  certificate.slot = record->kind == store::CertificateKind::kMlDsa
                         ? trust::CertificateSlot::kMlDsa
                         : trust::CertificateSlot::kEcdsa;
  certificate.revoked = record->revoked_at.has_value();
  certificate.der = std::move(record->der);
  return certificate;
}

}  // namespace devtrust::service
