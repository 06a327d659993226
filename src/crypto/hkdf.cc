#include "crypto/hkdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>

#include <string>

#include "crypto/internal/openssl_error.h"
#include "crypto/internal/openssl_handles.h"

namespace devtrust::crypto {

Result<SecretBytes> HkdfSha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length) {
  if (length == 0 || length > kHkdfSha256MaxOutputSize) {
    return MakeError(
        StatusCode::kInvalidArgument, "invalid_argument",
        "HKDF-SHA256 output length is " + std::to_string(length) + "; it must be 1 to 8160 bytes");
  }

  internal::EvpKdfPtr kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
  internal::EvpKdfCtxPtr ctx(kdf != nullptr ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (ctx == nullptr) {
    return std::unexpected(internal::OpenSslInternalError("HKDF-SHA256 setup"));
  }

  // An octet-string parameter needs a non-null pointer even for zero bytes,
  // and OpenSSL treats a missing salt as HashLen zero bytes, as RFC 5869 does.
  static const std::uint8_t kEmpty = 0;
  auto octets = [](const char* name, ByteView bytes) {
    return OSSL_PARAM_construct_octet_string(
        name, const_cast<std::uint8_t*>(bytes.empty() ? &kEmpty : bytes.data()), bytes.size());
  };
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  std::size_t count = 0;
  params[count++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[count++] = octets(OSSL_KDF_PARAM_KEY, ikm);
  if (!salt.empty()) {
    params[count++] = octets(OSSL_KDF_PARAM_SALT, salt);
  }
  params[count++] = octets(OSSL_KDF_PARAM_INFO, info);
  params[count] = OSSL_PARAM_construct_end();

  SecretBytes output(length);
  if (EVP_KDF_derive(ctx.get(), output.data(), output.size(), params) != 1) {
    return std::unexpected(internal::OpenSslInternalError("HKDF-SHA256"));
  }
  return output;
}

}  // namespace devtrust::crypto
