#include "service/nonce_pruner.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"
#include "service/service_test_support.h"

namespace devtrust::service {
namespace {

using testing::ServiceFixture;

class NoncePrunerTest : public ServiceFixture {
 protected:
  // Stores a login nonce that expires at `expires_at`.
  Bytes PutNonce(int label, store::TimePoint expires_at) {
    store::NonceRecord nonce;
    nonce.nonce_hash = crypto::Sha256(AsBytes("nonce-" + std::to_string(label)));
    nonce.purpose = store::NoncePurpose::kRegister;
    nonce.user_id = "alice";
    nonce.created_at = expires_at - std::chrono::minutes(2);
    nonce.expires_at = expires_at;
    EXPECT_TRUE(store_->PutNonce(nonce).has_value());
    return nonce.nonce_hash;
  }

  store::NonceOutcome Consume(const Bytes& hash) {
    store::NonceClaim claim;
    claim.nonce_hash = hash;
    claim.purpose = store::NoncePurpose::kRegister;
    claim.user_id = "alice";
    return store_->ConsumeNonce(claim, now_ - std::chrono::hours(1))
        .value_or(store::NonceOutcome::kMismatch);
  }
};

TEST_F(NoncePrunerTest, DeletesExpiredInBatches) {
  for (int i = 0; i < 7; ++i) PutNonce(i, now_ - std::chrono::seconds(1));
  NoncePruner pruner(
      *store_, std::chrono::minutes(1), /*batch_size=*/3, [this] { return now_; }, logger_);

  Result<std::int64_t> deleted = pruner.PruneOnce();

  ASSERT_TRUE(deleted.has_value()) << deleted.error().ToString();
  EXPECT_EQ(*deleted, 7);
}

TEST_F(NoncePrunerTest, KeepsValidNonces) {
  const Bytes expired = PutNonce(1, now_ - std::chrono::seconds(1));
  const Bytes valid = PutNonce(2, now_ + std::chrono::minutes(1));
  NoncePruner pruner(*store_, std::chrono::minutes(1), 100, [this] { return now_; }, logger_);

  ASSERT_EQ(pruner.PruneOnce().value_or(-1), 1);

  // A pruned nonce is unknown afterwards; the valid one can still be used.
  EXPECT_EQ(Consume(expired), store::NonceOutcome::kUnknown);
  EXPECT_EQ(Consume(valid), store::NonceOutcome::kConsumed);
}

TEST_F(NoncePrunerTest, StartAndStopAreSafe) {
  NoncePruner pruner(*store_, std::chrono::milliseconds(10), 100, [this] { return now_; }, logger_);

  pruner.Start();
  pruner.Stop();
  pruner.Stop();

  EXPECT_EQ(pruner.PruneOnce().value_or(-1), 0);
}

}  // namespace
}  // namespace devtrust::service
