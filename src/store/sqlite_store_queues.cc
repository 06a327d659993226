// SqliteStore: the review queue, the outbox and notifications.
#include <fmt/format.h>

#include <limits>

#include "base/status_macros.h"
#include "store/record_checks.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"

namespace devtrust::store {
namespace {

std::unexpected<Error> ReviewItemNotFound(std::string_view review_id) {
  return MakeError(StatusCode::kNotFound, "review_item_not_found",
                   fmt::format("review item '{}' does not exist", review_id));
}

std::unexpected<Error> NotificationNotFound(std::string_view notification_id) {
  return MakeError(StatusCode::kNotFound, "notification_not_found",
                   fmt::format("notification '{}' does not exist", notification_id));
}

Status CheckSequences(std::span<const std::int64_t> sequences) {
  if (sequences.size() > static_cast<std::size_t>(kMaxListLimit)) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_argument",
                     fmt::format("{} sequences given; mark at most {} per call", sequences.size(),
                                 kMaxListLimit));
  }
  return {};
}

// Cuts `text` to at most `max_size` bytes without splitting a UTF-8
// sequence.
std::string_view TruncateUtf8(std::string_view text, std::size_t max_size) {
  if (text.size() <= max_size) return text;
  std::size_t end = max_size;
  // Continuation bytes have the bit pattern 10xxxxxx.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// Runs the UPDATE `sql` once per sequence, with the sequence as ?1 and, when
// given, `time` as ?2. Returns the number of rows changed.
Result<std::int64_t> UpdateEachSequence(SqliteConnection& connection, std::string_view sql,
                                        std::span<const std::int64_t> sequences,
                                        std::optional<TimePoint> time) {
  DEVTRUST_ASSIGN_OR_RETURN(SqliteStatement update, connection.Prepare(sql));
  if (time.has_value()) DEVTRUST_RETURN_IF_ERROR(update.Bind(2, *time));

  std::int64_t changed = 0;
  for (const std::int64_t sequence : sequences) {
    DEVTRUST_RETURN_IF_ERROR(update.Bind(1, sequence));
    DEVTRUST_RETURN_IF_ERROR(update.Run());
    changed += connection.changes();
    DEVTRUST_RETURN_IF_ERROR(update.Reset());
  }
  return changed;
}

// Whether `sql`, a count(*) query with `id` as its only parameter, counts
// any row.
Result<bool> ExistsStep(SqliteConnection& connection, std::string_view sql, std::string_view id) {
  DEVTRUST_ASSIGN_OR_RETURN(SqliteStatement lookup, connection.Prepare(sql));
  DEVTRUST_RETURN_IF_ERROR(lookup.BindAll(id));
  DEVTRUST_RETURN_IF_ERROR(lookup.Step());
  return lookup.ColumnInt64(0) > 0;
}

constexpr std::string_view kCountReviewItem =
    "SELECT count(*) FROM review_items WHERE review_id = ?";
constexpr std::string_view kCountNotification =
    "SELECT count(*) FROM notifications WHERE notification_id = ?";

}  // namespace

// --- Review queue ---

Result<std::vector<ReviewItem>> SqliteStore::ListReviewItems(ReviewStatus status,
                                                             std::int64_t limit,
                                                             std::string_view after_review_id) {
  DEVTRUST_RETURN_IF_ERROR(CheckLimit(limit));

  using Items = std::vector<ReviewItem>;
  return Read<Items>([&](SqliteConnection& connection) -> Result<Items> {
    // Keyset pagination on (created_at, review_id): pages stay stable while
    // new items arrive, and each page is one index range scan.
    std::int64_t after_created_at = std::numeric_limits<std::int64_t>::min();
    if (!after_review_id.empty()) {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement cursor,
          connection.Prepare("SELECT created_at FROM review_items WHERE review_id = ?"));
      DEVTRUST_RETURN_IF_ERROR(cursor.BindAll(after_review_id));
      DEVTRUST_ASSIGN_OR_RETURN(const bool found, cursor.Step());
      if (!found) {
        return MakeError(StatusCode::kInvalidArgument, "invalid_cursor",
                         fmt::format("review item '{}' given as the page cursor does not "
                                     "exist; start again with an empty cursor",
                                     after_review_id));
      }
      after_created_at = cursor.ColumnInt64(0);
    }

    DEVTRUST_ASSIGN_OR_RETURN(SqliteStatement select,
                              connection.Prepare("SELECT " DEVTRUST_REVIEW_ITEM_COLUMNS
                                                 " FROM review_items WHERE status = ?1 AND "
                                                 "(created_at, review_id) > (?2, ?3) "
                                                 "ORDER BY created_at, review_id LIMIT ?4"));
    DEVTRUST_RETURN_IF_ERROR(
        select.BindAll(ReviewStatusName(status), after_created_at, after_review_id, limit));

    Items items;
    while (true) {
      DEVTRUST_ASSIGN_OR_RETURN(const bool has_row, select.Step());
      if (!has_row) break;
      DEVTRUST_ASSIGN_OR_RETURN(ReviewItem item, ReadReviewItem(select));
      items.push_back(std::move(item));
    }
    return items;
  });
}

Result<ReviewItem> SqliteStore::GetReviewItem(std::string_view review_id) {
  return Read<ReviewItem>([&](SqliteConnection& connection) -> Result<ReviewItem> {
    DEVTRUST_ASSIGN_OR_RETURN(SqliteStatement select,
                              connection.Prepare("SELECT " DEVTRUST_REVIEW_ITEM_COLUMNS
                                                 " FROM review_items WHERE review_id = ?"));
    DEVTRUST_RETURN_IF_ERROR(select.BindAll(review_id));
    DEVTRUST_ASSIGN_OR_RETURN(const bool found, select.Step());
    if (!found) return ReviewItemNotFound(review_id);
    return ReadReviewItem(select);
  });
}

Result<std::int64_t> SqliteStore::CountOpenReviewItems() {
  return Read<std::int64_t>([](SqliteConnection& connection) {
    return connection.QueryInt64("SELECT count(*) FROM review_items WHERE status = 'open'");
  });
}

Status SqliteStore::ResolveReviewItem(std::string_view review_id, std::string_view resolution,
                                      std::string_view resolved_by, TimePoint now,
                                      std::span<const OutboxEvent> events) {
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("review_id", review_id));
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("resolution", resolution));
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("resolved_by", resolved_by));
  DEVTRUST_RETURN_IF_ERROR(CheckNewOutboxEvents(events));

  return Write([&](SqliteConnection& connection) -> Status {
    {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement resolve,
          connection.Prepare("UPDATE review_items SET status = 'resolved', resolution = ?1, "
                             "resolved_by = ?2, resolved_at = ?3 "
                             "WHERE review_id = ?4 AND status = 'open'"));
      DEVTRUST_RETURN_IF_ERROR(resolve.BindAll(resolution, resolved_by, now, review_id));
      DEVTRUST_RETURN_IF_ERROR(resolve.Run());
    }

    if (connection.changes() == 0) {
      DEVTRUST_ASSIGN_OR_RETURN(const bool exists,
                                ExistsStep(connection, kCountReviewItem, review_id));
      if (!exists) return ReviewItemNotFound(review_id);
      return MakeError(StatusCode::kFailedPrecondition, "review_item_resolved",
                       fmt::format("review item '{}' is already resolved", review_id));
    }

    // The flag stays while any other open item for the device remains.
    {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement unflag,
          connection.Prepare(
              "UPDATE devices SET flagged_for_review = 0, updated_at = ?1 "
              "WHERE device_id = (SELECT device_id FROM review_items WHERE review_id = ?2) "
              "AND flagged_for_review = 1 AND NOT EXISTS (SELECT 1 FROM review_items "
              "WHERE review_items.device_id = devices.device_id AND status = 'open')"));
      DEVTRUST_RETURN_IF_ERROR(unflag.BindAll(now, review_id));
      DEVTRUST_RETURN_IF_ERROR(unflag.Run());
    }

    return InsertOutboxEvents(connection, events);
  });
}

// --- Outbox ---

Result<std::vector<OutboxEvent>> SqliteStore::FetchOutbox(std::string_view topic,
                                                          std::int64_t after_sequence,
                                                          std::int64_t limit) {
  DEVTRUST_RETURN_IF_ERROR(CheckLimit(limit));

  using Events = std::vector<OutboxEvent>;
  return Read<Events>([&](SqliteConnection& connection) -> Result<Events> {
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement select,
        connection.Prepare("SELECT " DEVTRUST_OUTBOX_COLUMNS
                           " FROM outbox WHERE topic = ? AND sequence > ? AND "
                           "delivered_at IS NULL ORDER BY sequence LIMIT ?"));
    DEVTRUST_RETURN_IF_ERROR(select.BindAll(topic, after_sequence, limit));

    Events events;
    while (true) {
      DEVTRUST_ASSIGN_OR_RETURN(const bool has_row, select.Step());
      if (!has_row) break;
      events.push_back(ReadOutboxEvent(select));
    }
    return events;
  });
}

Result<std::int64_t> SqliteStore::MarkOutboxDelivered(std::span<const std::int64_t> sequences,
                                                      TimePoint now) {
  DEVTRUST_RETURN_IF_ERROR(CheckSequences(sequences));

  std::int64_t marked = 0;
  DEVTRUST_RETURN_IF_ERROR(Write([&](SqliteConnection& connection) -> Status {
    DEVTRUST_ASSIGN_OR_RETURN(
        marked, UpdateEachSequence(connection,
                                   "UPDATE outbox SET delivered_at = ?2, attempts = attempts + 1 "
                                   "WHERE sequence = ?1 AND delivered_at IS NULL",
                                   sequences, now));
    return {};
  }));
  return marked;
}

Result<std::int64_t> SqliteStore::MarkOutboxAttemptFailed(std::span<const std::int64_t> sequences) {
  DEVTRUST_RETURN_IF_ERROR(CheckSequences(sequences));

  std::int64_t marked = 0;
  DEVTRUST_RETURN_IF_ERROR(Write([&](SqliteConnection& connection) -> Status {
    DEVTRUST_ASSIGN_OR_RETURN(marked,
                              UpdateEachSequence(connection,
                                                 "UPDATE outbox SET attempts = attempts + 1 "
                                                 "WHERE sequence = ?1 AND delivered_at IS NULL",
                                                 sequences, std::nullopt));
    return {};
  }));
  return marked;
}

Result<std::int64_t> SqliteStore::CountUndeliveredOutbox() {
  return Read<std::int64_t>([](SqliteConnection& connection) {
    return connection.QueryInt64("SELECT count(*) FROM outbox WHERE delivered_at IS NULL");
  });
}

// --- Notifications ---

Result<std::vector<Notification>> SqliteStore::FetchDueNotifications(TimePoint now,
                                                                     std::int64_t limit) {
  DEVTRUST_RETURN_IF_ERROR(CheckLimit(limit));

  using Notifications = std::vector<Notification>;
  return Read<Notifications>([&](SqliteConnection& connection) -> Result<Notifications> {
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement select,
        connection.Prepare("SELECT " DEVTRUST_NOTIFICATION_COLUMNS
                           " FROM notifications WHERE delivered_at IS NULL AND "
                           "next_attempt_at <= ? ORDER BY next_attempt_at, notification_id "
                           "LIMIT ?"));
    DEVTRUST_RETURN_IF_ERROR(select.BindAll(now, limit));

    Notifications due;
    while (true) {
      DEVTRUST_ASSIGN_OR_RETURN(const bool has_row, select.Step());
      if (!has_row) break;
      DEVTRUST_ASSIGN_OR_RETURN(Notification notification, ReadNotification(select));
      due.push_back(std::move(notification));
    }
    return due;
  });
}

Status SqliteStore::MarkNotificationDelivered(std::string_view notification_id, TimePoint now) {
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("notification_id", notification_id));

  return Write([&](SqliteConnection& connection) -> Status {
    {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement deliver,
          connection.Prepare("UPDATE notifications SET delivered_at = ?1, attempts = attempts + 1 "
                             "WHERE notification_id = ?2 AND delivered_at IS NULL"));
      DEVTRUST_RETURN_IF_ERROR(deliver.BindAll(now, notification_id));
      DEVTRUST_RETURN_IF_ERROR(deliver.Run());
      if (connection.changes() == 1) return {};
    }

    // Delivered before is fine: a dispatcher may retry after a crash.
    DEVTRUST_ASSIGN_OR_RETURN(const bool exists,
                              ExistsStep(connection, kCountNotification, notification_id));
    if (!exists) return NotificationNotFound(notification_id);
    return {};
  });
}

Status SqliteStore::MarkNotificationAttemptFailed(std::string_view notification_id,
                                                  TimePoint next_attempt_at,
                                                  std::string_view error_text) {
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("notification_id", notification_id));
  const std::string_view last_error = TruncateUtf8(error_text, kMaxLastErrorSize);

  return Write([&](SqliteConnection& connection) -> Status {
    {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement fail,
          connection.Prepare("UPDATE notifications SET attempts = attempts + 1, "
                             "next_attempt_at = ?1, last_error = ?2 "
                             "WHERE notification_id = ?3 AND delivered_at IS NULL"));
      DEVTRUST_RETURN_IF_ERROR(fail.BindAll(next_attempt_at, last_error, notification_id));
      DEVTRUST_RETURN_IF_ERROR(fail.Run());
      if (connection.changes() == 1) return {};
    }

    DEVTRUST_ASSIGN_OR_RETURN(const bool exists,
                              ExistsStep(connection, kCountNotification, notification_id));
    if (!exists) return NotificationNotFound(notification_id);
    return MakeError(StatusCode::kFailedPrecondition, "notification_delivered",
                     fmt::format("notification '{}' was already delivered", notification_id));
  });
}

Result<std::int64_t> SqliteStore::CountPendingNotifications() {
  return Read<std::int64_t>([](SqliteConnection& connection) {
    return connection.QueryInt64("SELECT count(*) FROM notifications WHERE delivered_at IS NULL");
  });
}

}  // namespace devtrust::store
