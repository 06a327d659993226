// Helpers shared by the store tests: a temporary directory, record builders
// and direct SQL access to a database file.
#ifndef DEVTRUST_STORE_STORE_TEST_UTIL_H_
#define DEVTRUST_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "store/records.h"
#include "store/sqlite_store.h"
#include "store/store.h"

// Assert or expect that a Status or Result contains a value, printing the error
// otherwise.
#define ASSERT_OK(expr)                                                                 \
  do {                                                                                  \
    const auto& devtrust_checked_ = (expr);                                             \
    ASSERT_TRUE(devtrust_checked_.has_value()) << devtrust_checked_.error().ToString(); \
  } while (false)
#define EXPECT_OK(expr)                                                                 \
  do {                                                                                  \
    const auto& devtrust_checked_ = (expr);                                             \
    EXPECT_TRUE(devtrust_checked_.has_value()) << devtrust_checked_.error().ToString(); \
  } while (false)

namespace devtrust::store::test_util {

// A fresh directory under the system's temporary directory, removed with
// everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A fixed time with whole milliseconds, so that records compare equal after
// a round trip through the database.
TimePoint BaseTime();
inline TimePoint At(std::chrono::milliseconds offset) { return BaseTime() + offset; }

// A distinct 32-byte nonce hash for each label.
Bytes NonceHash(std::string_view label);

NonceRecord MakeNonce(std::string_view label, NoncePurpose purpose, std::string_view user_id,
                      std::string_view device_id, TimePoint created_at,
                      std::chrono::milliseconds ttl = std::chrono::minutes(2));

// The claim that matches `nonce`.
NonceClaim ClaimFor(const NonceRecord& nonce);

// A complete registration of `device_id` for `user_id` that consumes
// `nonce`, with certificate serials derived from the device id (at most 19
// characters) and one outbox event on topic "trust_event".
DeviceRegistration MakeRegistration(std::string_view device_id, std::string_view user_id,
                                    const NonceRecord& nonce, TimePoint now);

// Stores a register nonce and registers the device with it. Fails the
// calling test on any error.
void RegisterOrFail(Store& store, std::string_view device_id, std::string_view user_id,
                    TimePoint now);

VerificationChallenge MakeChallenge(std::string_view challenge_id, std::string_view device_id,
                                    std::string_view user_id, ChallengeReason reason, TimePoint now,
                                    std::int32_t max_attempts = 5);

ReviewItem MakeReviewItem(std::string_view review_id, std::string_view device_id,
                          std::string_view user_id, TimePoint now);

Notification MakeNotification(std::string_view notification_id, std::string_view user_id,
                              std::string_view device_id, TimePoint now);

OutboxEvent MakeEvent(std::string_view topic, std::string_view payload, TimePoint now);

// Options for a store at `path` with small pools, as the tests need.
SqliteStoreOptions TestOptions(const std::string& path);

// Opens a store, or fails the calling test on error.
std::unique_ptr<SqliteStore> OpenOrFail(const SqliteStoreOptions& options);

// Runs a query that returns one integer, such as "SELECT count(*) FROM
// devices", on a separate read-write connection to `path`.
std::int64_t QueryInt(const std::string& path, std::string_view sql);

// Runs SQL on a separate read-write connection to `path`; fails the calling
// test on error.
void ExecuteOrFail(const std::string& path, std::string_view sql);

// Opens a SqliteStore on a new file in a temporary directory for each test.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrFail(TestOptions(path_));
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    if (store_ != nullptr) store_->Close();
  }

  std::int64_t CountRows(std::string_view table, std::string_view condition = "1") {
    return QueryInt(
        path_, "SELECT count(*) FROM " + std::string(table) + " WHERE " + std::string(condition));
  }

  TempDir dir_;
  std::string path_ = dir_.File("devtrust.db");
  std::unique_ptr<SqliteStore> store_;
};

}  // namespace devtrust::store::test_util

#endif  // DEVTRUST_STORE_STORE_TEST_UTIL_H_
