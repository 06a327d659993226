// Issues X.509 v3 certificates signed with ML-DSA-65, ML-DSA-87 or ECDSA
// P-256.
//
// ML-DSA certificates follow RFC 9881: the id-ml-dsa-* OID appears in the
// signatureAlgorithm fields with absent parameters, and the signature is pure
// ML-DSA over the DER TBSCertificate with an empty context string. ECDSA
// certificates use ecdsa-with-SHA256 (RFC 5758 section 3.2).
//
// Every certificate gets subjectKeyIdentifier and authorityKeyIdentifier
// extensions (RFC 7093 section 2 method 1 key identifiers), plus the
// basicConstraints, keyUsage, extendedKeyUsage and subjectAltName extensions
// that the caller sets. basicConstraints and keyUsage are marked critical
// (RFC 5280 sections 4.2.1.9 and 4.2.1.3), the others are not.
#ifndef DEVTRUST_CRYPTO_X509_BUILDER_H_
#define DEVTRUST_CRYPTO_X509_BUILDER_H_

#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/x509.h"
#include "crypto/x509_types.h"

namespace devtrust::crypto {

class CertificateBuilder {
 public:
  // Required: a positive serial number's magnitude without leading zeros, at
  // most 20 DER octets (see GenerateSerialNumber).
  CertificateBuilder& SetSerialNumber(Bytes serial_number);
  // Required.
  CertificateBuilder& SetSubject(DistinguishedName subject);
  // Required; not_before must not be after not_after. Both are truncated to
  // whole seconds.
  CertificateBuilder& SetValidity(TimePoint not_before, TimePoint not_after);
  // Required for Sign; SelfSign uses the signing key's public key when unset.
  CertificateBuilder& SetPublicKey(PublicKey public_key);

  CertificateBuilder& SetBasicConstraints(BasicConstraints constraints);
  CertificateBuilder& SetKeyUsage(KeyUsage usage);
  // Dotted OIDs such as kExtendedKeyUsageClientAuth.
  CertificateBuilder& AddExtendedKeyUsage(std::string oid);
  // subjectAltName entries. URIs and DNS names must be printable ASCII
  // without spaces; IP addresses are 4 or 16 bytes in network order.
  CertificateBuilder& AddSanUri(std::string uri);
  CertificateBuilder& AddSanDnsName(std::string dns_name);
  CertificateBuilder& AddSanIpAddress(Bytes address);

  // Issues the certificate under `issuer`, whose subject becomes the issuer
  // name and whose subjectKeyIdentifier becomes the authorityKeyIdentifier.
  // `issuer` must be a CA certificate (basicConstraints cA set, and
  // keyCertSign when keyUsage is present) and `issuer_key` the private key of
  // its public key. Fails with reason
  // "invalid_certificate_request" when a required field is missing or a value
  // is invalid, "unexpected_key_algorithm" when the issuer key cannot sign,
  // "issuer_not_ca" when `issuer` is not a CA, and "issuer_key_mismatch" when
  // the key does not belong to `issuer`.
  Result<Certificate> Sign(const Certificate& issuer, const PrivateKey& issuer_key) const;

  // Issues a self-signed certificate: the issuer name is the subject, and
  // the authorityKeyIdentifier equals the subjectKeyIdentifier.
  Result<Certificate> SelfSign(const PrivateKey& key) const;

 private:
  // Builds and signs the certificate; a null `issuer` means self-signed.
  Result<Certificate> Build(const Certificate* issuer, const PublicKey& subject_key,
                            const PrivateKey& signing_key) const;

  Bytes serial_number_;
  std::optional<DistinguishedName> subject_;
  std::optional<TimePoint> not_before_;
  std::optional<TimePoint> not_after_;
  std::optional<PublicKey> public_key_;
  std::optional<BasicConstraints> basic_constraints_;
  std::optional<KeyUsage> key_usage_;
  std::vector<std::string> extended_key_usages_;
  std::vector<std::string> san_uris_;
  std::vector<std::string> san_dns_names_;
  std::vector<Bytes> san_ip_addresses_;
};

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_X509_BUILDER_H_
