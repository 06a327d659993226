#include "crypto/secret_bytes.h"

#include <gtest/gtest.h>

#include <utility>

#include "base/bytes.h"

namespace devtrust::crypto {
namespace {

TEST(SecretBytes, DefaultIsEmpty) {
  const SecretBytes secret;
  EXPECT_TRUE(secret.empty());
  EXPECT_EQ(secret.size(), 0u);
  EXPECT_EQ(secret.data(), nullptr);
}

TEST(SecretBytes, SizedConstructorZeroFills) {
  const SecretBytes secret(16);
  ASSERT_EQ(secret.size(), 16u);
  for (std::uint8_t byte : secret.view()) {
    EXPECT_EQ(byte, 0);
  }
}

TEST(SecretBytes, CopiesFromView) {
  const Bytes source = {1, 2, 3, 4};
  const SecretBytes secret{ByteView(source)};
  ASSERT_EQ(secret.size(), 4u);
  EXPECT_NE(secret.data(), source.data());
  EXPECT_EQ(Bytes(secret.view().begin(), secret.view().end()), source);
}

TEST(SecretBytes, MoveConstructionEmptiesSource) {
  SecretBytes source(ByteView(ToBytes("secret")));
  const std::uint8_t* buffer = source.data();

  const SecretBytes target(std::move(source));

  EXPECT_EQ(target.data(), buffer);
  EXPECT_EQ(target.AsStringView(), "secret");
  // The moved-from value no longer points at the buffer it handed over.
  EXPECT_EQ(source.data(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(source.size(), 0u);       // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(source.empty());        // NOLINT(bugprone-use-after-move)
}

TEST(SecretBytes, MoveAssignmentReplacesAndEmptiesSource) {
  SecretBytes target(ByteView(ToBytes("old value")));
  SecretBytes source(ByteView(ToBytes("new")));
  const std::uint8_t* new_buffer = source.data();

  target = std::move(source);

  EXPECT_EQ(target.data(), new_buffer);
  EXPECT_EQ(target.size(), 3u);
  EXPECT_EQ(target.AsStringView(), "new");
  EXPECT_EQ(source.data(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(source.size(), 0u);       // NOLINT(bugprone-use-after-move)
}

TEST(SecretBytes, SelfMoveAssignmentKeepsValue) {
  SecretBytes secret(ByteView(ToBytes("keep")));
  SecretBytes& alias = secret;
  secret = std::move(alias);
  EXPECT_EQ(secret.AsStringView(), "keep");
}

TEST(SecretBytes, MovedFromValueIsReusable) {
  SecretBytes source(ByteView(ToBytes("first")));
  SecretBytes target(std::move(source));

  source = SecretBytes(ByteView(ToBytes("second")));  // NOLINT(bugprone-use-after-move)

  EXPECT_EQ(source.AsStringView(), "second");
  EXPECT_EQ(target.AsStringView(), "first");
}

TEST(SecretBytes, ClearEmptiesValue) {
  SecretBytes secret(ByteView(ToBytes("to be wiped")));
  secret.Clear();
  EXPECT_TRUE(secret.empty());
  EXPECT_EQ(secret.data(), nullptr);
}

TEST(SecretBytes, CloneIsIndependentCopy) {
  SecretBytes original(ByteView(ToBytes("abc")));
  SecretBytes copy = original.Clone();

  ASSERT_NE(copy.data(), original.data());
  copy.data()[0] = 'x';

  EXPECT_EQ(original.AsStringView(), "abc");
  EXPECT_EQ(copy.AsStringView(), "xbc");
}

TEST(SecretBytes, ConstantTimeEqualsMatchesContent) {
  const SecretBytes secret(ByteView(ToBytes("0123456789abcdef")));
  EXPECT_TRUE(secret.ConstantTimeEquals(ToBytes("0123456789abcdef")));
  EXPECT_FALSE(secret.ConstantTimeEquals(ToBytes("0123456789abcdeF")));
  EXPECT_FALSE(secret.ConstantTimeEquals(ToBytes("X123456789abcdef")));
}

TEST(SecretBytes, ConstantTimeEqualsRejectsOtherSizes) {
  const SecretBytes secret(ByteView(ToBytes("abcd")));
  EXPECT_FALSE(secret.ConstantTimeEquals(ToBytes("abc")));
  EXPECT_FALSE(secret.ConstantTimeEquals(ToBytes("abcde")));
  EXPECT_FALSE(secret.ConstantTimeEquals(ByteView()));
}

TEST(ConstantTimeEquals, EmptyInputsAreEqual) {
  EXPECT_TRUE(ConstantTimeEquals(ByteView(), ByteView()));
  EXPECT_TRUE(SecretBytes().ConstantTimeEquals(ByteView()));
}

TEST(ConstantTimeEquals, DetectsEveryFlippedBit) {
  const Bytes reference = ToBytes("constant-time comparison");
  for (std::size_t bit = 0; bit < reference.size() * 8; ++bit) {
    Bytes changed = reference;
    changed[bit / 8] = static_cast<std::uint8_t>(changed[bit / 8] ^ (1u << (bit % 8)));
    EXPECT_FALSE(ConstantTimeEquals(reference, changed)) << "bit " << bit;
  }
  EXPECT_TRUE(ConstantTimeEquals(reference, Bytes(reference)));
}

}  // namespace
}  // namespace devtrust::crypto
