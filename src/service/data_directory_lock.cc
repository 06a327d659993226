#include "service/data_directory_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace devtrust::service {

Result<DataDirectoryLock> DataDirectoryLock::Acquire(const std::filesystem::path& root) {
  const std::filesystem::path path = root / "serve.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return MakeError(StatusCode::kFailedPrecondition, "file_write_failed",
                     "opening " + path.string() + " failed: " + std::strerror(errno) +
                         "; check the data directory's owner and mode");
  }

  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return MakeError(StatusCode::kFailedPrecondition, "data_dir_locked",
                       "another devtrust serve is using the data directory " + root.string() +
                           "; stop it, or give this one its own --data-dir");
    }
    return MakeError(StatusCode::kFailedPrecondition, "file_write_failed",
                     "locking " + path.string() + " failed: " + std::strerror(error));
  }
  return DataDirectoryLock(fd);
}

DataDirectoryLock::DataDirectoryLock(DataDirectoryLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

DataDirectoryLock& DataDirectoryLock::operator=(DataDirectoryLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

DataDirectoryLock::~DataDirectoryLock() {
  // Closing the last descriptor of the open file releases the flock.
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace devtrust::service
