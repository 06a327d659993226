#include "crypto/library_info.h"

#include <gtest/gtest.h>

namespace devtrust::crypto {
namespace {

TEST(LibraryInfo, RuntimeOpenSslIsAtLeast35) {
  const OpenSslVersion version = RuntimeOpenSslVersion();
  EXPECT_TRUE(version.major > 3 || (version.major == 3 && version.minor >= 5))
      << "loaded " << OpenSslVersionText();
}

TEST(LibraryInfo, OneLibcryptoMapped) {
  const std::vector<std::string> libcrypto = MappedLibraries("libcrypto.so");
  ASSERT_EQ(libcrypto.size(), 1u) << "more than one libcrypto in the process";
}

TEST(LibraryInfo, OneLibsslMapped) {
  const std::vector<std::string> libssl = MappedLibraries("libssl.so");
  EXPECT_LE(libssl.size(), 1u);
}

}  // namespace
}  // namespace devtrust::crypto
