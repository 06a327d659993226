#include "ops/notification_dispatcher.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ops/notifier_test_receiver.h"
#include "ops/notifier_webhook.h"
#include "store/sqlite_store.h"
#include "telemetry/log_output.h"

namespace devtrust::ops {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::TestReceiver;

constexpr std::string_view kCode = "314159";
const std::string kSecret(32, 'k');

store::TimePoint Start() { return store::TimePoint(std::chrono::seconds(1'767'225'600)); }

// A directory with a SQLite store and a log file, removed afterwards.
class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    directory_ = std::filesystem::temp_directory_path() /
                 ("devtrust_dispatcher_test_" + std::to_string(random()));
    std::filesystem::create_directories(directory_);
    store::SqliteStoreOptions options;
    options.path = (directory_ / "devtrust.db").string();
    options.read_connections = 1;
    Result<std::unique_ptr<store::SqliteStore>> opened = store::SqliteStore::Open(options);
    ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
    store_ = *std::move(opened);
    Result<std::shared_ptr<telemetry::LogOutput>> output =
        telemetry::LogOutput::OpenFile((directory_ / "log.jsonl").string());
    ASSERT_TRUE(output.has_value());
    logger_ = std::make_shared<telemetry::Logger>(*output, "test-node");
  }

  void TearDown() override {
    dispatcher_.reset();
    if (store_ != nullptr) store_->Close();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  // Queues a verification notification whose payload carries the code in
  // clear; the decoder below reads it. The service seals it instead.
  void Queue(std::string_view id, store::TimePoint at) {
    store::Notification notification;
    notification.notification_id = std::string(id);
    notification.user_id = "alice";
    notification.device_id = "dev_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    notification.kind = store::NotificationKind::kDeviceVerification;
    notification.payload = R"({"code":")" + std::string(kCode) + R"("})";
    notification.created_at = at;
    notification.next_attempt_at = at;
    store::ValidationWrite write;
    write.now = at;
    write.notifications.push_back(notification);
    ASSERT_TRUE(store_->RecordValidation(write).has_value());
  }

  static Result<NotificationMessage> Decode(const store::Notification& notification) {
    NotificationMessage message;
    message.notification_id = notification.notification_id;
    message.kind = std::string(store::NotificationKindName(notification.kind));
    message.user_id = notification.user_id;
    message.device_id = notification.device_id;
    message.challenge_id = "chl_1";
    const std::string code(boost::json::parse(notification.payload).at("code").as_string().c_str());
    message.code = crypto::SecretBytes(AsBytes(code));
    message.created_at = "2026-01-01T00:00:00.000Z";
    message.reason = "registration";
    return message;
  }

  void CreateDispatcher(std::unique_ptr<Notifier> notifier,
                        NotificationDecoder decoder = &DispatcherTest::Decode) {
    NotificationDispatcherOptions options;
    options.clock = [this] { return now_; };
    options.random_unit = [] { return 0.0; };
    options.initial_backoff = seconds(10);
    options.max_backoff = minutes(5);
    options.poll_interval = milliseconds(50);
    Result<std::unique_ptr<NotificationDispatcher>> dispatcher = NotificationDispatcher::Create(
        *store_, std::move(notifier), std::move(decoder), options, logger_);
    ASSERT_TRUE(dispatcher.has_value()) << dispatcher.error().ToString();
    dispatcher_ = *std::move(dispatcher);
  }

  std::unique_ptr<Notifier> WebhookTo(const TestReceiver& receiver) {
    WebhookNotifierOptions options;
    options.url = crypto::SecretBytes(AsBytes(receiver.Url()));
    options.signing_secret = crypto::SecretBytes(AsBytes(kSecret));
    Result<std::unique_ptr<WebhookNotifier>> notifier = WebhookNotifier::Create(std::move(options));
    EXPECT_TRUE(notifier.has_value());
    return notifier ? *std::move(notifier) : nullptr;
  }

  store::Notification Stored(std::string_view id) {
    // Far in the future, so that a rescheduled notification is due too.
    Result<std::vector<store::Notification>> due =
        store_->FetchDueNotifications(now_ + std::chrono::hours(24), 100);
    EXPECT_TRUE(due.has_value());
    for (const store::Notification& notification : *due) {
      if (notification.notification_id == id) return notification;
    }
    ADD_FAILURE() << "notification " << id << " is not pending";
    return {};
  }

  std::int64_t Pending() { return store_->CountPendingNotifications().value_or(-1); }

  std::string LogText() {
    std::ifstream in(directory_ / "log.jsonl");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  std::filesystem::path directory_;
  std::unique_ptr<store::SqliteStore> store_;
  std::shared_ptr<telemetry::Logger> logger_;
  std::unique_ptr<NotificationDispatcher> dispatcher_;
  store::TimePoint now_ = Start();
};

// A notifier of devtrust's own interface that fails with a message quoting
// the code, as a careless implementation might.
class LeakyNotifier final : public Notifier {
 public:
  Status Send(const NotificationMessage& message) override {
    return MakeError(StatusCode::kUnavailable, "leaky_failure",
                     "could not send " + std::string(message.code.AsStringView()));
  }
};

TEST_F(DispatcherTest, DeliversDueNotification) {
  TestReceiver receiver;
  CreateDispatcher(WebhookTo(receiver));
  Queue("ntf_1", now_);

  Result<DispatchCounts> counts = dispatcher_->DispatchDue();

  ASSERT_TRUE(counts.has_value()) << counts.error().ToString();
  EXPECT_EQ(counts->delivered, 1);
  EXPECT_EQ(counts->failed, 0);
  ASSERT_EQ(receiver.Requests().size(), 1u);
  EXPECT_EQ(boost::json::parse(receiver.Requests()[0].body).at("code").as_string(), kCode);
  EXPECT_EQ(Pending(), 0);
}

TEST_F(DispatcherTest, DeliversEveryBatch) {
  TestReceiver receiver;
  NotificationDispatcherOptions options;
  options.batch_size = 2;
  options.clock = [this] { return now_; };
  Result<std::unique_ptr<NotificationDispatcher>> dispatcher = NotificationDispatcher::Create(
      *store_, WebhookTo(receiver), &DispatcherTest::Decode, options, logger_);
  ASSERT_TRUE(dispatcher.has_value());
  for (int i = 0; i < 5; ++i) Queue("ntf_" + std::to_string(i), now_);

  Result<DispatchCounts> counts = (*dispatcher)->DispatchDue();

  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->delivered, 5);
  EXPECT_EQ(receiver.Requests().size(), 5u);
  EXPECT_EQ(Pending(), 0);
}

TEST_F(DispatcherTest, FailedAttemptIsRecordedAndRescheduled) {
  TestReceiver receiver;
  receiver.QueueStatuses({503});
  CreateDispatcher(WebhookTo(receiver));
  Queue("ntf_1", now_);

  Result<DispatchCounts> counts = dispatcher_->DispatchDue();

  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->failed, 1);
  const store::Notification stored = Stored("ntf_1");
  EXPECT_EQ(stored.attempts, 1);
  // random_unit 0 gives half of the 10 s initial backoff.
  EXPECT_EQ(stored.next_attempt_at, now_ + seconds(5));
  EXPECT_NE(stored.last_error.find("HTTP 503"), std::string::npos);
  EXPECT_EQ(stored.last_error.find(receiver.Url()), std::string::npos);
  EXPECT_EQ(stored.last_error.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(stored.last_error.find(kCode), std::string::npos);
  EXPECT_EQ(Pending(), 1);
}

TEST_F(DispatcherTest, RetriesAfterBackoff) {
  TestReceiver receiver;
  receiver.QueueStatuses({503});
  CreateDispatcher(WebhookTo(receiver));
  Queue("ntf_1", now_);
  ASSERT_TRUE(dispatcher_->DispatchDue().has_value());

  // Not due yet: nothing is sent.
  now_ += seconds(4);
  ASSERT_EQ(dispatcher_->DispatchDue()->delivered, 0);
  EXPECT_EQ(receiver.Requests().size(), 1u);

  now_ += seconds(1);
  Result<DispatchCounts> counts = dispatcher_->DispatchDue();

  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->delivered, 1);
  EXPECT_EQ(receiver.Requests().size(), 2u);
  EXPECT_EQ(Pending(), 0);
}

TEST_F(DispatcherTest, WithoutNotifierNotificationsStayQueued) {
  CreateDispatcher(nullptr);
  Queue("ntf_1", now_);

  Result<DispatchCounts> counts = dispatcher_->DispatchDue();
  dispatcher_->Start();
  dispatcher_->Stop();

  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->delivered, 0);
  EXPECT_FALSE(dispatcher_->has_notifier());
  EXPECT_EQ(Pending(), 1);
  EXPECT_EQ(Stored("ntf_1").attempts, 0);
}

TEST_F(DispatcherTest, UndecodableNotificationIsRecordedAsFailure) {
  TestReceiver receiver;
  CreateDispatcher(WebhookTo(receiver),
                   [](const store::Notification&) -> Result<NotificationMessage> {
                     return MakeError(StatusCode::kDataLoss, "notification_payload_invalid",
                                      "sealed code damaged");
                   });
  Queue("ntf_1", now_);

  Result<DispatchCounts> counts = dispatcher_->DispatchDue();

  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->failed, 1);
  EXPECT_TRUE(receiver.Requests().empty());
  EXPECT_NE(Stored("ntf_1").last_error.find("notification_payload_invalid"), std::string::npos);
}

TEST_F(DispatcherTest, CodeNeverReachesLastErrorOrLog) {
  CreateDispatcher(std::make_unique<LeakyNotifier>());
  Queue("ntf_1", now_);

  ASSERT_TRUE(dispatcher_->DispatchDue().has_value());

  const store::Notification stored = Stored("ntf_1");
  EXPECT_NE(stored.last_error.find("leaky_failure"), std::string::npos);
  EXPECT_NE(stored.last_error.find("<code>"), std::string::npos);
  EXPECT_EQ(stored.last_error.find(kCode), std::string::npos);
  const std::string log = LogText();
  EXPECT_NE(log.find("notification delivery failed"), std::string::npos);
  EXPECT_EQ(log.find(kCode), std::string::npos);
}

TEST_F(DispatcherTest, ThreadDeliversAfterWake) {
  TestReceiver receiver;
  CreateDispatcher(WebhookTo(receiver));
  dispatcher_->Start();
  Queue("ntf_1", now_);
  dispatcher_->Wake();

  // Waits for the thread; the limit only keeps a broken build from hanging.
  for (int i = 0; i < 200 && Pending() != 0; ++i) {
    std::this_thread::sleep_for(milliseconds(25));
  }
  dispatcher_->Stop();

  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(receiver.Requests().size(), 1u);
}

TEST(NotificationBackoffTest, DoublesUpToMaximum) {
  const milliseconds initial = seconds(5);
  const milliseconds max = minutes(10);

  EXPECT_EQ(NotificationDispatcher::Backoff(1, initial, max, 1.0), seconds(5));
  EXPECT_EQ(NotificationDispatcher::Backoff(2, initial, max, 1.0), seconds(10));
  EXPECT_EQ(NotificationDispatcher::Backoff(3, initial, max, 1.0), seconds(20));
  EXPECT_EQ(NotificationDispatcher::Backoff(20, initial, max, 1.0), max);
  EXPECT_EQ(NotificationDispatcher::Backoff(1000, initial, max, 1.0), max);
}

TEST(NotificationBackoffTest, JitterTakesHalfToAll) {
  const milliseconds initial = seconds(8);

  EXPECT_EQ(NotificationDispatcher::Backoff(1, initial, minutes(1), 0.0), seconds(4));
  EXPECT_EQ(NotificationDispatcher::Backoff(1, initial, minutes(1), 0.5), seconds(6));
}

TEST_F(DispatcherTest, CreateRejectsBadOptions) {
  NotificationDispatcherOptions options;
  options.batch_size = 0;
  EXPECT_FALSE(
      NotificationDispatcher::Create(*store_, nullptr, &DispatcherTest::Decode, options, logger_)
          .has_value());

  options = {};
  options.max_backoff = milliseconds(1);
  EXPECT_FALSE(
      NotificationDispatcher::Create(*store_, nullptr, &DispatcherTest::Decode, options, logger_)
          .has_value());

  options = {};
  options.poll_interval = milliseconds(0);
  EXPECT_FALSE(
      NotificationDispatcher::Create(*store_, nullptr, &DispatcherTest::Decode, options, logger_)
          .has_value());
}

}  // namespace
}  // namespace devtrust::ops
