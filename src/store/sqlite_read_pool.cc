#include "store/sqlite_read_pool.h"

#include <algorithm>
#include <utility>

#include "base/status_macros.h"

namespace devtrust::store {

SqliteReadPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(index_);
}

SqliteReadPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), index_(other.index_) {}

Result<std::unique_ptr<SqliteReadPool>> SqliteReadPool::Open(
    const std::string& path, std::size_t size, std::chrono::milliseconds busy_timeout) {
  std::vector<SqliteConnection> connections;
  const std::size_t count = std::max<std::size_t>(size, 1);
  connections.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteConnection connection,
        SqliteConnection::Open(path, SqliteConnection::Mode::kReadOnly, busy_timeout));
    connections.push_back(std::move(connection));
  }
  return std::unique_ptr<SqliteReadPool>(new SqliteReadPool(std::move(connections)));
}

SqliteReadPool::SqliteReadPool(std::vector<SqliteConnection> connections)
    : connections_(std::move(connections)) {
  for (std::size_t i = 0; i < connections_.size(); ++i) free_.push_back(i);
}

SqliteReadPool::~SqliteReadPool() { Close(); }

Result<SqliteReadPool::Lease> SqliteReadPool::Acquire() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return closed_ || !free_.empty(); });
  if (closed_) {
    return MakeError(StatusCode::kFailedPrecondition, "store_closed",
                     "the store was closed; open a new one to read");
  }

  const std::size_t index = free_.back();
  free_.pop_back();
  ++leased_;
  return Lease(this, index);
}

void SqliteReadPool::Release(std::size_t index) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(index);
    --leased_;
  }
  // Both waiting readers and a waiting Close() watch this.
  changed_.notify_all();
}

void SqliteReadPool::Close() {
  std::unique_lock lock(mutex_);
  closed_ = true;
  changed_.notify_all();
  changed_.wait(lock, [this] { return leased_ == 0; });
  connections_.clear();
}

}  // namespace devtrust::store
