#include "service/ca_service.h"

#include <utility>
#include <vector>

#include "crypto/x509_types.h"

namespace devtrust::service {
namespace {

std::size_t SlotOf(pki::RootAlgorithm algorithm) {
  return algorithm == pki::RootAlgorithm::kMlDsa65 ? 0 : 1;
}

store::CertificateKind KindOf(pki::RootAlgorithm algorithm) {
  return algorithm == pki::RootAlgorithm::kMlDsa65 ? store::CertificateKind::kMlDsa
                                                   : store::CertificateKind::kEcdsa;
}

}  // namespace

crypto::RevocationReason CrlReasonFor(std::string_view revocation_reason) {
  if (revocation_reason == "key_compromise") return crypto::RevocationReason::kKeyCompromise;
  if (revocation_reason == "superseded") return crypto::RevocationReason::kSuperseded;
  if (revocation_reason == "affiliation_changed") {
    return crypto::RevocationReason::kAffiliationChanged;
  }
  if (revocation_reason == "cessation_of_operation") {
    return crypto::RevocationReason::kCessationOfOperation;
  }
  if (revocation_reason == "privilege_withdrawn") {
    return crypto::RevocationReason::kPrivilegeWithdrawn;
  }
  return crypto::RevocationReason::kUnspecified;
}

RootCertificates CaService::Roots() const {
  return RootCertificates{context_.ca.root_certificate(pki::RootAlgorithm::kMlDsa65).ToPem(),
                          context_.ca.root_certificate(pki::RootAlgorithm::kEcdsaP256).ToPem()};
}

Status CaService::Refresh() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return RefreshLocked();
}

Status CaService::RefreshLocked() {
  const store::TimePoint now = context_.clock();
  std::vector<crypto::RevokedCertificate> all;

  for (const pki::RootAlgorithm algorithm :
       {pki::RootAlgorithm::kMlDsa65, pki::RootAlgorithm::kEcdsaP256}) {
    Result<std::vector<store::RevokedCertificate>> revoked =
        context_.store.ListRevokedCertificates(KindOf(algorithm));
    if (!revoked) return std::unexpected(std::move(revoked).error());

    std::vector<crypto::RevokedCertificate> entries;
    for (const store::RevokedCertificate& stored : *revoked) {
      Result<Bytes> serial = crypto::SerialNumberFromHex(stored.serial);
      if (!serial) {
        return MakeError(
            StatusCode::kDataLoss, "stored_serial_invalid",
            "revoked certificate serial " + stored.serial + " in the store is invalid");
      }
      crypto::RevokedCertificate entry{*std::move(serial), stored.revoked_at,
                                       CrlReasonFor(stored.revocation_reason)};
      all.push_back(entry);
      // RFC 5280 section 5: an entry may leave the CRL once the certificate
      // has expired, because validation rejects it for its validity anyway.
      if (stored.not_after >= now) entries.push_back(std::move(entry));
    }

    Result<Bytes> crl =
        context_.ca.IssueCrl(algorithm, entries, now, now + context_.settings.crl_validity);
    if (!crl) return std::unexpected(std::move(crl).error());
    crls_[SlotOf(algorithm)] = IssuedCrl{*std::move(crl), now};
  }

  context_.ca.revocations().Replace(std::move(all));
  return {};
}

Result<Bytes> CaService::Crl(pki::RootAlgorithm algorithm) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const IssuedCrl& current = crls_[SlotOf(algorithm)];
  if (current.der.empty() ||
      context_.clock() - current.this_update >= context_.settings.crl_validity / 2) {
    if (Status refreshed = RefreshLocked(); !refreshed) {
      return std::unexpected(refreshed.error());
    }
  }
  return crls_[SlotOf(algorithm)].der;
}

}  // namespace devtrust::service
