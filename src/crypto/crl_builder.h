// Issues X.509 v2 CRLs (RFC 5280 section 5) signed with ML-DSA-65, ML-DSA-87
// or ECDSA P-256, with the same algorithm identifiers as CertificateBuilder.
//
// Each CRL carries the non-critical authorityKeyIdentifier and cRLNumber
// extensions that RFC 5280 sections 5.2.1 and 5.2.3 require, thisUpdate and
// nextUpdate, and its entries sorted by serial number. An entry's reasonCode
// extension is written unless the reason is unspecified, because RFC 5280
// section 5.3.1 says to omit the code in that case.
#ifndef DEVTRUST_CRYPTO_CRL_BUILDER_H_
#define DEVTRUST_CRYPTO_CRL_BUILDER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "base/error.h"
#include "crypto/crl.h"
#include "crypto/keys.h"
#include "crypto/x509.h"
#include "crypto/x509_types.h"

namespace devtrust::crypto {

class CrlBuilder {
 public:
  // Required. RFC 5280 section 5.2.3: CRL numbers increase with each CRL an
  // issuer publishes.
  CrlBuilder& SetCrlNumber(std::uint64_t crl_number);
  // Required; next_update must not be before this_update.
  CrlBuilder& SetValidity(TimePoint this_update, TimePoint next_update);
  CrlBuilder& AddRevokedCertificate(RevokedCertificate entry);

  // Issues the CRL under `issuer`, a CA certificate whose keyUsage, when
  // present, includes cRLSign, with `issuer_key`, its private key. Fails with
  // reason "invalid_crl_request" when a field is missing or an entry is
  // invalid: a bad or repeated serial number, or removeFromCRL, which only
  // delta CRLs may carry. Fails with "issuer_not_ca" or "issuer_key_mismatch"
  // as CertificateBuilder::Sign does, and "unexpected_key_algorithm" when the
  // key cannot sign.
  Result<Crl> Sign(const Certificate& issuer, const PrivateKey& issuer_key) const;

 private:
  std::optional<std::uint64_t> crl_number_;
  std::optional<TimePoint> this_update_;
  std::optional<TimePoint> next_update_;
  std::vector<RevokedCertificate> entries_;
};

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_CRL_BUILDER_H_
