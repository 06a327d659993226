// Helpers shared by the client tests: a scratch directory, file modes, and a
// real devtrust CA (src/pki) that issues device certificates and the TLS
// credentials of a test HTTPS server.
#ifndef DEVTRUST_CLIENT_TEST_UTIL_H_
#define DEVTRUST_CLIENT_TEST_UTIL_H_

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>

#include "base/error.h"
#include "crypto/tls_context.h"
#include "pki/certificate_authority.h"
#include "pki/server_credentials.h"

namespace devtrust::client::testing {

// A fresh directory under the system temporary directory, removed with its
// contents when the object goes out of scope.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("devtrust_client_test_" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The permission bits of `path`, such as 0600, or 0xffff when it is missing.
inline unsigned FileMode(const std::filesystem::path& path) {
  struct stat status{};
  if (::stat(path.c_str(), &status) != 0) {
    return 0xffff;
  }
  return static_cast<unsigned>(status.st_mode & 07777);
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes `text`, then sets the permission bits to `mode`.
inline void WriteText(const std::filesystem::path& path, const std::string& text,
                      unsigned mode = 0600) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  ::chmod(path.c_str(), static_cast<mode_t>(mode));
}

// A devtrust CA in a scratch directory, with server credentials for
// "localhost", 127.0.0.1 and ::1 and a CA file that contains both roots.
class TestCa {
 public:
  static Result<std::unique_ptr<TestCa>> Create() {
    auto ca = std::unique_ptr<TestCa>(new TestCa());
    const auto now = std::chrono::system_clock::now();
    Result<std::unique_ptr<pki::CertificateAuthority>> authority =
        pki::CertificateAuthority::Open({.key_directory = ca->directory_.path() / "ca"}, now);
    if (!authority) {
      return std::unexpected(authority.error());
    }
    ca->authority_ = std::move(*authority);

    Result<pki::ServerCredentials> credentials =
        ca->authority_->IssueServerCredentials(pki::ServerNames{}, now);
    if (!credentials) {
      return std::unexpected(credentials.error());
    }
    if (Status written = pki::WriteServerCredentials(*credentials, ca->server_directory());
        !written) {
      return std::unexpected(written.error());
    }
    WriteText(ca->ca_file(),
              ca->authority_->root_certificate(pki::RootAlgorithm::kMlDsa65).ToPem() +
                  ca->authority_->root_certificate(pki::RootAlgorithm::kEcdsaP256).ToPem(),
              0644);
    return ca;
  }

  pki::CertificateAuthority& authority() { return *authority_; }
  std::filesystem::path ca_file() const { return directory_.path() / "roots.pem"; }
  std::filesystem::path server_directory() const { return directory_.path() / "server"; }
  const std::filesystem::path& directory() const { return directory_.path(); }

  crypto::TlsServerConfig ServerTlsConfig() const {
    const std::filesystem::path server = server_directory();
    return {.ml_dsa = {.certificate_chain_file = (server / "server-ml-dsa-65.cert.pem").string(),
                       .private_key_file = (server / "server-ml-dsa-65.key.pem").string()},
            .ecdsa = {.certificate_chain_file = (server / "server-ecdsa-p256.cert.pem").string(),
                      .private_key_file = (server / "server-ecdsa-p256.key.pem").string()}};
  }

 private:
  TestCa() = default;

  ScratchDirectory directory_;
  std::unique_ptr<pki::CertificateAuthority> authority_;
};

}  // namespace devtrust::client::testing

#endif  // DEVTRUST_CLIENT_TEST_UTIL_H_
