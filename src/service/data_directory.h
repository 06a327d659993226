// The data directory of `devtrust serve` and the secrets it generates there
// on first start:
//
//   <data_dir>/             mode 0700
//     devtrust.db           SQLite database in WAL mode (store.path), 0600
//     pki/                  the CA's root keys and certificates (pki/ca_root.h)
//     tls/                  the server's TLS keys and certificates
//     ca-bundle.pem         both root certificates, for clients' --ca-file
//     service.key           the service master secret (service_keys.h), 0600
//     webhook-secret        the webhook signing secret, 0600
//     api-keys.env          the relying-party and admin API keys, 0600
//     serve.lock            flock of the running server (data_directory_lock.h)
//
// api-keys.env has one KEY=value line per key, so a shell can load it with
// `set -a; . ./devtrust-data/api-keys.env; set +a`:
//   DEVTRUST_RP_API_KEY=<43 base64url characters>
//   DEVTRUST_ADMIN_API_KEY=<43 base64url characters>
// Generated secrets are 32 bytes from the CSPRNG in unpadded base64url.
#ifndef DEVTRUST_SERVICE_DATA_DIRECTORY_H_
#define DEVTRUST_SERVICE_DATA_DIRECTORY_H_

#include <filesystem>

#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::service {

class DataDirectory {
 public:
  explicit DataDirectory(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path pki() const { return root_ / "pki"; }
  std::filesystem::path tls() const { return root_ / "tls"; }
  std::filesystem::path ca_bundle() const { return root_ / "ca-bundle.pem"; }
  std::filesystem::path service_key() const { return root_ / "service.key"; }
  std::filesystem::path webhook_secret() const { return root_ / "webhook-secret"; }
  std::filesystem::path api_keys() const { return root_ / "api-keys.env"; }
  // `path` as given when absolute, else inside the data directory.
  std::filesystem::path Resolve(const std::filesystem::path& path) const;

  // Creates the directory with mode 0700 when missing. Errors:
  // "data_dir_permissions" (kFailedPrecondition) when an existing directory
  // gives group or other users any access, naming the chmod to run;
  // "file_write_failed".
  Status Prepare() const;

  // The master secret, generated on first use. Errors: the file errors of
  // pki/secure_file.h; "secret_invalid" (kDataLoss) for a damaged file.
  Result<crypto::SecretBytes> LoadOrCreateServiceKey() const;

  // The webhook signing secret, generated on first use.
  Result<crypto::SecretBytes> LoadOrCreateWebhookSecret() const;

  struct ApiKeys {
    crypto::SecretBytes relying_party;
    crypto::SecretBytes admin;
  };
  // Both API keys, generated together on first use.
  Result<ApiKeys> LoadOrCreateApiKeys() const;

 private:
  std::filesystem::path root_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_DATA_DIRECTORY_H_
