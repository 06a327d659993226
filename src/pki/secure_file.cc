#include "pki/secure_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>
#include <utility>

#include "base/encoding.h"
#include "crypto/random.h"

namespace devtrust::pki {
namespace {

namespace fs = std::filesystem;

// Closes the descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

  // Closes now, because close can report a delayed write error.
  bool Close() {
    const int fd = std::exchange(fd_, -1);
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

std::unexpected<Error> WriteFailed(const fs::path& path, std::string_view step, int error) {
  return MakeError(StatusCode::kUnavailable, "file_write_failed",
                   std::string(step) + " " + path.string() + " failed: " + ErrnoText(error));
}

std::unexpected<Error> ReadFailed(const fs::path& path, std::string_view step, int error) {
  if (error == ENOENT) {
    return MakeError(StatusCode::kNotFound, "file_not_found", path.string() + " does not exist");
  }
  return MakeError(StatusCode::kUnavailable, "file_read_failed",
                   std::string(step) + " " + path.string() + " failed: " + ErrnoText(error));
}

Status WriteAll(int fd, ByteView contents, const fs::path& path) {
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t result = ::write(fd, contents.data() + written, contents.size() - written);
    if (result < 0) {
      if (errno == EINTR) {
        continue;
      }
      return WriteFailed(path, "writing", errno);
    }
    written += static_cast<std::size_t>(result);
  }
  return {};
}

// Makes a completed link or rename durable (fsync(2): syncing the file does
// not sync the directory entry that names it).
Status SyncDirectory(const fs::path& directory) {
  FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return WriteFailed(directory, "opening directory", errno);
  }
  if (::fsync(fd.get()) != 0) {
    return WriteFailed(directory, "syncing directory", errno);
  }
  return {};
}

// Opens `path` and checks that it is a regular file of at most `max_size`
// bytes; returns the descriptor and the file status.
Result<std::pair<std::unique_ptr<FileDescriptor>, struct stat>> OpenForReading(
    const fs::path& path, std::size_t max_size) {
  auto fd = std::make_unique<FileDescriptor>(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd->valid()) {
    return ReadFailed(path, "opening", errno);
  }
  // fstat on the open descriptor, so the checks apply to the file that is
  // read even if the path is swapped in between.
  struct stat status{};
  if (::fstat(fd->get(), &status) != 0) {
    return ReadFailed(path, "inspecting", errno);
  }
  if (!S_ISREG(status.st_mode)) {
    return MakeError(StatusCode::kFailedPrecondition, "file_read_failed",
                     path.string() + " is not a regular file");
  }
  if (static_cast<std::size_t>(status.st_size) > max_size) {
    return MakeError(StatusCode::kFailedPrecondition, "file_read_failed",
                     path.string() + " is " + std::to_string(status.st_size) +
                         " bytes; the maximum is " + std::to_string(max_size));
  }
  return std::make_pair(std::move(fd), status);
}

Status ReadExactly(int fd, std::uint8_t* out, std::size_t size, const fs::path& path) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t result = ::read(fd, out + done, size - done);
    if (result < 0 && errno == EINTR) {
      continue;
    }
    if (result < 0) {
      return ReadFailed(path, "reading", errno);
    }
    if (result == 0) {
      return MakeError(StatusCode::kUnavailable, "file_read_failed",
                       path.string() + " became shorter while it was read");
    }
    done += static_cast<std::size_t>(result);
  }
  return {};
}

}  // namespace

Status WriteFileAtomically(const fs::path& path, ByteView contents, mode_t mode,
                           ExistingFile existing) {
  const fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");

  // A random suffix keeps concurrent writers of the same path apart.
  Result<Bytes> suffix = crypto::RandomBytes(8);
  if (!suffix) {
    return std::unexpected(suffix.error());
  }
  const fs::path temporary =
      directory / ("." + path.filename().string() + ".tmp-" + HexEncode(*suffix));

  // O_EXCL with O_NOFOLLOW never opens an existing file or follows a planted
  // symbolic link, and `mode` applies from the first byte.
  FileDescriptor fd(
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd.valid()) {
    return WriteFailed(temporary, "creating", errno);
  }
  Status written = WriteAll(fd.get(), contents, temporary);
  if (written && ::fsync(fd.get()) != 0) {
    written = WriteFailed(temporary, "syncing", errno);
  }
  if (written && !fd.Close()) {
    written = WriteFailed(temporary, "closing", errno);
  }
  if (!written) {
    ::unlink(temporary.c_str());
    return written;
  }

  // link(2) fails with EEXIST instead of replacing, so two processes that
  // create the same key at once cannot overwrite each other.
  if (existing == ExistingFile::kKeep) {
    const int linked = ::link(temporary.c_str(), path.c_str());
    const int link_error = errno;
    ::unlink(temporary.c_str());
    if (linked != 0 && link_error == EEXIST) {
      return MakeError(StatusCode::kAlreadyExists, "file_exists",
                       path.string() + " already exists; it was left unchanged");
    }
    if (linked != 0) {
      return WriteFailed(path, "linking", link_error);
    }
  } else if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int rename_error = errno;
    ::unlink(temporary.c_str());
    return WriteFailed(path, "renaming into", rename_error);
  }

  return SyncDirectory(directory);
}

Status CreatePrivateDirectory(const fs::path& directory) {
  std::error_code error;
  if (fs::is_directory(directory, error)) {
    return {};
  }
  if (directory.has_parent_path()) {
    fs::create_directories(directory.parent_path(), error);
    if (error) {
      return WriteFailed(directory.parent_path(), "creating directory", error.value());
    }
  }
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return WriteFailed(directory, "creating directory", errno);
  }
  return {};
}

Result<crypto::SecretBytes> ReadPrivateKeyFile(const fs::path& path, std::size_t max_size) {
  auto opened = OpenForReading(path, max_size);
  if (!opened) {
    return std::unexpected(opened.error());
  }
  const auto& [fd, status] = *opened;

  // Private keys must not be readable or writable by anyone but the owner.
  const mode_t permissions = status.st_mode & 0777;
  if ((permissions & 0077) != 0) {
    std::array<char, 8> octal{};
    std::snprintf(octal.data(), octal.size(), "%04o", static_cast<unsigned>(permissions));
    return MakeError(StatusCode::kFailedPrecondition, "key_file_permissions",
                     "key file " + path.string() + " has mode " + octal.data() +
                         ", which gives group or other users access; run chmod 600 " +
                         path.string());
  }

  crypto::SecretBytes contents(static_cast<std::size_t>(status.st_size));
  Status read = ReadExactly(fd->get(), contents.data(), contents.size(), path);
  if (!read) {
    return std::unexpected(read.error());
  }
  return contents;
}

Result<std::string> ReadPublicFile(const fs::path& path, std::size_t max_size) {
  auto opened = OpenForReading(path, max_size);
  if (!opened) {
    return std::unexpected(opened.error());
  }
  const auto& [fd, status] = *opened;

  std::string contents(static_cast<std::size_t>(status.st_size), '\0');
  Status read = ReadExactly(fd->get(), reinterpret_cast<std::uint8_t*>(contents.data()),
                            contents.size(), path);
  if (!read) {
    return std::unexpected(read.error());
  }
  return contents;
}

}  // namespace devtrust::pki
