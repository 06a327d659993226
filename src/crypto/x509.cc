#include "crypto/x509.h"

#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <utility>

#include "crypto/internal/openssl_error.h"
#include "crypto/internal/pem.h"
#include "crypto/internal/x509_asn1.h"
#include "crypto/internal/x509_handles.h"

namespace devtrust::crypto {
namespace {

using internal::OpenSslPtr;

constexpr std::string_view kReason = "invalid_certificate";
constexpr std::string_view kPemLabel = "CERTIFICATE";

std::unexpected<Error> InvalidCertificate(std::string what) {
  return MakeError(StatusCode::kInvalidArgument, std::string(kReason),
                   "certificate " + std::move(what));
}

// Decodes the extension `nid`. A null result means the extension is absent;
// a present extension that fails to decode is an error.
template <typename T, void (*kFree)(T*)>
Result<OpenSslPtr<T, kFree>> DecodeExtension(X509* x509, int nid, std::string_view name) {
  int critical = -1;
  OpenSslPtr<T, kFree> value(static_cast<T*>(X509_get_ext_d2i(x509, nid, &critical, nullptr)));
  if (value == nullptr && critical != -1) {
    internal::ClearOpenSslErrors();
    return InvalidCertificate("has a malformed " + std::string(name) + " extension");
  }
  return value;
}

// SAN URIs and DNS names are IA5String; devtrust reads only printable ASCII
// without spaces, which is all RFC 3986 URIs and RFC 1034 names contain.
Result<std::string> ReadSanText(const ASN1_IA5STRING* value, std::string_view kind) {
  const Bytes bytes = internal::Asn1StringBytes(value);
  const bool printable = std::all_of(bytes.begin(), bytes.end(),
                                     [](std::uint8_t byte) { return byte > 0x20 && byte < 0x7f; });
  if (bytes.empty() || !printable) {
    return InvalidCertificate("has a subjectAltName " + std::string(kind) +
                              " that is empty or not printable ASCII");
  }
  return std::string(bytes.begin(), bytes.end());
}

Status ReadSubjectAltNames(X509* x509, std::vector<std::string>& uris,
                           std::vector<std::string>& dns_names, std::vector<Bytes>& ip_addresses) {
  auto names = DecodeExtension<GENERAL_NAMES, GENERAL_NAMES_free>(x509, NID_subject_alt_name,
                                                                  "subjectAltName");
  if (!names) {
    return std::unexpected(names.error());
  }
  if (*names == nullptr) {
    return {};
  }

  for (int i = 0; i < sk_GENERAL_NAME_num(names->get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names->get(), i);
    if (name->type == GEN_URI) {
      Result<std::string> uri = ReadSanText(name->d.uniformResourceIdentifier, "URI");
      if (!uri) {
        return std::unexpected(uri.error());
      }
      uris.push_back(std::move(*uri));
    } else if (name->type == GEN_DNS) {
      Result<std::string> dns_name = ReadSanText(name->d.dNSName, "DNS name");
      if (!dns_name) {
        return std::unexpected(dns_name.error());
      }
      dns_names.push_back(std::move(*dns_name));
    } else if (name->type == GEN_IPADD) {
      Bytes address = internal::Asn1StringBytes(name->d.iPAddress);
      if (address.size() != 4 && address.size() != 16) {
        return InvalidCertificate("has a subjectAltName IP address of " +
                                  std::to_string(address.size()) + " bytes; expected 4 or 16");
      }
      ip_addresses.push_back(std::move(address));
    }
    // Other name forms (email, directory names, ...) are kept in the DER but
    // not exposed, because no devtrust check reads them.
  }
  return {};
}

Status ReadExtendedKeyUsage(X509* x509, std::vector<std::string>& purposes) {
  auto usage = DecodeExtension<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>(x509, NID_ext_key_usage,
                                                                            "extendedKeyUsage");
  if (!usage) {
    return std::unexpected(usage.error());
  }
  if (*usage == nullptr) {
    return {};
  }

  for (int i = 0; i < sk_ASN1_OBJECT_num(usage->get()); ++i) {
    // 80 characters hold any OID a real certificate uses; OBJ_obj2txt returns
    // the full length, so a longer one is detected instead of truncated.
    std::array<char, 80> text{};
    const int length = OBJ_obj2txt(text.data(), static_cast<int>(text.size()),
                                   sk_ASN1_OBJECT_value(usage->get(), i), 1);
    if (length <= 0 || static_cast<std::size_t>(length) >= text.size()) {
      return InvalidCertificate("has an extendedKeyUsage OID that is malformed or too long");
    }
    purposes.emplace_back(text.data(), static_cast<std::size_t>(length));
  }
  return {};
}

Result<std::optional<BasicConstraints>> ReadBasicConstraints(X509* x509) {
  auto constraints = DecodeExtension<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>(
      x509, NID_basic_constraints, "basicConstraints");
  if (!constraints) {
    return std::unexpected(constraints.error());
  }
  if (*constraints == nullptr) {
    return std::nullopt;
  }

  BasicConstraints result;
  result.is_ca = (*constraints)->ca != 0;
  if ((*constraints)->pathlen != nullptr) {
    std::uint64_t path_length = 0;
    if (ASN1_INTEGER_get_uint64(&path_length, (*constraints)->pathlen) != 1 ||
        path_length > std::numeric_limits<std::uint32_t>::max()) {
      internal::ClearOpenSslErrors();
      return InvalidCertificate("has a basicConstraints path length that is negative or too large");
    }
    result.path_length = static_cast<std::uint32_t>(path_length);
  }
  return result;
}

Result<std::optional<KeyUsage>> ReadKeyUsage(X509* x509) {
  auto bits =
      DecodeExtension<ASN1_BIT_STRING, ASN1_BIT_STRING_free>(x509, NID_key_usage, "keyUsage");
  if (!bits) {
    return std::unexpected(bits.error());
  }
  if (*bits == nullptr) {
    return std::nullopt;
  }
  return internal::KeyUsageFromAsn1(bits->get());
}

std::optional<Bytes> OptionalOctets(const ASN1_OCTET_STRING* value) {
  if (value == nullptr) {
    return std::nullopt;
  }
  return internal::Asn1StringBytes(value);
}

}  // namespace

Result<Certificate> Certificate::FromDer(ByteView der) {
  if (der.empty()) {
    return InvalidCertificate("is empty");
  }
  if (der.size() > kMaxDerSize) {
    return InvalidCertificate("is " + std::to_string(der.size()) + " bytes; the maximum is " +
                              std::to_string(kMaxDerSize));
  }

  // Decode, then insist on DER: no trailing bytes, and the outer structure
  // re-encodes to the input. The TBS part is verified as received.
  const unsigned char* cursor = der.data();
  internal::X509Ptr x509(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (x509 == nullptr) {
    return std::unexpected(internal::OpenSslError(
        StatusCode::kInvalidArgument, std::string(kReason), "decoding the certificate"));
  }
  if (cursor != der.data() + der.size()) {
    return InvalidCertificate("has " + std::to_string(der.data() + der.size() - cursor) +
                              " bytes after its end");
  }
  Result<Bytes> reencoded = internal::EncodeDer<X509>(x509.get(), i2d_X509, "certificate");
  if (!reencoded) {
    return std::unexpected(reencoded.error());
  }
  if (!std::equal(reencoded->begin(), reencoded->end(), der.begin(), der.end())) {
    return InvalidCertificate("is not in DER form");
  }

  auto data = std::make_shared<Data>();
  data->der.assign(der.begin(), der.end());
  data->fingerprint = internal::Sha256(der);

  // Version, serial number and signature algorithm (RFC 5280 sections
  // 4.1.2.1, 4.1.2.2, 4.1.1.2 and 4.1.2.3).
  if (X509_get_version(x509.get()) != X509_VERSION_3) {
    return InvalidCertificate("is version " + std::to_string(X509_get_version(x509.get()) + 1) +
                              "; only version 3 is accepted");
  }
  Result<Bytes> serial_number =
      internal::SerialNumberFromAsn1(X509_get0_serialNumber(x509.get()), "serial number", kReason);
  if (!serial_number) {
    return std::unexpected(serial_number.error());
  }
  data->serial_number = std::move(*serial_number);

  const X509_ALGOR* outer_algorithm = nullptr;
  X509_get0_signature(nullptr, &outer_algorithm, x509.get());
  Result<SignatureAlgorithm> algorithm = internal::IdentifySignatureAlgorithm(outer_algorithm);
  if (!algorithm) {
    return std::unexpected(algorithm.error());
  }
  if (X509_ALGOR_cmp(outer_algorithm, X509_get0_tbs_sigalg(x509.get())) != 0) {
    return InvalidCertificate(
        "names different signature algorithms inside and outside the "
        "signed part");
  }
  data->signature_algorithm = *algorithm;

  // Names. RFC 5280 section 4.1.2.4 requires a non-empty issuer.
  const X509_NAME* issuer = X509_get_issuer_name(x509.get());
  const X509_NAME* subject = X509_get_subject_name(x509.get());
  if (X509_NAME_entry_count(issuer) == 0) {
    return InvalidCertificate("has an empty issuer name");
  }
  Result<Bytes> issuer_der = internal::NameToDer(issuer);
  Result<Bytes> subject_der = internal::NameToDer(subject);
  if (!issuer_der || !subject_der) {
    return std::unexpected(!issuer_der ? issuer_der.error() : subject_der.error());
  }
  data->issuer_der = std::move(*issuer_der);
  data->subject_der = std::move(*subject_der);
  data->issuer = internal::NameToString(issuer);
  data->subject = internal::NameToString(subject);
  data->subject_common_name = internal::NameCommonName(subject);

  // Validity.
  Result<TimePoint> not_before =
      internal::TimeFromAsn1(X509_get0_notBefore(x509.get()), "notBefore", kReason);
  if (!not_before) {
    return std::unexpected(not_before.error());
  }
  Result<TimePoint> not_after =
      internal::TimeFromAsn1(X509_get0_notAfter(x509.get()), "notAfter", kReason);
  if (!not_after) {
    return std::unexpected(not_after.error());
  }
  data->not_before = *not_before;
  data->not_after = *not_after;

  // Extensions as a whole: OpenSSL flags malformed standard extensions and
  // critical ones it does not process (RFC 5280 section 4.2 requires
  // rejecting those), and no extension may appear twice.
  const std::uint32_t flags = X509_get_extension_flags(x509.get());
  if ((flags & EXFLAG_INVALID) != 0) {
    internal::ClearOpenSslErrors();
    return InvalidCertificate("has a malformed or inconsistent extension");
  }
  if ((flags & EXFLAG_CRITICAL) != 0) {
    return InvalidCertificate("has a critical extension that devtrust does not process");
  }
  Status unique =
      internal::CheckUniqueExtensions(X509_get0_extensions(x509.get()), "certificate", kReason);
  if (!unique) {
    return std::unexpected(unique.error());
  }

  // Each extension devtrust reads.
  Status names =
      ReadSubjectAltNames(x509.get(), data->san_uris, data->san_dns_names, data->san_ip_addresses);
  if (!names) {
    return std::unexpected(names.error());
  }
  Status purposes = ReadExtendedKeyUsage(x509.get(), data->extended_key_usages);
  if (!purposes) {
    return std::unexpected(purposes.error());
  }
  Result<std::optional<BasicConstraints>> constraints = ReadBasicConstraints(x509.get());
  if (!constraints) {
    return std::unexpected(constraints.error());
  }
  data->basic_constraints = *constraints;
  Result<std::optional<KeyUsage>> usage = ReadKeyUsage(x509.get());
  if (!usage) {
    return std::unexpected(usage.error());
  }
  data->key_usage = *usage;
  data->subject_key_identifier = OptionalOctets(X509_get0_subject_key_id(x509.get()));
  data->authority_key_identifier = OptionalOctets(X509_get0_authority_key_id(x509.get()));

  data->x509 = std::shared_ptr<x509_st>(x509.release(), X509_free);
  return Certificate(std::move(data));
}

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  Result<SecretBytes> der = internal::DecodePem(pem, kPemLabel, kMaxDerSize);
  if (!der) {
    return MakeError(StatusCode::kInvalidArgument, std::string(kReason), der.error().message());
  }
  return FromDer(der->view());
}

std::string Certificate::ToPem() const {
  const SecretBytes pem = internal::EncodePem(kPemLabel, data_->der);
  return std::string(pem.AsStringView());
}

bool Certificate::HasExtendedKeyUsage(std::string_view oid) const {
  return std::find(data_->extended_key_usages.begin(), data_->extended_key_usages.end(), oid) !=
         data_->extended_key_usages.end();
}

Result<PublicKey> Certificate::public_key() const {
  // X509_get_pubkey returns a new reference to the key decoded at parse time,
  // which FromNative takes over.
  EVP_PKEY* key = X509_get_pubkey(data_->x509.get());
  if (key == nullptr) {
    return std::unexpected(internal::OpenSslError(StatusCode::kInvalidArgument,
                                                  "unexpected_key_algorithm",
                                                  "reading the certificate's public key"));
  }
  return PublicKey::FromNative(key);
}

Status Certificate::VerifySignature(const PublicKey& issuer_key) const {
  const KeyAlgorithm expected = KeyAlgorithmForSignature(data_->signature_algorithm);
  if (issuer_key.algorithm() != expected) {
    return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                     "certificate is signed with " + std::string(signature_algorithm_name()) +
                         " but the issuer key is " +
                         std::string(KeyAlgorithmName(issuer_key.algorithm())));
  }

  if (X509_verify(data_->x509.get(), issuer_key.native()) != 1) {
    internal::ClearOpenSslErrors();
    return MakeError(StatusCode::kInvalidArgument, "signature_invalid",
                     "certificate signature does not verify with the issuer key");
  }
  return {};
}

}  // namespace devtrust::crypto
