#include "crypto/crl.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "crypto/internal/openssl_error.h"
#include "crypto/internal/pem.h"
#include "crypto/internal/x509_asn1.h"
#include "crypto/internal/x509_handles.h"

namespace devtrust::crypto {
namespace {

constexpr std::string_view kReason = "invalid_crl";
constexpr std::string_view kPemLabel = "X509 CRL";

constexpr std::uint8_t kDerSequenceTag = 0x30;
constexpr std::uint8_t kDerIntegerTag = 0x02;

std::unexpected<Error> InvalidCrl(std::string what) {
  return MakeError(StatusCode::kInvalidArgument, std::string(kReason), "CRL " + std::move(what));
}

// One DER tag-length-value element at the front of `input`: the whole
// element and the content. Single-byte tags and definite lengths only, which
// is all a DER CertificateList uses.
struct DerElement {
  std::uint8_t tag = 0;
  ByteView element;
  ByteView content;
};

std::optional<DerElement> ReadDerElement(ByteView input) {
  if (input.size() < 2) {
    return std::nullopt;
  }
  std::size_t header_size = 2;
  std::size_t length = input[1];
  if ((length & 0x80) != 0) {
    const std::size_t length_octets = length & 0x7f;
    if (length_octets == 0 || length_octets > 4 || input.size() < 2 + length_octets) {
      return std::nullopt;
    }
    length = 0;
    for (std::size_t i = 0; i < length_octets; ++i) {
      length = (length << 8) | input[2 + i];
    }
    header_size += length_octets;
  }
  if (input.size() - header_size < length) {
    return std::nullopt;
  }
  return DerElement{input[0], input.first(header_size + length),
                    input.subspan(header_size, length)};
}

// The DER of the AlgorithmIdentifier inside tbsCertList (RFC 5280 section
// 5.1.2.2). OpenSSL has no accessor for it, so this walks the encoding that
// d2i_X509_CRL has already accepted.
std::optional<ByteView> TbsSignatureAlgorithm(ByteView crl_der) {
  const std::optional<DerElement> certificate_list = ReadDerElement(crl_der);
  if (!certificate_list || certificate_list->tag != kDerSequenceTag) {
    return std::nullopt;
  }
  const std::optional<DerElement> tbs = ReadDerElement(certificate_list->content);
  if (!tbs || tbs->tag != kDerSequenceTag) {
    return std::nullopt;
  }
  std::optional<DerElement> field = ReadDerElement(tbs->content);
  if (field && field->tag == kDerIntegerTag) {
    field = ReadDerElement(tbs->content.subspan(field->element.size()));
  }
  if (!field || field->tag != kDerSequenceTag) {
    return std::nullopt;
  }
  return field->element;
}

std::optional<RevocationReason> ReasonFromCode(long code) {
  if (code < 0 || code > 10 || code == 7) {
    return std::nullopt;
  }
  return static_cast<RevocationReason>(code);
}

// Rejects what devtrust does not process: critical extensions (RFC 5280
// sections 5.2 and 5.3 require it) and repeated ones.
Status CheckExtensions(const STACK_OF(X509_EXTENSION) * extensions, std::string_view where) {
  Status unique = internal::CheckUniqueExtensions(extensions, where, kReason);
  if (!unique) {
    return unique;
  }
  for (int i = 0; i < sk_X509_EXTENSION_num(extensions); ++i) {
    if (X509_EXTENSION_get_critical(sk_X509_EXTENSION_value(extensions, i)) != 0) {
      return InvalidCrl(std::string(where) +
                        " has a critical extension, which devtrust does "
                        "not process");
    }
  }
  return {};
}

Result<RevokedCertificate> ReadEntry(const X509_REVOKED* entry) {
  RevokedCertificate result;

  Result<Bytes> serial_number = internal::SerialNumberFromAsn1(
      X509_REVOKED_get0_serialNumber(entry), "revoked serial number", kReason);
  if (!serial_number) {
    return std::unexpected(serial_number.error());
  }
  result.serial_number = std::move(*serial_number);

  Result<TimePoint> date =
      internal::TimeFromAsn1(X509_REVOKED_get0_revocationDate(entry), "revocationDate", kReason);
  if (!date) {
    return std::unexpected(date.error());
  }
  result.revocation_date = *date;

  Status extensions = CheckExtensions(X509_REVOKED_get0_extensions(entry), "CRL entry");
  if (!extensions) {
    return std::unexpected(extensions.error());
  }
  int critical = -1;
  internal::Asn1EnumeratedPtr code(static_cast<ASN1_ENUMERATED*>(
      X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, &critical, nullptr)));
  if (code == nullptr && critical != -1) {
    internal::ClearOpenSslErrors();
    return InvalidCrl("entry has a malformed reasonCode");
  }
  if (code != nullptr) {
    const std::optional<RevocationReason> reason = ReasonFromCode(ASN1_ENUMERATED_get(code.get()));
    if (!reason) {
      return InvalidCrl("entry has an undefined reasonCode");
    }
    result.reason = *reason;
  }
  return result;
}

Result<std::uint64_t> ReadCrlNumber(const X509_CRL* crl) {
  int critical = -1;
  internal::Asn1IntegerPtr number(
      static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, NID_crl_number, &critical, nullptr)));
  if (number == nullptr) {
    internal::ClearOpenSslErrors();
    // RFC 5280 section 5.2.3: conforming CRL issuers MUST include cRLNumber.
    return InvalidCrl(critical == -1 ? "has no cRLNumber" : "has a malformed cRLNumber");
  }
  std::uint64_t value = 0;
  if (ASN1_INTEGER_get_uint64(&value, number.get()) != 1) {
    internal::ClearOpenSslErrors();
    return InvalidCrl("has a cRLNumber that is negative or larger than 64 bits");
  }
  return value;
}

Result<std::optional<Bytes>> ReadAuthorityKeyId(const X509_CRL* crl) {
  int critical = -1;
  internal::AuthorityKeyIdPtr key_id(static_cast<AUTHORITY_KEYID*>(
      X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, &critical, nullptr)));
  if (key_id == nullptr) {
    if (critical != -1) {
      internal::ClearOpenSslErrors();
      return InvalidCrl("has a malformed authorityKeyIdentifier");
    }
    return std::nullopt;
  }
  if (key_id->keyid == nullptr) {
    return std::nullopt;
  }
  return internal::Asn1StringBytes(key_id->keyid);
}

}  // namespace

std::string_view RevocationReasonName(RevocationReason reason) {
  switch (reason) {
    case RevocationReason::kUnspecified:
      return "unspecified";
    case RevocationReason::kKeyCompromise:
      return "keyCompromise";
    case RevocationReason::kCaCompromise:
      return "cACompromise";
    case RevocationReason::kAffiliationChanged:
      return "affiliationChanged";
    case RevocationReason::kSuperseded:
      return "superseded";
    case RevocationReason::kCessationOfOperation:
      return "cessationOfOperation";
    case RevocationReason::kCertificateHold:
      return "certificateHold";
    case RevocationReason::kRemoveFromCrl:
      return "removeFromCRL";
    case RevocationReason::kPrivilegeWithdrawn:
      return "privilegeWithdrawn";
    case RevocationReason::kAaCompromise:
      return "aACompromise";
  }
  std::abort();
}

Result<Crl> Crl::FromDer(ByteView der) {
  if (der.empty()) {
    return InvalidCrl("is empty");
  }
  if (der.size() > kMaxDerSize) {
    return InvalidCrl("is " + std::to_string(der.size()) + " bytes; the maximum is " +
                      std::to_string(kMaxDerSize));
  }

  // Decode and insist on DER, as Certificate::FromDer does.
  const unsigned char* cursor = der.data();
  internal::X509CrlPtr crl(d2i_X509_CRL(nullptr, &cursor, static_cast<long>(der.size())));
  if (crl == nullptr) {
    return std::unexpected(internal::OpenSslError(StatusCode::kInvalidArgument,
                                                  std::string(kReason), "decoding the CRL"));
  }
  if (cursor != der.data() + der.size()) {
    return InvalidCrl("has " + std::to_string(der.data() + der.size() - cursor) +
                      " bytes after its end");
  }
  Result<Bytes> reencoded = internal::EncodeDer<X509_CRL>(crl.get(), i2d_X509_CRL, "CRL");
  if (!reencoded) {
    return std::unexpected(reencoded.error());
  }
  if (!std::equal(reencoded->begin(), reencoded->end(), der.begin(), der.end())) {
    return InvalidCrl("is not in DER form");
  }

  auto data = std::make_shared<Data>();
  data->der.assign(der.begin(), der.end());

  // Version and signature algorithm (RFC 5280 sections 5.1.2.1, 5.1.1.2 and
  // 5.1.2.2).
  if (X509_CRL_get_version(crl.get()) != X509_CRL_VERSION_2) {
    return InvalidCrl("is not version 2");
  }
  const X509_ALGOR* outer_algorithm = nullptr;
  X509_CRL_get0_signature(crl.get(), nullptr, &outer_algorithm);
  Result<SignatureAlgorithm> algorithm = internal::IdentifySignatureAlgorithm(outer_algorithm);
  if (!algorithm) {
    return std::unexpected(algorithm.error());
  }
  Result<Bytes> outer_algorithm_der =
      internal::EncodeDer<X509_ALGOR>(outer_algorithm, i2d_X509_ALGOR, "signature algorithm");
  if (!outer_algorithm_der) {
    return std::unexpected(outer_algorithm_der.error());
  }
  const std::optional<ByteView> inner_algorithm_der = TbsSignatureAlgorithm(der);
  if (!inner_algorithm_der ||
      !std::equal(inner_algorithm_der->begin(), inner_algorithm_der->end(),
                  outer_algorithm_der->begin(), outer_algorithm_der->end())) {
    return InvalidCrl("names different signature algorithms inside and outside the signed part");
  }
  data->signature_algorithm = *algorithm;

  // Issuer (RFC 5280 section 5.1.2.3: non-empty).
  const X509_NAME* issuer = X509_CRL_get_issuer(crl.get());
  if (X509_NAME_entry_count(issuer) == 0) {
    return InvalidCrl("has an empty issuer name");
  }
  Result<Bytes> issuer_der = internal::NameToDer(issuer);
  if (!issuer_der) {
    return std::unexpected(issuer_der.error());
  }
  data->issuer_der = std::move(*issuer_der);
  data->issuer = internal::NameToString(issuer);

  // thisUpdate and nextUpdate; RFC 5280 section 5.1.2.5 makes conforming
  // issuers include nextUpdate.
  Result<TimePoint> this_update =
      internal::TimeFromAsn1(X509_CRL_get0_lastUpdate(crl.get()), "thisUpdate", kReason);
  if (!this_update) {
    return std::unexpected(this_update.error());
  }
  Result<TimePoint> next_update =
      internal::TimeFromAsn1(X509_CRL_get0_nextUpdate(crl.get()), "nextUpdate", kReason);
  if (!next_update) {
    return std::unexpected(next_update.error());
  }
  data->this_update = *this_update;
  data->next_update = *next_update;

  // CRL extensions.
  Status extensions = CheckExtensions(X509_CRL_get0_extensions(crl.get()), "CRL");
  if (!extensions) {
    return std::unexpected(extensions.error());
  }
  Result<std::uint64_t> crl_number = ReadCrlNumber(crl.get());
  if (!crl_number) {
    return std::unexpected(crl_number.error());
  }
  data->crl_number = *crl_number;
  Result<std::optional<Bytes>> authority_key_id = ReadAuthorityKeyId(crl.get());
  if (!authority_key_id) {
    return std::unexpected(authority_key_id.error());
  }
  data->authority_key_identifier = std::move(*authority_key_id);

  // Revoked certificates, indexed by serial number.
  const STACK_OF(X509_REVOKED)* entries = X509_CRL_get_REVOKED(crl.get());
  const int entry_count = sk_X509_REVOKED_num(entries);
  data->revoked.reserve(static_cast<std::size_t>(std::max(entry_count, 0)));
  for (int i = 0; i < entry_count; ++i) {
    Result<RevokedCertificate> entry = ReadEntry(sk_X509_REVOKED_value(entries, i));
    if (!entry) {
      return std::unexpected(entry.error());
    }
    const bool inserted =
        data->index.emplace(SerialNumberToHex(entry->serial_number), data->revoked.size()).second;
    if (!inserted) {
      return InvalidCrl("lists serial number " + SerialNumberToHex(entry->serial_number) +
                        " twice");
    }
    data->revoked.push_back(std::move(*entry));
  }

  data->crl = std::shared_ptr<X509_crl_st>(crl.release(), X509_CRL_free);
  return Crl(std::move(data));
}

Result<Crl> Crl::FromPem(std::string_view pem) {
  Result<SecretBytes> der = internal::DecodePem(pem, kPemLabel, kMaxDerSize);
  if (!der) {
    return MakeError(StatusCode::kInvalidArgument, std::string(kReason), der.error().message());
  }
  return FromDer(der->view());
}

std::string Crl::ToPem() const {
  const SecretBytes pem = internal::EncodePem(kPemLabel, data_->der);
  return std::string(pem.AsStringView());
}

const RevokedCertificate* Crl::FindRevoked(ByteView serial_number) const {
  const auto found = data_->index.find(SerialNumberToHex(serial_number));
  if (found == data_->index.end()) {
    return nullptr;
  }
  return &data_->revoked[found->second];
}

Status Crl::VerifySignature(const PublicKey& issuer_key) const {
  const KeyAlgorithm expected = KeyAlgorithmForSignature(data_->signature_algorithm);
  if (issuer_key.algorithm() != expected) {
    return MakeError(
        StatusCode::kInvalidArgument, "unexpected_key_algorithm",
        "CRL is signed with " + std::string(SignatureAlgorithmName(data_->signature_algorithm)) +
            " but the issuer key is " + std::string(KeyAlgorithmName(issuer_key.algorithm())));
  }

  if (X509_CRL_verify(data_->crl.get(), issuer_key.native()) != 1) {
    internal::ClearOpenSslErrors();
    return MakeError(StatusCode::kInvalidArgument, "signature_invalid",
                     "CRL signature does not verify with the issuer key");
  }
  return {};
}

}  // namespace devtrust::crypto
