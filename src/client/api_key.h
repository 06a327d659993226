// The relying party's API key, which the device side sends as a bearer token
// when it plays the relying party's part (registering, validating).
#ifndef DEVTRUST_CLIENT_API_KEY_H_
#define DEVTRUST_CLIENT_API_KEY_H_

#include <filesystem>
#include <string_view>

#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::client {

inline constexpr std::string_view kApiKeyEnvironmentVariable = "DEVTRUST_RP_API_KEY";

// Reads the API key from `file` when it is not empty, else from the
// environment variable DEVTRUST_RP_API_KEY. The file contains either the key
// alone or, like the api-keys.env that `devtrust serve` generates in its data
// directory, a line "DEVTRUST_RP_API_KEY=<key>" among others. Surrounding
// whitespace, such as the newline an editor adds, is dropped. The file must not be accessible to
// group or others (the error names the chmod to run). The key must be 32 to
// 512 characters of the bearer token alphabet (RFC 6750 section 2.1), as the
// server requires. Errors:
//   "api_key_missing"      kInvalidArgument: no file given and the variable
//                          is unset or empty;
//   "api_key_invalid"      kInvalidArgument: empty, too short, too long or a
//                          character outside the alphabet;
//   "key_file_permissions", "file_not_found", "file_read_failed" for the file.
// Messages never contain the key.
Result<crypto::SecretBytes> LoadApiKey(const std::filesystem::path& file);

// The same checks for a key from any source.
Status ValidateApiKey(const crypto::SecretBytes& key, std::string_view source);

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_API_KEY_H_
