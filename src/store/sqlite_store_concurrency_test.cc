// Atomicity under concurrency: many threads on two SqliteStore instances that
// share one database file, as two processes would.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using test_util::At;
using test_util::ClaimFor;
using test_util::MakeEvent;
using test_util::MakeNonce;
using test_util::MakeRegistration;
using test_util::OpenOrFail;
using test_util::QueryInt;
using test_util::RegisterOrFail;
using test_util::TestOptions;

constexpr int kThreads = 32;

// Runs work(thread_index) on `count` threads released together, to make
// their operations overlap as much as possible.
template <typename Work>
void RunTogether(int count, Work work) {
  std::latch start(count);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&start, &work, i] {
      start.arrive_and_wait();
      work(i);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

class SqliteConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    first_ = OpenOrFail(TestOptions(path_));
    second_ = OpenOrFail(TestOptions(path_));
    ASSERT_NE(first_, nullptr);
    ASSERT_NE(second_, nullptr);
  }

  // Threads alternate between the two instances.
  Store& StoreFor(int thread_index) {
    return thread_index % 2 == 0 ? static_cast<Store&>(*first_) : *second_;
  }

  test_util::TempDir dir_;
  std::string path_ = dir_.File("shared.db");
  std::unique_ptr<SqliteStore> first_;
  std::unique_ptr<SqliteStore> second_;
};

TEST_F(SqliteConcurrencyTest, NonceConsumedExactlyOnce) {
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const NonceRecord nonce = MakeNonce("race-" + std::to_string(round), NoncePurpose::kLogin,
                                        "user-1", "device-1", At(milliseconds(0)));
    ASSERT_OK(first_->PutNonce(nonce));

    std::atomic<int> consumed{0};
    std::atomic<int> reused{0};
    std::atomic<int> other{0};
    RunTogether(kThreads, [&](int i) {
      const Result<NonceOutcome> outcome =
          StoreFor(i).ConsumeNonce(ClaimFor(nonce), At(milliseconds(1)));
      if (!outcome.has_value()) {
        ++other;
      } else if (*outcome == NonceOutcome::kConsumed) {
        ++consumed;
      } else if (*outcome == NonceOutcome::kReused) {
        ++reused;
      } else {
        ++other;
      }
    });

    EXPECT_EQ(consumed.load(), 1) << "round " << round;
    EXPECT_EQ(reused.load(), kThreads - 1) << "round " << round;
    EXPECT_EQ(other.load(), 0) << "round " << round;
  }
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM nonces WHERE consumed_at IS NOT NULL"), kRounds);
}

// The validation path: every thread has read the nonce as valid and now
// tries to store its decision with it. Exactly one decision may be kept.
TEST_F(SqliteConcurrencyTest, OneDecisionPerNonce) {
  RegisterOrFail(*first_, "device-1", "user-1", At(milliseconds(0)));
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const NonceRecord nonce =
        MakeNonce("decision-race-" + std::to_string(round), NoncePurpose::kLogin, "user-1",
                  "device-1", At(milliseconds(0)));
    ASSERT_OK(first_->PutNonce(nonce));
    const Result<NonceOutcome> checked = second_->CheckNonce(ClaimFor(nonce), At(milliseconds(1)));
    ASSERT_OK(checked);
    ASSERT_EQ(*checked, NonceOutcome::kConsumed);

    std::atomic<int> consumed{0};
    std::atomic<int> reused{0};
    std::atomic<int> other{0};
    RunTogether(kThreads, [&](int i) {
      ValidationWrite write;
      write.device_id = "device-1";
      write.now = At(milliseconds(1));
      write.events.push_back(
          MakeEvent("trust_event", "decision-" + std::to_string(round), At(milliseconds(1))));
      const Result<NonceOutcome> outcome =
          StoreFor(i).ConsumeNonceAndRecordValidation(ClaimFor(nonce), write);
      if (!outcome.has_value()) {
        ++other;
      } else if (*outcome == NonceOutcome::kConsumed) {
        ++consumed;
      } else if (*outcome == NonceOutcome::kReused) {
        ++reused;
      } else {
        ++other;
      }
    });

    EXPECT_EQ(consumed.load(), 1) << "round " << round;
    EXPECT_EQ(reused.load(), kThreads - 1) << "round " << round;
    EXPECT_EQ(other.load(), 0) << "round " << round;
    EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM outbox WHERE payload = 'decision-" +
                                  std::to_string(round) + "'"),
              1)
        << "round " << round;
  }
}

TEST_F(SqliteConcurrencyTest, RegistrationNonceUsedOnce) {
  const NonceRecord nonce =
      MakeNonce("register-race", NoncePurpose::kRegister, "user-1", "", At(milliseconds(0)));
  ASSERT_OK(first_->PutNonce(nonce));

  // Every thread registers a different device with the same nonce.
  std::atomic<int> registered{0};
  std::atomic<int> rejected{0};
  RunTogether(kThreads, [&](int i) {
    const Result<NonceOutcome> outcome = StoreFor(i).RegisterDevice(
        MakeRegistration("racer-" + std::to_string(i), "user-1", nonce, At(milliseconds(1))));
    if (outcome.has_value() && *outcome == NonceOutcome::kConsumed) ++registered;
    if (outcome.has_value() && *outcome == NonceOutcome::kReused) ++rejected;
  });

  EXPECT_EQ(registered.load(), 1);
  EXPECT_EQ(rejected.load(), kThreads - 1);
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM devices"), 1);
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM certificates"), 2);
}

TEST_F(SqliteConcurrencyTest, AttemptsNeverExceedMax) {
  test_util::RegisterOrFail(*first_, "device-1", "user-1", At(milliseconds(0)));
  const std::string challenge_id = "challenge-device-1";  // allows 5 attempts

  constexpr int kGuessesPerThread = 3;
  std::atomic<int> reserved{0};
  std::atomic<int> locked_out{0};
  std::atomic<int> other{0};
  RunTogether(kThreads, [&](int i) {
    for (int guess = 0; guess < kGuessesPerThread; ++guess) {
      const Result<AttemptOutcome> outcome =
          StoreFor(i).ReserveChallengeAttempt(challenge_id, At(minutes(1)));
      if (!outcome.has_value()) {
        ++other;
      } else if (*outcome == AttemptOutcome::kReserved) {
        ++reserved;
      } else if (*outcome == AttemptOutcome::kLockedOut) {
        ++locked_out;
      } else {
        ++other;
      }
    }
  });

  EXPECT_EQ(reserved.load(), 5);
  EXPECT_EQ(locked_out.load(), kThreads * kGuessesPerThread - 5);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(QueryInt(path_, "SELECT attempts FROM verification_challenges"), 5);
}

TEST_F(SqliteConcurrencyTest, ConcurrentRegistrationsAllCommit) {
  constexpr int kPerThread = 10;
  std::atomic<int> failures{0};
  RunTogether(kThreads, [&](int i) {
    Store& store = StoreFor(i);
    for (int n = 0; n < kPerThread; ++n) {
      const std::string device_id = "d-" + std::to_string(i) + "-" + std::to_string(n);
      const NonceRecord nonce = MakeNonce("register-" + device_id, NoncePurpose::kRegister,
                                          "user-" + std::to_string(i), "", At(milliseconds(0)));
      if (!store.PutNonce(nonce).has_value()) {
        ++failures;
        continue;
      }
      const Result<NonceOutcome> outcome = store.RegisterDevice(
          MakeRegistration(device_id, "user-" + std::to_string(i), nonce, At(milliseconds(1))));
      if (!outcome.has_value() || *outcome != NonceOutcome::kConsumed) ++failures;

      // Reads run beside the writers.
      if (!store.GetDevice(device_id).has_value()) ++failures;
    }
  });

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM devices"), kThreads * kPerThread);
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM certificates"), 2 * kThreads * kPerThread);
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM outbox"), kThreads * kPerThread);

  // Every PutNonce and RegisterDevice ran as one group-commit operation.
  const std::int64_t operations =
      first_->write_stats().operations + second_->write_stats().operations;
  EXPECT_EQ(operations, 2 * kThreads * kPerThread);
}

}  // namespace
}  // namespace devtrust::store
