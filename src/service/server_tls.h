// The TLS server credentials of `devtrust serve`: an ML-DSA-65 and an ECDSA
// P-256 leaf issued by the devtrust CA, kept in the data directory's tls/.
#ifndef DEVTRUST_SERVICE_SERVER_TLS_H_
#define DEVTRUST_SERVICE_SERVER_TLS_H_

#include <filesystem>

#include "base/error.h"
#include "crypto/tls_context.h"
#include "crypto/x509_types.h"
#include "pki/certificate_authority.h"
#include "service/config.h"

namespace devtrust::service {

struct PreparedServerTls {
  crypto::TlsServerConfig files;
  // Whether new credentials were issued at this start.
  bool issued = false;
};

// Reuses the credentials in `directory` when both certificates parse, were
// signed by the CA's current roots, cover exactly the configured names and
// stay valid for longer than tls.renew_before. Otherwise issues and writes new
// ones (pki::WriteServerCredentials). Errors: those of
// CertificateAuthority::IssueServerCredentials and WriteServerCredentials.
Result<PreparedServerTls> PrepareServerTls(const pki::CertificateAuthority& ca,
                                           const std::filesystem::path& directory,
                                           const TlsConfig& tls, crypto::TimePoint now);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_SERVER_TLS_H_
