#include "crypto/hkdf.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "crypto/test_util.h"

namespace devtrust::crypto {
namespace {

using testing::PatternBytes;

Bytes HexOrDie(std::string_view hex) {
  Result<Bytes> bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.has_value());
  return bytes.value_or(Bytes());
}

struct HkdfVector {
  std::string name;
  Bytes ikm;
  Bytes salt;
  Bytes info;
  std::string okm_hex;
};

// RFC 5869 appendix A, the three SHA-256 test cases.
std::vector<HkdfVector> Rfc5869Vectors() {
  return {
      {"A1Basic", Bytes(22, 0x0b), PatternBytes(13, 0x00), PatternBytes(10, 0xf0),
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
      {"A2LongInputs", PatternBytes(80, 0x00), PatternBytes(80, 0x60), PatternBytes(80, 0xb0),
       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
       "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
       "cc30c58179ec3e87c14c01d5c1f3434f1d87"},
      {"A3EmptySaltAndInfo", Bytes(22, 0x0b), Bytes(), Bytes(),
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
  };
}

class HkdfVectorTest : public ::testing::TestWithParam<HkdfVector> {};

TEST_P(HkdfVectorTest, MatchesRfc5869) {
  const HkdfVector& vector = GetParam();
  const Bytes expected = HexOrDie(vector.okm_hex);
  Result<SecretBytes> okm = HkdfSha256(vector.ikm, vector.salt, vector.info, expected.size());
  ASSERT_TRUE(okm.has_value()) << okm.error().ToString();
  EXPECT_EQ(HexEncode(okm->view()), vector.okm_hex);
}

INSTANTIATE_TEST_SUITE_P(Rfc5869, HkdfVectorTest, ::testing::ValuesIn(Rfc5869Vectors()),
                         [](const ::testing::TestParamInfo<HkdfVector>& param_info) {
                           return param_info.param.name;
                         });

TEST(HkdfSha256, EmptySaltEqualsZeroSalt) {
  // RFC 5869 section 2.2: a missing salt is HashLen zero bytes.
  Result<SecretBytes> empty = HkdfSha256(Bytes(22, 0x0b), Bytes(), AsBytes("info"), 32);
  Result<SecretBytes> zeros = HkdfSha256(Bytes(22, 0x0b), Bytes(32, 0), AsBytes("info"), 32);
  ASSERT_TRUE(empty.has_value());
  ASSERT_TRUE(zeros.has_value());
  EXPECT_TRUE(empty->ConstantTimeEquals(zeros->view()));
}

TEST(HkdfSha256, InfoSeparatesOutputs) {
  Result<SecretBytes> a = HkdfSha256(Bytes(32, 1), Bytes(), AsBytes("a"), 32);
  Result<SecretBytes> b = HkdfSha256(Bytes(32, 1), Bytes(), AsBytes("b"), 32);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_FALSE(a->ConstantTimeEquals(b->view()));
}

TEST(HkdfSha256, AcceptsMaximumLength) {
  Result<SecretBytes> okm = HkdfSha256(Bytes(32, 1), Bytes(), Bytes(), kHkdfSha256MaxOutputSize);
  ASSERT_TRUE(okm.has_value()) << okm.error().ToString();
  EXPECT_EQ(okm->size(), kHkdfSha256MaxOutputSize);
}

TEST(HkdfSha256, AcceptsLongInfo) {
  Result<SecretBytes> okm = HkdfSha256(Bytes(32, 1), Bytes(), PatternBytes(4096), 32);
  ASSERT_TRUE(okm.has_value()) << okm.error().ToString();
}

TEST(HkdfSha256, RejectsZeroLength) {
  Result<SecretBytes> okm = HkdfSha256(Bytes(32, 1), Bytes(), Bytes(), 0);
  ASSERT_FALSE(okm.has_value());
  EXPECT_EQ(okm.error().reason(), "invalid_argument");
}

TEST(HkdfSha256, RejectsLengthAboveMaximum) {
  Result<SecretBytes> okm =
      HkdfSha256(Bytes(32, 1), Bytes(), Bytes(), kHkdfSha256MaxOutputSize + 1);
  ASSERT_FALSE(okm.has_value());
  EXPECT_EQ(okm.error().reason(), "invalid_argument");
}

}  // namespace
}  // namespace devtrust::crypto
