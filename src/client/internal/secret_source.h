// Reads a secret from a file that only its owner may access, or from an
// environment variable.
#ifndef DEVTRUST_CLIENT_INTERNAL_SECRET_SOURCE_H_
#define DEVTRUST_CLIENT_INTERNAL_SECRET_SOURCE_H_

#include <filesystem>
#include <string_view>

#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::client::internal {

// Reads `file` when it is not empty, else the variable `environment_variable`,
// and drops surrounding whitespace. `description` ("relying party API key")
// and `option` ("--api-key-file") name the secret in errors. Errors:
// "<missing_reason>" (kInvalidArgument) when neither source has a value, and
// for the file "key_file_permissions" (group or other access, with the chmod
// to run), "file_not_found", "file_read_failed". Messages never contain the
// secret.
Result<crypto::SecretBytes> ReadSecret(const std::filesystem::path& file,
                                       std::string_view environment_variable,
                                       std::string_view description, std::string_view option,
                                       std::string_view missing_reason);

}  // namespace devtrust::client::internal

#endif  // DEVTRUST_CLIENT_INTERNAL_SECRET_SOURCE_H_
