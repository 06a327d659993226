#include "service/nonce_pruner.h"

#include <utility>

namespace devtrust::service {

NoncePruner::NoncePruner(store::Store& store, std::chrono::milliseconds interval,
                         std::int64_t batch_size, std::function<store::TimePoint()> clock,
                         std::shared_ptr<telemetry::Logger> logger)
    : store_(store),
      interval_(interval),
      batch_size_(batch_size),
      clock_(std::move(clock)),
      logger_(std::move(logger)) {}

NoncePruner::~NoncePruner() { Stop(); }

Result<std::int64_t> NoncePruner::PruneOnce() {
  const store::TimePoint now = clock_();
  std::int64_t total = 0;
  for (;;) {
    Result<std::int64_t> deleted = store_.PruneExpiredNonces(now, batch_size_);
    if (!deleted) return deleted;
    total += *deleted;
    if (*deleted < batch_size_) return total;
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stop_requested_) return total;
  }
}

void NoncePruner::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void NoncePruner::Stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NoncePruner::Loop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, interval_, [this] { return stop_requested_; });
      if (stop_requested_) return;
    }
    Result<std::int64_t> deleted = PruneOnce();
    if (!deleted) {
      logger_->Warn({{"error", deleted.error().reason()}},
                    "could not prune expired nonces, retrying in {} ms: {}", interval_.count(),
                    deleted.error().message());
    } else if (*deleted > 0) {
      logger_->Debug({{"deleted", *deleted}}, "pruned expired nonces");
    }
  }
}

}  // namespace devtrust::service
