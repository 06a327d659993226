#include "service/data_directory.h"

#include <sys/stat.h>

#include <string>
#include <string_view>
#include <utility>

#include "base/encoding.h"
#include "crypto/random.h"
#include "pki/secure_file.h"
#include "service/config_secrets.h"

namespace devtrust::service {
namespace {

constexpr std::size_t kGeneratedSecretBytes = 32;
constexpr std::size_t kMaxSecretFileBytes = 4096;

// 32 random bytes as unpadded base64url text, in a wiping buffer.
Result<crypto::SecretBytes> GenerateSecretText() {
  Result<crypto::SecretBytes> random = crypto::RandomSecretBytes(kGeneratedSecretBytes);
  if (!random) return std::unexpected(std::move(random).error());
  std::string text = Base64UrlEncode(random->view());
  crypto::SecretBytes secret{AsBytes(text)};
  volatile char* plain = text.data();
  for (std::size_t i = 0; i < text.size(); ++i) plain[i] = 0;
  return secret;
}

std::unexpected<Error> SecretInvalid(const std::filesystem::path& path, std::string_view problem) {
  return MakeError(StatusCode::kDataLoss, "secret_invalid",
                   path.string() + " " + std::string(problem) +
                       "; restore it from a backup, or delete it to generate a new one (which "
                       "invalidates what the old one protects)");
}

// Reads the secret in `path`, or writes `generate()` there first when the
// file does not exist. A second process that creates the file at the same
// moment wins: its file is read back.
template <typename Generate>
Result<crypto::SecretBytes> LoadOrCreate(const std::filesystem::path& path, Generate generate) {
  Result<crypto::SecretBytes> existing = pki::ReadPrivateKeyFile(path, kMaxSecretFileBytes);
  if (existing) return existing;
  if (existing.error().reason() != "file_not_found") return existing;

  Result<crypto::SecretBytes> created = generate();
  if (!created) return created;
  Status written = pki::WriteFileAtomically(path, created->view(), pki::kPrivateFileMode,
                                            pki::ExistingFile::kKeep);
  if (!written && written.error().reason() != "file_exists") {
    return std::unexpected(std::move(written).error());
  }
  return pki::ReadPrivateKeyFile(path, kMaxSecretFileBytes);
}

Result<crypto::SecretBytes> LoadOrCreateSecretText(const std::filesystem::path& path) {
  Result<crypto::SecretBytes> contents = LoadOrCreate(path, [] {
    Result<crypto::SecretBytes> secret = GenerateSecretText();
    if (!secret) return secret;
    crypto::SecretBytes line(secret->size() + 1);
    std::copy(secret->data(), secret->data() + secret->size(), line.data());
    line.data()[secret->size()] = '\n';
    return Result<crypto::SecretBytes>(std::move(line));
  });
  if (!contents) return contents;
  crypto::SecretBytes secret = TrimSecret(contents->view());
  if (secret.size() < kGeneratedSecretBytes) return SecretInvalid(path, "holds too short a secret");
  return secret;
}

// The value of `name` in KEY=value lines.
std::optional<crypto::SecretBytes> EnvFileValue(const crypto::SecretBytes& contents,
                                                std::string_view name) {
  const std::string_view text = contents.AsStringView();
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (line.size() > name.size() && line.starts_with(name) && line[name.size()] == '=') {
      return TrimSecret(AsBytes(line.substr(name.size() + 1)));
    }
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace

std::filesystem::path DataDirectory::Resolve(const std::filesystem::path& path) const {
  return path.is_absolute() ? path : root_ / path;
}

Status DataDirectory::Prepare() const {
  if (Status created = pki::CreatePrivateDirectory(root_); !created) return created;
  struct stat status{};
  if (::stat(root_.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) {
    return MakeError(StatusCode::kFailedPrecondition, "file_write_failed",
                     root_.string() + " is not a directory; choose another --data-dir");
  }
  if ((status.st_mode & 077) != 0) {
    return MakeError(StatusCode::kFailedPrecondition, "data_dir_permissions",
                     "the data directory " + root_.string() +
                         " gives other users access, but it holds private keys; run chmod 700 " +
                         root_.string());
  }
  return {};
}

Result<crypto::SecretBytes> DataDirectory::LoadOrCreateServiceKey() const {
  Result<crypto::SecretBytes> text = LoadOrCreateSecretText(service_key());
  if (!text) return text;
  Result<Bytes> decoded = Base64UrlDecode(text->AsStringView(), kMaxSecretFileBytes);
  if (!decoded || decoded->size() < kGeneratedSecretBytes) {
    return SecretInvalid(service_key(), "does not hold 32 bytes in base64url");
  }
  crypto::SecretBytes key(*decoded);
  volatile std::uint8_t* plain = decoded->data();
  for (std::size_t i = 0; i < decoded->size(); ++i) plain[i] = 0;
  return key;
}

Result<crypto::SecretBytes> DataDirectory::LoadOrCreateWebhookSecret() const {
  return LoadOrCreateSecretText(webhook_secret());
}

Result<DataDirectory::ApiKeys> DataDirectory::LoadOrCreateApiKeys() const {
  Result<crypto::SecretBytes> contents =
      LoadOrCreate(api_keys(), []() -> Result<crypto::SecretBytes> {
        Result<crypto::SecretBytes> relying_party = GenerateSecretText();
        if (!relying_party) return relying_party;
        Result<crypto::SecretBytes> admin = GenerateSecretText();
        if (!admin) return admin;
        const std::string head =
            "# devtrust API keys, generated by devtrust serve. Keep this file private.\n"
            "# Load them into a shell with: set -a; . ./api-keys.env; set +a\n" +
            std::string(kRelyingPartyApiKeyVariable) + "=";
        const std::string middle = "\n" + std::string(kAdminApiKeyVariable) + "=";
        crypto::SecretBytes file(head.size() + relying_party->size() + middle.size() +
                                 admin->size() + 1);
        std::uint8_t* out = file.data();
        out = std::copy(head.begin(), head.end(), out);
        out = std::copy(relying_party->data(), relying_party->data() + relying_party->size(), out);
        out = std::copy(middle.begin(), middle.end(), out);
        out = std::copy(admin->data(), admin->data() + admin->size(), out);
        *out = '\n';
        return file;
      });
  if (!contents) return std::unexpected(std::move(contents).error());

  std::optional<crypto::SecretBytes> relying_party =
      EnvFileValue(*contents, kRelyingPartyApiKeyVariable);
  std::optional<crypto::SecretBytes> admin = EnvFileValue(*contents, kAdminApiKeyVariable);
  if (!relying_party || !admin || relying_party->empty() || admin->empty()) {
    return SecretInvalid(api_keys(), "lacks DEVTRUST_RP_API_KEY or DEVTRUST_ADMIN_API_KEY");
  }
  return ApiKeys{*std::move(relying_party), *std::move(admin)};
}

}  // namespace devtrust::service
