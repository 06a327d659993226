#include "client/internal/secret_source.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

#include "pki/secure_file.h"

namespace devtrust::client::internal {
namespace {

// A secret file contains one value and perhaps a newline.
constexpr std::size_t kMaxSecretFileSize = 4096;

bool IsSpace(std::uint8_t c) { return std::isspace(c) != 0; }

crypto::SecretBytes Trimmed(ByteView text) {
  const auto begin = std::find_if_not(text.begin(), text.end(), IsSpace);
  const auto end = std::find_if_not(text.rbegin(), text.rend(), IsSpace).base();
  if (begin >= end) {
    return crypto::SecretBytes();
  }
  return crypto::SecretBytes(ByteView(&*begin, static_cast<std::size_t>(end - begin)));
}

}  // namespace

Result<crypto::SecretBytes> ReadSecret(const std::filesystem::path& file,
                                       std::string_view environment_variable,
                                       std::string_view description, std::string_view option,
                                       std::string_view missing_reason) {
  if (!file.empty()) {
    Result<crypto::SecretBytes> contents = pki::ReadPrivateKeyFile(file, kMaxSecretFileSize);
    if (!contents) {
      return std::unexpected(contents.error());
    }
    return Trimmed(contents->view());
  }

  const std::string variable(environment_variable);
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0') {
    return MakeError(StatusCode::kInvalidArgument, std::string(missing_reason),
                     "no " + std::string(description) + ": pass " + std::string(option) +
                         " with a file that contains it (mode 0600), or set " + variable);
  }
  return Trimmed(AsBytes(value));
}

}  // namespace devtrust::client::internal
