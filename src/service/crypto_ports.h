// The validation pipeline's certificate checker, proof verifier and session
// issuer, over the CA and the crypto library. One instance serves one
// request.
#ifndef DEVTRUST_SERVICE_CRYPTO_PORTS_H_
#define DEVTRUST_SERVICE_CRYPTO_PORTS_H_

#include <functional>
#include <optional>

#include "crypto/session_key.h"
#include "pki/certificate_authority.h"
#include "service/device_key_cache.h"
#include "service/store_ports.h"
#include "trust/validation_pipeline_ports.h"

namespace devtrust::service {

// The pki reason of a failed device certificate check as the pipeline's stage
// and reason code.
trust::CertificateInspection InspectionFromCheck(const Error& error, std::string serial);

// Parses and checks certificates with the CA: chain, signature, profile,
// validity with clock skew and the revocation list. The slot decides the
// required signature algorithm: ML-DSA-65 for the ML-DSA slot, ECDSA with
// SHA-256 for the twin.
class CaCertificateChecker final : public trust::CertificateChecker {
 public:
  CaCertificateChecker(const pki::CertificateAuthority& ca, std::function<store::TimePoint()> clock)
      : ca_(ca), clock_(std::move(clock)) {}

  trust::CertificateInspection Inspect(ByteView der, trust::CertificateSlot slot) override;

 private:
  const pki::CertificateAuthority& ca_;
  std::function<store::TimePoint()> clock_;
};

// Verifies login proofs with the keys of the device the directory found,
// parsed once per device through the key cache.
class KeyProofVerifier final : public trust::ProofVerifier {
 public:
  KeyProofVerifier(const StoreDeviceDirectory& directory, DeviceKeyCache& key_cache)
      : directory_(directory), key_cache_(key_cache) {}

  // Errors: "device_not_loaded" (kInternal) when the directory found no
  // device first; the key cache's.
  Result<bool> VerifyLoginProof(const trust::EnrolledDevice& device,
                                trust::ProofAlgorithm algorithm, ByteView message,
                                ByteView signature) override;

 private:
  const StoreDeviceDirectory& directory_;
  DeviceKeyCache& key_cache_;
};

// Establishes session keys with crypto/session_key.h and keeps the last one.
class CryptoSessionIssuer final : public trust::SessionIssuer {
 public:
  CryptoSessionIssuer(const StoreDeviceDirectory& directory, DeviceKeyCache& key_cache)
      : directory_(directory), key_cache_(key_cache) {}

  // Errors: "mlkem_key_missing" for a hybrid session of a device without
  // ML-KEM; those of EstablishHybridSession and EstablishClassicalSession.
  Status EstablishSession(const trust::EnrolledDevice& device, trust::SessionKind kind,
                          std::string_view transcript_label) override;

  // The session established last, if any; the caller takes it.
  std::optional<crypto::ServerSession>& session() { return session_; }

 private:
  const StoreDeviceDirectory& directory_;
  DeviceKeyCache& key_cache_;
  std::optional<crypto::ServerSession> session_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_CRYPTO_PORTS_H_
