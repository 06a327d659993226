#include "crypto/random.h"

#include <openssl/rand.h>

#include <string>

#include "crypto/internal/openssl_error.h"

namespace devtrust::crypto {
namespace {

Status CheckRandomSize(std::size_t size) {
  if (size > kMaxRandomSize) {
    return MakeError(
        StatusCode::kInvalidArgument, "invalid_argument",
        "random request of " + std::to_string(size) + " bytes exceeds the maximum of 1048576");
  }
  return {};
}

Status Fill(std::uint8_t* out, std::size_t size) {
  if (size > 0 && RAND_bytes(out, static_cast<int>(size)) != 1) {
    return std::unexpected(internal::OpenSslInternalError("RAND_bytes"));
  }
  return {};
}

}  // namespace

Result<Bytes> RandomBytes(std::size_t size) {
  if (Status checked = CheckRandomSize(size); !checked) {
    return std::unexpected(checked.error());
  }
  Bytes bytes(size);
  if (Status filled = Fill(bytes.data(), size); !filled) {
    return std::unexpected(filled.error());
  }
  return bytes;
}

Result<SecretBytes> RandomSecretBytes(std::size_t size) {
  if (Status checked = CheckRandomSize(size); !checked) {
    return std::unexpected(checked.error());
  }
  SecretBytes bytes(size);
  if (Status filled = Fill(bytes.data(), size); !filled) {
    return std::unexpected(filled.error());
  }
  return bytes;
}

}  // namespace devtrust::crypto
