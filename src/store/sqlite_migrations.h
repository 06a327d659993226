// The SQLite schema as a list of numbered migrations, and the code that
// brings a database up to date.
//
// Applied versions are recorded in schema_migrations(version, applied_at), so
// a reopened database runs only what it has not seen. A released migration
// is never edited, so a schema change is a new migration with the next
// version.
#ifndef DEVTRUST_STORE_SQLITE_MIGRATIONS_H_
#define DEVTRUST_STORE_SQLITE_MIGRATIONS_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "base/error.h"
#include "store/records.h"
#include "store/sqlite_connection.h"

namespace devtrust::store {

struct Migration {
  std::int64_t version = 0;
  std::string_view description;
  // One or more statements.
  std::string_view sql;
};

// The devtrust schema, in increasing version order.
std::span<const Migration> SqliteStoreMigrations();

// The version SqliteStoreMigrations() ends at.
std::int64_t LatestSqliteSchemaVersion();

// Applies every migration whose version is above the database's current one,
// in order, inside one BEGIN IMMEDIATE transaction, and returns the version
// the database is at afterwards. If any migration fails, none is kept.
// Fails with kFailedPrecondition, reason "schema_too_new", when the database
// records a version above the last of `migrations`, because a newer devtrust
// wrote it. Fails with kInternal, reason "invalid_migrations", when the
// versions of `migrations` do not start at 1 or do not strictly increase.
Result<std::int64_t> ApplyMigrations(SqliteConnection& connection,
                                     std::span<const Migration> migrations, TimePoint now);

// The highest version recorded in schema_migrations, or 0 when the table is
// missing or empty.
Result<std::int64_t> CurrentSchemaVersion(SqliteConnection& connection);

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_SQLITE_MIGRATIONS_H_
