#include "store/sqlite_write_queue.h"

#include <gtest/gtest.h>

#include <future>
#include <stdexcept>
#include <thread>

#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using std::chrono::milliseconds;
using test_util::QueryInt;

class SqliteWriteQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<SqliteConnection> connection =
        SqliteConnection::Open(path_, SqliteConnection::Mode::kReadWrite, milliseconds(1000));
    ASSERT_OK(connection);
    ASSERT_OK(connection->Execute("PRAGMA journal_mode = WAL"));
    ASSERT_OK(connection->Execute("CREATE TABLE items (id TEXT PRIMARY KEY)"));
    queue_ = std::make_unique<SqliteWriteQueue>(std::move(*connection), 64);
  }

  static SqliteWriteQueue::Operation Insert(std::string id) {
    return [id = std::move(id)](SqliteConnection& connection) -> Status {
      Result<SqliteStatement> insert = connection.Prepare("INSERT INTO items (id) VALUES (?)");
      if (!insert) return std::unexpected(insert.error());
      if (Status bound = insert->BindAll(id); !bound) return bound;
      return insert->Run();
    };
  }

  // Submits an operation that holds the writer thread until Release(), and
  // waits until the writer has started it, so that operations submitted
  // afterwards form the next group together.
  std::future<Status> HoldWriter() {
    // Shared so that the promise outlives this function while the writer
    // thread may still be inside set_value().
    auto started = std::make_shared<std::promise<void>>();
    std::future<void> started_future = started->get_future();
    std::future<Status> held = queue_->Submit(
        [started, release = release_.get_future().share()](SqliteConnection&) -> Status {
          started->set_value();
          release.wait();
          return {};
        });
    started_future.wait();
    return held;
  }
  void Release() { release_.set_value(); }

  bool HasItem(std::string_view id) {
    return QueryInt(path_, "SELECT count(*) FROM items WHERE id = '" + std::string(id) + "'") == 1;
  }

  test_util::TempDir dir_;
  std::string path_ = dir_.File("queue.db");
  std::unique_ptr<SqliteWriteQueue> queue_;
  std::promise<void> release_;
};

TEST_F(SqliteWriteQueueTest, FailedOperationRollsBackOnlyItself) {
  std::future<Status> held = HoldWriter();
  std::future<Status> a = queue_->Submit(Insert("a"));
  std::future<Status> duplicate = queue_->Submit(Insert("a"));
  std::future<Status> c = queue_->Submit(Insert("c"));
  Release();

  EXPECT_OK(held.get());
  EXPECT_OK(a.get());
  const Status duplicate_status = duplicate.get();
  ASSERT_FALSE(duplicate_status.has_value());
  EXPECT_EQ(duplicate_status.error().code(), StatusCode::kAlreadyExists);
  EXPECT_OK(c.get());

  EXPECT_TRUE(HasItem("a"));
  EXPECT_TRUE(HasItem("c"));
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM items"), 2);

  // The held operation ran alone, and the three queued behind it shared one
  // transaction.
  EXPECT_EQ(queue_->stats().transactions, 2);
  EXPECT_EQ(queue_->stats().operations, 4);
}

TEST_F(SqliteWriteQueueTest, FailureInsideOperationUndoesItsEarlierWrites) {
  const Status failed = queue_->Run([](SqliteConnection& connection) -> Status {
    if (Status inserted = Insert("first")(connection); !inserted) return inserted;
    return MakeError(StatusCode::kFailedPrecondition, "test_failure", "fails after one insert");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().reason(), "test_failure");
  EXPECT_FALSE(HasItem("first"));
}

TEST_F(SqliteWriteQueueTest, ExceptionBecomesInternalError) {
  std::future<Status> held = HoldWriter();
  std::future<Status> throwing = queue_->Submit([](SqliteConnection& connection) -> Status {
    if (Status inserted = Insert("thrown")(connection); !inserted) return inserted;
    throw std::runtime_error("boom");
  });
  std::future<Status> after = queue_->Submit(Insert("after"));
  Release();

  EXPECT_OK(held.get());
  const Status thrown = throwing.get();
  ASSERT_FALSE(thrown.has_value());
  EXPECT_EQ(thrown.error().code(), StatusCode::kInternal);
  EXPECT_NE(thrown.error().message().find("boom"), std::string::npos);
  EXPECT_OK(after.get());
  EXPECT_FALSE(HasItem("thrown"));
  EXPECT_TRUE(HasItem("after"));
}

TEST_F(SqliteWriteQueueTest, EndedTransactionFailsWholeGroup) {
  std::future<Status> held = HoldWriter();
  std::future<Status> before = queue_->Submit(Insert("before"));
  // Stands in for SQLite rolling back by itself, as after SQLITE_FULL.
  std::future<Status> ending = queue_->Submit(
      [](SqliteConnection& connection) -> Status { return connection.Execute("ROLLBACK"); });
  std::future<Status> after = queue_->Submit(Insert("after"));
  Release();

  EXPECT_OK(held.get());
  for (std::future<Status>* result : {&before, &ending, &after}) {
    const Status status = result->get();
    ASSERT_FALSE(status.has_value());
    EXPECT_EQ(status.error().code(), StatusCode::kUnavailable);
    EXPECT_EQ(status.error().reason(), "store_transaction_aborted");
  }
  EXPECT_FALSE(HasItem("before"));
  EXPECT_FALSE(HasItem("after"));

  // The queue keeps working.
  EXPECT_OK(queue_->Run(Insert("later")));
  EXPECT_TRUE(HasItem("later"));
}

TEST_F(SqliteWriteQueueTest, CloseRunsQueuedOperations) {
  std::future<Status> held = HoldWriter();
  std::vector<std::future<Status>> queued;
  for (int i = 0; i < 5; ++i) queued.push_back(queue_->Submit(Insert("q" + std::to_string(i))));

  std::thread closer([this] { queue_->Close(); });
  Release();
  closer.join();

  EXPECT_OK(held.get());
  for (std::future<Status>& result : queued) EXPECT_OK(result.get());
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM items"), 5);
}

TEST_F(SqliteWriteQueueTest, SubmitAfterCloseFails) {
  queue_->Close();

  const Status status = queue_->Run(Insert("late"));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.error().reason(), "store_closed");
  queue_->Close();
}

}  // namespace
}  // namespace devtrust::store
