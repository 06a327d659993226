#include "store/sqlite_write_queue.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <utility>

namespace devtrust::store {
namespace {

std::unexpected<Error> ClosedError() {
  return MakeError(StatusCode::kFailedPrecondition, "store_closed",
                   "the store was closed; open a new one to write");
}

// Runs a cached statement without parameters or rows, such as SAVEPOINT.
Status RunCached(SqliteConnection& connection, std::string_view sql) {
  Result<SqliteStatement> statement = connection.Prepare(sql);
  if (!statement) return std::unexpected(std::move(statement).error());
  return statement->Run();
}

}  // namespace

SqliteWriteQueue::SqliteWriteQueue(SqliteConnection connection, std::size_t max_group_size)
    : max_group_size_(std::max<std::size_t>(max_group_size, 1)),
      connection_(std::move(connection)) {
  writer_ = std::thread([this] { WriterLoop(); });
}

SqliteWriteQueue::~SqliteWriteQueue() { Close(); }

std::future<Status> SqliteWriteQueue::Submit(Operation operation) {
  Pending pending{std::move(operation), std::promise<Status>()};
  std::future<Status> result = pending.done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (closing_) {
      pending.done.set_value(ClosedError());
      return result;
    }
    queue_.push_back(std::move(pending));
  }
  wake_.notify_one();
  return result;
}

Status SqliteWriteQueue::Run(Operation operation) { return Submit(std::move(operation)).get(); }

void SqliteWriteQueue::Close() {
  std::lock_guard close_lock(close_mutex_);
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  connection_.reset();
}

SqliteWriteQueue::Stats SqliteWriteQueue::stats() const {
  return Stats{transactions_.load(std::memory_order_relaxed),
               operations_.load(std::memory_order_relaxed)};
}

void SqliteWriteQueue::WriterLoop() {
  std::vector<Pending> group;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return !queue_.empty() || closing_; });
      // Closing waits for the queue to drain, so Close() never drops a write
      // that Submit() accepted.
      if (queue_.empty()) return;

      const std::size_t count = std::min(queue_.size(), max_group_size_);
      for (std::size_t i = 0; i < count; ++i) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }

    ExecuteGroup(group);
    group.clear();
  }
}

Status SqliteWriteQueue::ExecuteInSavepoint(const Operation& operation) {
  SqliteConnection& connection = *connection_;
  if (Status opened = RunCached(connection, "SAVEPOINT operation"); !opened) return opened;

  // An exception must not escape the writer thread, which would end the
  // process, nor leave the savepoint open.
  Status result;
  try {
    result = operation(connection);
  } catch (const std::exception& exception) {
    result = MakeError(StatusCode::kInternal, "store_internal",
                       fmt::format("a write operation threw: {}", exception.what()));
  } catch (...) {
    result = MakeError(StatusCode::kInternal, "store_internal",
                       "a write operation threw a non-standard exception");
  }

  // SQLite may have ended the whole transaction, which the caller handles.
  if (!connection.in_transaction()) return result;

  if (result.has_value()) {
    Status released = RunCached(connection, "RELEASE operation");
    if (released) return result;
    result = std::move(released);
  }

  // ROLLBACK TO undoes the operation's changes but keeps the savepoint open,
  // so it is released afterwards. If either fails, the transaction state is
  // unknown and the whole group is rolled back.
  Status rolled_back = connection.Execute("ROLLBACK TO operation; RELEASE operation");
  if (!rolled_back) (void)connection.Execute("ROLLBACK");
  return result;
}

void SqliteWriteQueue::ExecuteGroup(std::vector<Pending>& group) {
  SqliteConnection& connection = *connection_;
  transactions_.fetch_add(1, std::memory_order_relaxed);

  auto complete_all = [&group](const Status& status) {
    for (Pending& pending : group) pending.done.set_value(status);
  };

  // BEGIN IMMEDIATE takes the write lock now, waiting up to the busy timeout
  // for another process that holds it, instead of failing on the first write.
  if (Status begun = RunCached(connection, "BEGIN IMMEDIATE"); !begun) {
    complete_all(begun);
    return;
  }

  std::vector<Status> results;
  results.reserve(group.size());
  std::optional<Error> group_error;
  for (Pending& pending : group) {
    results.push_back(ExecuteInSavepoint(pending.operation));
    operations_.fetch_add(1, std::memory_order_relaxed);

    if (!connection.in_transaction()) {
      const Status& failed = results.back();
      group_error = Error(StatusCode::kUnavailable, "store_transaction_aborted",
                          fmt::format("SQLite rolled back the group commit after an operation "
                                      "in it failed ({}); nothing was written, retry",
                                      failed ? "no error reported" : failed.error().ToString()));
      break;
    }
  }

  if (!group_error.has_value()) {
    Status committed = RunCached(connection, "COMMIT");
    if (!committed) {
      group_error = committed.error();
      if (connection.in_transaction()) (void)connection.Execute("ROLLBACK");
    }
  }

  // An operation that failed on its own keeps its own error. When the group
  // failed, every other operation, including those never started, reports
  // the group's error because none of their changes were kept.
  for (std::size_t i = 0; i < group.size(); ++i) {
    const bool ran = i < results.size();
    if (ran && !results[i].has_value()) {
      group[i].done.set_value(results[i]);
    } else if (group_error.has_value()) {
      group[i].done.set_value(std::unexpected(*group_error));
    } else {
      group[i].done.set_value(results[i]);
    }
  }
}

}  // namespace devtrust::store
