#include "crypto/x509_builder.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <utility>

#include "crypto/internal/openssl_error.h"
#include "crypto/internal/x509_asn1.h"
#include "crypto/internal/x509_handles.h"
#include "crypto/internal/x509_issuer.h"

namespace devtrust::crypto {
namespace {

using internal::OpenSslInternalError;

std::unexpected<Error> InvalidRequest(std::string what) {
  return MakeError(StatusCode::kInvalidArgument, "invalid_certificate_request", std::move(what));
}

bool IsPrintableAsciiWithoutSpace(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Status AddExtension(X509* x509, int nid, void* value, bool critical, std::string_view name) {
  if (X509_add1_ext_i2d(x509, nid, value, critical ? 1 : 0, X509V3_ADD_DEFAULT) != 1) {
    return std::unexpected(OpenSslInternalError("adding the " + std::string(name) + " extension"));
  }
  return {};
}

Result<internal::Asn1OctetStringPtr> MakeOctetString(ByteView bytes) {
  internal::Asn1OctetStringPtr value(ASN1_OCTET_STRING_new());
  if (value == nullptr ||
      ASN1_OCTET_STRING_set(value.get(), bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return std::unexpected(OpenSslInternalError("building an OCTET STRING"));
  }
  return value;
}

Status AddBasicConstraintsExtension(X509* x509, const BasicConstraints& constraints) {
  internal::BasicConstraintsPtr value(BASIC_CONSTRAINTS_new());
  if (value == nullptr) {
    return std::unexpected(OpenSslInternalError("allocating basicConstraints"));
  }
  value->ca = constraints.is_ca ? 0xff : 0;
  if (constraints.path_length) {
    value->pathlen = ASN1_INTEGER_new();
    if (value->pathlen == nullptr ||
        ASN1_INTEGER_set_uint64(value->pathlen, *constraints.path_length) != 1) {
      return std::unexpected(OpenSslInternalError("setting the path length"));
    }
  }
  return AddExtension(x509, NID_basic_constraints, value.get(), true, "basicConstraints");
}

Status AddKeyUsageExtension(X509* x509, const KeyUsage& usage) {
  Result<internal::Asn1BitStringPtr> bits = internal::KeyUsageToAsn1(usage);
  if (!bits) {
    return std::unexpected(bits.error());
  }
  return AddExtension(x509, NID_key_usage, bits->get(), true, "keyUsage");
}

Status AddExtendedKeyUsageExtension(X509* x509, const std::vector<std::string>& oids) {
  internal::ExtendedKeyUsagePtr purposes(sk_ASN1_OBJECT_new_null());
  if (purposes == nullptr) {
    return std::unexpected(OpenSslInternalError("allocating extendedKeyUsage"));
  }
  for (const std::string& oid : oids) {
    internal::Asn1ObjectPtr object(OBJ_txt2obj(oid.c_str(), 1));
    if (object == nullptr) {
      internal::ClearOpenSslErrors();
      return InvalidRequest("extended key usage \"" + oid + "\" is not a dotted OID");
    }
    if (sk_ASN1_OBJECT_push(purposes.get(), object.get()) <= 0) {
      return std::unexpected(OpenSslInternalError("adding an extended key usage"));
    }
    object.release();  // now owned by the stack
  }
  return AddExtension(x509, NID_ext_key_usage, purposes.get(), false, "extendedKeyUsage");
}

Status PushGeneralName(GENERAL_NAMES* names, int type, ASN1_STRING* value) {
  internal::GeneralNamePtr name(GENERAL_NAME_new());
  if (name == nullptr) {
    ASN1_STRING_free(value);
    return std::unexpected(OpenSslInternalError("allocating a subjectAltName entry"));
  }
  GENERAL_NAME_set0_value(name.get(), type, value);
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0) {
    return std::unexpected(OpenSslInternalError("adding a subjectAltName entry"));
  }
  name.release();  // now owned by the stack
  return {};
}

Status PushGeneralNameText(GENERAL_NAMES* names, int type, const std::string& text) {
  ASN1_IA5STRING* value = ASN1_IA5STRING_new();
  if (value == nullptr || ASN1_STRING_set(value, text.data(), static_cast<int>(text.size())) != 1) {
    ASN1_IA5STRING_free(value);
    return std::unexpected(OpenSslInternalError("building a subjectAltName entry"));
  }
  return PushGeneralName(names, type, value);
}

Status AddSubjectAltNameExtension(X509* x509, const std::vector<std::string>& uris,
                                  const std::vector<std::string>& dns_names,
                                  const std::vector<Bytes>& ip_addresses) {
  internal::GeneralNamesPtr names(GENERAL_NAMES_new());
  if (names == nullptr) {
    return std::unexpected(OpenSslInternalError("allocating subjectAltName"));
  }
  for (const std::string& uri : uris) {
    if (Status pushed = PushGeneralNameText(names.get(), GEN_URI, uri); !pushed) {
      return pushed;
    }
  }
  for (const std::string& dns_name : dns_names) {
    if (Status pushed = PushGeneralNameText(names.get(), GEN_DNS, dns_name); !pushed) {
      return pushed;
    }
  }
  for (const Bytes& address : ip_addresses) {
    Result<internal::Asn1OctetStringPtr> value = MakeOctetString(address);
    if (!value) {
      return std::unexpected(value.error());
    }
    if (Status pushed = PushGeneralName(names.get(), GEN_IPADD, value->release()); !pushed) {
      return pushed;
    }
  }
  // Non-critical, which RFC 5280 section 4.2.1.6 allows because every
  // devtrust certificate has a non-empty subject.
  return AddExtension(x509, NID_subject_alt_name, names.get(), false, "subjectAltName");
}

Status AddKeyIdentifierExtensions(X509* x509, ByteView subject_key_id, ByteView authority_key_id) {
  Result<internal::Asn1OctetStringPtr> subject_value = MakeOctetString(subject_key_id);
  if (!subject_value) {
    return std::unexpected(subject_value.error());
  }
  // RFC 5280 sections 4.2.1.1 and 4.2.1.2: both extensions are non-critical.
  Status added = AddExtension(x509, NID_subject_key_identifier, subject_value->get(), false,
                              "subjectKeyIdentifier");
  if (!added) {
    return added;
  }

  internal::AuthorityKeyIdPtr authority(AUTHORITY_KEYID_new());
  Result<internal::Asn1OctetStringPtr> authority_value = MakeOctetString(authority_key_id);
  if (authority == nullptr || !authority_value) {
    return std::unexpected(OpenSslInternalError("building authorityKeyIdentifier"));
  }
  authority->keyid = authority_value->release();
  return AddExtension(x509, NID_authority_key_identifier, authority.get(), false,
                      "authorityKeyIdentifier");
}

}  // namespace

CertificateBuilder& CertificateBuilder::SetSerialNumber(Bytes serial_number) {
  serial_number_ = std::move(serial_number);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetSubject(DistinguishedName subject) {
  subject_ = std::move(subject);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetValidity(TimePoint not_before, TimePoint not_after) {
  not_before_ = not_before;
  not_after_ = not_after;
  return *this;
}

CertificateBuilder& CertificateBuilder::SetPublicKey(PublicKey public_key) {
  public_key_ = std::move(public_key);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetBasicConstraints(BasicConstraints constraints) {
  basic_constraints_ = constraints;
  return *this;
}

CertificateBuilder& CertificateBuilder::SetKeyUsage(KeyUsage usage) {
  key_usage_ = usage;
  return *this;
}

CertificateBuilder& CertificateBuilder::AddExtendedKeyUsage(std::string oid) {
  extended_key_usages_.push_back(std::move(oid));
  return *this;
}

CertificateBuilder& CertificateBuilder::AddSanUri(std::string uri) {
  san_uris_.push_back(std::move(uri));
  return *this;
}

CertificateBuilder& CertificateBuilder::AddSanDnsName(std::string dns_name) {
  san_dns_names_.push_back(std::move(dns_name));
  return *this;
}

CertificateBuilder& CertificateBuilder::AddSanIpAddress(Bytes address) {
  san_ip_addresses_.push_back(std::move(address));
  return *this;
}

Result<Certificate> CertificateBuilder::Sign(const Certificate& issuer,
                                             const PrivateKey& issuer_key) const {
  if (!public_key_) {
    return InvalidRequest("certificate request has no public key; call SetPublicKey");
  }
  Status issuer_ok =
      internal::CheckIssuer(issuer, issuer_key, internal::IssuedObject::kCertificate);
  if (!issuer_ok) {
    return std::unexpected(issuer_ok.error());
  }
  return Build(&issuer, *public_key_, issuer_key);
}

Result<Certificate> CertificateBuilder::SelfSign(const PrivateKey& key) const {
  const PublicKey own_key = key.GetPublicKey();
  if (public_key_ && EVP_PKEY_eq(public_key_->native(), own_key.native()) != 1) {
    internal::ClearOpenSslErrors();
    return MakeError(StatusCode::kInvalidArgument, "issuer_key_mismatch",
                     "self-signed certificate request names a public key other than the "
                     "signing key's");
  }
  return Build(nullptr, own_key, key);
}

Result<Certificate> CertificateBuilder::Build(const Certificate* issuer,
                                              const PublicKey& subject_key,
                                              const PrivateKey& signing_key) const {
  // Check the request before building anything.
  Result<SignatureAlgorithm> algorithm = SignatureAlgorithmForKey(signing_key.algorithm());
  if (!algorithm) {
    return std::unexpected(algorithm.error());
  }
  if (!subject_) {
    return InvalidRequest("certificate request has no subject; call SetSubject");
  }
  if (!not_before_ || !not_after_) {
    return InvalidRequest("certificate request has no validity; call SetValidity");
  }
  if (*not_after_ < *not_before_) {
    return InvalidRequest("certificate request has notAfter before notBefore");
  }
  if (basic_constraints_ && basic_constraints_->path_length && !basic_constraints_->is_ca) {
    // RFC 5280 section 4.2.1.9: pathLenConstraint only with cA set.
    return InvalidRequest("certificate request sets a path length without cA");
  }
  for (const std::string& text : san_uris_) {
    if (text.empty() || !IsPrintableAsciiWithoutSpace(text)) {
      return InvalidRequest(
          "subjectAltName URI must be non-empty printable ASCII without "
          "spaces");
    }
  }
  for (const std::string& text : san_dns_names_) {
    if (text.empty() || !IsPrintableAsciiWithoutSpace(text)) {
      return InvalidRequest(
          "subjectAltName DNS name must be non-empty printable ASCII "
          "without spaces");
    }
  }
  for (const Bytes& address : san_ip_addresses_) {
    if (address.size() != 4 && address.size() != 16) {
      return InvalidRequest("subjectAltName IP address must be 4 or 16 bytes, got " +
                            std::to_string(address.size()));
    }
  }
  Result<internal::Asn1IntegerPtr> serial_number = internal::SerialNumberToAsn1(serial_number_);
  if (!serial_number) {
    return std::unexpected(serial_number.error());
  }
  Result<internal::X509NamePtr> subject_name = internal::BuildName(*subject_);
  if (!subject_name) {
    return std::unexpected(subject_name.error());
  }
  Result<internal::Asn1TimePtr> not_before = internal::TimeToAsn1(*not_before_, "notBefore");
  if (!not_before) {
    return std::unexpected(not_before.error());
  }
  Result<internal::Asn1TimePtr> not_after = internal::TimeToAsn1(*not_after_, "notAfter");
  if (!not_after) {
    return std::unexpected(not_after.error());
  }

  // The TBSCertificate fields.
  internal::X509Ptr x509(X509_new());
  if (x509 == nullptr) {
    return std::unexpected(OpenSslInternalError("allocating a certificate"));
  }
  const X509_NAME* issuer_name =
      issuer != nullptr ? X509_get_subject_name(issuer->native()) : subject_name->get();
  if (X509_set_version(x509.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(x509.get(), serial_number->get()) != 1 ||
      X509_set_subject_name(x509.get(), subject_name->get()) != 1 ||
      X509_set_issuer_name(x509.get(), issuer_name) != 1 ||
      X509_set1_notBefore(x509.get(), not_before->get()) != 1 ||
      X509_set1_notAfter(x509.get(), not_after->get()) != 1 ||
      X509_set_pubkey(x509.get(), subject_key.native()) != 1) {
    return std::unexpected(OpenSslInternalError("setting the certificate fields"));
  }

  // Extensions.
  if (basic_constraints_) {
    if (Status added = AddBasicConstraintsExtension(x509.get(), *basic_constraints_); !added) {
      return std::unexpected(added.error());
    }
  }
  if (key_usage_) {
    if (Status added = AddKeyUsageExtension(x509.get(), *key_usage_); !added) {
      return std::unexpected(added.error());
    }
  }
  if (!extended_key_usages_.empty()) {
    if (Status added = AddExtendedKeyUsageExtension(x509.get(), extended_key_usages_); !added) {
      return std::unexpected(added.error());
    }
  }
  const Bytes subject_key_id =
      internal::KeyIdentifier(internal::Asn1StringBytes(X509_get0_pubkey_bitstr(x509.get())));
  const Bytes authority_key_id =
      issuer != nullptr ? internal::IssuerKeyIdentifier(*issuer) : subject_key_id;
  if (Status added = AddKeyIdentifierExtensions(x509.get(), subject_key_id, authority_key_id);
      !added) {
    return std::unexpected(added.error());
  }
  if (!san_uris_.empty() || !san_dns_names_.empty() || !san_ip_addresses_.empty()) {
    Status added =
        AddSubjectAltNameExtension(x509.get(), san_uris_, san_dns_names_, san_ip_addresses_);
    if (!added) {
      return std::unexpected(added.error());
    }
  }

  // Sign. For ML-DSA the digest is null, so OpenSSL signs the TBS encoding
  // with pure ML-DSA and its default empty context, as RFC 9881 requires.
  if (X509_sign(x509.get(), signing_key.native(), internal::SigningDigest(*algorithm)) <= 0) {
    return std::unexpected(OpenSslInternalError("signing the certificate"));
  }

  Result<Bytes> der = internal::EncodeDer<X509>(x509.get(), i2d_X509, "certificate");
  if (!der) {
    return std::unexpected(der.error());
  }
  return Certificate::FromDer(*der);
}

}  // namespace devtrust::crypto
