// The review queue, the outbox and notifications.
#include <gtest/gtest.h>

#include <vector>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using test_util::At;
using test_util::MakeEvent;
using test_util::MakeNotification;
using test_util::MakeReviewItem;
using test_util::QueryInt;
using test_util::RegisterOrFail;

class SqliteQueueTest : public test_util::StoreTest {
 protected:
  void AddReviewItem(std::string_view review_id, std::string_view device_id, TimePoint now) {
    ValidationWrite write;
    write.device_id = std::string(device_id);
    write.now = now;
    write.review_item = MakeReviewItem(review_id, device_id, "user-1", now);
    ASSERT_OK(store_->RecordValidation(write));
  }

  void AddEvents(const std::vector<OutboxEvent>& events) {
    ValidationWrite write;
    write.now = At(milliseconds(0));
    write.events = events;
    ASSERT_OK(store_->RecordValidation(write));
  }

  void AddNotification(const Notification& notification) {
    ValidationWrite write;
    write.now = notification.created_at;
    write.notifications.push_back(notification);
    ASSERT_OK(store_->RecordValidation(write));
  }

  bool Flagged(std::string_view device_id) {
    const Result<DeviceRecord> device = store_->GetDevice(device_id);
    EXPECT_OK(device);
    return device.has_value() && device->flagged_for_review;
  }

  static std::vector<std::string> Ids(const std::vector<ReviewItem>& items) {
    std::vector<std::string> ids;
    for (const ReviewItem& item : items) ids.push_back(item.review_id);
    return ids;
  }
};

TEST_F(SqliteQueueTest, ResolvingLastOpenItemClearsFlag) {
  RegisterOrFail(*store_, "device-1", "user-1", At(milliseconds(0)));
  AddReviewItem("review-1", "device-1", At(minutes(1)));
  AddReviewItem("review-2", "device-1", At(minutes(2)));
  ASSERT_TRUE(Flagged("device-1"));

  ASSERT_OK(store_->ResolveReviewItem("review-1", "benign", "operator-1", At(minutes(3)), {}));
  EXPECT_TRUE(Flagged("device-1"));

  const OutboxEvent event =
      MakeEvent("trust_event", R"({"event":"review_resolved"})", At(minutes(4)));
  ASSERT_OK(store_->ResolveReviewItem("review-2", "benign", "operator-1", At(minutes(4)),
                                      std::span<const OutboxEvent>(&event, 1)));
  EXPECT_FALSE(Flagged("device-1"));

  const Result<ReviewItem> item = store_->GetReviewItem("review-2");
  ASSERT_OK(item);
  EXPECT_EQ(item->status, ReviewStatus::kResolved);
  EXPECT_EQ(item->resolution, "benign");
  EXPECT_EQ(item->resolved_by, "operator-1");
  EXPECT_EQ(item->resolved_at, At(minutes(4)));
  EXPECT_EQ(CountRows("outbox", "payload LIKE '%review_resolved%'"), 1);
}

TEST_F(SqliteQueueTest, ResolvingLeavesOtherDevicesFlagged) {
  RegisterOrFail(*store_, "device-1", "user-1", At(milliseconds(0)));
  RegisterOrFail(*store_, "device-2", "user-1", At(milliseconds(0)));
  AddReviewItem("review-1", "device-1", At(minutes(1)));
  AddReviewItem("review-2", "device-2", At(minutes(1)));

  ASSERT_OK(store_->ResolveReviewItem("review-1", "revoke", "operator-1", At(minutes(2)), {}));
  EXPECT_FALSE(Flagged("device-1"));
  EXPECT_TRUE(Flagged("device-2"));
}

TEST_F(SqliteQueueTest, ResolveFailures) {
  RegisterOrFail(*store_, "device-1", "user-1", At(milliseconds(0)));
  AddReviewItem("review-1", "device-1", At(minutes(1)));
  ASSERT_OK(store_->ResolveReviewItem("review-1", "benign", "operator-1", At(minutes(2)), {}));

  const Status again =
      store_->ResolveReviewItem("review-1", "revoke", "operator-2", At(minutes(3)), {});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.error().reason(), "review_item_resolved");

  const Status unknown =
      store_->ResolveReviewItem("missing", "benign", "operator-1", At(minutes(3)), {});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.error().reason(), "review_item_not_found");

  const Status no_resolution =
      store_->ResolveReviewItem("review-1", "", "operator-1", At(minutes(3)), {});
  ASSERT_FALSE(no_resolution.has_value());
  EXPECT_EQ(no_resolution.error().code(), StatusCode::kInvalidArgument);

  const Status no_operator =
      store_->ResolveReviewItem("review-1", "benign", "", At(minutes(3)), {});
  ASSERT_FALSE(no_operator.has_value());
  EXPECT_EQ(no_operator.error().code(), StatusCode::kInvalidArgument);

  const Result<ReviewItem> item = store_->GetReviewItem("review-1");
  ASSERT_OK(item);
  EXPECT_EQ(item->resolution, "benign");
  EXPECT_EQ(item->resolved_by, "operator-1");
}

TEST_F(SqliteQueueTest, GetReviewItemNotFound) {
  const Result<ReviewItem> item = store_->GetReviewItem("missing");
  ASSERT_FALSE(item.has_value());
  EXPECT_EQ(item.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(item.error().reason(), "review_item_not_found");
}

TEST_F(SqliteQueueTest, ListReviewItemsPages) {
  RegisterOrFail(*store_, "device-1", "user-1", At(milliseconds(0)));
  // Two items share a creation time, so the id orders them.
  AddReviewItem("review-c", "device-1", At(minutes(3)));
  AddReviewItem("review-a", "device-1", At(minutes(1)));
  AddReviewItem("review-b2", "device-1", At(minutes(2)));
  AddReviewItem("review-b1", "device-1", At(minutes(2)));
  AddReviewItem("review-d", "device-1", At(minutes(4)));
  ASSERT_OK(store_->ResolveReviewItem("review-d", "benign", "operator-1", At(minutes(5)), {}));

  const Result<std::vector<ReviewItem>> page1 = store_->ListReviewItems(ReviewStatus::kOpen, 2, "");
  ASSERT_OK(page1);
  EXPECT_EQ(Ids(*page1), (std::vector<std::string>{"review-a", "review-b1"}));

  const Result<std::vector<ReviewItem>> page2 =
      store_->ListReviewItems(ReviewStatus::kOpen, 2, "review-b1");
  ASSERT_OK(page2);
  EXPECT_EQ(Ids(*page2), (std::vector<std::string>{"review-b2", "review-c"}));

  const Result<std::vector<ReviewItem>> page3 =
      store_->ListReviewItems(ReviewStatus::kOpen, 2, "review-c");
  ASSERT_OK(page3);
  EXPECT_TRUE(page3->empty());

  const Result<std::vector<ReviewItem>> resolved =
      store_->ListReviewItems(ReviewStatus::kResolved, 10, "");
  ASSERT_OK(resolved);
  EXPECT_EQ(Ids(*resolved), (std::vector<std::string>{"review-d"}));

  const Result<std::int64_t> open_count = store_->CountOpenReviewItems();
  ASSERT_OK(open_count);
  EXPECT_EQ(*open_count, 4);
}

TEST_F(SqliteQueueTest, ListReviewItemsRejectsUnknownCursor) {
  const Result<std::vector<ReviewItem>> page =
      store_->ListReviewItems(ReviewStatus::kOpen, 10, "missing");
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(page.error().reason(), "invalid_cursor");
}

TEST_F(SqliteQueueTest, OutboxSequencesIncrease) {
  AddEvents(
      {MakeEvent("siem", "1", At(milliseconds(0))), MakeEvent("siem", "2", At(milliseconds(0)))});
  AddEvents({MakeEvent("siem", "3", At(milliseconds(0))),
             MakeEvent("trust_event", "t", At(milliseconds(0)))});

  const Result<std::vector<OutboxEvent>> siem = store_->FetchOutbox("siem", 0, 10);
  ASSERT_OK(siem);
  ASSERT_EQ(siem->size(), 3u);
  EXPECT_EQ((*siem)[0].payload, "1");
  EXPECT_EQ((*siem)[1].payload, "2");
  EXPECT_EQ((*siem)[2].payload, "3");
  EXPECT_LT((*siem)[0].sequence, (*siem)[1].sequence);
  EXPECT_LT((*siem)[1].sequence, (*siem)[2].sequence);

  const Result<std::vector<OutboxEvent>> after_first =
      store_->FetchOutbox("siem", (*siem)[0].sequence, 1);
  ASSERT_OK(after_first);
  ASSERT_EQ(after_first->size(), 1u);
  EXPECT_EQ(after_first->front().payload, "2");

  const Result<std::vector<OutboxEvent>> trust = store_->FetchOutbox("trust_event", 0, 10);
  ASSERT_OK(trust);
  ASSERT_EQ(trust->size(), 1u);
  EXPECT_EQ(trust->front().payload, "t");
}

TEST_F(SqliteQueueTest, DeliveredEventsLeaveOutbox) {
  AddEvents(
      {MakeEvent("siem", "1", At(milliseconds(0))), MakeEvent("siem", "2", At(milliseconds(0)))});
  const Result<std::vector<OutboxEvent>> fetched = store_->FetchOutbox("siem", 0, 10);
  ASSERT_OK(fetched);
  ASSERT_EQ(fetched->size(), 2u);
  const std::int64_t first = (*fetched)[0].sequence;
  const std::int64_t second = (*fetched)[1].sequence;

  const std::int64_t failed[] = {first};
  const Result<std::int64_t> failed_count = store_->MarkOutboxAttemptFailed(failed);
  ASSERT_OK(failed_count);
  EXPECT_EQ(*failed_count, 1);

  const std::int64_t delivered[] = {first, 999'999};
  const Result<std::int64_t> marked = store_->MarkOutboxDelivered(delivered, At(minutes(1)));
  ASSERT_OK(marked);
  EXPECT_EQ(*marked, 1);

  const Result<std::int64_t> marked_again = store_->MarkOutboxDelivered(delivered, At(minutes(2)));
  ASSERT_OK(marked_again);
  EXPECT_EQ(*marked_again, 0);

  const Result<std::vector<OutboxEvent>> remaining = store_->FetchOutbox("siem", 0, 10);
  ASSERT_OK(remaining);
  ASSERT_EQ(remaining->size(), 1u);
  EXPECT_EQ(remaining->front().sequence, second);

  EXPECT_EQ(
      QueryInt(path_, "SELECT attempts FROM outbox WHERE sequence = " + std::to_string(first)), 2);
  EXPECT_EQ(CountRows("outbox", "delivered_at IS NOT NULL"), 1);

  const Result<std::int64_t> undelivered = store_->CountUndeliveredOutbox();
  ASSERT_OK(undelivered);
  EXPECT_EQ(*undelivered, 1);
}

TEST_F(SqliteQueueTest, OutboxRejectsInvalidArguments) {
  const Result<std::vector<OutboxEvent>> zero_limit = store_->FetchOutbox("siem", 0, 0);
  ASSERT_FALSE(zero_limit.has_value());
  EXPECT_EQ(zero_limit.error().code(), StatusCode::kInvalidArgument);

  const std::vector<std::int64_t> too_many(static_cast<std::size_t>(kMaxListLimit) + 1, 1);
  const Result<std::int64_t> marked = store_->MarkOutboxDelivered(too_many, At(minutes(1)));
  ASSERT_FALSE(marked.has_value());
  EXPECT_EQ(marked.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteQueueTest, NotificationRetryAndDelivery) {
  AddNotification(MakeNotification("note-1", "user-1", "device-1", At(minutes(0))));
  Notification later = MakeNotification("note-2", "user-1", "device-1", At(minutes(0)));
  later.next_attempt_at = At(minutes(10));
  AddNotification(later);

  const Result<std::vector<Notification>> due_now =
      store_->FetchDueNotifications(At(minutes(1)), 10);
  ASSERT_OK(due_now);
  ASSERT_EQ(due_now->size(), 1u);
  EXPECT_EQ(due_now->front().notification_id, "note-1");

  ASSERT_OK(store_->MarkNotificationAttemptFailed("note-1", At(minutes(5)), "smtp timed out"));
  const Result<std::vector<Notification>> due_after_failure =
      store_->FetchDueNotifications(At(minutes(1)), 10);
  ASSERT_OK(due_after_failure);
  EXPECT_TRUE(due_after_failure->empty());

  const Result<std::vector<Notification>> due_later =
      store_->FetchDueNotifications(At(minutes(10)), 10);
  ASSERT_OK(due_later);
  ASSERT_EQ(due_later->size(), 2u);
  EXPECT_EQ((*due_later)[0].notification_id, "note-1");
  EXPECT_EQ((*due_later)[0].attempts, 1);
  EXPECT_EQ((*due_later)[0].last_error, "smtp timed out");
  EXPECT_EQ((*due_later)[0].next_attempt_at, At(minutes(5)));

  ASSERT_OK(store_->MarkNotificationDelivered("note-1", At(minutes(11))));
  ASSERT_OK(store_->MarkNotificationDelivered("note-1", At(minutes(12))));
  EXPECT_EQ(QueryInt(path_, "SELECT attempts FROM notifications WHERE notification_id = 'note-1'"),
            2);
  EXPECT_EQ(
      QueryInt(path_, "SELECT delivered_at FROM notifications WHERE notification_id = 'note-1'"),
      QueryInt(path_,
               "SELECT created_at FROM notifications WHERE notification_id = "
               "'note-1'") +
          11 * 60 * 1000);

  const Result<std::int64_t> pending = store_->CountPendingNotifications();
  ASSERT_OK(pending);
  EXPECT_EQ(*pending, 1);
}

TEST_F(SqliteQueueTest, NotificationFailures) {
  AddNotification(MakeNotification("note-1", "user-1", "device-1", At(minutes(0))));
  ASSERT_OK(store_->MarkNotificationDelivered("note-1", At(minutes(1))));

  const Status after_delivery =
      store_->MarkNotificationAttemptFailed("note-1", At(minutes(2)), "late failure");
  ASSERT_FALSE(after_delivery.has_value());
  EXPECT_EQ(after_delivery.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(after_delivery.error().reason(), "notification_delivered");

  const Status unknown_delivered = store_->MarkNotificationDelivered("missing", At(minutes(1)));
  ASSERT_FALSE(unknown_delivered.has_value());
  EXPECT_EQ(unknown_delivered.error().reason(), "notification_not_found");

  const Status unknown_failed =
      store_->MarkNotificationAttemptFailed("missing", At(minutes(1)), "x");
  ASSERT_FALSE(unknown_failed.has_value());
  EXPECT_EQ(unknown_failed.error().reason(), "notification_not_found");
}

TEST_F(SqliteQueueTest, LastErrorCutAtCharacterBoundary) {
  AddNotification(MakeNotification("note-1", "user-1", "device-1", At(minutes(0))));

  // 255 ASCII bytes, then a 2-byte character that would end at byte 257.
  const std::string error_text = std::string(255, 'e') + "\xC3\xA9" + "tail";
  ASSERT_OK(store_->MarkNotificationAttemptFailed("note-1", At(minutes(1)), error_text));

  const Result<std::vector<Notification>> due = store_->FetchDueNotifications(At(minutes(1)), 1);
  ASSERT_OK(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().last_error, std::string(255, 'e'));
}

}  // namespace
}  // namespace devtrust::store
