#include "crypto/hmac.h"

#include <openssl/evp.h>

#include "crypto/internal/openssl_error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::crypto {

Result<Bytes> HmacSha256(ByteView key, ByteView data) {
  if (key.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_key",
                     "HMAC-SHA256 key is empty; use a key of at least 32 bytes");
  }

  Bytes tag(kHmacSha256Size);
  std::size_t written = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(), data.data(),
                data.size(), tag.data(), tag.size(), &written) == nullptr ||
      written != tag.size()) {
    return std::unexpected(internal::OpenSslInternalError("HMAC-SHA256"));
  }
  return tag;
}

Status VerifyHmacSha256(ByteView key, ByteView data, ByteView tag) {
  Result<Bytes> expected = HmacSha256(key, data);
  if (!expected) {
    return std::unexpected(expected.error());
  }
  if (!ConstantTimeEquals(*expected, tag)) {
    return MakeError(StatusCode::kInvalidArgument, "mac_invalid",
                     "HMAC-SHA256 tag does not match the data");
  }
  return {};
}

}  // namespace devtrust::crypto
