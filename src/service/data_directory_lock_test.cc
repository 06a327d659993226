#include "service/data_directory_lock.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

namespace devtrust::service {
namespace {

class DataDirectoryLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    root_ = std::filesystem::temp_directory_path() /
            ("devtrust_lock_test_" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(root_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

  std::filesystem::path root_;
};

// flock locks belong to open file descriptions, so a second Acquire in the
// same process conflicts just as a second server process would.
TEST_F(DataDirectoryLockTest, SecondHolderIsRejected) {
  Result<DataDirectoryLock> first = DataDirectoryLock::Acquire(root_);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();

  Result<DataDirectoryLock> second = DataDirectoryLock::Acquire(root_);

  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().reason(), "data_dir_locked");
  EXPECT_NE(second.error().message().find(root_.string()), std::string::npos);
}

TEST_F(DataDirectoryLockTest, ReleasedWhenDestroyed) {
  {
    Result<DataDirectoryLock> first = DataDirectoryLock::Acquire(root_);
    ASSERT_TRUE(first.has_value());
  }

  Result<DataDirectoryLock> again = DataDirectoryLock::Acquire(root_);

  EXPECT_TRUE(again.has_value()) << again.error().ToString();
}

TEST_F(DataDirectoryLockTest, MovedLockStaysHeld) {
  Result<DataDirectoryLock> first = DataDirectoryLock::Acquire(root_);
  ASSERT_TRUE(first.has_value());
  std::optional<DataDirectoryLock> moved(std::move(*first));

  EXPECT_FALSE(DataDirectoryLock::Acquire(root_).has_value());
  moved.reset();
  EXPECT_TRUE(DataDirectoryLock::Acquire(root_).has_value());
}

TEST_F(DataDirectoryLockTest, LockFileIsPrivate) {
  Result<DataDirectoryLock> lock = DataDirectoryLock::Acquire(root_);
  ASSERT_TRUE(lock.has_value());

  const auto mode =
      std::filesystem::status(root_ / "serve.lock").permissions() & std::filesystem::perms::mask;
  EXPECT_EQ(mode, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(DataDirectoryLockTest, MissingDirectoryIsError) {
  Result<DataDirectoryLock> lock = DataDirectoryLock::Acquire(root_ / "missing");

  ASSERT_FALSE(lock.has_value());
  EXPECT_EQ(lock.error().reason(), "file_write_failed");
}

}  // namespace
}  // namespace devtrust::service
