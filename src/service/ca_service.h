// CaService: the CA's public face. It serves the root certificates and the
// CRLs (GET /v1/ca/certificates, GET /v1/ca/crl), and keeps the CA's
// in-memory revocation set in step with the store.
//
// A CRL is issued at start and after every revocation, and reissued on
// request once half of its validity has passed, so a relying party that
// caches it until nextUpdate never holds one older than the validity.
#ifndef DEVTRUST_SERVICE_CA_SERVICE_H_
#define DEVTRUST_SERVICE_CA_SERVICE_H_

#include <array>
#include <mutex>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/crl.h"
#include "pki/ca_root.h"
#include "service/service_context.h"

namespace devtrust::service {

struct RootCertificates {
  std::string ml_dsa_pem;
  std::string ecdsa_pem;
};

// The RFC 5280 reason code for a stored revocation reason: the snake_case
// forms of the CRLReason names ("key_compromise", "superseded",
// "affiliation_changed", "cessation_of_operation", "privilege_withdrawn")
// map to their codes, anything else to unspecified.
crypto::RevocationReason CrlReasonFor(std::string_view revocation_reason);

class CaService {
 public:
  explicit CaService(const ServiceContext& context) : context_(context) {}

  RootCertificates Roots() const;

  // Loads every revoked certificate from the store into the CA's revocation
  // set and issues both CRLs. Call at start and after each revocation.
  // Errors: the store's and the CA's.
  Status Refresh();

  // The current DER CRL signed by the root of `algorithm`, reissued first
  // when half its validity has passed. Errors: those of Refresh.
  Result<Bytes> Crl(pki::RootAlgorithm algorithm);

 private:
  struct IssuedCrl {
    Bytes der;
    store::TimePoint this_update;
  };

  Status RefreshLocked();

  const ServiceContext& context_;
  std::mutex mutex_;
  std::array<IssuedCrl, 2> crls_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_CA_SERVICE_H_
