#include "crypto/internal/pem.h"

#include <openssl/evp.h>

#include <algorithm>
#include <string>

namespace devtrust::crypto::internal {
namespace {

constexpr std::size_t kLineLength = 64;

bool IsPemWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsBase64Character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

std::string_view TrimWhitespace(std::string_view text) {
  while (!text.empty() && IsPemWhitespace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsPemWhitespace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::unexpected<Error> InvalidPem(std::string_view label, std::string_view problem) {
  return MakeError(StatusCode::kInvalidArgument, "invalid_pem",
                   "PEM " + std::string(label) + " block is invalid: " + std::string(problem));
}

}  // namespace

SecretBytes EncodePem(std::string_view label, ByteView der) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----\n";
  const std::string end = "-----END " + std::string(label) + "-----\n";

  // EVP_EncodeBlock writes 4 characters per 3 input bytes and a final NUL.
  const std::size_t base64_size = (der.size() + 2) / 3 * 4;
  SecretBytes base64(base64_size + 1);
  EVP_EncodeBlock(base64.data(), der.data(), static_cast<int>(der.size()));

  const std::size_t line_count = (base64_size + kLineLength - 1) / kLineLength;
  SecretBytes pem(begin.size() + base64_size + line_count + end.size());
  std::uint8_t* out = std::copy(begin.begin(), begin.end(), pem.data());
  for (std::size_t offset = 0; offset < base64_size; offset += kLineLength) {
    const std::size_t length = std::min(kLineLength, base64_size - offset);
    out = std::copy_n(base64.data() + offset, length, out);
    *out++ = '\n';
  }
  std::copy(end.begin(), end.end(), out);
  return pem;
}

Result<SecretBytes> DecodePem(std::string_view pem, std::string_view label, std::size_t max_size) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";

  const std::string_view text = TrimWhitespace(pem);
  if (!text.starts_with(begin)) {
    return InvalidPem(label, "it must start with \"" + begin + "\"");
  }
  if (!text.ends_with(end) || text.size() < begin.size() + end.size()) {
    return InvalidPem(label, "it must end with \"" + end + "\"");
  }
  const std::string_view body = text.substr(begin.size(), text.size() - begin.size() - end.size());
  if (body.size() > (max_size + 2) / 3 * 4 * 2) {
    return InvalidPem(label,
                      "it is larger than the maximum of " + std::to_string(max_size) + " bytes");
  }

  // Strip the line breaks into a wiped buffer, because the base64 text of a
  // private key is as secret as the key.
  SecretBytes base64(body.size());
  std::size_t base64_size = 0;
  std::size_t padding = 0;
  for (char c : body) {
    if (IsPemWhitespace(c)) {
      continue;
    }
    if (c == '=') {
      ++padding;
    } else if (!IsBase64Character(c) || padding > 0) {
      return InvalidPem(label,
                        "it contains a header, a character outside base64, or data "
                        "after the padding");
    }
    base64.data()[base64_size++] = static_cast<std::uint8_t>(c);
  }
  if (base64_size == 0 || base64_size % 4 != 0 || padding > 2) {
    return InvalidPem(label, "its base64 body is empty or has the wrong length");
  }

  const std::size_t decoded_max = base64_size / 4 * 3;
  SecretBytes decoded(decoded_max);
  const int written = EVP_DecodeBlock(decoded.data(), base64.data(), static_cast<int>(base64_size));
  if (written < 0 || static_cast<std::size_t>(written) != decoded_max) {
    return InvalidPem(label, "its base64 body could not be decoded");
  }
  const std::size_t decoded_size = decoded_max - padding;
  if (decoded_size > max_size) {
    return InvalidPem(label,
                      "it is larger than the maximum of " + std::to_string(max_size) + " bytes");
  }
  return SecretBytes(decoded.view().first(decoded_size));
}

}  // namespace devtrust::crypto::internal
