// Test certificates made with the OpenSSL 3.5 command line (DEVTRUST_OPENSSL_BIN)
// in a temporary directory: an ML-DSA-65 CA and leaf, and an ECDSA P-256 CA
// and leaf. Both leaves are valid for "localhost", 127.0.0.1 and ::1.
#ifndef DEVTRUST_SERVER_TESTING_TEST_PKI_H_
#define DEVTRUST_SERVER_TESTING_TEST_PKI_H_

#include <filesystem>
#include <memory>
#include <string>

#include "base/error.h"
#include "crypto/tls_context.h"

namespace devtrust::server::testing {

class TestPki {
 public:
  // Generates the keys and certificates. Errors: "test_pki_failed" naming the
  // openssl command that failed.
  static Result<std::unique_ptr<TestPki>> Create();

  // Removes the directory and everything in it.
  ~TestPki();

  crypto::TlsServerConfig ServerConfig() const;
  std::string MlDsaCaFile() const { return File("mldsa_ca.pem"); }
  std::string EcdsaCaFile() const { return File("ecdsa_ca.pem"); }
  const std::filesystem::path& directory() const { return directory_; }
  std::string File(const std::string& name) const { return (directory_ / name).string(); }

 private:
  explicit TestPki(std::filesystem::path directory) : directory_(std::move(directory)) {}

  std::filesystem::path directory_;
};

// Runs `command` through /bin/sh and returns its standard output, or an error
// with reason "command_failed" and the exit status.
Result<std::string> RunCommand(const std::string& command);

}  // namespace devtrust::server::testing

#endif  // DEVTRUST_SERVER_TESTING_TEST_PKI_H_
