// Conversions between devtrust values and the ASN.1 pieces that certificates
// and CRLs share: serial numbers, times, names, algorithm identifiers, key
// identifiers and extension lists.
//
// Internal to src/crypto. Parsing helpers take the `reason` to fail with
// ("invalid_certificate" or "invalid_crl"), so that each caller reports its
// own object.
#ifndef DEVTRUST_CRYPTO_INTERNAL_X509_ASN1_H_
#define DEVTRUST_CRYPTO_INTERNAL_X509_ASN1_H_

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/internal/openssl_error.h"
#include "crypto/internal/x509_handles.h"
#include "crypto/x509_types.h"

namespace devtrust::crypto::internal {

// Builds a positive ASN.1 INTEGER from a serial number's magnitude. Fails with
// reason "invalid_serial_number" when the value is zero, has leading zero
// bytes or would take more than 20 octets in DER.
Result<Asn1IntegerPtr> SerialNumberToAsn1(ByteView serial_number);

// Reads a serial number, rejecting zero, negative values and values of more
// than 20 DER octets (RFC 5280 section 4.1.2.2). `field` names the value in
// the error message.
Result<Bytes> SerialNumberFromAsn1(const ASN1_INTEGER* value, std::string_view field,
                                   std::string_view reason);

// Encodes `time` as UTCTime through 2049 and GeneralizedTime from 2050 on
// (RFC 5280 section 4.1.2.5), dropping fractions of a second. Fails with
// reason "invalid_time" for times before 1950 or after 9999.
Result<Asn1TimePtr> TimeToAsn1(TimePoint time, std::string_view field);

// Reads a time in the only forms RFC 5280 section 4.1.2.5 allows:
// "YYMMDDHHMMSSZ" UTCTime for 1950 to 2049 and "YYYYMMDDHHMMSSZ"
// GeneralizedTime from 2050 on.
Result<TimePoint> TimeFromAsn1(const ASN1_TIME* time, std::string_view field,
                               std::string_view reason);

// Builds an X509_NAME of an optional organizationName and a commonName. Fails
// with reason "invalid_name" on an empty common name, a value longer than 64
// bytes or invalid UTF-8.
Result<X509NamePtr> BuildName(const DistinguishedName& name);

// The RFC 4514 string form of `name`, with characters outside ASCII escaped,
// so that it is safe to log.
std::string NameToString(const X509_NAME* name);

// The DER encoding of `name`, which is what issuer and subject matching
// compares.
Result<Bytes> NameToDer(const X509_NAME* name);

// The UTF-8 value of the single commonName attribute of `name`; nullopt when
// there is none or more than one.
std::optional<std::string> NameCommonName(const X509_NAME* name);

// Maps an AlgorithmIdentifier to a devtrust signature algorithm. Parameters
// must be absent for every supported algorithm (RFC 9881 section 2 for
// ML-DSA, RFC 5758 section 3.2 for ecdsa-with-SHA256). Fails with reason
// "unsupported_signature_algorithm" for any other algorithm.
Result<SignatureAlgorithm> IdentifySignatureAlgorithm(const X509_ALGOR* algorithm);

// The digest X509_sign and X509_CRL_sign take for `algorithm`: SHA-256 for
// ECDSA and none for ML-DSA, which signs the encoded TBS structure itself.
const EVP_MD* SigningDigest(SignatureAlgorithm algorithm);

// Converts the keyUsage BIT STRING (RFC 5280 section 4.2.1.3 numbers the
// bits) to and from its devtrust form.
Result<Asn1BitStringPtr> KeyUsageToAsn1(const KeyUsage& usage);
KeyUsage KeyUsageFromAsn1(const ASN1_BIT_STRING* bits);

// A key identifier by RFC 7093 section 2 method 1: the leftmost 160 bits of
// the SHA-256 digest of the subjectPublicKey BIT STRING's value.
Bytes KeyIdentifier(ByteView subject_public_key);

// The subjectPublicKey bits of a public key's SubjectPublicKeyInfo.
Result<Bytes> SubjectPublicKeyBits(const PublicKey& key);

Sha256Digest Sha256(ByteView data);

// Fails when two extensions share an OID, which RFC 5280 section 4.2 forbids
// for certificates and section 5.2 for CRLs.
Status CheckUniqueExtensions(const STACK_OF(X509_EXTENSION) * extensions, std::string_view where,
                             std::string_view reason);

// The content octets of an ASN.1 string.
Bytes Asn1StringBytes(const ASN1_STRING* value);

// Serializes an OpenSSL ASN.1 object with its i2d function; `what` names the
// object in the error.
template <typename T>
Result<Bytes> EncodeDer(const T* value, int (*encode)(const T*, unsigned char**),
                        std::string_view what) {
  const int size = encode(value, nullptr);
  if (size <= 0) {
    return std::unexpected(OpenSslInternalError("encoding the " + std::string(what)));
  }
  Bytes der(static_cast<std::size_t>(size));
  unsigned char* out = der.data();
  if (encode(value, &out) != size) {
    return std::unexpected(OpenSslInternalError("encoding the " + std::string(what)));
  }
  return der;
}

}  // namespace devtrust::crypto::internal

#endif  // DEVTRUST_CRYPTO_INTERNAL_X509_ASN1_H_
