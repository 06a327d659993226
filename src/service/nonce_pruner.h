// NoncePruner: a background thread that deletes expired nonces in bounded
// batches, so the nonce table stays the size of the nonces still valid.
//
// A pruned nonce presented later is "unknown" instead of "expired", and is
// rejected either way.
#ifndef DEVTRUST_SERVICE_NONCE_PRUNER_H_
#define DEVTRUST_SERVICE_NONCE_PRUNER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "base/error.h"
#include "store/store.h"
#include "telemetry/logger.h"

namespace devtrust::service {

class NoncePruner {
 public:
  // `store` and `logger` must outlive the pruner.
  NoncePruner(store::Store& store, std::chrono::milliseconds interval, std::int64_t batch_size,
              std::function<store::TimePoint()> clock, std::shared_ptr<telemetry::Logger> logger);
  // Stops the thread.
  ~NoncePruner();
  NoncePruner(const NoncePruner&) = delete;
  NoncePruner& operator=(const NoncePruner&) = delete;

  // Deletes every nonce that expired by now, one batch per transaction so
  // that a large backlog never holds the write lock for long. Returns how
  // many were deleted. Errors: the store's.
  Result<std::int64_t> PruneOnce();

  // Starts the thread, which prunes every `interval`.
  void Start();
  // Stops and joins it; safe to call more than once.
  void Stop();

 private:
  void Loop();

  store::Store& store_;
  const std::chrono::milliseconds interval_;
  const std::int64_t batch_size_;
  std::function<store::TimePoint()> clock_;
  std::shared_ptr<telemetry::Logger> logger_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_requested_ = false;
  std::thread thread_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_NONCE_PRUNER_H_
