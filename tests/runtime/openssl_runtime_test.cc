// Checks that a process linking devtrust's crypto together with libcurl and
// libpq, which the system built against Debian's OpenSSL 3.0, still maps one
// libcrypto: the OpenSSL >= 3.5 copy that the RUNPATH points at.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <string>
#include <vector>

#include "crypto/library_info.h"

namespace devtrust {
namespace {

// Touching both libraries makes sure they are loaded, whatever the linker's
// --as-needed setting, before the maps are read.
void LoadCurlAndLibpq() {
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  ASSERT_NE(curl, nullptr);
  ASSERT_NE(curl->ssl_version, nullptr);
  EXPECT_GT(PQlibVersion(), 0);
}

TEST(OpenSslRuntime, VersionIsAtLeast35) {
  LoadCurlAndLibpq();

  const crypto::OpenSslVersion version = crypto::RuntimeOpenSslVersion();
  EXPECT_TRUE(version.major > 3 || (version.major == 3 && version.minor >= 5))
      << "loaded " << crypto::OpenSslVersionText();
}

TEST(OpenSslRuntime, OneLibcryptoWithCurlAndLibpq) {
  LoadCurlAndLibpq();

  const std::vector<std::string> libcrypto = crypto::MappedLibraries("libcrypto.so");
  ASSERT_EQ(libcrypto.size(), 1u) << "first: " << libcrypto.front()
                                  << ", second: " << libcrypto.back();
  EXPECT_NE(libcrypto.front().find(DEVTRUST_OPENSSL_LIBDIR), std::string::npos)
      << libcrypto.front() << " is not from " << DEVTRUST_OPENSSL_LIBDIR;
}

TEST(OpenSslRuntime, OneLibsslWithCurlAndLibpq) {
  LoadCurlAndLibpq();

  const std::vector<std::string> libssl = crypto::MappedLibraries("libssl.so");
  ASSERT_EQ(libssl.size(), 1u);
  EXPECT_NE(libssl.front().find(DEVTRUST_OPENSSL_LIBDIR), std::string::npos) << libssl.front();
}

// libcurl reports the TLS library it runs with, which must be the same copy.
TEST(OpenSslRuntime, CurlRunsOnTheSameOpenSsl) {
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  ASSERT_NE(curl, nullptr);
  const std::string curl_ssl = curl->ssl_version;
  const crypto::OpenSslVersion version = crypto::RuntimeOpenSslVersion();
  const std::string expected = "OpenSSL/" + std::to_string(version.major) + "." +
                               std::to_string(version.minor) + "." + std::to_string(version.patch);
  EXPECT_EQ(curl_ssl, expected);
}

}  // namespace
}  // namespace devtrust
