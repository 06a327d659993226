// SqliteStore: nonces.
#include "base/status_macros.h"
#include "store/record_checks.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_steps.h"
#include "store/sqlite_store.h"

namespace devtrust::store {

Status SqliteStore::PutNonce(const NonceRecord& nonce) {
  DEVTRUST_RETURN_IF_ERROR(CheckNonceRecord(nonce));

  return Write([&nonce](SqliteConnection& connection) { return InsertNonce(connection, nonce); });
}

Result<NonceOutcome> SqliteStore::ConsumeNonce(const NonceClaim& claim, TimePoint now) {
  DEVTRUST_RETURN_IF_ERROR(CheckNonceClaim("claim", claim));

  NonceOutcome outcome = NonceOutcome::kUnknown;
  DEVTRUST_RETURN_IF_ERROR(Write([&](SqliteConnection& connection) -> Status {
    DEVTRUST_ASSIGN_OR_RETURN(outcome, ConsumeNonceStep(connection, claim, now));
    return {};
  }));
  return outcome;
}

Result<NonceOutcome> SqliteStore::CheckNonce(const NonceClaim& claim, TimePoint now) {
  DEVTRUST_RETURN_IF_ERROR(CheckNonceClaim("claim", claim));

  return Read<NonceOutcome>([&](SqliteConnection& connection) -> Result<NonceOutcome> {
    return ClassifyNonceStep(connection, claim, now);
  });
}

Result<std::int64_t> SqliteStore::PruneExpiredNonces(TimePoint before, std::int64_t max_rows) {
  DEVTRUST_RETURN_IF_ERROR(CheckLimit(max_rows));

  // The bound keeps one prune from holding the write lock, and the group
  // commit it shares, for long.
  std::int64_t deleted = 0;
  DEVTRUST_RETURN_IF_ERROR(Write([&](SqliteConnection& connection) -> Status {
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement prune,
        connection.Prepare("DELETE FROM nonces WHERE nonce_hash IN (SELECT nonce_hash FROM "
                           "nonces WHERE expires_at <= ? LIMIT ?)"));
    DEVTRUST_RETURN_IF_ERROR(prune.BindAll(before, max_rows));
    DEVTRUST_RETURN_IF_ERROR(prune.Run());
    deleted = connection.changes();
    return {};
  }));
  return deleted;
}

}  // namespace devtrust::store
