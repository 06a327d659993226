#include "server/testing/test_pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <array>
#include <system_error>

namespace devtrust::server::testing {
namespace {

constexpr const char* kLeafExtensions =
    " -addext subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
    " -addext basicConstraints=critical,CA:FALSE"
    " -addext keyUsage=critical,digitalSignature"
    " -addext extendedKeyUsage=serverAuth";

constexpr const char* kCaExtensions =
    " -addext basicConstraints=critical,CA:TRUE"
    " -addext keyUsage=critical,keyCertSign,cRLSign";

// Makes <prefix>_ca.{pem,key} and <prefix>_leaf.{pem,key} in `directory`.
Status MakeChain(const std::filesystem::path& directory, const std::string& prefix,
                 const std::string& key_options) {
  const std::string openssl = DEVTRUST_OPENSSL_BIN;
  const std::string ca = (directory / (prefix + "_ca")).string();
  const std::string leaf = (directory / (prefix + "_leaf")).string();

  const std::string make_ca = openssl + " req -x509 " + key_options + " -nodes -days 2 -keyout " +
                              ca + ".key -out " + ca + ".pem -subj /CN=devtrust-test-" + prefix +
                              "-ca" + kCaExtensions + " 2>&1";
  const std::string make_leaf = openssl + " req -x509 " + key_options + " -nodes -days 2 -keyout " +
                                leaf + ".key -out " + leaf + ".pem -subj /CN=localhost -CA " + ca +
                                ".pem -CAkey " + ca + ".key" + kLeafExtensions + " 2>&1";
  for (const std::string& command : {make_ca, make_leaf}) {
    if (Result<std::string> output = RunCommand(command); !output.has_value()) {
      return MakeError(StatusCode::kInternal, "test_pki_failed",
                       command + ": " + output.error().message());
    }
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<TestPki>> TestPki::Create() {
  std::error_code error;
  const std::filesystem::path base = std::filesystem::temp_directory_path(error);
  if (error) {
    return MakeError(StatusCode::kInternal, "test_pki_failed", "no temporary directory");
  }
  std::string pattern = (base / "devtrust_server_pki_XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return MakeError(StatusCode::kInternal, "test_pki_failed", "mkdtemp failed for " + pattern);
  }
  std::unique_ptr<TestPki> pki(new TestPki(pattern));

  if (Status made = MakeChain(pki->directory_, "mldsa", "-newkey ML-DSA-65"); !made) {
    return std::unexpected(made.error());
  }
  if (Status made =
          MakeChain(pki->directory_, "ecdsa", "-newkey EC -pkeyopt ec_paramgen_curve:P-256");
      !made) {
    return std::unexpected(made.error());
  }
  return pki;
}

TestPki::~TestPki() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

crypto::TlsServerConfig TestPki::ServerConfig() const {
  return crypto::TlsServerConfig{
      .ml_dsa = {File("mldsa_leaf.pem"), File("mldsa_leaf.key")},
      .ecdsa = {File("ecdsa_leaf.pem"), File("ecdsa_leaf.key")},
  };
}

Result<std::string> RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return MakeError(StatusCode::kInternal, "command_failed", "popen failed");
  }
  std::string output;
  std::array<char, 4096> chunk{};
  std::size_t read = 0;
  while ((read = fread(chunk.data(), 1, chunk.size(), pipe)) > 0) {
    output.append(chunk.data(), read);
  }
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return MakeError(StatusCode::kInternal, "command_failed",
                     "exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                         ", output: " + output);
  }
  return output;
}

}  // namespace devtrust::server::testing
