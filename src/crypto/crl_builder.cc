#include "crypto/crl_builder.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>
#include <unordered_set>
#include <utility>

#include "crypto/internal/openssl_error.h"
#include "crypto/internal/x509_asn1.h"
#include "crypto/internal/x509_handles.h"
#include "crypto/internal/x509_issuer.h"

namespace devtrust::crypto {
namespace {

using internal::OpenSslInternalError;

std::unexpected<Error> InvalidRequest(std::string what) {
  return MakeError(StatusCode::kInvalidArgument, "invalid_crl_request", std::move(what));
}

Result<internal::X509RevokedPtr> BuildEntry(const RevokedCertificate& entry) {
  if (entry.reason == RevocationReason::kRemoveFromCrl) {
    // RFC 5280 section 5.3.1: removeFromCRL appears only in delta CRLs.
    return InvalidRequest("revoked serial number " + SerialNumberToHex(entry.serial_number) +
                          " has reason removeFromCRL, which only delta CRLs may use");
  }
  Result<internal::Asn1IntegerPtr> serial_number =
      internal::SerialNumberToAsn1(entry.serial_number);
  if (!serial_number) {
    return InvalidRequest("revoked entry: " + serial_number.error().message());
  }
  Result<internal::Asn1TimePtr> date =
      internal::TimeToAsn1(entry.revocation_date, "revocationDate");
  if (!date) {
    return InvalidRequest("revoked serial number " + SerialNumberToHex(entry.serial_number) + ": " +
                          date.error().message());
  }

  internal::X509RevokedPtr revoked(X509_REVOKED_new());
  if (revoked == nullptr ||
      X509_REVOKED_set_serialNumber(revoked.get(), serial_number->get()) != 1 ||
      X509_REVOKED_set_revocationDate(revoked.get(), date->get()) != 1) {
    return std::unexpected(OpenSslInternalError("building a CRL entry"));
  }

  if (entry.reason != RevocationReason::kUnspecified) {
    internal::Asn1EnumeratedPtr code(ASN1_ENUMERATED_new());
    if (code == nullptr || ASN1_ENUMERATED_set(code.get(), static_cast<long>(entry.reason)) != 1 ||
        X509_REVOKED_add1_ext_i2d(revoked.get(), NID_crl_reason, code.get(), 0,
                                  X509V3_ADD_DEFAULT) != 1) {
      return std::unexpected(OpenSslInternalError("adding a reasonCode"));
    }
  }
  return revoked;
}

Status AddCrlExtensions(X509_CRL* crl, std::uint64_t crl_number, ByteView authority_key_id) {
  internal::AuthorityKeyIdPtr key_id(AUTHORITY_KEYID_new());
  if (key_id == nullptr) {
    return std::unexpected(OpenSslInternalError("allocating authorityKeyIdentifier"));
  }
  key_id->keyid = ASN1_OCTET_STRING_new();
  if (key_id->keyid == nullptr ||
      ASN1_OCTET_STRING_set(key_id->keyid, authority_key_id.data(),
                            static_cast<int>(authority_key_id.size())) != 1 ||
      X509_CRL_add1_ext_i2d(crl, NID_authority_key_identifier, key_id.get(), 0,
                            X509V3_ADD_DEFAULT) != 1) {
    return std::unexpected(OpenSslInternalError("adding authorityKeyIdentifier"));
  }

  internal::Asn1IntegerPtr number(ASN1_INTEGER_new());
  if (number == nullptr || ASN1_INTEGER_set_uint64(number.get(), crl_number) != 1 ||
      X509_CRL_add1_ext_i2d(crl, NID_crl_number, number.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return std::unexpected(OpenSslInternalError("adding cRLNumber"));
  }
  return {};
}

}  // namespace

CrlBuilder& CrlBuilder::SetCrlNumber(std::uint64_t crl_number) {
  crl_number_ = crl_number;
  return *this;
}

CrlBuilder& CrlBuilder::SetValidity(TimePoint this_update, TimePoint next_update) {
  this_update_ = this_update;
  next_update_ = next_update;
  return *this;
}

CrlBuilder& CrlBuilder::AddRevokedCertificate(RevokedCertificate entry) {
  entries_.push_back(std::move(entry));
  return *this;
}

Result<Crl> CrlBuilder::Sign(const Certificate& issuer, const PrivateKey& issuer_key) const {
  // Check the request and the issuer before building anything.
  Result<SignatureAlgorithm> algorithm = SignatureAlgorithmForKey(issuer_key.algorithm());
  if (!algorithm) {
    return std::unexpected(algorithm.error());
  }
  if (!crl_number_) {
    return InvalidRequest("CRL request has no CRL number; call SetCrlNumber");
  }
  if (!this_update_ || !next_update_) {
    return InvalidRequest("CRL request has no thisUpdate and nextUpdate; call SetValidity");
  }
  if (*next_update_ < *this_update_) {
    return InvalidRequest("CRL request has nextUpdate before thisUpdate");
  }
  Status issuer_ok = internal::CheckIssuer(issuer, issuer_key, internal::IssuedObject::kCrl);
  if (!issuer_ok) {
    return std::unexpected(issuer_ok.error());
  }
  Result<internal::Asn1TimePtr> this_update = internal::TimeToAsn1(*this_update_, "thisUpdate");
  if (!this_update) {
    return std::unexpected(this_update.error());
  }
  Result<internal::Asn1TimePtr> next_update = internal::TimeToAsn1(*next_update_, "nextUpdate");
  if (!next_update) {
    return std::unexpected(next_update.error());
  }

  // The TBSCertList fields.
  internal::X509CrlPtr crl(X509_CRL_new());
  if (crl == nullptr || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.native())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), this_update->get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next_update->get()) != 1) {
    return std::unexpected(OpenSslInternalError("setting the CRL fields"));
  }

  // Entries, sorted by serial number so that the output does not depend on
  // the order the caller added them in.
  std::unordered_set<std::string> listed;
  for (const RevokedCertificate& entry : entries_) {
    if (!listed.insert(SerialNumberToHex(entry.serial_number)).second) {
      return InvalidRequest("CRL request lists serial number " +
                            SerialNumberToHex(entry.serial_number) + " twice");
    }
    Result<internal::X509RevokedPtr> revoked = BuildEntry(entry);
    if (!revoked) {
      return std::unexpected(revoked.error());
    }
    if (X509_CRL_add0_revoked(crl.get(), revoked->get()) != 1) {
      return std::unexpected(OpenSslInternalError("adding a CRL entry"));
    }
    revoked->release();  // now owned by the CRL
  }
  if (X509_CRL_sort(crl.get()) != 1) {
    return std::unexpected(OpenSslInternalError("sorting the CRL entries"));
  }

  Status extensions =
      AddCrlExtensions(crl.get(), *crl_number_, internal::IssuerKeyIdentifier(issuer));
  if (!extensions) {
    return std::unexpected(extensions.error());
  }

  // Sign, with a null digest for ML-DSA as in CertificateBuilder.
  if (X509_CRL_sign(crl.get(), issuer_key.native(), internal::SigningDigest(*algorithm)) <= 0) {
    return std::unexpected(OpenSslInternalError("signing the CRL"));
  }

  Result<Bytes> der = internal::EncodeDer<X509_CRL>(crl.get(), i2d_X509_CRL, "CRL");
  if (!der) {
    return std::unexpected(der.error());
  }
  return Crl::FromDer(*der);
}

}  // namespace devtrust::crypto
