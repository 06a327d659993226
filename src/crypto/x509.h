// X.509 v3 certificates (RFC 5280): strict parsing, field access and
// signature verification. CertificateBuilder in x509_builder.h issues them.
//
// Parsing is strict because certificates arrive from devices. The DER must be
// complete, with no trailing bytes, and re-encode to the same outer bytes. The
// version must be 3 and the serial number positive and at most 20 octets. The
// signature algorithm must be ML-DSA-65, ML-DSA-87 or ecdsa-with-SHA256 with
// absent parameters, and the same inside and outside the signed part. Times
// must have the RFC 5280 form and the issuer must not be empty. Extensions
// must be unique and well formed, and a critical one must be one that OpenSSL
// processes. Any failure returns reason "invalid_certificate" (or
// "unsupported_signature_algorithm"); nothing here throws.
#ifndef DEVTRUST_CRYPTO_X509_H_
#define DEVTRUST_CRYPTO_X509_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/x509_types.h"

// OpenSSL's certificate type, declared here so that no header outside
// src/crypto needs OpenSSL's headers.
struct x509_st;

namespace devtrust::crypto {

class Certificate {
 public:
  // An ML-DSA-87 certificate with a few extensions takes about 7.5 KB; the
  // limit leaves room for long names and many SANs while bounding parse work.
  static constexpr std::size_t kMaxDerSize = 64 * 1024;

  // Parses a DER certificate of at most kMaxDerSize bytes.
  static Result<Certificate> FromDer(ByteView der);
  // Parses exactly one PEM "CERTIFICATE" block (RFC 7468); only whitespace
  // may surround it.
  static Result<Certificate> FromPem(std::string_view pem);

  const Bytes& ToDer() const { return data_->der; }
  std::string ToPem() const;

  // The SHA-256 digest of the DER encoding. Use it to recognize the same
  // bytes, never as the certificate's identity: ECDSA signatures are
  // malleable, so one signed certificate can exist under several fingerprints.
  const Sha256Digest& fingerprint() const { return data_->fingerprint; }

  // The serial number's big-endian magnitude without leading zeros.
  const Bytes& serial_number() const { return data_->serial_number; }
  std::string serial_number_hex() const { return SerialNumberToHex(data_->serial_number); }

  // Names in RFC 4514 form with non-ASCII characters escaped, for display.
  const std::string& subject() const { return data_->subject; }
  const std::string& issuer() const { return data_->issuer; }
  // Names in DER, for exact matching (RFC 5280 section 7.1 name chaining).
  const Bytes& subject_der() const { return data_->subject_der; }
  const Bytes& issuer_der() const { return data_->issuer_der; }
  // The single commonName of the subject; nullopt when there is none or more
  // than one.
  const std::optional<std::string>& subject_common_name() const {
    return data_->subject_common_name;
  }

  TimePoint not_before() const { return data_->not_before; }
  TimePoint not_after() const { return data_->not_after; }

  // The subjectAltName entries of each kind, in certificate order. IP
  // addresses are 4 or 16 bytes in network order.
  const std::vector<std::string>& san_uris() const { return data_->san_uris; }
  const std::vector<std::string>& san_dns_names() const { return data_->san_dns_names; }
  const std::vector<Bytes>& san_ip_addresses() const { return data_->san_ip_addresses; }

  // Extensions; nullopt or empty when the certificate does not carry them.
  const std::optional<KeyUsage>& key_usage() const { return data_->key_usage; }
  // Extended key usage purposes in dotted OID form.
  const std::vector<std::string>& extended_key_usages() const { return data_->extended_key_usages; }
  bool HasExtendedKeyUsage(std::string_view oid) const;
  const std::optional<BasicConstraints>& basic_constraints() const {
    return data_->basic_constraints;
  }
  const std::optional<Bytes>& subject_key_identifier() const {
    return data_->subject_key_identifier;
  }
  // The keyIdentifier field of the authorityKeyIdentifier extension.
  const std::optional<Bytes>& authority_key_identifier() const {
    return data_->authority_key_identifier;
  }

  SignatureAlgorithm signature_algorithm() const { return data_->signature_algorithm; }
  std::string_view signature_algorithm_name() const {
    return SignatureAlgorithmName(data_->signature_algorithm);
  }

  // The subject public key. Fails with reason "unexpected_key_algorithm" for
  // a key type devtrust does not support.
  Result<PublicKey> public_key() const;

  // Verifies the certificate's signature with `issuer_key`. Fails with reason
  // "unexpected_key_algorithm" when the key does not match the signature
  // algorithm, and "signature_invalid" when the signature does not verify.
  Status VerifySignature(const PublicKey& issuer_key) const;

  // The OpenSSL handle, for code inside src/crypto only. It is shared by all
  // copies and must not be modified.
  x509_st* native() const { return data_->x509.get(); }

 private:
  // Everything is read once at parse time, so the accessors cannot fail and
  // copies of a Certificate share one immutable value.
  struct Data {
    std::shared_ptr<x509_st> x509;
    Bytes der;
    Sha256Digest fingerprint{};
    Bytes serial_number;
    std::string subject;
    std::string issuer;
    Bytes subject_der;
    Bytes issuer_der;
    std::optional<std::string> subject_common_name;
    TimePoint not_before;
    TimePoint not_after;
    std::vector<std::string> san_uris;
    std::vector<std::string> san_dns_names;
    std::vector<Bytes> san_ip_addresses;
    std::optional<KeyUsage> key_usage;
    std::vector<std::string> extended_key_usages;
    std::optional<BasicConstraints> basic_constraints;
    std::optional<Bytes> subject_key_identifier;
    std::optional<Bytes> authority_key_identifier;
    SignatureAlgorithm signature_algorithm = SignatureAlgorithm::kMlDsa65;
  };

  explicit Certificate(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

  std::shared_ptr<const Data> data_;
};

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_X509_H_
