#include "client/api_key.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "client/internal/secret_source.h"

namespace devtrust::client {
namespace {

// The server's limits for API keys (server/auth.h).
constexpr std::size_t kMinApiKeyLength = 32;
constexpr std::size_t kMaxApiKeyLength = 512;

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" /
// "~" / "+" / "/" ) *"=", so '=' may only end the token.
bool IsBearerToken(ByteView token) {
  const auto is_body = [](std::uint8_t c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
           c == '/';
  };
  const auto padding = std::find(token.begin(), token.end(), std::uint8_t{'='});
  return padding != token.begin() && std::all_of(token.begin(), padding, is_body) &&
         std::all_of(padding, token.end(), [](std::uint8_t c) { return c == '='; });
}

// The value of the line "DEVTRUST_RP_API_KEY=<key>" in an environment file,
// or the whole text when it has no such line.
crypto::SecretBytes KeyFromFileText(const crypto::SecretBytes& text) {
  const std::string_view contents = text.AsStringView();
  const std::string prefix = std::string(kApiKeyEnvironmentVariable) + "=";
  std::size_t start = 0;
  while (start < contents.size()) {
    const std::size_t end = std::min(contents.find('\n', start), contents.size());
    const std::string_view line = contents.substr(start, end - start);
    if (line.starts_with(prefix)) {
      std::string_view value = line.substr(prefix.size());
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())) != 0) {
        value.remove_suffix(1);
      }
      return crypto::SecretBytes(AsBytes(value));
    }
    start = end + 1;
  }
  return text.Clone();
}

}  // namespace

Status ValidateApiKey(const crypto::SecretBytes& key, std::string_view source) {
  if (key.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "api_key_invalid",
                     "the API key from " + std::string(source) + " is empty");
  }
  if (key.size() < kMinApiKeyLength || key.size() > kMaxApiKeyLength) {
    return MakeError(StatusCode::kInvalidArgument, "api_key_invalid",
                     "the API key from " + std::string(source) + " has " +
                         std::to_string(key.size()) + " characters; devtrust keys have " +
                         std::to_string(kMinApiKeyLength) + " to " +
                         std::to_string(kMaxApiKeyLength));
  }
  if (!IsBearerToken(key.view())) {
    return MakeError(StatusCode::kInvalidArgument, "api_key_invalid",
                     "the API key from " + std::string(source) +
                         " contains a character outside A-Z a-z 0-9 - . _ ~ + / or an '=' "
                         "before its end");
  }
  return {};
}

Result<crypto::SecretBytes> LoadApiKey(const std::filesystem::path& file) {
  Result<crypto::SecretBytes> key =
      internal::ReadSecret(file, kApiKeyEnvironmentVariable, "relying party API key",
                           "--api-key-file", "api_key_missing");
  if (!key) {
    return std::unexpected(key.error());
  }
  if (!file.empty()) {
    key = KeyFromFileText(*key);
  }
  const std::string source = file.empty() ? std::string(kApiKeyEnvironmentVariable) : file.string();
  if (Status valid = ValidateApiKey(*key, source); !valid) {
    return std::unexpected(valid.error());
  }
  return key;
}

}  // namespace devtrust::client
