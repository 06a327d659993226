#include "pki/verification_cache.h"

#include <gtest/gtest.h>

#include <chrono>

#include "pki/test_util.h"

namespace devtrust::pki {
namespace {

using std::chrono::seconds;
using testing::TestTime;

crypto::Sha256Digest Fingerprint(std::uint8_t value) {
  crypto::Sha256Digest digest{};
  digest.fill(value);
  return digest;
}

TEST(VerificationCacheTest, InsertedFingerprintIsFound) {
  VerificationCache cache(4);
  cache.Insert(Fingerprint(1), TestTime() + seconds(10));
  EXPECT_TRUE(cache.Contains(Fingerprint(1), TestTime()));
  EXPECT_FALSE(cache.Contains(Fingerprint(2), TestTime()));
}

TEST(VerificationCacheTest, ExpiredEntryIsDropped) {
  VerificationCache cache(4);
  cache.Insert(Fingerprint(1), TestTime());
  EXPECT_TRUE(cache.Contains(Fingerprint(1), TestTime()));
  EXPECT_FALSE(cache.Contains(Fingerprint(1), TestTime() + seconds(1)));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(VerificationCacheTest, EvictsLeastRecentlyUsed) {
  VerificationCache cache(2);
  const crypto::TimePoint later = TestTime() + seconds(100);
  cache.Insert(Fingerprint(1), later);
  cache.Insert(Fingerprint(2), later);
  ASSERT_TRUE(cache.Contains(Fingerprint(1), TestTime()));  // 2 is now the oldest
  cache.Insert(Fingerprint(3), later);

  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Contains(Fingerprint(1), TestTime()));
  EXPECT_FALSE(cache.Contains(Fingerprint(2), TestTime()));
  EXPECT_TRUE(cache.Contains(Fingerprint(3), TestTime()));
}

TEST(VerificationCacheTest, ReinsertRefreshesExpiry) {
  VerificationCache cache(2);
  cache.Insert(Fingerprint(1), TestTime());
  cache.Insert(Fingerprint(1), TestTime() + seconds(100));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.Contains(Fingerprint(1), TestTime() + seconds(50)));
}

TEST(VerificationCacheTest, ZeroCapacityStoresNothing) {
  VerificationCache cache(0);
  cache.Insert(Fingerprint(1), TestTime() + seconds(10));
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.Contains(Fingerprint(1), TestTime()));
}

}  // namespace
}  // namespace devtrust::pki
