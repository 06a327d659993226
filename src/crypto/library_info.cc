#include "crypto/library_info.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace devtrust::crypto {

std::string OpenSslVersionText() { return OpenSSL_version(OPENSSL_VERSION); }

OpenSslVersion RuntimeOpenSslVersion() {
  return OpenSslVersion{
      .major = OPENSSL_version_major(),
      .minor = OPENSSL_version_minor(),
      .patch = OPENSSL_version_patch(),
  };
}

std::vector<std::string> MappedLibraries(const std::string& prefix) {
  std::vector<std::string> paths;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    // Fields: address perms offset dev inode pathname; the path may be absent.
    std::istringstream fields(line);
    std::string address, perms, offset, device, inode, path;
    fields >> address >> perms >> offset >> device >> inode >> path;
    if (path.empty()) {
      continue;
    }
    const std::string name = path.substr(path.find_last_of('/') + 1);
    if (name.starts_with(prefix) && std::find(paths.begin(), paths.end(), path) == paths.end()) {
      paths.push_back(path);
    }
  }
  return paths;
}

}  // namespace devtrust::crypto
