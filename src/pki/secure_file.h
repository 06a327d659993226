// File I/O for the CA's key directory: atomic writes with a fixed mode, and
// reads that reject private key files other users can access.
#ifndef DEVTRUST_PKI_SECURE_FILE_H_
#define DEVTRUST_PKI_SECURE_FILE_H_

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::pki {

inline constexpr mode_t kPrivateFileMode = 0600;
inline constexpr mode_t kPublicFileMode = 0644;

// The action WriteFileAtomically takes when `path` already exists.
enum class ExistingFile {
  kKeep,     // fail with reason "file_exists" and leave the file as it is
  kReplace,  // replace it in one step
};

// Writes `contents` to `path` so that a crash leaves either no file or the
// whole file, never a partial one: the bytes go to a temporary file in the
// same directory, created with open(O_CREAT | O_EXCL, mode) so that it never
// has wider permissions than `mode`, and fsync'ed, then linked (kKeep) or
// renamed (kReplace) to `path`, and the directory is fsync'ed. Fails with
// reason "file_exists" (kAlreadyExists) or "file_write_failed".
Status WriteFileAtomically(const std::filesystem::path& path, ByteView contents, mode_t mode,
                           ExistingFile existing);

// Creates `directory` with mode 0700 when it does not exist (parents get the
// process defaults). Fails with reason "file_write_failed".
Status CreatePrivateDirectory(const std::filesystem::path& directory);

// Reads a private key file of at most `max_size` bytes. The file must be a
// regular file without group or other permission bits: otherwise fails with
// reason "key_file_permissions" and a message that names the file and the
// chmod to run. A missing file fails with reason "file_not_found".
Result<crypto::SecretBytes> ReadPrivateKeyFile(const std::filesystem::path& path,
                                               std::size_t max_size);

// Reads a public file, such as a certificate, of at most `max_size` bytes.
// Fails with reason "file_not_found" or "file_read_failed".
Result<std::string> ReadPublicFile(const std::filesystem::path& path, std::size_t max_size);

}  // namespace devtrust::pki

#endif  // DEVTRUST_PKI_SECURE_FILE_H_
