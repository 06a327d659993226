// Where `devtrust serve` gets its secrets: the relying-party and admin API
// keys and the webhook signing secret.
//
// For each secret, in order: the file its *_file key names (which must have
// mode 0600 or stricter), else its environment variable, else the file
// `serve` generated in the data directory (data_directory.h). Values never
// come from the YAML itself. Surrounding whitespace, such as an editor's
// final newline, is dropped.
#ifndef DEVTRUST_SERVICE_CONFIG_SECRETS_H_
#define DEVTRUST_SERVICE_CONFIG_SECRETS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::service {

inline constexpr std::string_view kRelyingPartyApiKeyVariable = "DEVTRUST_RP_API_KEY";
inline constexpr std::string_view kAdminApiKeyVariable = "DEVTRUST_ADMIN_API_KEY";
inline constexpr std::string_view kWebhookSecretVariable = "DEVTRUST_WEBHOOK_SECRET";

// Looks an environment variable up; the process environment in production,
// a table in tests.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment.
EnvironmentLookup ProcessEnvironment();

// A secret and where it came from, such as "file /etc/devtrust/rp.key" or
// "environment DEVTRUST_RP_API_KEY", for the start log line.
struct SourcedSecret {
  crypto::SecretBytes value;
  std::string source;
};

// Reads the secret from `file` when it is not empty, else from `variable`.
// Returns nullopt when neither is set, so the caller uses its generated
// default. Errors: "secret_empty" (kInvalidArgument) for a file or variable
// that holds only whitespace; the file errors of pki::ReadPrivateKeyFile
// ("key_file_permissions" with the chmod to run, "file_not_found",
// "file_read_failed"). `description` ("admin API key") names the secret in
// messages, which never contain its value.
Result<std::optional<SourcedSecret>> ReadConfiguredSecret(std::string_view file,
                                                          std::string_view variable,
                                                          const EnvironmentLookup& environment,
                                                          std::string_view description);

// Drops leading and trailing spaces, tabs, CR and LF.
crypto::SecretBytes TrimSecret(ByteView text);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_CONFIG_SECRETS_H_
