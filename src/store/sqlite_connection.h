// One SQLite database connection with its cache of prepared statements.
#ifndef DEVTRUST_STORE_SQLITE_CONNECTION_H_
#define DEVTRUST_STORE_SQLITE_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/error.h"
#include "store/sqlite_statement.h"

struct sqlite3;

namespace devtrust::store {

struct ConnectionCloser {
  void operator()(sqlite3* db) const;
};

// Owns a sqlite3 handle. A connection may move between threads but serves one
// thread at a time, because it is opened without SQLite's own mutex
// (SQLITE_OPEN_NOMUTEX) to save a lock per call.
class SqliteConnection {
 public:
  enum class Mode {
    kReadWrite,  // creates the file when missing
    kReadOnly,
  };

  // Opens `path` with extended result codes and defensive mode on,
  // trusted_schema off and the given busy timeout. Fails with reason
  // "store_open_failed" when the file cannot be opened.
  static Result<SqliteConnection> Open(const std::string& path, Mode mode,
                                       std::chrono::milliseconds busy_timeout);

  SqliteConnection(SqliteConnection&&) noexcept = default;
  SqliteConnection& operator=(SqliteConnection&&) noexcept = default;
  ~SqliteConnection() = default;

  // Runs one or more SQL statements without parameters, for pragmas, schema
  // changes and tests. Rows they return are discarded.
  Status Execute(std::string_view sql);

  // Returns the cached prepared statement for `sql`, preparing it on first
  // use. When the cached statement is still held by an earlier caller on this
  // connection, returns a separately prepared copy.
  Result<SqliteStatement> Prepare(std::string_view sql);

  // Runs a query that returns one row with one integer column, such as
  // "SELECT count(*) FROM devices".
  Result<std::int64_t> QueryInt64(std::string_view sql);

  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t changes() const;
  // True while a transaction is open. SQLite ends one by itself after some
  // errors, such as SQLITE_FULL or SQLITE_IOERR.
  bool in_transaction() const;
  sqlite3* native() const { return db_.get(); }

 private:
  struct CachedStatement {
    UniqueStatement statement;
    // Heap-allocated so that its address stays valid while the map grows.
    std::unique_ptr<bool> in_use = std::make_unique<bool>(false);
  };

  // Lets the cache look up std::string keys by string_view.
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  explicit SqliteConnection(std::unique_ptr<sqlite3, ConnectionCloser> db) : db_(std::move(db)) {}

  Result<UniqueStatement> PrepareNew(std::string_view sql, bool persistent);

  // Declared before the cache so that the statements are finalized first.
  std::unique_ptr<sqlite3, ConnectionCloser> db_;
  std::unordered_map<std::string, CachedStatement, StringHash, std::equal_to<>> statements_;
};

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_SQLITE_CONNECTION_H_
