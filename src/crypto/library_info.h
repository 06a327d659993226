// Which OpenSSL the process actually runs with, as opposed to the headers it
// was compiled against.
#ifndef DEVTRUST_CRYPTO_LIBRARY_INFO_H_
#define DEVTRUST_CRYPTO_LIBRARY_INFO_H_

#include <string>
#include <vector>

namespace devtrust::crypto {

// The runtime library's version text, such as "OpenSSL 3.5.7 27 Jan 2026".
std::string OpenSslVersionText();

// The runtime library's major, minor and patch numbers.
struct OpenSslVersion {
  unsigned major = 0;
  unsigned minor = 0;
  unsigned patch = 0;
};
OpenSslVersion RuntimeOpenSslVersion();

// Lists the distinct files mapped into this process whose names start with
// `prefix`, such as "libcrypto.so". Reads /proc/self/maps, so Linux only. A
// process that loaded two copies of libcrypto would list both here.
std::vector<std::string> MappedLibraries(const std::string& prefix);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_LIBRARY_INFO_H_
