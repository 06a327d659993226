#include "base/encoding.h"

#include <gtest/gtest.h>

namespace devtrust {
namespace {

// RFC 4648 section 10 test vectors.
struct Vector {
  std::string_view plain;
  std::string_view base64;
};
constexpr Vector kRfc4648Vectors[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64, EncodesRfc4648Vectors) {
  for (const Vector& vector : kRfc4648Vectors) {
    EXPECT_EQ(Base64Encode(AsBytes(vector.plain)), vector.base64);
  }
}

TEST(Base64, DecodesRfc4648Vectors) {
  for (const Vector& vector : kRfc4648Vectors) {
    const Result<Bytes> decoded = Base64Decode(vector.base64, 64);
    ASSERT_TRUE(decoded.has_value()) << vector.base64;
    EXPECT_EQ(AsString(*decoded), vector.plain);
  }
}

TEST(Base64, RejectsMalformedText) {
  for (std::string_view bad : {"Zg", "Zg=", "Z===", "Zh==", "Zm9v!", "Zm 9v", "Zm9v===="}) {
    const Result<Bytes> decoded = Base64Decode(bad, 64);
    ASSERT_FALSE(decoded.has_value()) << bad;
    EXPECT_EQ(decoded.error().reason(), "invalid_base64");
  }
}

TEST(Base64Url, RoundTripsEveryLength) {
  Bytes bytes;
  for (int length = 0; length < 70; ++length) {
    const std::string text = Base64UrlEncode(bytes);
    EXPECT_EQ(text.find('='), std::string::npos);
    const Result<Bytes> decoded = Base64UrlDecode(text, 128);
    ASSERT_TRUE(decoded.has_value()) << text;
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<std::uint8_t>(length * 37 + 250));
  }
}

TEST(Base64Url, RejectsPaddingAndStandardAlphabet) {
  EXPECT_FALSE(Base64UrlDecode("Zg==", 64).has_value());
  EXPECT_FALSE(Base64UrlDecode("ab+/", 64).has_value());
  EXPECT_TRUE(Base64UrlDecode("ab-_", 64).has_value());
}

TEST(Base64Url, EnforcesDecodedSizeLimit) {
  const std::string text = Base64UrlEncode(Bytes(33, 7));
  EXPECT_TRUE(Base64UrlDecode(text, 33).has_value());
  const Result<Bytes> decoded = Base64UrlDecode(text, 32);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().reason(), "invalid_base64");
}

TEST(Hex, RoundTripsAndRejectsBadDigits) {
  const Bytes bytes = {0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(HexEncode(bytes), "007f80ff");
  EXPECT_EQ(*HexDecode("007F80ff"), bytes);
  EXPECT_FALSE(HexDecode("0").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
}

}  // namespace
}  // namespace devtrust
