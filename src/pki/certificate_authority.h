// The devtrust CA: issues device and server certificates under its two roots
// (ca_root.h), checks device certificates presented at login, and issues
// CRLs.
//
// Device certificate profile (X.509 v3, RFC 5280), one per root:
//   serial number     128 random bits
//   subject           CN=<device id>
//   subjectAltName    URI:urn:devtrust:device:<device id>,
//                     URI:urn:devtrust:user:<user id>
//   keyUsage          digitalSignature (critical)
//   extendedKeyUsage  clientAuth
//   basicConstraints  cA FALSE (critical)
//   key identifiers   subjectKeyIdentifier, authorityKeyIdentifier
//   validity          from the issuing time for CaOptions::device_validity
//   subject key       ML-DSA-65 under the ML-DSA-65 root, P-256 under the
//                     ECDSA root (the classical twin)
//
// Thread-safe: issuance and checks may run concurrently from any thread.
#ifndef DEVTRUST_PKI_CERTIFICATE_AUTHORITY_H_
#define DEVTRUST_PKI_CERTIFICATE_AUTHORITY_H_

#include <array>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/crl.h"
#include "crypto/keys.h"
#include "crypto/x509.h"
#include "crypto/x509_types.h"
#include "pki/ca_root.h"
#include "pki/device_identity.h"
#include "pki/revocation_set.h"
#include "pki/server_credentials.h"
#include "pki/verification_cache.h"

namespace devtrust::pki {

struct CaOptions {
  // Holds the root keys and certificates; created with mode 0700 if missing.
  std::filesystem::path key_directory;
  // The organizationName of the root certificates.
  std::string organization = "devtrust";
  std::chrono::seconds root_validity = std::chrono::days(3650);
  std::chrono::seconds device_validity = std::chrono::days(30);
  std::chrono::seconds server_validity = std::chrono::days(90);
  // How far a device certificate's validity period is stretched at both ends
  // when it is checked, for clocks that disagree.
  std::chrono::seconds clock_skew = std::chrono::seconds(60);
  // Certificates whose signature and profile checks are remembered; 0
  // verifies every certificate in full on every check.
  std::size_t verification_cache_capacity = 100'000;
};

// A device's ML-DSA-65 certificate and its ECDSA P-256 twin.
struct DeviceCertificates {
  crypto::Certificate ml_dsa;
  crypto::Certificate ecdsa;
};

class CertificateAuthority {
 public:
  // Loads the roots from options.key_directory, creating them on first use
  // with `now` as their start of validity. Fails with reason
  // "invalid_ca_options" on unusable options, and with the errors of
  // LoadOrCreateRoot.
  static Result<std::unique_ptr<CertificateAuthority>> Open(CaOptions options,
                                                            crypto::TimePoint now);

  CertificateAuthority(const CertificateAuthority&) = delete;
  CertificateAuthority& operator=(const CertificateAuthority&) = delete;

  const CaOptions& options() const { return options_; }
  const crypto::Certificate& root_certificate(RootAlgorithm algorithm) const {
    return Root(algorithm).certificate;
  }

  // Issues both certificates of a device, valid from `now`. `ml_dsa_key`
  // must be ML-DSA-65 and `ecdsa_key` P-256. Errors: "invalid_device_id",
  // "invalid_user_id", "unexpected_key_algorithm", and "root_expiring"
  // (kFailedPrecondition) when a root expires before the new certificate
  // would.
  Result<DeviceCertificates> IssueDeviceCertificates(const DeviceIdentity& identity,
                                                     const crypto::PublicKey& ml_dsa_key,
                                                     const crypto::PublicKey& ecdsa_key,
                                                     crypto::TimePoint now) const;

  // Generates an ML-DSA-65 and a P-256 key for the devtrust HTTPS endpoint
  // and issues each a serverAuth certificate for `names` under the root of
  // its algorithm. Errors: "invalid_server_name", "root_expiring".
  Result<ServerCredentials> IssueServerCredentials(const ServerNames& names,
                                                   crypto::TimePoint now) const;

  // Checks a device certificate presented at `now`, in this order, each with
  // its own reason (all kUnauthenticated):
  //   "certificate_foreign_issuer"    the issuer name and authorityKeyIdentifier
  //                                   do not both match one of the roots;
  //   "certificate_signature_invalid" the root's key does not verify it;
  //   "certificate_profile_invalid"   not the device profile above (wrong
  //                                   key type, a CA, no clientAuth, ...);
  //   "certificate_not_yet_valid"     now + clock_skew is before notBefore;
  //   "certificate_expired"           now - clock_skew is after notAfter;
  //   "certificate_revoked"           its serial number is in revocations().
  // Repeated checks of the same certificate skip the signature and profile
  // checks (see verification_cache.h); validity and revocation are checked on
  // every call.
  Status CheckDeviceCertificate(const crypto::Certificate& certificate,
                                crypto::TimePoint now) const;

  // Parses a DER certificate, failing with reason "certificate_malformed"
  // (kInvalidArgument), then runs CheckDeviceCertificate.
  Result<crypto::Certificate> ParseAndCheckDeviceCertificate(ByteView der,
                                                             crypto::TimePoint now) const;

  // The revocations that CheckDeviceCertificate consults, fed by the caller.
  RevocationSet& revocations() { return revocations_; }
  const RevocationSet& revocations() const { return revocations_; }
  bool IsRevoked(ByteView serial_number) const { return revocations_.IsRevoked(serial_number); }

  // Issues a DER CRL signed by the root of `algorithm` that lists `entries`,
  // with thisUpdate `now`. The CRL number is `now` in milliseconds since the
  // Unix epoch, which increases with each CRL as RFC 5280 section 5.2.3
  // requires as long as the clock does not step back. Errors:
  // "invalid_crl_request" when next_update is not after now or an entry is
  // invalid.
  Result<Bytes> IssueCrl(RootAlgorithm algorithm,
                         std::span<const crypto::RevokedCertificate> entries, crypto::TimePoint now,
                         crypto::TimePoint next_update) const;

 private:
  CertificateAuthority(CaOptions options, CaRoot ml_dsa_root, CaRoot ecdsa_root);

  const CaRoot& Root(RootAlgorithm algorithm) const;
  // The root whose subject and key identifier the certificate names as its
  // issuer, or null.
  const CaRoot* FindIssuer(const crypto::Certificate& certificate) const;
  Status CheckRootValidity(const CaRoot& root, crypto::TimePoint not_after) const;
  Result<crypto::Certificate> IssueDeviceCertificate(const CaRoot& root,
                                                     const crypto::PublicKey& key,
                                                     const DeviceIdentity& identity,
                                                     crypto::TimePoint now) const;

  const CaOptions options_;
  const std::array<CaRoot, 2> roots_;
  RevocationSet revocations_;
  mutable VerificationCache verified_;
};

}  // namespace devtrust::pki

#endif  // DEVTRUST_PKI_CERTIFICATE_AUTHORITY_H_
