#include "crypto/internal/x509_asn1.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <utility>
#include <vector>

#include "crypto/internal/openssl_error.h"

namespace devtrust::crypto::internal {
namespace {

namespace chrono = std::chrono;

// RFC 5280 appendix A: ub-common-name and ub-organization-name are both 64.
constexpr std::size_t kMaxNameAttributeSize = 64;

// The KeyUsage bit positions of RFC 5280 section 4.2.1.3.
constexpr int kKeyUsageDigitalSignatureBit = 0;
constexpr int kKeyUsageContentCommitmentBit = 1;
constexpr int kKeyUsageKeyEnciphermentBit = 2;
constexpr int kKeyUsageDataEnciphermentBit = 3;
constexpr int kKeyUsageKeyAgreementBit = 4;
constexpr int kKeyUsageKeyCertSignBit = 5;
constexpr int kKeyUsageCrlSignBit = 6;

// Key identifiers keep the leftmost 160 bits of the digest (RFC 7093 section 2).
constexpr std::size_t kKeyIdentifierSize = 20;

std::unexpected<Error> InvalidTime(std::string_view field, std::string_view reason,
                                   std::string_view what) {
  return MakeError(StatusCode::kInvalidArgument, std::string(reason),
                   std::string(field) + " " + std::string(what));
}

// Reads `count` decimal digits from the front of `text`.
std::optional<int> ParseDigits(std::string_view text, std::size_t count) {
  if (text.size() < count) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

Status AddNameAttribute(X509_NAME* name, int nid, std::string_view label, std::string_view value) {
  if (value.empty() || value.size() > kMaxNameAttributeSize) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_name",
                     std::string(label) + " must be 1 to " + std::to_string(kMaxNameAttributeSize) +
                         " bytes, got " + std::to_string(value.size()));
  }
  if (HasControlCharacter(value)) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_name",
                     std::string(label) + " contains a control character");
  }

  // MBSTRING_UTF8 makes OpenSSL check that the value is valid UTF-8 and store
  // it as a UTF8String, the type RFC 5280 section 4.1.2.4 requires.
  const auto* bytes = reinterpret_cast<const unsigned char*>(value.data());
  if (X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, bytes, static_cast<int>(value.size()),
                                 -1, 0) != 1) {
    return std::unexpected(OpenSslError(StatusCode::kInvalidArgument, "invalid_name",
                                        "adding the " + std::string(label) + " to the name"));
  }
  return {};
}

}  // namespace

Result<Asn1IntegerPtr> SerialNumberToAsn1(ByteView serial_number) {
  if (serial_number.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_serial_number",
                     "serial number is empty; it must be a positive integer");
  }
  if (serial_number.front() == 0) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_serial_number",
                     "serial number has a leading zero byte; pass the magnitude without "
                     "leading zeros");
  }
  // A set top bit costs one extra octet in DER to keep the value positive.
  const std::size_t der_octets = serial_number.size() + ((serial_number.front() & 0x80) ? 1 : 0);
  if (der_octets > kMaxSerialNumberOctets) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_serial_number",
                     "serial number takes " + std::to_string(der_octets) +
                         " octets in DER; RFC 5280 allows at most 20");
  }

  BigNumPtr number(
      BN_bin2bn(serial_number.data(), static_cast<int>(serial_number.size()), nullptr));
  if (number == nullptr) {
    return std::unexpected(OpenSslInternalError("converting the serial number"));
  }
  Asn1IntegerPtr integer(BN_to_ASN1_INTEGER(number.get(), nullptr));
  if (integer == nullptr) {
    return std::unexpected(OpenSslInternalError("converting the serial number"));
  }
  return integer;
}

Result<Bytes> SerialNumberFromAsn1(const ASN1_INTEGER* value, std::string_view field,
                                   std::string_view reason) {
  if (value == nullptr) {
    return MakeError(StatusCode::kInvalidArgument, std::string(reason),
                     std::string(field) + " is missing");
  }
  if (ASN1_STRING_type(value) == V_ASN1_NEG_INTEGER) {
    return MakeError(StatusCode::kInvalidArgument, std::string(reason),
                     std::string(field) + " is negative; RFC 5280 requires a positive integer");
  }

  // OpenSSL keeps the magnitude without the sign octet; the DER decoder has
  // already rejected non-minimal encodings.
  Bytes magnitude = Asn1StringBytes(value);
  const auto first_nonzero =
      std::find_if(magnitude.begin(), magnitude.end(), [](std::uint8_t byte) { return byte != 0; });
  magnitude.erase(magnitude.begin(), first_nonzero);
  if (magnitude.empty()) {
    return MakeError(StatusCode::kInvalidArgument, std::string(reason),
                     std::string(field) + " is zero; RFC 5280 requires a positive integer");
  }
  const std::size_t der_octets = magnitude.size() + ((magnitude.front() & 0x80) ? 1 : 0);
  if (der_octets > kMaxSerialNumberOctets) {
    return MakeError(StatusCode::kInvalidArgument, std::string(reason),
                     std::string(field) + " takes " + std::to_string(der_octets) +
                         " octets; RFC 5280 allows at most 20");
  }
  return magnitude;
}

Result<Asn1TimePtr> TimeToAsn1(TimePoint time, std::string_view field) {
  const auto seconds = chrono::floor<chrono::seconds>(time);
  const chrono::year_month_day date(chrono::floor<chrono::days>(seconds));
  if (date.year() < chrono::year(1950) || date.year() > chrono::year(9999)) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_time",
                     std::string(field) +
                         " must fall in the years 1950 to 9999, the range "
                         "X.509 times can encode");
  }

  const auto epoch_seconds = seconds.time_since_epoch().count();
  static_assert(std::numeric_limits<std::time_t>::max() >= 253402300799,
                "time_t must reach the year 9999");
  Asn1TimePtr encoded(ASN1_TIME_set(nullptr, static_cast<std::time_t>(epoch_seconds)));
  if (encoded == nullptr) {
    return std::unexpected(OpenSslInternalError("encoding " + std::string(field)));
  }
  return encoded;
}

Result<TimePoint> TimeFromAsn1(const ASN1_TIME* time, std::string_view field,
                               std::string_view reason) {
  if (time == nullptr) {
    return InvalidTime(field, reason, "is missing");
  }
  const std::string_view text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(time)),
                              static_cast<std::size_t>(ASN1_STRING_length(time)));

  // The year: two digits in UTCTime, four in GeneralizedTime.
  int year = 0;
  std::string_view rest;
  if (ASN1_STRING_type(time) == V_ASN1_UTCTIME) {
    const std::optional<int> short_year = ParseDigits(text, 2);
    if (text.size() != 13 || !short_year) {
      return InvalidTime(field, reason, "is not a UTCTime of the form YYMMDDHHMMSSZ");
    }
    // RFC 5280 section 4.1.2.5.1: YY >= 50 means 19YY, otherwise 20YY.
    year = *short_year + (*short_year >= 50 ? 1900 : 2000);
    rest = text.substr(2);
  } else if (ASN1_STRING_type(time) == V_ASN1_GENERALIZEDTIME) {
    const std::optional<int> long_year = ParseDigits(text, 4);
    if (text.size() != 15 || !long_year) {
      return InvalidTime(field, reason, "is not a GeneralizedTime of the form YYYYMMDDHHMMSSZ");
    }
    if (*long_year < 2050) {
      return InvalidTime(field, reason,
                         "uses GeneralizedTime for a year before 2050; RFC 5280 requires "
                         "UTCTime there");
    }
    year = *long_year;
    rest = text.substr(4);
  } else {
    return InvalidTime(field, reason, "is neither UTCTime nor GeneralizedTime");
  }

  // Month, day, hour, minute and second, then the mandatory "Z".
  const std::optional<int> month = ParseDigits(rest, 2);
  const std::optional<int> day = ParseDigits(rest.substr(2), 2);
  const std::optional<int> hour = ParseDigits(rest.substr(4), 2);
  const std::optional<int> minute = ParseDigits(rest.substr(6), 2);
  const std::optional<int> second = ParseDigits(rest.substr(8), 2);
  if (!month || !day || !hour || !minute || !second || rest.substr(10) != "Z") {
    return InvalidTime(field, reason, "is not in the form MMDDHHMMSSZ after the year");
  }
  const chrono::year_month_day date{chrono::year(year),
                                    chrono::month(static_cast<unsigned>(*month)),
                                    chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) {
    return InvalidTime(field, reason, "is not a valid calendar date and time");
  }

  return TimePoint(chrono::sys_days(date) + chrono::hours(*hour) + chrono::minutes(*minute) +
                   chrono::seconds(*second));
}

Result<X509NamePtr> BuildName(const DistinguishedName& name) {
  X509NamePtr result(X509_NAME_new());
  if (result == nullptr) {
    return std::unexpected(OpenSslInternalError("allocating a name"));
  }

  if (!name.organization.empty()) {
    Status added = AddNameAttribute(result.get(), NID_organizationName, "organization name",
                                    name.organization);
    if (!added) {
      return std::unexpected(added.error());
    }
  }

  Status added = AddNameAttribute(result.get(), NID_commonName, "common name", name.common_name);
  if (!added) {
    return std::unexpected(added.error());
  }
  return result;
}

std::string NameToString(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    ClearOpenSslErrors();
    return "";
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  if (size <= 0 || data == nullptr) {
    return "";
  }
  return std::string(data, static_cast<std::size_t>(size));
}

Result<Bytes> NameToDer(const X509_NAME* name) {
  return EncodeDer<X509_NAME>(name, i2d_X509_NAME, "name");
}

std::optional<std::string> NameCommonName(const X509_NAME* name) {
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0 || X509_NAME_get_index_by_NID(name, NID_commonName, index) >= 0) {
    return std::nullopt;
  }
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));

  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, value);
  if (size < 0) {
    ClearOpenSslErrors();
    return std::nullopt;
  }
  std::string result(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
  OPENSSL_free(utf8);
  return result;
}

Result<SignatureAlgorithm> IdentifySignatureAlgorithm(const X509_ALGOR* algorithm) {
  const ASN1_OBJECT* object = nullptr;
  int parameter_type = V_ASN1_UNDEF;
  X509_ALGOR_get0(&object, &parameter_type, nullptr, algorithm);

  const int nid = OBJ_obj2nid(object);
  std::optional<SignatureAlgorithm> result;
  switch (nid) {
    case NID_ML_DSA_65:
      result = SignatureAlgorithm::kMlDsa65;
      break;
    case NID_ML_DSA_87:
      result = SignatureAlgorithm::kMlDsa87;
      break;
    case NID_ecdsa_with_SHA256:
      result = SignatureAlgorithm::kEcdsaP256Sha256;
      break;
    default:
      break;
  }
  if (!result) {
    std::array<char, 80> oid{};
    OBJ_obj2txt(oid.data(), static_cast<int>(oid.size()), object, 1);
    return MakeError(StatusCode::kInvalidArgument, "unsupported_signature_algorithm",
                     "signature algorithm " + std::string(oid.data()) +
                         " is not supported; devtrust accepts ML-DSA-65, ML-DSA-87 and "
                         "ecdsa-with-SHA256");
  }

  if (parameter_type != V_ASN1_UNDEF) {
    return MakeError(StatusCode::kInvalidArgument, "unsupported_signature_algorithm",
                     std::string(SignatureAlgorithmName(*result)) +
                         " algorithm identifier has parameters; they must be absent");
  }
  return *result;
}

const EVP_MD* SigningDigest(SignatureAlgorithm algorithm) {
  switch (algorithm) {
    case SignatureAlgorithm::kMlDsa65:
    case SignatureAlgorithm::kMlDsa87:
      return nullptr;
    case SignatureAlgorithm::kEcdsaP256Sha256:
      return EVP_sha256();
  }
  std::abort();
}

Result<Asn1BitStringPtr> KeyUsageToAsn1(const KeyUsage& usage) {
  Asn1BitStringPtr bits(ASN1_BIT_STRING_new());
  if (bits == nullptr) {
    return std::unexpected(OpenSslInternalError("allocating the key usage"));
  }
  const std::array<std::pair<int, bool>, 7> flags = {{
      {kKeyUsageDigitalSignatureBit, usage.digital_signature},
      {kKeyUsageContentCommitmentBit, usage.content_commitment},
      {kKeyUsageKeyEnciphermentBit, usage.key_encipherment},
      {kKeyUsageDataEnciphermentBit, usage.data_encipherment},
      {kKeyUsageKeyAgreementBit, usage.key_agreement},
      {kKeyUsageKeyCertSignBit, usage.key_cert_sign},
      {kKeyUsageCrlSignBit, usage.crl_sign},
  }};
  for (const auto& [bit, set] : flags) {
    if (set && ASN1_BIT_STRING_set_bit(bits.get(), bit, 1) != 1) {
      return std::unexpected(OpenSslInternalError("setting a key usage bit"));
    }
  }
  return bits;
}

KeyUsage KeyUsageFromAsn1(const ASN1_BIT_STRING* bits) {
  KeyUsage usage;
  usage.digital_signature = ASN1_BIT_STRING_get_bit(bits, kKeyUsageDigitalSignatureBit) == 1;
  usage.content_commitment = ASN1_BIT_STRING_get_bit(bits, kKeyUsageContentCommitmentBit) == 1;
  usage.key_encipherment = ASN1_BIT_STRING_get_bit(bits, kKeyUsageKeyEnciphermentBit) == 1;
  usage.data_encipherment = ASN1_BIT_STRING_get_bit(bits, kKeyUsageDataEnciphermentBit) == 1;
  usage.key_agreement = ASN1_BIT_STRING_get_bit(bits, kKeyUsageKeyAgreementBit) == 1;
  usage.key_cert_sign = ASN1_BIT_STRING_get_bit(bits, kKeyUsageKeyCertSignBit) == 1;
  usage.crl_sign = ASN1_BIT_STRING_get_bit(bits, kKeyUsageCrlSignBit) == 1;
  return usage;
}

Bytes KeyIdentifier(ByteView subject_public_key) {
  const Sha256Digest digest = Sha256(subject_public_key);
  return Bytes(digest.begin(), digest.begin() + kKeyIdentifierSize);
}

Result<Bytes> SubjectPublicKeyBits(const PublicKey& key) {
  const Bytes spki = key.ToSpkiDer();
  const unsigned char* cursor = spki.data();
  X509PubkeyPtr parsed(d2i_X509_PUBKEY(nullptr, &cursor, static_cast<long>(spki.size())));
  if (parsed == nullptr) {
    return std::unexpected(OpenSslInternalError("reading the SubjectPublicKeyInfo"));
  }

  const unsigned char* bits = nullptr;
  int size = 0;
  if (X509_PUBKEY_get0_param(nullptr, &bits, &size, nullptr, parsed.get()) != 1 || size <= 0) {
    return std::unexpected(OpenSslInternalError("reading the subject public key"));
  }
  return Bytes(bits, bits + size);
}

Sha256Digest Sha256(ByteView data) {
  Sha256Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    // SHA-256 from the default provider fails only when memory runs out or
    // the library is broken; no caller can recover from either.
    std::abort();
  }
  return digest;
}

Status CheckUniqueExtensions(const STACK_OF(X509_EXTENSION) * extensions, std::string_view where,
                             std::string_view reason) {
  // Sorting the encoded OIDs finds a repeat in n log n, because a hostile
  // input may carry thousands of extensions.
  std::vector<std::string_view> oids;
  const int count = sk_X509_EXTENSION_num(extensions);
  oids.reserve(static_cast<std::size_t>(std::max(count, 0)));
  for (int i = 0; i < count; ++i) {
    const ASN1_OBJECT* object = X509_EXTENSION_get_object(sk_X509_EXTENSION_value(extensions, i));
    oids.emplace_back(reinterpret_cast<const char*>(OBJ_get0_data(object)), OBJ_length(object));
  }
  std::sort(oids.begin(), oids.end());
  if (std::adjacent_find(oids.begin(), oids.end()) != oids.end()) {
    return MakeError(StatusCode::kInvalidArgument, std::string(reason),
                     std::string(where) + " contains the same extension twice");
  }
  return {};
}

Bytes Asn1StringBytes(const ASN1_STRING* value) {
  const unsigned char* data = ASN1_STRING_get0_data(value);
  const int size = ASN1_STRING_length(value);
  if (data == nullptr || size <= 0) {
    return {};
  }
  return Bytes(data, data + size);
}

}  // namespace devtrust::crypto::internal
