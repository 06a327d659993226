#include "ops/notification_dispatcher.h"

#include <algorithm>
#include <string>
#include <utility>

#include "store/record_checks.h"

namespace devtrust::ops {
namespace {

// Replaces every occurrence of `code` in `text` with "<code>", in case a
// notifier's error quoted the body despite its contract.
std::string WithoutCode(std::string text, const crypto::SecretBytes* code) {
  if (code == nullptr || code->empty()) return text;
  constexpr std::string_view kMask = "<code>";
  const std::string_view digits = code->AsStringView();
  for (std::size_t at = text.find(digits); at != std::string::npos;
       at = text.find(digits, at + kMask.size())) {
    text.replace(at, digits.size(), kMask);
  }
  return text;
}

}  // namespace

Result<std::unique_ptr<NotificationDispatcher>> NotificationDispatcher::Create(
    store::Store& store, std::unique_ptr<Notifier> notifier, NotificationDecoder decoder,
    NotificationDispatcherOptions options, std::shared_ptr<telemetry::Logger> logger) {
  const auto invalid = [](std::string message) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_dispatcher_options",
                     std::move(message));
  };
  if (options.batch_size < 1 || options.batch_size > store::kMaxListLimit) {
    return invalid("notification batch size must be 1 to " + std::to_string(store::kMaxListLimit) +
                   ", got " + std::to_string(options.batch_size));
  }
  if (options.poll_interval <= std::chrono::milliseconds(0) ||
      options.initial_backoff <= std::chrono::milliseconds(0)) {
    return invalid("notification poll interval and initial backoff must be positive");
  }
  if (options.max_backoff < options.initial_backoff) {
    return invalid("notification max backoff must not be below the initial backoff");
  }
  if (!decoder || logger == nullptr) {
    return invalid("the notification dispatcher needs a decoder and a logger");
  }
  return std::unique_ptr<NotificationDispatcher>(new NotificationDispatcher(
      store, std::move(notifier), std::move(decoder), std::move(options), std::move(logger)));
}

NotificationDispatcher::NotificationDispatcher(store::Store& store,
                                               std::unique_ptr<Notifier> notifier,
                                               NotificationDecoder decoder,
                                               NotificationDispatcherOptions options,
                                               std::shared_ptr<telemetry::Logger> logger)
    : store_(store),
      notifier_(std::move(notifier)),
      decoder_(std::move(decoder)),
      options_(std::move(options)),
      logger_(std::move(logger)),
      random_(std::random_device{}()) {
  if (!options_.clock) {
    options_.clock = [] { return std::chrono::system_clock::now(); };
  }
  if (!options_.random_unit) {
    options_.random_unit = [this] {
      return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
    };
  }
}

NotificationDispatcher::~NotificationDispatcher() { Stop(); }

void NotificationDispatcher::Start() {
  if (notifier_ == nullptr || thread_.joinable()) return;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void NotificationDispatcher::Stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NotificationDispatcher::Wake() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    wake_requested_ = true;
  }
  wake_.notify_all();
}

std::chrono::milliseconds NotificationDispatcher::Backoff(std::int32_t attempts,
                                                          std::chrono::milliseconds initial,
                                                          std::chrono::milliseconds max,
                                                          double random_unit) {
  const int doublings = std::clamp(attempts - 1, 0, 30);
  const auto ceiling = std::min(initial * (std::int64_t{1} << doublings), max);
  const double fraction = 0.5 + 0.5 * std::clamp(random_unit, 0.0, 1.0);
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(ceiling.count()) * fraction));
}

Result<DispatchCounts> NotificationDispatcher::DispatchDue() {
  DispatchCounts counts;
  if (notifier_ == nullptr) return counts;

  // A notification that fails is rescheduled into the future, so each pass
  // ends once a batch comes back short.
  for (;;) {
    Result<std::vector<store::Notification>> due =
        store_.FetchDueNotifications(options_.clock(), options_.batch_size);
    if (!due) {
      return std::unexpected(std::move(due).error());
    }
    for (const store::Notification& notification : *due) {
      if (DispatchOne(notification)) {
        ++counts.delivered;
      } else {
        ++counts.failed;
      }
      const std::lock_guard<std::mutex> lock(mutex_);
      if (stop_requested_) return counts;
    }
    if (static_cast<std::int64_t>(due->size()) < options_.batch_size) {
      return counts;
    }
  }
}

bool NotificationDispatcher::DispatchOne(const store::Notification& notification) {
  Result<NotificationMessage> message = decoder_(notification);
  if (!message) {
    RecordFailure(notification, message.error(), nullptr);
    return false;
  }

  if (Status sent = notifier_->Send(*message); !sent) {
    RecordFailure(notification, sent.error(), &message->code);
    return false;
  }

  if (Status marked =
          store_.MarkNotificationDelivered(notification.notification_id, options_.clock());
      !marked) {
    // It went out but stays queued, so it is sent again later (at least once).
    logger_->Error(
        {{"notification_id", notification.notification_id}, {"error", marked.error().reason()}},
        "notification was sent but could not be marked delivered; it will be sent "
        "again: {}",
        marked.error().message());
    return false;
  }
  return true;
}

void NotificationDispatcher::RecordFailure(const store::Notification& notification,
                                           const Error& error, const crypto::SecretBytes* code) {
  const std::int32_t attempt = notification.attempts + 1;
  const std::chrono::milliseconds delay =
      Backoff(attempt, options_.initial_backoff, options_.max_backoff, options_.random_unit());
  const std::string error_text = WithoutCode(error.ToString(), code);

  logger_->Warn({{"notification_id", notification.notification_id},
                 {"kind", store::NotificationKindName(notification.kind)},
                 {"attempt", attempt},
                 {"retry_in_ms", delay.count()},
                 {"error", error.reason()}},
                "notification delivery failed, retrying later: {}", error_text);

  if (Status marked = store_.MarkNotificationAttemptFailed(notification.notification_id,
                                                           options_.clock() + delay, error_text);
      !marked) {
    logger_->Error(
        {{"notification_id", notification.notification_id}, {"error", marked.error().reason()}},
        "could not record a failed notification attempt: {}", marked.error().message());
  }
}

void NotificationDispatcher::Loop() {
  logger_->Info("notification dispatcher started");
  for (;;) {
    Result<DispatchCounts> counts = DispatchDue();
    if (!counts) {
      logger_->Error({{"error", counts.error().reason()}},
                     "could not fetch due notifications, retrying in {} ms: {}",
                     options_.poll_interval.count(), counts.error().message());
    }

    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, options_.poll_interval,
                   [this] { return stop_requested_ || wake_requested_; });
    wake_requested_ = false;
    if (stop_requested_) break;
  }
  logger_->Info("notification dispatcher stopped");
}

}  // namespace devtrust::ops
