#include "store/sqlite_migrations.h"

#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using std::chrono::milliseconds;
using test_util::At;
using test_util::OpenOrFail;
using test_util::QueryInt;
using test_util::TempDir;
using test_util::TestOptions;

constexpr Migration kCreateAlpha = {1, "create alpha", "CREATE TABLE alpha (id INTEGER)"};
constexpr Migration kCreateBeta = {2, "create beta", "CREATE TABLE beta (id INTEGER)"};
constexpr Migration kBroken = {2, "broken", "CREATE TABLE gamma (id INTEGER); NOT VALID SQL"};

SqliteConnection OpenRaw(const std::string& path) {
  Result<SqliteConnection> connection =
      SqliteConnection::Open(path, SqliteConnection::Mode::kReadWrite, milliseconds(1000));
  EXPECT_OK(connection);
  return std::move(connection).value();
}

std::int64_t TableCount(SqliteConnection& connection, std::string_view name) {
  const Result<std::int64_t> count =
      connection.QueryInt64("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" +
                            std::string(name) + "'");
  EXPECT_OK(count);
  return count.value_or(-1);
}

TEST(SqliteStoreSchema, NewFileGetsLatestVersion) {
  TempDir dir;
  const std::string path = dir.File("fresh.db");
  std::unique_ptr<SqliteStore> store = OpenOrFail(TestOptions(path));
  ASSERT_NE(store, nullptr);

  EXPECT_EQ(QueryInt(path, "SELECT max(version) FROM schema_migrations"),
            LatestSqliteSchemaVersion());
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(SqliteStoreMigrations().size()));
  for (const char* table : {"devices", "certificates", "nonces", "verification_challenges",
                            "notifications", "review_items", "outbox"}) {
    EXPECT_EQ(QueryInt(path,
                       "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                       "name = '" +
                           std::string(table) + "'"),
              1)
        << table;
  }
}

TEST(SqliteStoreSchema, ReopenAppliesNothing) {
  TempDir dir;
  const std::string path = dir.File("reopen.db");
  OpenOrFail(TestOptions(path));
  const std::int64_t applied_at = QueryInt(path, "SELECT applied_at FROM schema_migrations");

  std::unique_ptr<SqliteStore> reopened = OpenOrFail(TestOptions(path));
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(SqliteStoreMigrations().size()));
  EXPECT_EQ(QueryInt(path, "SELECT applied_at FROM schema_migrations"), applied_at);
}

TEST(SqliteStoreSchema, NewerVersionRefused) {
  TempDir dir;
  const std::string path = dir.File("newer.db");
  OpenOrFail(TestOptions(path));
  const std::int64_t newer = LatestSqliteSchemaVersion() + 1;
  test_util::ExecuteOrFail(path, "INSERT INTO schema_migrations (version, applied_at) VALUES (" +
                                     std::to_string(newer) + ", 0)");

  const Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(TestOptions(path));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.error().reason(), "schema_too_new");
  EXPECT_NE(store.error().message().find(std::to_string(newer)), std::string::npos)
      << store.error().message();
}

TEST(SqliteApplyMigrations, AppliesOnlyPendingOnes) {
  TempDir dir;
  SqliteConnection connection = OpenRaw(dir.File("pending.db"));

  const Migration first_release[] = {kCreateAlpha};
  const Result<std::int64_t> first =
      ApplyMigrations(connection, first_release, At(milliseconds(1)));
  ASSERT_OK(first);
  EXPECT_EQ(*first, 1);

  const Migration second_release[] = {kCreateAlpha, kCreateBeta};
  const Result<std::int64_t> second =
      ApplyMigrations(connection, second_release, At(milliseconds(2)));
  ASSERT_OK(second);
  EXPECT_EQ(*second, 2);

  EXPECT_EQ(TableCount(connection, "alpha"), 1);
  EXPECT_EQ(TableCount(connection, "beta"), 1);
  const Result<std::int64_t> version_rows =
      connection.QueryInt64("SELECT count(*) FROM schema_migrations");
  ASSERT_OK(version_rows);
  EXPECT_EQ(*version_rows, 2);
}

TEST(SqliteApplyMigrations, FailureKeepsNothing) {
  TempDir dir;
  SqliteConnection connection = OpenRaw(dir.File("broken.db"));

  const Migration migrations[] = {kCreateAlpha, kBroken};
  const Result<std::int64_t> applied = ApplyMigrations(connection, migrations, At(milliseconds(1)));
  ASSERT_FALSE(applied.has_value());
  EXPECT_NE(applied.error().message().find("migration 2"), std::string::npos)
      << applied.error().message();

  EXPECT_FALSE(connection.in_transaction());
  EXPECT_EQ(TableCount(connection, "alpha"), 0);
  EXPECT_EQ(TableCount(connection, "gamma"), 0);
  const Result<std::int64_t> version = CurrentSchemaVersion(connection);
  ASSERT_OK(version);
  EXPECT_EQ(*version, 0);
}

TEST(SqliteApplyMigrations, RejectsUnorderedVersions) {
  TempDir dir;
  SqliteConnection connection = OpenRaw(dir.File("unordered.db"));

  const Migration migrations[] = {kCreateBeta, kCreateAlpha};
  const Result<std::int64_t> applied = ApplyMigrations(connection, migrations, At(milliseconds(1)));
  ASSERT_FALSE(applied.has_value());
  EXPECT_EQ(applied.error().reason(), "invalid_migrations");
  EXPECT_EQ(TableCount(connection, "beta"), 0);
}

}  // namespace
}  // namespace devtrust::store
