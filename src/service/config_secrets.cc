#include "service/config_secrets.h"

#include <cstdlib>
#include <utility>

#include "pki/secure_file.h"

namespace devtrust::service {
namespace {

// A secret file larger than this is not a key.
constexpr std::size_t kMaxSecretFileBytes = 4096;

bool IsSpace(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

EnvironmentLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    // getenv is safe here: serve reads its environment at start, before it
    // starts threads that could change it.
    const char* value = std::getenv(std::string(name).c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

crypto::SecretBytes TrimSecret(ByteView text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return crypto::SecretBytes(text.subspan(begin, end - begin));
}

Result<std::optional<SourcedSecret>> ReadConfiguredSecret(std::string_view file,
                                                          std::string_view variable,
                                                          const EnvironmentLookup& environment,
                                                          std::string_view description) {
  const auto empty = [&description](const std::string& source) {
    return MakeError(StatusCode::kInvalidArgument, "secret_empty",
                     "the " + std::string(description) + " from " + source +
                         " is empty; put the secret there or remove the setting");
  };

  if (!file.empty()) {
    Result<crypto::SecretBytes> contents =
        pki::ReadPrivateKeyFile(std::filesystem::path(file), kMaxSecretFileBytes);
    if (!contents) return std::unexpected(std::move(contents).error());
    SourcedSecret secret{TrimSecret(contents->view()), "file " + std::string(file)};
    if (secret.value.empty()) return empty(secret.source);
    return secret;
  }

  std::optional<std::string> value = environment(variable);
  if (!value.has_value()) return std::nullopt;
  SourcedSecret secret{TrimSecret(AsBytes(*value)), "environment " + std::string(variable)};
  // The copy from the environment is no longer needed; wipe it.
  volatile char* plain = value->data();
  for (std::size_t i = 0; i < value->size(); ++i) plain[i] = 0;
  if (secret.value.empty()) return empty(secret.source);
  return secret;
}

}  // namespace devtrust::service
