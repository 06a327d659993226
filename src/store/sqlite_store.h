// The embedded Store: one SQLite database file in WAL mode.
//
// Writes go through a group-commit queue served by one writer thread and
// connection. Reads use a pool of read-only connections that run beside the
// writer. Several SqliteStore instances, in one process or several, may open
// the same file, because every conditional change is decided by SQL inside
// the write transaction, never by state held in memory.
//
// Durability: with synchronous kFull (the default) a committed write survives
// a process crash and a power loss. With kNormal it survives a process crash,
// but the last commits before a power loss or OS crash may be lost, while the
// database stays consistent.
#ifndef DEVTRUST_STORE_SQLITE_STORE_H_
#define DEVTRUST_STORE_SQLITE_STORE_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "store/sqlite_read_pool.h"
#include "store/sqlite_write_queue.h"
#include "store/store.h"

namespace devtrust::store {

// PRAGMA synchronous in WAL mode (https://sqlite.org/pragma.html#pragma_synchronous).
enum class SqliteSynchronous {
  kFull,    // the WAL is synced at every commit
  kNormal,  // the WAL is synced only at checkpoints
};

struct SqliteStoreOptions {
  // Database file, created with mode 0600 when missing. The -wal and -shm
  // files SQLite creates beside it take the same mode. An existing file keeps
  // its mode.
  std::string path;
  SqliteSynchronous synchronous = SqliteSynchronous::kFull;
  // How long a statement waits for a lock held by another connection before
  // failing with reason "store_busy".
  std::chrono::milliseconds busy_timeout{5000};
  // Read-only connections in the pool (at least 1).
  std::size_t read_connections = 4;
  // Maximum operations committed in one transaction (at least 1).
  std::size_t max_group_size = 256;
};

class SqliteStore final : public Store {
 public:
  // Creates the file if needed, switches it to WAL mode and applies pending
  // schema migrations. Errors (code, reason):
  //   kInvalidArgument, "invalid_argument": the path is empty.
  //   kFailedPrecondition, "schema_too_new": a newer devtrust wrote the file.
  //   kFailedPrecondition, "wal_unavailable": the file system cannot hold a
  //       WAL database.
  //   kUnavailable, "store_open_failed": the file cannot be created or opened.
  //   kDataLoss, "store_corrupt": the file is not a SQLite database.
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteStoreOptions& options);

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Status PutNonce(const NonceRecord& nonce) override;
  Result<NonceOutcome> ConsumeNonce(const NonceClaim& claim, TimePoint now) override;
  Result<NonceOutcome> CheckNonce(const NonceClaim& claim, TimePoint now) override;
  Result<std::int64_t> PruneExpiredNonces(TimePoint before, std::int64_t max_rows) override;

  Result<NonceOutcome> RegisterDevice(const DeviceRegistration& registration) override;

  Result<DeviceRecord> GetDevice(std::string_view device_id) override;
  Result<std::vector<DeviceRecord>> ListDevicesByUser(std::string_view user_id,
                                                      std::int64_t limit) override;
  Result<CertificateRecord> GetCertificate(std::string_view serial) override;
  Result<std::vector<RevokedCertificate>> ListRevokedCertificates(CertificateKind kind) override;
  Result<VerificationChallenge> GetChallenge(std::string_view challenge_id) override;
  Result<std::optional<VerificationChallenge>> GetOpenChallengeForDevice(
      std::string_view device_id, std::optional<ChallengeReason> reason) override;
  Result<std::vector<ReviewItem>> ListReviewItems(ReviewStatus status, std::int64_t limit,
                                                  std::string_view after_review_id) override;
  Result<ReviewItem> GetReviewItem(std::string_view review_id) override;
  Result<std::int64_t> CountPendingNotifications() override;
  Result<std::int64_t> CountUndeliveredOutbox() override;
  Result<std::int64_t> CountOpenReviewItems() override;

  Result<AttemptOutcome> ReserveChallengeAttempt(std::string_view challenge_id,
                                                 TimePoint now) override;
  Status PassChallenge(std::string_view challenge_id, TimePoint now,
                       std::span<const OutboxEvent> events) override;
  Status FailChallenge(std::string_view challenge_id, TimePoint now,
                       std::span<const OutboxEvent> events) override;

  Status RecordValidation(const ValidationWrite& write) override;
  Result<NonceOutcome> ConsumeNonceAndRecordValidation(const NonceClaim& nonce,
                                                       const ValidationWrite& write) override;

  Result<RevocationOutcome> RevokeDevice(std::string_view device_id, std::string_view reason,
                                         TimePoint now,
                                         std::span<const OutboxEvent> events) override;

  Status ResolveReviewItem(std::string_view review_id, std::string_view resolution,
                           std::string_view resolved_by, TimePoint now,
                           std::span<const OutboxEvent> events) override;

  Result<std::vector<OutboxEvent>> FetchOutbox(std::string_view topic, std::int64_t after_sequence,
                                               std::int64_t limit) override;
  Result<std::int64_t> MarkOutboxDelivered(std::span<const std::int64_t> sequences,
                                           TimePoint now) override;
  Result<std::int64_t> MarkOutboxAttemptFailed(std::span<const std::int64_t> sequences) override;

  Result<std::vector<Notification>> FetchDueNotifications(TimePoint now,
                                                          std::int64_t limit) override;
  Status MarkNotificationDelivered(std::string_view notification_id, TimePoint now) override;
  Status MarkNotificationAttemptFailed(std::string_view notification_id, TimePoint next_attempt_at,
                                       std::string_view error_text) override;

  Status Ping() override;
  void Close() override;

  // Group-commit counters, for benchmarks and metrics.
  SqliteWriteQueue::Stats write_stats() const { return write_queue_->stats(); }

 private:
  SqliteStore(std::unique_ptr<SqliteWriteQueue> write_queue,
              std::unique_ptr<SqliteReadPool> read_pool);

  // Runs `operation` in the next group transaction and waits for its commit.
  Status Write(SqliteWriteQueue::Operation operation);

  // Runs `query` on a pooled read connection.
  template <typename T, typename Query>
  Result<T> Read(Query&& query) {
    Result<SqliteReadPool::Lease> lease = read_pool_->Acquire();
    if (!lease) return std::unexpected(std::move(lease).error());
    return std::forward<Query>(query)(lease->connection());
  }

  std::unique_ptr<SqliteWriteQueue> write_queue_;
  std::unique_ptr<SqliteReadPool> read_pool_;
};

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_SQLITE_STORE_H_
