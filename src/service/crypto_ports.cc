#include "service/crypto_ports.h"

#include <string>
#include <utility>

#include "crypto/signature.h"
#include "crypto/x509.h"
#include "trust/proof.h"

namespace devtrust::service {
namespace {

trust::CertificateInspection Failed(trust::CertificateStage stage, trust::ReasonCode reason,
                                    std::string serial) {
  trust::CertificateInspection inspection;
  inspection.failed_stage = stage;
  inspection.reason = reason;
  inspection.serial = std::move(serial);
  return inspection;
}

Result<std::shared_ptr<const DevicePublicKeys>> KeysOf(const StoreDeviceDirectory& directory,
                                                       DeviceKeyCache& key_cache,
                                                       const trust::EnrolledDevice& device) {
  const std::optional<store::DeviceRecord>& record = directory.record();
  if (!record.has_value() || record->device_id != device.device_id) {
    return MakeError(StatusCode::kInternal, "device_not_loaded",
                     "the keys of device " + device.device_id +
                         " were requested before the directory read the device");
  }
  return key_cache.Get(*record);
}

}  // namespace

trust::CertificateInspection InspectionFromCheck(const Error& error, std::string serial) {
  const std::string& reason = error.reason();
  if (reason == "certificate_malformed") {
    return Failed(trust::CertificateStage::kParse, trust::ReasonCode::kCertificateMalformed,
                  std::move(serial));
  }
  if (reason == "certificate_foreign_issuer") {
    return Failed(trust::CertificateStage::kChain, trust::ReasonCode::kCertificateForeignIssuer,
                  std::move(serial));
  }
  if (reason == "certificate_not_yet_valid") {
    return Failed(trust::CertificateStage::kValidity, trust::ReasonCode::kCertificateNotYetValid,
                  std::move(serial));
  }
  if (reason == "certificate_expired") {
    return Failed(trust::CertificateStage::kValidity, trust::ReasonCode::kCertificateExpired,
                  std::move(serial));
  }
  if (reason == "certificate_revoked") {
    return Failed(trust::CertificateStage::kRevocation, trust::ReasonCode::kCertificateRevoked,
                  std::move(serial));
  }
  // certificate_signature_invalid, and certificate_profile_invalid: a
  // certificate a devtrust root signed but not in the device profile cannot
  // be a device certificate of this CA either.
  return Failed(trust::CertificateStage::kChain, trust::ReasonCode::kCertificateSignatureInvalid,
                std::move(serial));
}

trust::CertificateInspection CaCertificateChecker::Inspect(ByteView der,
                                                           trust::CertificateSlot slot) {
  Result<crypto::Certificate> certificate = crypto::Certificate::FromDer(der);
  if (!certificate) {
    return Failed(trust::CertificateStage::kParse, trust::ReasonCode::kCertificateMalformed, "");
  }
  std::string serial = certificate->serial_number_hex();

  // A twin presented as the ML-DSA certificate, or the reverse, was not
  // issued by the slot's root.
  const crypto::SignatureAlgorithm expected = slot == trust::CertificateSlot::kMlDsa
                                                  ? crypto::SignatureAlgorithm::kMlDsa65
                                                  : crypto::SignatureAlgorithm::kEcdsaP256Sha256;
  if (certificate->signature_algorithm() != expected) {
    return Failed(trust::CertificateStage::kChain, trust::ReasonCode::kCertificateForeignIssuer,
                  std::move(serial));
  }

  if (Status checked = ca_.CheckDeviceCertificate(*certificate, clock_()); !checked) {
    return InspectionFromCheck(checked.error(), std::move(serial));
  }
  trust::CertificateInspection passed;
  passed.serial = std::move(serial);
  return passed;
}

Result<bool> KeyProofVerifier::VerifyLoginProof(const trust::EnrolledDevice& device,
                                                trust::ProofAlgorithm algorithm, ByteView message,
                                                ByteView signature) {
  Result<std::shared_ptr<const DevicePublicKeys>> keys = KeysOf(directory_, key_cache_, device);
  if (!keys) return std::unexpected(std::move(keys).error());

  const bool ml_dsa = algorithm == trust::ProofAlgorithm::kMlDsa65;
  Status verified = crypto::Verify(ml_dsa ? (*keys)->ml_dsa : (*keys)->ecdsa, message, signature,
                                   ml_dsa ? trust::kLoginProofContext : std::string_view());
  if (verified) return true;
  // A signature that does not verify is a fact for the pipeline; only a
  // library failure is an error.
  if (verified.error().code() == StatusCode::kInternal) {
    return std::unexpected(std::move(verified).error());
  }
  return false;
}

Status CryptoSessionIssuer::EstablishSession(const trust::EnrolledDevice& device,
                                             trust::SessionKind kind,
                                             std::string_view transcript_label) {
  Result<std::shared_ptr<const DevicePublicKeys>> keys = KeysOf(directory_, key_cache_, device);
  if (!keys) return std::unexpected(std::move(keys).error());

  Result<crypto::ServerSession> session = [&]() -> Result<crypto::ServerSession> {
    if (kind == trust::SessionKind::kClassical) {
      return crypto::EstablishClassicalSession((*keys)->x25519, transcript_label);
    }
    if (!(*keys)->ml_kem.has_value()) {
      return MakeError(StatusCode::kFailedPrecondition, "mlkem_key_missing",
                       "device " + device.device_id + " registered no ML-KEM-768 key");
    }
    return crypto::EstablishHybridSession(*(*keys)->ml_kem, (*keys)->x25519, transcript_label);
  }();
  if (!session) return std::unexpected(std::move(session).error());
  session_ = *std::move(session);
  return {};
}

}  // namespace devtrust::service
