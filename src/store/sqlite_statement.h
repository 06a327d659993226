// A prepared SQLite statement borrowed from a connection's statement cache.
#ifndef DEVTRUST_STORE_SQLITE_STATEMENT_H_
#define DEVTRUST_STORE_SQLITE_STATEMENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "store/records.h"

struct sqlite3_stmt;

namespace devtrust::store {

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const;
};
using UniqueStatement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Binds parameters, steps and reads columns of one statement. Destroying it
// resets the statement and clears its bindings, so the next user of the
// cached statement starts clean. A statement it owns, which was prepared
// because the cached copy was in use, is finalized instead.
//
// Parameter and column indexes follow SQLite: parameters count from 1,
// columns from 0. Times bind as integer milliseconds since the Unix epoch and
// empty byte strings as zero-length blobs, never as NULL.
class SqliteStatement {
 public:
  // Borrows `statement`. `in_use` is the cache's flag, cleared on destruction.
  SqliteStatement(sqlite3_stmt* statement, bool* in_use);
  // Owns `statement`.
  explicit SqliteStatement(UniqueStatement statement);
  ~SqliteStatement();

  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  Status Bind(int index, std::int64_t value);
  Status Bind(int index, std::int32_t value);
  Status Bind(int index, double value);
  Status Bind(int index, std::string_view text);
  Status Bind(int index, ByteView blob);
  Status Bind(int index, TimePoint time);
  // Binds NULL for nullopt.
  Status Bind(int index, std::optional<TimePoint> time);

  // Binds `values` to parameters 1, 2, ... in order.
  template <typename... Values>
  Status BindAll(const Values&... values) {
    int index = 0;
    Status status;
    ((status = status.has_value() ? Bind(++index, values) : status), ...);
    return status;
  }

  // Runs one step. Returns true when a row is available, false when the
  // statement has finished.
  Result<bool> Step();
  // Steps until the statement finishes, for statements that return no rows.
  Status Run();
  // Rewinds the statement so that it can run again with the same bindings.
  Status Reset();

  bool ColumnIsNull(int column) const;
  std::int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  Bytes ColumnBlob(int column) const;
  TimePoint ColumnTime(int column) const;
  // nullopt for NULL.
  std::optional<TimePoint> ColumnOptionalTime(int column) const;

 private:
  Status CheckBind(int code, int index);

  sqlite3_stmt* statement_;
  bool* in_use_ = nullptr;
  UniqueStatement owned_;
};

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_SQLITE_STATEMENT_H_
