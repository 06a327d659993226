// Opening, closing and health of the SQLite store. The operations are in
// sqlite_store_*.cc, one file per group of records.
#include "store/sqlite_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "base/status_macros.h"
#include "store/sqlite_migrations.h"

namespace devtrust::store {
namespace {

// Creates an empty file with mode 0600 unless one exists. SQLite treats an
// empty file as an empty database, and it creates the -wal and -shm files
// with the mode of the database file, so all three stay private to the
// owner whatever the process umask is.
Status CreateDatabaseFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return {};
  }
  if (errno == EEXIST) return {};
  return MakeError(StatusCode::kUnavailable, "store_open_failed",
                   fmt::format("creating database file '{}' failed: {}; check that the "
                               "directory exists and is writable",
                               path, std::strerror(errno)));
}

// Opens the write connection and sets the modes that must hold for every
// connection that writes.
Result<SqliteConnection> OpenWriter(const SqliteStoreOptions& options) {
  DEVTRUST_ASSIGN_OR_RETURN(SqliteConnection connection,
                            SqliteConnection::Open(options.path, SqliteConnection::Mode::kReadWrite,
                                                   options.busy_timeout));

  // WAL lets readers run beside the writer and makes a commit one append
  // plus, with synchronous=FULL, one fsync. The mode is stored in the file,
  // so every later connection, in any process, uses it too.
  {
    DEVTRUST_ASSIGN_OR_RETURN(SqliteStatement journal_mode,
                              connection.Prepare("PRAGMA journal_mode = WAL"));
    DEVTRUST_ASSIGN_OR_RETURN(const bool has_row, journal_mode.Step());
    const std::string mode = has_row ? journal_mode.ColumnText(0) : std::string();
    if (mode != "wal") {
      return MakeError(StatusCode::kFailedPrecondition, "wal_unavailable",
                       fmt::format("database '{}' stayed in journal mode '{}' instead of WAL; "
                                   "put it on a local file system that supports shared memory",
                                   options.path, mode));
    }
  }

  // Foreign keys and synchronous are per connection and not stored.
  DEVTRUST_RETURN_IF_ERROR(connection.Execute("PRAGMA foreign_keys = ON"));
  DEVTRUST_RETURN_IF_ERROR(connection.Execute(options.synchronous == SqliteSynchronous::kFull
                                                  ? "PRAGMA synchronous = FULL"
                                                  : "PRAGMA synchronous = NORMAL"));
  return connection;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteStoreOptions& options) {
  if (options.path.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_argument",
                     "the database path is empty; set it to a file path");
  }

  DEVTRUST_RETURN_IF_ERROR(CreateDatabaseFile(options.path));
  DEVTRUST_ASSIGN_OR_RETURN(SqliteConnection writer, OpenWriter(options));
  DEVTRUST_RETURN_IF_ERROR(
      ApplyMigrations(writer, SqliteStoreMigrations(), std::chrono::system_clock::now()));

  // Readers open after the migrations so that they never see an old schema.
  DEVTRUST_ASSIGN_OR_RETURN(
      std::unique_ptr<SqliteReadPool> read_pool,
      SqliteReadPool::Open(options.path, options.read_connections, options.busy_timeout));

  auto write_queue = std::make_unique<SqliteWriteQueue>(std::move(writer), options.max_group_size);
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::move(write_queue), std::move(read_pool)));
}

SqliteStore::SqliteStore(std::unique_ptr<SqliteWriteQueue> write_queue,
                         std::unique_ptr<SqliteReadPool> read_pool)
    : write_queue_(std::move(write_queue)), read_pool_(std::move(read_pool)) {}

SqliteStore::~SqliteStore() { Close(); }

void SqliteStore::Close() {
  // The write connection closes last. As the last connection to the file it
  // checkpoints the WAL into the database and deletes it, which a read-only
  // connection cannot do.
  read_pool_->Close();
  write_queue_->Close();
}

Status SqliteStore::Write(SqliteWriteQueue::Operation operation) {
  return write_queue_->Run(std::move(operation));
}

Status SqliteStore::Ping() {
  return Read<void>([](SqliteConnection& connection) -> Status {
    DEVTRUST_ASSIGN_OR_RETURN(const std::int64_t version, CurrentSchemaVersion(connection));
    if (version != LatestSqliteSchemaVersion()) {
      return MakeError(StatusCode::kFailedPrecondition, "schema_changed",
                       fmt::format("the database is at schema version {} but this process "
                                   "expects {}; restart devtrust",
                                   version, LatestSqliteSchemaVersion()));
    }
    return {};
  });
}

}  // namespace devtrust::store
