#include "crypto/hash.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "crypto/hmac.h"

namespace devtrust::crypto {
namespace {

constexpr std::string_view kTwoBlockMessage =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

TEST(Sha256, MatchesFips180Examples) {
  // NIST's SHA-256 examples for "abc", the empty string and a two-block message.
  EXPECT_EQ(HexEncode(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256(ByteView())),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256(AsBytes(kTwoBlockMessage))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha3_256, MatchesFips202Examples) {
  // NIST's SHA3-256 examples for the empty string and "abc".
  EXPECT_EQ(HexEncode(Sha3_256(ByteView())),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  EXPECT_EQ(HexEncode(Sha3_256(AsBytes("abc"))),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
}

TEST(Sha256, DiffersFromSha3) { EXPECT_NE(Sha256(AsBytes("abc")), Sha3_256(AsBytes("abc"))); }

TEST(HmacSha256, MatchesRfc4231TestCase1) {
  // RFC 4231 section 4.2: key 0x0b * 20, data "Hi There".
  Result<Bytes> tag = HmacSha256(Bytes(20, 0x0b), AsBytes("Hi There"));
  ASSERT_TRUE(tag.has_value());
  EXPECT_EQ(HexEncode(*tag), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?".
  Result<Bytes> tag = HmacSha256(AsBytes("Jefe"), AsBytes("what do ya want for nothing?"));
  ASSERT_TRUE(tag.has_value());
  EXPECT_EQ(HexEncode(*tag), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, RejectsEmptyKey) {
  Result<Bytes> tag = HmacSha256(ByteView(), AsBytes("data"));
  ASSERT_FALSE(tag.has_value());
  EXPECT_EQ(tag.error().reason(), "invalid_key");
}

TEST(HmacSha256, VerifyAcceptsMatchingTag) {
  const Bytes key(32, 0x42);
  Result<Bytes> tag = HmacSha256(key, AsBytes("message"));
  ASSERT_TRUE(tag.has_value());
  EXPECT_TRUE(VerifyHmacSha256(key, AsBytes("message"), *tag).has_value());
}

TEST(HmacSha256, VerifyRejectsTampering) {
  const Bytes key(32, 0x42);
  Result<Bytes> tag = HmacSha256(key, AsBytes("message"));
  ASSERT_TRUE(tag.has_value());

  Bytes flipped_tag = *tag;
  flipped_tag[31] ^= 0x01;
  Status wrong_tag = VerifyHmacSha256(key, AsBytes("message"), flipped_tag);
  ASSERT_FALSE(wrong_tag.has_value());
  EXPECT_EQ(wrong_tag.error().reason(), "mac_invalid");

  Status wrong_data = VerifyHmacSha256(key, AsBytes("messagE"), *tag);
  ASSERT_FALSE(wrong_data.has_value());
  EXPECT_EQ(wrong_data.error().reason(), "mac_invalid");

  Status truncated = VerifyHmacSha256(key, AsBytes("message"), ByteView(*tag).first(16));
  ASSERT_FALSE(truncated.has_value());
  EXPECT_EQ(truncated.error().reason(), "mac_invalid");

  Status wrong_key = VerifyHmacSha256(Bytes(32, 0x43), AsBytes("message"), *tag);
  ASSERT_FALSE(wrong_key.has_value());
  EXPECT_EQ(wrong_key.error().reason(), "mac_invalid");
}

}  // namespace
}  // namespace devtrust::crypto
