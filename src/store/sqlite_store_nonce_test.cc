// Nonce storage, single-use consumption and pruning.
#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using test_util::At;
using test_util::ClaimFor;
using test_util::MakeNonce;
using test_util::QueryInt;

class SqliteNonceTest : public test_util::StoreTest {};

TEST_F(SqliteNonceTest, ConsumedOnceThenReused) {
  const NonceRecord nonce =
      MakeNonce("login-1", NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));
  ASSERT_OK(store_->PutNonce(nonce));

  const Result<NonceOutcome> first = store_->ConsumeNonce(ClaimFor(nonce), At(milliseconds(10)));
  ASSERT_OK(first);
  EXPECT_EQ(*first, NonceOutcome::kConsumed);

  const Result<NonceOutcome> second = store_->ConsumeNonce(ClaimFor(nonce), At(milliseconds(20)));
  ASSERT_OK(second);
  EXPECT_EQ(*second, NonceOutcome::kReused);

  // The first consumption time is kept.
  EXPECT_EQ(QueryInt(path_, "SELECT consumed_at FROM nonces"),
            QueryInt(path_, "SELECT created_at FROM nonces") + 10);
}

TEST_F(SqliteNonceTest, ExpiredAtExpiryTime) {
  const NonceRecord nonce = MakeNonce("login-2", NoncePurpose::kLogin, "user-1", "device-1",
                                      At(milliseconds(0)), minutes(2));
  ASSERT_OK(store_->PutNonce(nonce));

  const Result<NonceOutcome> at_expiry = store_->ConsumeNonce(ClaimFor(nonce), nonce.expires_at);
  ASSERT_OK(at_expiry);
  EXPECT_EQ(*at_expiry, NonceOutcome::kExpired);
  EXPECT_EQ(CountRows("nonces", "consumed_at IS NOT NULL"), 0);

  // One millisecond earlier it is still valid.
  const Result<NonceOutcome> before_expiry =
      store_->ConsumeNonce(ClaimFor(nonce), nonce.expires_at - milliseconds(1));
  ASSERT_OK(before_expiry);
  EXPECT_EQ(*before_expiry, NonceOutcome::kConsumed);
}

TEST_F(SqliteNonceTest, UnknownNonce) {
  const NonceRecord never_stored =
      MakeNonce("login-3", NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));

  const Result<NonceOutcome> outcome =
      store_->ConsumeNonce(ClaimFor(never_stored), At(milliseconds(1)));
  ASSERT_OK(outcome);
  EXPECT_EQ(*outcome, NonceOutcome::kUnknown);
}

TEST_F(SqliteNonceTest, MismatchedClaimLeavesNonceUsable) {
  const NonceRecord nonce =
      MakeNonce("login-4", NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));
  ASSERT_OK(store_->PutNonce(nonce));

  NonceClaim other_user = ClaimFor(nonce);
  other_user.user_id = "user-2";
  NonceClaim other_device = ClaimFor(nonce);
  other_device.device_id = "device-2";
  NonceClaim other_purpose = ClaimFor(nonce);
  other_purpose.purpose = NoncePurpose::kRegister;
  other_purpose.device_id.clear();

  for (const NonceClaim& claim : {other_user, other_device, other_purpose}) {
    const Result<NonceOutcome> outcome = store_->ConsumeNonce(claim, At(milliseconds(1)));
    ASSERT_OK(outcome);
    EXPECT_EQ(*outcome, NonceOutcome::kMismatch) << claim.user_id << " " << claim.device_id;
  }

  const Result<NonceOutcome> matching = store_->ConsumeNonce(ClaimFor(nonce), At(milliseconds(2)));
  ASSERT_OK(matching);
  EXPECT_EQ(*matching, NonceOutcome::kConsumed);
}

TEST_F(SqliteNonceTest, MismatchReportedBeforeReuse) {
  const NonceRecord nonce =
      MakeNonce("login-5", NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));
  ASSERT_OK(store_->PutNonce(nonce));
  ASSERT_OK(store_->ConsumeNonce(ClaimFor(nonce), At(milliseconds(1))));

  NonceClaim other_user = ClaimFor(nonce);
  other_user.user_id = "user-2";
  const Result<NonceOutcome> outcome = store_->ConsumeNonce(other_user, At(milliseconds(2)));
  ASSERT_OK(outcome);
  EXPECT_EQ(*outcome, NonceOutcome::kMismatch);
}

TEST_F(SqliteNonceTest, DuplicateHashRejected) {
  const NonceRecord nonce =
      MakeNonce("login-6", NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));
  ASSERT_OK(store_->PutNonce(nonce));

  const Status duplicate = store_->PutNonce(nonce);
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.error().reason(), "nonce_exists");
}

TEST_F(SqliteNonceTest, InvalidNoncesRejected) {
  const NonceRecord valid =
      MakeNonce("login-7", NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));

  NonceRecord short_hash = valid;
  short_hash.nonce_hash.pop_back();
  NonceRecord no_user = valid;
  no_user.user_id.clear();
  NonceRecord login_without_device = valid;
  login_without_device.device_id.clear();
  NonceRecord register_with_device = valid;
  register_with_device.purpose = NoncePurpose::kRegister;
  NonceRecord already_expired = valid;
  already_expired.expires_at = valid.created_at;
  NonceRecord already_consumed = valid;
  already_consumed.consumed_at = valid.created_at;

  const std::pair<const char*, NonceRecord> cases[] = {
      {"short hash", short_hash},
      {"no user", no_user},
      {"login without device", login_without_device},
      {"register with device", register_with_device},
      {"expires at creation", already_expired},
      {"already consumed", already_consumed},
  };
  for (const auto& [name, nonce] : cases) {
    const Status put = store_->PutNonce(nonce);
    ASSERT_FALSE(put.has_value()) << name;
    EXPECT_EQ(put.error().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(put.error().reason(), "invalid_argument") << name;
  }
  EXPECT_EQ(CountRows("nonces"), 0);
}

TEST_F(SqliteNonceTest, InvalidClaimRejected) {
  NonceClaim claim{test_util::NonceHash("x"), NoncePurpose::kLogin, "user-1", "device-1"};
  claim.nonce_hash.resize(16);

  const Result<NonceOutcome> outcome = store_->ConsumeNonce(claim, At(milliseconds(0)));
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteNonceTest, PruneDeletesExpiredInBatches) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(store_->PutNonce(MakeNonce("old-" + std::to_string(i), NoncePurpose::kLogin, "user-1",
                                         "device-1", At(milliseconds(0)), minutes(1))));
  }
  const NonceRecord fresh =
      MakeNonce("fresh", NoncePurpose::kLogin, "user-1", "device-1", At(minutes(5)), minutes(2));
  ASSERT_OK(store_->PutNonce(fresh));

  const Result<std::int64_t> first = store_->PruneExpiredNonces(At(minutes(1)), 2);
  ASSERT_OK(first);
  EXPECT_EQ(*first, 2);

  const Result<std::int64_t> second = store_->PruneExpiredNonces(At(minutes(1)), 2);
  ASSERT_OK(second);
  EXPECT_EQ(*second, 1);

  const Result<std::int64_t> third = store_->PruneExpiredNonces(At(minutes(1)), 2);
  ASSERT_OK(third);
  EXPECT_EQ(*third, 0);

  EXPECT_EQ(CountRows("nonces"), 1);
  const Result<NonceOutcome> still_valid = store_->ConsumeNonce(ClaimFor(fresh), At(minutes(6)));
  ASSERT_OK(still_valid);
  EXPECT_EQ(*still_valid, NonceOutcome::kConsumed);
}

TEST_F(SqliteNonceTest, PrunedNonceIsUnknown) {
  const NonceRecord nonce = MakeNonce("pruned", NoncePurpose::kLogin, "user-1", "device-1",
                                      At(milliseconds(0)), minutes(1));
  ASSERT_OK(store_->PutNonce(nonce));
  ASSERT_OK(store_->ConsumeNonce(ClaimFor(nonce), At(milliseconds(1))));
  ASSERT_OK(store_->PruneExpiredNonces(At(minutes(1)), 100));

  const Result<NonceOutcome> replay = store_->ConsumeNonce(ClaimFor(nonce), At(minutes(2)));
  ASSERT_OK(replay);
  EXPECT_EQ(*replay, NonceOutcome::kUnknown);
}

TEST_F(SqliteNonceTest, CheckReportsValidWithoutConsuming) {
  const NonceRecord nonce =
      MakeNonce("check-1", NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));
  ASSERT_OK(store_->PutNonce(nonce));

  for (int i = 0; i < 2; ++i) {
    const Result<NonceOutcome> checked = store_->CheckNonce(ClaimFor(nonce), At(milliseconds(1)));
    ASSERT_OK(checked);
    EXPECT_EQ(*checked, NonceOutcome::kConsumed) << "check " << i;
  }
  EXPECT_EQ(CountRows("nonces", "consumed_at IS NOT NULL"), 0);

  const Result<NonceOutcome> consumed = store_->ConsumeNonce(ClaimFor(nonce), At(milliseconds(2)));
  ASSERT_OK(consumed);
  EXPECT_EQ(*consumed, NonceOutcome::kConsumed);
}

TEST_F(SqliteNonceTest, CheckMatchesConsumeForEveryOutcome) {
  const NonceRecord used =
      MakeNonce("check-used", NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));
  const NonceRecord expiring = MakeNonce("check-expiring", NoncePurpose::kLogin, "user-1",
                                         "device-1", At(milliseconds(0)), minutes(2));
  const NonceRecord never_stored =
      MakeNonce("check-unknown", NoncePurpose::kLogin, "user-1", "device-1", At(milliseconds(0)));
  ASSERT_OK(store_->PutNonce(used));
  ASSERT_OK(store_->PutNonce(expiring));
  ASSERT_OK(store_->ConsumeNonce(ClaimFor(used), At(milliseconds(1))));
  NonceClaim other_device = ClaimFor(expiring);
  other_device.device_id = "device-2";

  const struct {
    const char* name;
    NonceClaim claim;
    TimePoint now;
    NonceOutcome expected;
  } cases[] = {
      {"reused", ClaimFor(used), At(milliseconds(2)), NonceOutcome::kReused},
      {"expired at expiry", ClaimFor(expiring), expiring.expires_at, NonceOutcome::kExpired},
      {"valid just before expiry", ClaimFor(expiring), expiring.expires_at - milliseconds(1),
       NonceOutcome::kConsumed},
      {"unknown", ClaimFor(never_stored), At(milliseconds(2)), NonceOutcome::kUnknown},
      {"mismatch", other_device, At(milliseconds(2)), NonceOutcome::kMismatch},
  };
  for (const auto& check : cases) {
    const Result<NonceOutcome> outcome = store_->CheckNonce(check.claim, check.now);
    ASSERT_OK(outcome);
    EXPECT_EQ(*outcome, check.expected) << check.name;
  }
  // Checking consumed nothing: the expiring nonce is still valid.
  EXPECT_EQ(CountRows("nonces", "consumed_at IS NOT NULL"), 1);
}

TEST_F(SqliteNonceTest, CheckRejectsInvalidClaim) {
  NonceClaim claim;
  claim.nonce_hash = Bytes(7, 0);
  claim.user_id = "user-1";
  claim.device_id = "device-1";
  const Result<NonceOutcome> outcome = store_->CheckNonce(claim, At(milliseconds(1)));
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteNonceTest, PruneRejectsInvalidLimit) {
  for (const std::int64_t limit : {std::int64_t{0}, std::int64_t{-1}, kMaxListLimit + 1}) {
    const Result<std::int64_t> pruned = store_->PruneExpiredNonces(At(minutes(1)), limit);
    ASSERT_FALSE(pruned.has_value()) << limit;
    EXPECT_EQ(pruned.error().code(), StatusCode::kInvalidArgument) << limit;
  }
}

}  // namespace
}  // namespace devtrust::store
