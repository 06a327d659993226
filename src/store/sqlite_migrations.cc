#include "store/sqlite_migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/status_macros.h"

namespace devtrust::store {
namespace {

// Version 1: every table of the first release.
//
// STRICT tables reject values of the wrong type. Times are INTEGER
// milliseconds since the Unix epoch. Empty strings, never NULL, mean "not set"
// for text, and NULL means "not yet" for times. Notifications and outbox events
// have no foreign key to devices because a replay alert may concern a device
// that was never enrolled.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE devices (
  device_id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'trusted', 'revoked')),
  ml_dsa_public_key BLOB NOT NULL,
  ml_kem_public_key BLOB NOT NULL,
  ecdsa_public_key BLOB NOT NULL,
  x25519_public_key BLOB NOT NULL,
  baseline_fingerprint TEXT NOT NULL,
  accepted_fingerprint TEXT NOT NULL,
  flagged_for_review INTEGER NOT NULL CHECK (flagged_for_review IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  verified_at INTEGER,
  revoked_at INTEGER,
  revocation_reason TEXT NOT NULL
) STRICT;
CREATE INDEX devices_by_user ON devices (user_id, created_at, device_id);

CREATE TABLE certificates (
  serial TEXT NOT NULL PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices (device_id),
  kind TEXT NOT NULL CHECK (kind IN ('ml_dsa', 'ecdsa')),
  der BLOB NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  revoked_at INTEGER,
  revocation_reason TEXT NOT NULL
) STRICT;
CREATE INDEX certificates_by_device ON certificates (device_id);
CREATE INDEX certificates_revoked ON certificates (kind, serial) WHERE revoked_at IS NOT NULL;

CREATE TABLE nonces (
  nonce_hash BLOB NOT NULL PRIMARY KEY CHECK (length(nonce_hash) = 32),
  purpose TEXT NOT NULL CHECK (purpose IN ('register', 'login')),
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX nonces_by_expiry ON nonces (expires_at);

CREATE TABLE verification_challenges (
  challenge_id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL REFERENCES devices (device_id),
  reason TEXT NOT NULL CHECK (reason IN ('registration', 'verification_failure', 'drift')),
  code_hash BLOB NOT NULL,
  candidate_fingerprint TEXT NOT NULL,
  attempts INTEGER NOT NULL CHECK (attempts >= 0),
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  status TEXT NOT NULL CHECK (status IN ('open', 'passed', 'failed', 'expired')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  completed_at INTEGER,
  CHECK (attempts <= max_attempts)
) STRICT;
CREATE INDEX verification_challenges_open ON verification_challenges (device_id, reason, created_at)
  WHERE status = 'open';

CREATE TABLE notifications (
  notification_id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('device_verification', 'replay_alert', 'drift_challenge',
                                     'verification_failure')),
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  delivered_at INTEGER,
  last_error TEXT NOT NULL
) STRICT;
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE delivered_at IS NULL;

CREATE TABLE review_items (
  review_id TEXT NOT NULL PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices (device_id),
  user_id TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('drift', 'replay', 'manual')),
  drift_score REAL NOT NULL,
  details TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  resolution TEXT NOT NULL,
  resolved_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  resolved_at INTEGER
) STRICT;
CREATE INDEX review_items_by_status ON review_items (status, created_at, review_id);
CREATE INDEX review_items_open_by_device ON review_items (device_id) WHERE status = 'open';

-- AUTOINCREMENT keeps sequences from being reused after the newest rows are
-- deleted, so a dispatcher's cursor never skips a new event.
CREATE TABLE outbox (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  attempts INTEGER NOT NULL CHECK (attempts >= 0)
) STRICT;
CREATE INDEX outbox_undelivered ON outbox (topic, sequence) WHERE delivered_at IS NULL;
)sql";

constexpr std::array<Migration, 1> kMigrations = {{
    {1, "initial schema", kInitialSchema},
}};

constexpr std::string_view kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT";

// Rolls back the transaction unless Commit() succeeded.
class MigrationTransaction {
 public:
  explicit MigrationTransaction(SqliteConnection& connection) : connection_(connection) {}
  ~MigrationTransaction() {
    // A failed rollback leaves nothing more to undo: SQLite has then already
    // ended the transaction, or the connection is closed next.
    if (connection_.in_transaction()) (void)connection_.Execute("ROLLBACK");
  }
  MigrationTransaction(const MigrationTransaction&) = delete;
  MigrationTransaction& operator=(const MigrationTransaction&) = delete;

  Status Commit() { return connection_.Execute("COMMIT"); }

 private:
  SqliteConnection& connection_;
};

Status CheckOrder(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const std::int64_t previous = i == 0 ? 0 : migrations[i - 1].version;
    if (migrations[i].version <= previous) {
      return MakeError(StatusCode::kInternal, "invalid_migrations",
                       fmt::format("migration {} ('{}') does not follow version {}; versions "
                                   "must start at 1 and increase",
                                   migrations[i].version, migrations[i].description, previous));
    }
  }
  return {};
}

}  // namespace

std::span<const Migration> SqliteStoreMigrations() { return kMigrations; }

std::int64_t LatestSqliteSchemaVersion() { return kMigrations.back().version; }

Result<std::int64_t> CurrentSchemaVersion(SqliteConnection& connection) {
  DEVTRUST_ASSIGN_OR_RETURN(const std::int64_t tables,
                            connection.QueryInt64("SELECT count(*) FROM sqlite_schema WHERE type = "
                                                  "'table' AND name = 'schema_migrations'"));
  if (tables == 0) return 0;
  return connection.QueryInt64("SELECT coalesce(max(version), 0) FROM schema_migrations");
}

Result<std::int64_t> ApplyMigrations(SqliteConnection& connection,
                                     std::span<const Migration> migrations, TimePoint now) {
  DEVTRUST_RETURN_IF_ERROR(CheckOrder(migrations));
  const std::int64_t latest = migrations.empty() ? 0 : migrations.back().version;

  // BEGIN IMMEDIATE takes the write lock before reading the version, so two
  // processes opening a new file cannot both apply the same migration.
  DEVTRUST_RETURN_IF_ERROR(connection.Execute("BEGIN IMMEDIATE"));
  MigrationTransaction transaction(connection);

  DEVTRUST_RETURN_IF_ERROR(connection.Execute(kCreateVersionTable));
  DEVTRUST_ASSIGN_OR_RETURN(const std::int64_t current, CurrentSchemaVersion(connection));
  if (current > latest) {
    return MakeError(StatusCode::kFailedPrecondition, "schema_too_new",
                     fmt::format("the database is at schema version {} but this build of "
                                 "devtrust knows versions up to {}; run a devtrust release at "
                                 "least as new as the one that wrote the database",
                                 current, latest));
  }

  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;

    if (Status applied = connection.Execute(migration.sql); !applied) {
      const Error& error = applied.error();
      return MakeError(error.code(), error.reason(),
                       fmt::format("migration {} ('{}'): {}", migration.version,
                                   migration.description, error.message()));
    }

    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement record,
        connection.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"));
    DEVTRUST_RETURN_IF_ERROR(record.BindAll(migration.version, now));
    DEVTRUST_RETURN_IF_ERROR(record.Run());
  }

  DEVTRUST_RETURN_IF_ERROR(transaction.Commit());
  return std::max(current, latest);
}

}  // namespace devtrust::store
