// Group commit for SQLite: one writer thread owns the write connection and
// commits the queued operations of many callers in one transaction.
//
// With synchronous=FULL every commit waits for an fsync of the write-ahead
// log, which takes milliseconds. Committing a group of operations together
// shares that wait among all of them, so throughput grows with the number of
// concurrent callers instead of being capped at one commit per fsync.
//
// Each operation runs inside its own SAVEPOINT within the group's
// BEGIN IMMEDIATE transaction. An operation that returns an error is rolled
// back to its savepoint and reports that error, while the others commit. If
// SQLite itself ends the transaction (after SQLITE_FULL or an I/O error, for
// example) or the COMMIT fails, no operation of the group is kept and each
// reports an error.
#ifndef DEVTRUST_STORE_SQLITE_WRITE_QUEUE_H_
#define DEVTRUST_STORE_SQLITE_WRITE_QUEUE_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "base/error.h"
#include "store/sqlite_connection.h"

namespace devtrust::store {

class SqliteWriteQueue {
 public:
  // Runs on the writer thread inside a savepoint. It must not call back into
  // the queue, which would wait for itself forever.
  using Operation = std::function<Status(SqliteConnection&)>;

  struct Stats {
    // Group transactions attempted, including those that failed.
    std::int64_t transactions = 0;
    // Operations executed, including those that failed.
    std::int64_t operations = 0;
  };

  // Takes the write connection and starts the writer thread. A group contains at
  // most `max_group_size` operations (at least 1).
  SqliteWriteQueue(SqliteConnection connection, std::size_t max_group_size);
  // Calls Close().
  ~SqliteWriteQueue();

  SqliteWriteQueue(const SqliteWriteQueue&) = delete;
  SqliteWriteQueue& operator=(const SqliteWriteQueue&) = delete;

  // Queues `operation`. The future becomes ready with the operation's own
  // Status once its group has committed, or with an error if the group
  // failed. After Close() it is ready at once with kFailedPrecondition,
  // reason "store_closed".
  std::future<Status> Submit(Operation operation);

  // Submit() and wait for the result.
  Status Run(Operation operation);

  // Executes every operation queued so far, stops the writer thread and
  // closes the connection. Safe to call more than once and from any thread
  // except the writer thread.
  void Close();

  Stats stats() const;

 private:
  struct Pending {
    Operation operation;
    std::promise<Status> done;
  };

  void WriterLoop();
  void ExecuteGroup(std::vector<Pending>& group);
  // Runs one operation between SAVEPOINT and RELEASE, or rolls it back.
  Status ExecuteInSavepoint(const Operation& operation);

  const std::size_t max_group_size_;
  // Used only by the writer thread until it has been joined.
  std::optional<SqliteConnection> connection_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool closing_ = false;

  std::mutex close_mutex_;
  std::thread writer_;

  std::atomic<std::int64_t> transactions_{0};
  std::atomic<std::int64_t> operations_{0};
};

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_SQLITE_WRITE_QUEUE_H_
