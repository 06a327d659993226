// NotificationDispatcher: a background thread that delivers the queued user
// notifications from the store through a Notifier.
//
// Delivery is at least once. A notification is marked delivered only after
// the notifier succeeded, so a crash between the two sends it again. Two nodes
// polling one database may also both send it, so receivers deduplicate by
// notification_id. A failed attempt is recorded in the store (attempts,
// last_error) and the notification is retried after an exponential backoff
// with jitter: a random delay between half and all of
// min(initial_backoff * 2^(attempts - 1), max_backoff).
//
// Without a notifier (no webhook URL configured) nothing is sent: the
// notifications stay queued, and the devtrust_notifications_pending gauge
// shows how many.
#ifndef DEVTRUST_OPS_NOTIFICATION_DISPATCHER_H_
#define DEVTRUST_OPS_NOTIFICATION_DISPATCHER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "base/error.h"
#include "ops/notifier.h"
#include "store/records.h"
#include "store/store.h"
#include "telemetry/logger.h"

namespace devtrust::ops {

// Turns a stored notification into the message to send, such as by opening
// its sealed code. Errors mean the notification can never be sent as stored.
using NotificationDecoder =
    std::function<Result<NotificationMessage>(const store::Notification& notification)>;

struct NotificationDispatcherOptions {
  // How often the thread looks for due notifications when nothing wakes it.
  std::chrono::milliseconds poll_interval{1'000};
  // Notifications fetched per store query (1 to store::kMaxListLimit).
  std::int64_t batch_size = 32;
  std::chrono::milliseconds initial_backoff{5'000};
  std::chrono::milliseconds max_backoff{600'000};
  // The current time; the system clock when empty.
  std::function<store::TimePoint()> clock;
  // A uniformly distributed value in [0, 1) for the jitter; a generator
  // seeded from std::random_device when empty.
  std::function<double()> random_unit;
};

// Counts of one pass over the due notifications.
struct DispatchCounts {
  std::int64_t delivered = 0;
  std::int64_t failed = 0;
};

class NotificationDispatcher {
 public:
  // `store` and `logger` must outlive the dispatcher; `notifier` may be null,
  // in which case nothing is sent. Errors: "invalid_dispatcher_options" for a
  // batch size outside 1..store::kMaxListLimit, a poll interval or backoff
  // that is not positive, or max_backoff below initial_backoff.
  static Result<std::unique_ptr<NotificationDispatcher>> Create(
      store::Store& store, std::unique_ptr<Notifier> notifier, NotificationDecoder decoder,
      NotificationDispatcherOptions options, std::shared_ptr<telemetry::Logger> logger);

  // Stops the thread if it runs.
  ~NotificationDispatcher();
  NotificationDispatcher(const NotificationDispatcher&) = delete;
  NotificationDispatcher& operator=(const NotificationDispatcher&) = delete;

  // Starts the delivery thread; does nothing without a notifier or when it
  // already runs.
  void Start();

  // Asks the thread to finish the notification it is sending and stop, and
  // joins it. Safe to call more than once.
  void Stop();

  // Makes the thread look for due notifications now, as after a request
  // queued one.
  void Wake();

  // Sends every notification that is due now, in batches, and records each
  // outcome. The thread calls it; tests may call it directly instead of
  // Start. Without a notifier it sends nothing. Errors: the store's, from
  // fetching; a failure to record one outcome is logged and the pass goes on.
  Result<DispatchCounts> DispatchDue();

  bool has_notifier() const { return notifier_ != nullptr; }

  // The delay before retry number `attempts` (from 1), with `random_unit`
  // in [0, 1). Exposed for tests.
  static std::chrono::milliseconds Backoff(std::int32_t attempts, std::chrono::milliseconds initial,
                                           std::chrono::milliseconds max, double random_unit);

 private:
  NotificationDispatcher(store::Store& store, std::unique_ptr<Notifier> notifier,
                         NotificationDecoder decoder, NotificationDispatcherOptions options,
                         std::shared_ptr<telemetry::Logger> logger);

  // Sends one notification and records the outcome; returns whether it was
  // delivered.
  bool DispatchOne(const store::Notification& notification);
  void RecordFailure(const store::Notification& notification, const Error& error,
                     const crypto::SecretBytes* code);
  void Loop();

  store::Store& store_;
  std::unique_ptr<Notifier> notifier_;
  NotificationDecoder decoder_;
  NotificationDispatcherOptions options_;
  std::shared_ptr<telemetry::Logger> logger_;
  std::mt19937_64 random_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_requested_ = false;
  bool wake_requested_ = false;
  std::thread thread_;
};

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_NOTIFICATION_DISPATCHER_H_
