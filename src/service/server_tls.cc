#include "service/server_tls.h"

#include <algorithm>
#include <string>
#include <vector>

#include "crypto/x509.h"
#include "pki/secure_file.h"
#include "pki/server_credentials.h"

namespace devtrust::service {
namespace {

constexpr std::size_t kMaxCertificateFileBytes = std::size_t{256} * 1024;

struct LeafFiles {
  std::filesystem::path certificate;
  std::filesystem::path key;
};

LeafFiles FilesOf(const std::filesystem::path& directory, std::string_view algorithm) {
  return {directory / ("server-" + std::string(algorithm) + ".cert.pem"),
          directory / ("server-" + std::string(algorithm) + ".key.pem")};
}

template <typename T>
bool SameSet(std::vector<T> a, std::vector<T> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// Whether the leaf in `files` can serve for another renew_before.
bool Reusable(const LeafFiles& files, const crypto::Certificate& root,
              const pki::ParsedServerNames& names, const TlsConfig& tls, crypto::TimePoint now) {
  if (!std::filesystem::exists(files.key)) return false;
  Result<std::string> pem = pki::ReadPublicFile(files.certificate, kMaxCertificateFileBytes);
  if (!pem) return false;
  Result<crypto::Certificate> leaf = crypto::Certificate::FromPem(*pem);
  if (!leaf) return false;

  Result<crypto::PublicKey> root_key = root.public_key();
  if (!root_key || !leaf->VerifySignature(*root_key)) return false;
  if (leaf->not_after() - now <= tls.renew_before || leaf->not_before() > now) return false;
  return SameSet(leaf->san_dns_names(), names.dns_names) &&
         SameSet(leaf->san_ip_addresses(), names.ip_addresses);
}

}  // namespace

Result<PreparedServerTls> PrepareServerTls(const pki::CertificateAuthority& ca,
                                           const std::filesystem::path& directory,
                                           const TlsConfig& tls, crypto::TimePoint now) {
  const pki::ServerNames names{tls.dns_names, tls.ip_addresses};
  Result<pki::ParsedServerNames> parsed = pki::ParseServerNames(names);
  if (!parsed) return std::unexpected(std::move(parsed).error());

  const LeafFiles ml_dsa = FilesOf(directory, "ml-dsa-65");
  const LeafFiles ecdsa = FilesOf(directory, "ecdsa-p256");
  PreparedServerTls prepared;
  prepared.files.ml_dsa = {ml_dsa.certificate.string(), ml_dsa.key.string()};
  prepared.files.ecdsa = {ecdsa.certificate.string(), ecdsa.key.string()};

  const bool reuse =
      Reusable(ml_dsa, ca.root_certificate(pki::RootAlgorithm::kMlDsa65), *parsed, tls, now) &&
      Reusable(ecdsa, ca.root_certificate(pki::RootAlgorithm::kEcdsaP256), *parsed, tls, now);
  if (reuse) return prepared;

  if (Status created = pki::CreatePrivateDirectory(directory); !created) {
    return std::unexpected(created.error());
  }
  Result<pki::ServerCredentials> credentials = ca.IssueServerCredentials(names, now);
  if (!credentials) return std::unexpected(std::move(credentials).error());
  if (Status written = pki::WriteServerCredentials(*credentials, directory); !written) {
    return std::unexpected(written.error());
  }
  prepared.issued = true;
  return prepared;
}

}  // namespace devtrust::service
