// An exclusive lock on a data directory, held by `devtrust serve` for as long
// as it runs. Two servers on one directory would share the SQLite file, which
// WAL allows, but each would also keep its own CRLs, key caches and
// notification dispatcher, so one node per directory is enforced.
#ifndef DEVTRUST_SERVICE_DATA_DIRECTORY_LOCK_H_
#define DEVTRUST_SERVICE_DATA_DIRECTORY_LOCK_H_

#include <filesystem>

#include "base/error.h"

namespace devtrust::service {

class DataDirectoryLock {
 public:
  // Takes flock(LOCK_EX) on <root>/serve.lock, creating it with mode 0600.
  // The kernel releases the lock when the process exits, even on SIGKILL, so
  // a crashed server never leaves a stale lock. Errors: "data_dir_locked"
  // (kFailedPrecondition) when another process holds it; "file_write_failed"
  // when the file cannot be opened.
  static Result<DataDirectoryLock> Acquire(const std::filesystem::path& root);

  DataDirectoryLock(DataDirectoryLock&& other) noexcept;
  DataDirectoryLock& operator=(DataDirectoryLock&& other) noexcept;
  DataDirectoryLock(const DataDirectoryLock&) = delete;
  DataDirectoryLock& operator=(const DataDirectoryLock&) = delete;
  ~DataDirectoryLock();

 private:
  explicit DataDirectoryLock(int fd) : fd_(fd) {}

  int fd_ = -1;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_DATA_DIRECTORY_LOCK_H_
