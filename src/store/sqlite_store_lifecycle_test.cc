// Opening, file permissions, locking, closing and health of the SQLite store.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "store/sqlite_connection.h"
#include "store/sqlite_migrations.h"
#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using std::chrono::milliseconds;
using test_util::At;
using test_util::MakeNonce;
using test_util::OpenOrFail;
using test_util::TempDir;
using test_util::TestOptions;

mode_t PermissionBits(const std::string& path) {
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) {
    ADD_FAILURE() << "stat failed for " << path;
    return 0;
  }
  return info.st_mode & 0777;
}

// Sets the process umask for the scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }

 private:
  mode_t previous_;
};

NonceRecord SomeNonce(std::string_view label) {
  return MakeNonce(label, NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));
}

TEST(SqliteStoreFiles, CreatedWithOwnerOnlyMode) {
  // With the common umask 022, SQLite alone would create 0644 files.
  const ScopedUmask umask_022(022);
  TempDir dir;
  const std::string path = dir.File("private.db");

  std::unique_ptr<SqliteStore> store = OpenOrFail(TestOptions(path));
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->PutNonce(SomeNonce("mode")));

  // The -wal and -shm files exist while the store is open.
  EXPECT_EQ(PermissionBits(path), 0600u);
  EXPECT_EQ(PermissionBits(path + "-wal"), 0600u);
  EXPECT_EQ(PermissionBits(path + "-shm"), 0600u);
  store->Close();
}

TEST(SqliteStoreFiles, ExistingFileKeepsItsMode) {
  TempDir dir;
  const std::string path = dir.File("existing.db");
  {
    std::ofstream create(path);
  }
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);

  std::unique_ptr<SqliteStore> store = OpenOrFail(TestOptions(path));
  ASSERT_NE(store, nullptr);
  store->Close();
  EXPECT_EQ(PermissionBits(path), 0640u);
}

TEST(SqliteStoreOpen, RejectsEmptyPath) {
  const Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(TestOptions(""));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code(), StatusCode::kInvalidArgument);
}

TEST(SqliteStoreOpen, MissingDirectoryFails) {
  TempDir dir;
  const Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(TestOptions(dir.File("no/such/dir/devtrust.db")));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.error().reason(), "store_open_failed");
}

TEST(SqliteStoreOpen, NotADatabaseIsDataLoss) {
  TempDir dir;
  const std::string path = dir.File("garbage.db");
  {
    std::ofstream garbage(path, std::ios::binary);
    garbage << std::string(8192, 'x');
  }

  const Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(TestOptions(path));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code(), StatusCode::kDataLoss);
  EXPECT_EQ(store.error().reason(), "store_corrupt");
}

TEST(SqliteStoreOpen, DataSurvivesReopen) {
  TempDir dir;
  const std::string path = dir.File("reopen.db");
  {
    std::unique_ptr<SqliteStore> store = OpenOrFail(TestOptions(path));
    ASSERT_NE(store, nullptr);
    test_util::RegisterOrFail(*store, "device-1", "user-1", At(milliseconds(0)));
  }

  std::unique_ptr<SqliteStore> reopened = OpenOrFail(TestOptions(path));
  ASSERT_NE(reopened, nullptr);
  const Result<DeviceRecord> device = reopened->GetDevice("device-1");
  ASSERT_OK(device);
  EXPECT_EQ(device->user_id, "user-1");
}

TEST(SqliteStoreLocking, HeldWriteLockReportsBusy) {
  TempDir dir;
  const std::string path = dir.File("busy.db");
  SqliteStoreOptions options = TestOptions(path);
  options.busy_timeout = milliseconds(50);
  std::unique_ptr<SqliteStore> store = OpenOrFail(options);
  ASSERT_NE(store, nullptr);

  // Another connection takes the write lock, as another process could.
  Result<SqliteConnection> other =
      SqliteConnection::Open(path, SqliteConnection::Mode::kReadWrite, milliseconds(0));
  ASSERT_OK(other);
  ASSERT_OK(other->Execute("BEGIN IMMEDIATE"));

  const Status blocked = store->PutNonce(SomeNonce("busy"));
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(blocked.error().reason(), "store_busy");

  // Readers are not blocked by the writer.
  EXPECT_OK(store->Ping());

  ASSERT_OK(other->Execute("ROLLBACK"));
  EXPECT_OK(store->PutNonce(SomeNonce("busy")));
}

TEST(SqliteStoreClose, LaterCallsFail) {
  TempDir dir;
  std::unique_ptr<SqliteStore> store = OpenOrFail(TestOptions(dir.File("closed.db")));
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Ping());

  store->Close();

  const Status write = store->PutNonce(SomeNonce("closed"));
  ASSERT_FALSE(write.has_value());
  EXPECT_EQ(write.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(write.error().reason(), "store_closed");

  const Result<DeviceRecord> read = store->GetDevice("device-1");
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().reason(), "store_closed");

  const Status ping = store->Ping();
  ASSERT_FALSE(ping.has_value());
  EXPECT_EQ(ping.error().reason(), "store_closed");

  store->Close();
}

TEST(SqliteStorePing, DetectsSchemaChangedUnderneath) {
  TempDir dir;
  const std::string path = dir.File("ping.db");
  std::unique_ptr<SqliteStore> store = OpenOrFail(TestOptions(path));
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Ping());

  // What a newer devtrust migrating the same file would leave behind.
  test_util::ExecuteOrFail(path, "INSERT INTO schema_migrations (version, applied_at) VALUES (" +
                                     std::to_string(LatestSqliteSchemaVersion() + 1) + ", 0)");

  const Status ping = store->Ping();
  ASSERT_FALSE(ping.has_value());
  EXPECT_EQ(ping.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(ping.error().reason(), "schema_changed");
}

}  // namespace
}  // namespace devtrust::store
