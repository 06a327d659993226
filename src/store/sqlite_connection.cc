#include "store/sqlite_connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "base/status_macros.h"
#include "store/sqlite_error.h"

namespace devtrust::store {

void ConnectionCloser::operator()(sqlite3* db) const {
  // close_v2 defers the close until every statement is finalized, so a
  // forgotten statement leaks instead of failing the close.
  sqlite3_close_v2(db);
}

Result<SqliteConnection> SqliteConnection::Open(const std::string& path, Mode mode,
                                                std::chrono::milliseconds busy_timeout) {
  const int access =
      mode == Mode::kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(path.c_str(), &raw,
                                     access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  // sqlite3_open_v2 returns a handle even on failure, which must be closed too.
  std::unique_ptr<sqlite3, ConnectionCloser> db(raw);
  if (opened != SQLITE_OK) {
    return MakeSqliteError(db.get(), opened, fmt::format("opening database '{}'", path));
  }

  // Extended codes tell a UNIQUE violation from other constraint failures.
  sqlite3_extended_result_codes(db.get(), 1);

  const auto timeout_ms = std::clamp<std::chrono::milliseconds::rep>(
      busy_timeout.count(), 0, std::numeric_limits<int>::max());
  if (const int code = sqlite3_busy_timeout(db.get(), static_cast<int>(timeout_ms));
      code != SQLITE_OK) {
    return MakeSqliteError(db.get(), code, "setting the busy timeout");
  }

  // Defensive mode forbids writes to the schema table and other operations
  // that can corrupt the file. With trusted_schema off, triggers and views
  // stored in the file cannot call functions that have side effects.
  if (const int code = sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
      code != SQLITE_OK) {
    return MakeSqliteError(db.get(), code, "enabling defensive mode");
  }
  if (const int code = sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
      code != SQLITE_OK) {
    return MakeSqliteError(db.get(), code, "disabling trusted_schema");
  }

  return SqliteConnection(std::move(db));
}

Status SqliteConnection::Execute(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int code = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (code != SQLITE_OK) return MakeSqliteError(db_.get(), code, "executing SQL");
  return {};
}

Result<UniqueStatement> SqliteConnection::PrepareNew(std::string_view sql, bool persistent) {
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return MakeError(StatusCode::kInternal, "store_internal", "SQL text is too long to prepare");
  }

  sqlite3_stmt* raw = nullptr;
  const int code = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      persistent ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
  UniqueStatement statement(raw);
  if (code != SQLITE_OK) return MakeSqliteError(db_.get(), code, "preparing a statement");
  if (statement == nullptr) {
    return MakeError(StatusCode::kInternal, "store_internal",
                     "preparing a statement produced nothing; the SQL text has no statement");
  }
  return statement;
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  auto cached = statements_.find(sql);
  if (cached == statements_.end()) {
    DEVTRUST_ASSIGN_OR_RETURN(UniqueStatement statement, PrepareNew(sql, /*persistent=*/true));
    CachedStatement entry;
    entry.statement = std::move(statement);
    cached = statements_.emplace(std::string(sql), std::move(entry)).first;
  }

  // A caller still holding the cached copy would see its bindings and its
  // position reset under it, so a second user gets its own statement.
  if (*cached->second.in_use) {
    DEVTRUST_ASSIGN_OR_RETURN(UniqueStatement statement, PrepareNew(sql, /*persistent=*/false));
    return SqliteStatement(std::move(statement));
  }

  *cached->second.in_use = true;
  return SqliteStatement(cached->second.statement.get(), cached->second.in_use.get());
}

Result<std::int64_t> SqliteConnection::QueryInt64(std::string_view sql) {
  DEVTRUST_ASSIGN_OR_RETURN(SqliteStatement statement, Prepare(sql));
  DEVTRUST_ASSIGN_OR_RETURN(const bool has_row, statement.Step());
  if (!has_row) {
    return MakeError(StatusCode::kInternal, "store_internal",
                     "a query that returns one row returned none");
  }
  return statement.ColumnInt64(0);
}

std::int64_t SqliteConnection::changes() const { return sqlite3_changes64(db_.get()); }

bool SqliteConnection::in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

}  // namespace devtrust::store
