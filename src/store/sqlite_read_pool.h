// A fixed set of read-only connections shared by the reading threads. In WAL
// mode each reader sees the last committed state and runs beside the writer
// without blocking it.
#ifndef DEVTRUST_STORE_SQLITE_READ_POOL_H_
#define DEVTRUST_STORE_SQLITE_READ_POOL_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.h"
#include "store/sqlite_connection.h"

namespace devtrust::store {

class SqliteReadPool {
 public:
  // Exclusive use of one connection until destroyed.
  class Lease {
   public:
    Lease(SqliteReadPool* pool, std::size_t index) : pool_(pool), index_(index) {}
    ~Lease();
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    SqliteConnection& connection() { return pool_->connections_[index_]; }

   private:
    SqliteReadPool* pool_;
    std::size_t index_;
  };

  // Opens `size` (at least 1) read-only connections to an existing database.
  static Result<std::unique_ptr<SqliteReadPool>> Open(const std::string& path, std::size_t size,
                                                      std::chrono::milliseconds busy_timeout);

  SqliteReadPool(const SqliteReadPool&) = delete;
  SqliteReadPool& operator=(const SqliteReadPool&) = delete;
  ~SqliteReadPool();

  // Waits until a connection is free. Fails with kFailedPrecondition, reason
  // "store_closed", after Close().
  Result<Lease> Acquire();

  // Rejects new leases, waits until every lease is returned and closes the
  // connections. Safe to call more than once.
  void Close();

 private:
  explicit SqliteReadPool(std::vector<SqliteConnection> connections);
  void Release(std::size_t index);

  std::vector<SqliteConnection> connections_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::size_t> free_;
  std::size_t leased_ = 0;
  bool closed_ = false;
};

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_SQLITE_READ_POOL_H_
