// A copy of devtrust's SQLite database, taken while `devtrust serve` is not
// running, and queried read-only with the sqlite3 command line, so that the
// tests read the files as any other SQLite client would and never touch the
// server's own files.
#ifndef DEVTRUST_TESTS_CRASH_DATABASE_SNAPSHOT_H_
#define DEVTRUST_TESTS_CRASH_DATABASE_SNAPSHOT_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace devtrust::hardening {

class DatabaseSnapshot {
 public:
  // Copies `database` and its write-ahead log, when there is one, into
  // `directory`, which it creates. The -shm file is left behind: it holds
  // only the WAL index, which SQLite rebuilds from the log. Errors:
  // "snapshot_failed" naming the file.
  static Result<DatabaseSnapshot> Copy(const std::filesystem::path& database,
                                       const std::filesystem::path& directory);

  // Runs `sql` with `sqlite3 -readonly -bail` on the copy and returns its
  // output lines, columns separated by '|'. Errors: "sqlite3_failed" with its
  // standard error, and those of ops::RunSubprocess.
  Result<std::vector<std::string>> Query(std::string_view sql) const;

  // Runs a query that returns one integer, such as a count(*). Errors: those
  // of Query, and "sqlite3_failed" for any other output.
  Result<std::int64_t> Count(std::string_view sql) const;

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit DatabaseSnapshot(std::filesystem::path path) : path_(std::move(path)) {}

  std::filesystem::path path_;
};

// "'a','b'" for an SQL IN list. The values must not contain a quote; device
// ids and hex digests never do.
std::string SqlList(const std::vector<std::string>& values);

}  // namespace devtrust::hardening

#endif  // DEVTRUST_TESTS_CRASH_DATABASE_SNAPSHOT_H_
