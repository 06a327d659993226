// The device's key file: its private keys and, once enrolled, its device id,
// certificates and server, in one JSON document written with mode 0600.
//
// Format (one JSON object; unknown names are rejected):
//
//   {
//     "format": "devtrust-device-key-file/1",
//     "user_id": "alice",
//     "private_keys": {            seed-only PKCS#8 PEM (RFC 5958, RFC 7468)
//       "ml_dsa_65": "-----BEGIN PRIVATE KEY-----\n...",
//       "ecdsa_p256": "...",
//       "ml_kem_768": "...",       absent for a device without ML-KEM
//       "x25519": "..."
//     },
//     "public_key_digest": "<64 hex digits>",
//     "enrollment": {              absent until the device is registered
//       "server_url": "https://127.0.0.1:8443",
//       "ca_file": "/abs/path/ca.pem",
//       "device_id": "dev_...",
//       "status": "pending" | "trusted" | "revoked",
//       "certificates": {"ml_dsa_65": "<PEM>", "ecdsa_p256": "<PEM>"},
//       "pending_challenge": {"challenge_id": "...", "kind": "registration",
//                             "expires_at": "..."}      optional
//     }
//   }
//
// public_key_digest is SHA-256 over the SubjectPublicKeyInfo DER of the four
// public keys, each preceded by its length as 4 bytes big-endian, in the order
// above (an absent ML-KEM key counts as empty). Loading recomputes it, so a
// damaged key block that still parses as some key is detected even before
// enrollment; once enrolled, the certificates must also certify the keys and
// name the device and user.
#ifndef DEVTRUST_CLIENT_KEY_FILE_H_
#define DEVTRUST_CLIENT_KEY_FILE_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "client/device_keys.h"
#include "crypto/secret_bytes.h"
#include "crypto/x509.h"

namespace devtrust::client {

inline constexpr std::string_view kKeyFileFormat = "devtrust-device-key-file/1";
// A key file is about 15 KB; the limit only bounds what a load reads.
inline constexpr std::size_t kMaxKeyFileSize = 1024 * 1024;

// A verification challenge the device still has to answer with a code.
struct PendingChallenge {
  std::string challenge_id;
  std::string kind;  // "registration", "soft" or "hard"
  std::string expires_at;
};

struct Enrollment {
  std::string server_url;
  // The CA file that verified the server at enrollment, as an absolute path;
  // later commands use it unless they are given another.
  std::string ca_file;
  std::string device_id;
  // The status the server last reported: "pending", "trusted" or "revoked".
  std::string status;
  crypto::Certificate ml_dsa_certificate;
  crypto::Certificate ecdsa_certificate;
  std::optional<PendingChallenge> pending_challenge;
};

struct KeyFile {
  std::string user_id;
  DeviceKeys keys;
  std::optional<Enrollment> enrollment;
};

// The key file as JSON text, in a wiping buffer because it contains the
// private keys. Fails with the export errors of crypto::PrivateKey::ToPem.
Result<crypto::SecretBytes> SerializeKeyFile(const KeyFile& key_file);

// Parses and checks key file text; `source` names it in errors. Every
// problem fails with reason "key_file_invalid" (kDataLoss) and a message that
// names the field and says to restore the file or enroll again.
Result<KeyFile> ParseKeyFile(ByteView text, std::string_view source);

// Whether SaveKeyFile may replace an existing file.
enum class KeyFileWrite {
  kCreateNew,  // fail with "key_file_exists" when the file exists
  kReplaceExisting,
};

// Writes the key file atomically with mode 0600 (pki::WriteFileAtomically:
// a temporary file opened with O_CREAT|O_EXCL and mode 0600, fsync, then
// link or rename). A missing parent directory is created with mode 0700.
// Errors: "key_file_exists" (kAlreadyExists), "file_write_failed".
Status SaveKeyFile(const std::filesystem::path& path, const KeyFile& key_file, KeyFileWrite write);

// Reads and parses a key file. A file that group or others may access is
// rejected with reason "key_file_permissions" and a message with the chmod
// to run; a missing one with "file_not_found"; then the errors of
// ParseKeyFile.
Result<KeyFile> LoadKeyFile(const std::filesystem::path& path);

// $XDG_CONFIG_HOME/devtrust/device-key.json, or ~/.config/devtrust/... when
// XDG_CONFIG_HOME is unset. Fails with reason "key_file_missing" when
// neither it nor HOME is set.
Result<std::filesystem::path> DefaultKeyFilePath();

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_KEY_FILE_H_
