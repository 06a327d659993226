#include "service/verification_code.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace devtrust::service {
namespace {

crypto::SecretBytes Key() { return crypto::SecretBytes(AsBytes(std::string(32, 'k'))); }

TEST(VerificationCodeTest, HasRequestedDigits) {
  for (const int digits : {6, 7, 8}) {
    Result<crypto::SecretBytes> code = GenerateVerificationCode(digits);
    ASSERT_TRUE(code.has_value()) << digits;
    const std::string_view text = code->AsStringView();
    const bool all_digits =
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    EXPECT_EQ(text.size(), static_cast<std::size_t>(digits));
    EXPECT_TRUE(all_digits) << text;
  }
}

TEST(VerificationCodeTest, RejectsDigitsOutOfRange) {
  EXPECT_EQ(GenerateVerificationCode(5).error().reason(), "invalid_argument");
  EXPECT_EQ(GenerateVerificationCode(9).error().reason(), "invalid_argument");
}

// Leading zeros are kept, so every code has the same length. Among 2,000
// codes the chance that none starts with 0 is 0.9^2000, about 1e-92.
TEST(VerificationCodeTest, KeepsLeadingZeros) {
  bool leading_zero = false;
  for (int i = 0; i < 2000 && !leading_zero; ++i) {
    Result<crypto::SecretBytes> code = GenerateVerificationCode(6);
    ASSERT_TRUE(code.has_value());
    leading_zero = code->AsStringView().front() == '0';
  }
  EXPECT_TRUE(leading_zero);
}

// 200 draws from 10^6 codes repeat one with probability about 2%; 150
// distinct values or fewer would mean the generator is broken.
TEST(VerificationCodeTest, DrawsVary) {
  std::set<std::string> codes;
  for (int i = 0; i < 200; ++i) {
    Result<crypto::SecretBytes> code = GenerateVerificationCode(6);
    ASSERT_TRUE(code.has_value());
    codes.emplace(code->AsStringView());
  }
  EXPECT_GT(codes.size(), 150u);
}

TEST(VerificationCodeTest, HashMatchesOnlyTheSameCode) {
  Result<Bytes> hash = HashVerificationCode(Key(), "chl_1", AsBytes("123456"));
  ASSERT_TRUE(hash.has_value());

  EXPECT_EQ(hash->size(), 32u);
  EXPECT_TRUE(VerificationCodeMatches(Key(), "chl_1", AsBytes("123456"), *hash));
  EXPECT_FALSE(VerificationCodeMatches(Key(), "chl_1", AsBytes("123457"), *hash));
  EXPECT_FALSE(VerificationCodeMatches(Key(), "chl_1", AsBytes("12345"), *hash));
}

TEST(VerificationCodeTest, HashIsBoundToChallenge) {
  Result<Bytes> hash = HashVerificationCode(Key(), "chl_1", AsBytes("123456"));
  ASSERT_TRUE(hash.has_value());

  EXPECT_FALSE(VerificationCodeMatches(Key(), "chl_2", AsBytes("123456"), *hash));
}

TEST(VerificationCodeTest, HashIsBoundToKey) {
  Result<Bytes> hash = HashVerificationCode(Key(), "chl_1", AsBytes("123456"));
  ASSERT_TRUE(hash.has_value());

  EXPECT_FALSE(VerificationCodeMatches(crypto::SecretBytes(AsBytes(std::string(32, 'x'))), "chl_1",
                                       AsBytes("123456"), *hash));
}

// "chl_1" + "2345..." and "chl_12" + "345..." must not hash alike, which the
// separator between id and code guarantees.
TEST(VerificationCodeTest, SeparatorKeepsFieldsApart) {
  Result<Bytes> a = HashVerificationCode(Key(), "chl_1", AsBytes("234567"));
  Result<Bytes> b = HashVerificationCode(Key(), "chl_12", AsBytes("34567"));
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());

  EXPECT_NE(*a, *b);
}

TEST(VerificationCodeTest, TruncatedHashNeverMatches) {
  Result<Bytes> hash = HashVerificationCode(Key(), "chl_1", AsBytes("123456"));
  ASSERT_TRUE(hash.has_value());
  hash->pop_back();

  EXPECT_FALSE(VerificationCodeMatches(Key(), "chl_1", AsBytes("123456"), *hash));
}

}  // namespace
}  // namespace devtrust::service
