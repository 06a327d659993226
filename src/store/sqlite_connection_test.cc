// The SQLite wrappers: error mapping, binding and the statement cache.
#include "store/sqlite_connection.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite_error.h"
#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using std::chrono::milliseconds;

TEST(SqliteError, MapsResultCodes) {
  struct Case {
    int sqlite_code;
    StatusCode code;
    std::string_view reason;
  };
  const Case cases[] = {
      {SQLITE_CONSTRAINT_UNIQUE, StatusCode::kAlreadyExists, "record_exists"},
      {SQLITE_CONSTRAINT_PRIMARYKEY, StatusCode::kAlreadyExists, "record_exists"},
      {SQLITE_CONSTRAINT_FOREIGNKEY, StatusCode::kInternal, "store_internal"},
      {SQLITE_CONSTRAINT_CHECK, StatusCode::kInternal, "store_internal"},
      {SQLITE_BUSY, StatusCode::kUnavailable, "store_busy"},
      {SQLITE_BUSY_SNAPSHOT, StatusCode::kUnavailable, "store_busy"},
      {SQLITE_LOCKED, StatusCode::kUnavailable, "store_busy"},
      {SQLITE_CORRUPT, StatusCode::kDataLoss, "store_corrupt"},
      {SQLITE_NOTADB, StatusCode::kDataLoss, "store_corrupt"},
      {SQLITE_FULL, StatusCode::kResourceExhausted, "store_full"},
      {SQLITE_CANTOPEN, StatusCode::kUnavailable, "store_open_failed"},
      {SQLITE_IOERR_FSYNC, StatusCode::kInternal, "store_internal"},
  };
  for (const Case& c : cases) {
    const Error error = SqliteError(nullptr, c.sqlite_code, "testing");
    EXPECT_EQ(error.code(), c.code) << c.sqlite_code;
    EXPECT_EQ(error.reason(), c.reason) << c.sqlite_code;
    EXPECT_NE(error.message().find("testing failed"), std::string::npos) << error.message();
  }
}

class SqliteConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<SqliteConnection> opened = SqliteConnection::Open(
        dir_.File("wrappers.db"), SqliteConnection::Mode::kReadWrite, milliseconds(100));
    ASSERT_OK(opened);
    connection_.emplace(std::move(*opened));
    ASSERT_OK(connection_->Execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL, at INTEGER) STRICT"));
  }

  test_util::TempDir dir_;
  std::optional<SqliteConnection> connection_;
};

TEST_F(SqliteConnectionTest, EmptyBlobIsNotNull) {
  Result<SqliteStatement> insert = connection_->Prepare("INSERT INTO t (data) VALUES (?)");
  ASSERT_OK(insert);
  ASSERT_OK(insert->BindAll(Bytes{}));
  ASSERT_OK(insert->Run());

  const Result<std::int64_t> empty =
      connection_->QueryInt64("SELECT count(*) FROM t WHERE data = x''");
  ASSERT_OK(empty);
  EXPECT_EQ(*empty, 1);
}

TEST_F(SqliteConnectionTest, OptionalTimeBindsNull) {
  Result<SqliteStatement> insert = connection_->Prepare("INSERT INTO t (data, at) VALUES (?, ?)");
  ASSERT_OK(insert);
  ASSERT_OK(insert->BindAll(Bytes{1}, std::optional<TimePoint>()));
  ASSERT_OK(insert->Run());

  Result<SqliteStatement> select = connection_->Prepare("SELECT at FROM t");
  ASSERT_OK(select);
  const Result<bool> row = select->Step();
  ASSERT_OK(row);
  ASSERT_TRUE(*row);
  EXPECT_EQ(select->ColumnOptionalTime(0), std::nullopt);
}

TEST_F(SqliteConnectionTest, CachedStatementInUseGetsCopy) {
  ASSERT_OK(connection_->Execute("INSERT INTO t (data) VALUES (x'01'), (x'02')"));
  constexpr std::string_view kSelect = "SELECT id FROM t ORDER BY id";

  Result<SqliteStatement> outer = connection_->Prepare(kSelect);
  ASSERT_OK(outer);
  const Result<bool> outer_row = outer->Step();
  ASSERT_OK(outer_row);
  ASSERT_TRUE(*outer_row);

  // The same SQL while the first is mid-iteration: a second statement that
  // starts from the beginning and leaves the first where it was.
  {
    Result<SqliteStatement> inner = connection_->Prepare(kSelect);
    ASSERT_OK(inner);
    const Result<bool> inner_row = inner->Step();
    ASSERT_OK(inner_row);
    ASSERT_TRUE(*inner_row);
    EXPECT_EQ(inner->ColumnInt64(0), 1);
  }

  const Result<bool> next = outer->Step();
  ASSERT_OK(next);
  ASSERT_TRUE(*next);
  EXPECT_EQ(outer->ColumnInt64(0), 2);
}

TEST_F(SqliteConnectionTest, ReleasedStatementStartsClean) {
  ASSERT_OK(connection_->Execute("INSERT INTO t (data) VALUES (x'01')"));
  constexpr std::string_view kSelect = "SELECT count(*) FROM t WHERE id = ?";
  {
    Result<SqliteStatement> first = connection_->Prepare(kSelect);
    ASSERT_OK(first);
    ASSERT_OK(first->BindAll(std::int64_t{1}));
    ASSERT_OK(first->Step());
    EXPECT_EQ(first->ColumnInt64(0), 1);
  }

  // The binding was cleared, so ? is NULL and matches nothing.
  Result<SqliteStatement> second = connection_->Prepare(kSelect);
  ASSERT_OK(second);
  ASSERT_OK(second->Step());
  EXPECT_EQ(second->ColumnInt64(0), 0);
}

TEST_F(SqliteConnectionTest, SyntaxErrorIsInternal) {
  const Result<SqliteStatement> statement = connection_->Prepare("SELEKT 1");
  ASSERT_FALSE(statement.has_value());
  EXPECT_EQ(statement.error().code(), StatusCode::kInternal);
  EXPECT_NE(statement.error().message().find("syntax error"), std::string::npos)
      << statement.error().message();
}

}  // namespace
}  // namespace devtrust::store
