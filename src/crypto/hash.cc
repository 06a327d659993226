#include "crypto/hash.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace devtrust::crypto {
namespace {

Bytes Digest(const EVP_MD* md, std::size_t size, ByteView data) {
  Bytes digest(size);
  unsigned int written = 0;
  // EVP_Digest fails only when memory runs out or the library is broken. No
  // input makes it fail, so the caller gets a value rather than a Result.
  if (EVP_Digest(data.data(), data.size(), digest.data(), &written, md, nullptr) != 1 ||
      written != size) {
    std::abort();
  }
  return digest;
}

}  // namespace

Bytes Sha256(ByteView data) { return Digest(EVP_sha256(), kSha256Size, data); }

Bytes Sha3_256(ByteView data) { return Digest(EVP_sha3_256(), kSha3_256Size, data); }

}  // namespace devtrust::crypto
