// X.509 v2 certificate revocation lists (RFC 5280 section 5): strict parsing,
// lookup of revoked serial numbers and signature verification. CrlBuilder in
// crl_builder.h issues them.
//
// Parsing accepts only complete, direct CRLs as devtrust issues them. The DER
// must have no trailing bytes and the version must be 2. The signature
// algorithm must be supported, have absent parameters and be the same inside
// and outside the signed part. Times must have the RFC 5280 form, nextUpdate
// and cRLNumber must be present, and no extension or serial number may appear
// twice. No critical extension is accepted on the CRL or an entry, so delta
// CRLs, issuing distribution points and indirect CRLs are rejected. Failures
// return reason "invalid_crl" (or "unsupported_signature_algorithm").
#ifndef DEVTRUST_CRYPTO_CRL_H_
#define DEVTRUST_CRYPTO_CRL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/x509_types.h"

// OpenSSL's CRL type, declared here so that no header outside src/crypto
// needs OpenSSL's headers.
struct X509_crl_st;

namespace devtrust::crypto {

// CRLReason codes (RFC 5280 section 5.3.1). Value 7 is unused.
enum class RevocationReason {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kCaCompromise = 2,
  kAffiliationChanged = 3,
  kSuperseded = 4,
  kCessationOfOperation = 5,
  kCertificateHold = 6,
  kRemoveFromCrl = 8,
  kPrivilegeWithdrawn = 9,
  kAaCompromise = 10,
};

// The RFC 5280 name, such as "keyCompromise".
std::string_view RevocationReasonName(RevocationReason reason);

// One entry of a CRL's revokedCertificates list.
struct RevokedCertificate {
  Bytes serial_number;  // magnitude without leading zeros, as in x509_types.h
  TimePoint revocation_date;
  RevocationReason reason = RevocationReason::kUnspecified;
};

class Crl {
 public:
  // Bounds parsing work; at about 40 bytes an entry, 4 MiB hold about 100,000
  // revoked certificates.
  static constexpr std::size_t kMaxDerSize = 4 * 1024 * 1024;

  // Parses a DER CRL of at most kMaxDerSize bytes.
  static Result<Crl> FromDer(ByteView der);
  // Parses exactly one PEM "X509 CRL" block (RFC 7468 section 6).
  static Result<Crl> FromPem(std::string_view pem);

  const Bytes& ToDer() const { return data_->der; }
  std::string ToPem() const;

  // The issuer name in RFC 4514 form for display, and in DER for matching.
  const std::string& issuer() const { return data_->issuer; }
  const Bytes& issuer_der() const { return data_->issuer_der; }
  // The keyIdentifier of the authorityKeyIdentifier extension, if present.
  const std::optional<Bytes>& authority_key_identifier() const {
    return data_->authority_key_identifier;
  }

  TimePoint this_update() const { return data_->this_update; }
  TimePoint next_update() const { return data_->next_update; }
  std::uint64_t crl_number() const { return data_->crl_number; }

  const std::vector<RevokedCertificate>& revoked_certificates() const { return data_->revoked; }
  // The entry for `serial_number`, or null when the CRL does not list it.
  const RevokedCertificate* FindRevoked(ByteView serial_number) const;

  SignatureAlgorithm signature_algorithm() const { return data_->signature_algorithm; }

  // Verifies the CRL's signature with the issuer's public key. Fails with
  // reason "unexpected_key_algorithm" when the key does not match the
  // signature algorithm, and "signature_invalid" when it does not verify.
  Status VerifySignature(const PublicKey& issuer_key) const;

 private:
  struct Data {
    std::shared_ptr<X509_crl_st> crl;
    Bytes der;
    std::string issuer;
    Bytes issuer_der;
    std::optional<Bytes> authority_key_identifier;
    TimePoint this_update;
    TimePoint next_update;
    std::uint64_t crl_number = 0;
    std::vector<RevokedCertificate> revoked;
    // Serial number hex to index in `revoked`.
    std::unordered_map<std::string, std::size_t> index;
    SignatureAlgorithm signature_algorithm = SignatureAlgorithm::kMlDsa65;
  };

  explicit Crl(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

  std::shared_ptr<const Data> data_;
};

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_CRL_H_
