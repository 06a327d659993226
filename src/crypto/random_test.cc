#include "crypto/random.h"

#include <gtest/gtest.h>

#include <set>

namespace devtrust::crypto {
namespace {

TEST(RandomBytes, ReturnsRequestedSize) {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{32}, kMaxRandomSize}) {
    Result<Bytes> bytes = RandomBytes(size);
    ASSERT_TRUE(bytes.has_value()) << size;
    EXPECT_EQ(bytes->size(), size);
  }
}

TEST(RandomBytes, DrawsDistinctValues) {
  std::set<Bytes> seen;
  for (int i = 0; i < 64; ++i) {
    Result<Bytes> bytes = RandomBytes(16);
    ASSERT_TRUE(bytes.has_value());
    seen.insert(*bytes);
  }
  EXPECT_EQ(seen.size(), 64u);
}

TEST(RandomBytes, RejectsOversizedRequest) {
  Result<Bytes> bytes = RandomBytes(kMaxRandomSize + 1);
  ASSERT_FALSE(bytes.has_value());
  EXPECT_EQ(bytes.error().reason(), "invalid_argument");
}

TEST(RandomSecretBytes, ReturnsRequestedSizeAndDistinctValues) {
  Result<SecretBytes> first = RandomSecretBytes(32);
  Result<SecretBytes> second = RandomSecretBytes(32);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->size(), 32u);
  EXPECT_FALSE(first->ConstantTimeEquals(second->view()));
}

TEST(RandomSecretBytes, RejectsOversizedRequest) {
  Result<SecretBytes> bytes = RandomSecretBytes(kMaxRandomSize + 1);
  ASSERT_FALSE(bytes.has_value());
  EXPECT_EQ(bytes.error().reason(), "invalid_argument");
}

}  // namespace
}  // namespace devtrust::crypto
