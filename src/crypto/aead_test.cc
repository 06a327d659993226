#include "crypto/aead.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "crypto/test_util.h"

namespace devtrust::crypto {
namespace {

using testing::FlipBit;
using testing::PatternBytes;

constexpr std::string_view kPlaintext = "session payload";
constexpr std::string_view kAad = "device-42/session-7";

Aes256Gcm NewAead(std::uint8_t fill = 0x11) {
  Result<Aes256Gcm> aead = Aes256Gcm::Create(SecretBytes(ByteView(Bytes(32, fill))));
  EXPECT_TRUE(aead.has_value());
  return *std::move(aead);
}

void ExpectGenericFailure(const Result<Bytes>& opened, const std::string& what) {
  ASSERT_FALSE(opened.has_value()) << what;
  EXPECT_EQ(opened.error().reason(), "decryption_failed") << what;
  EXPECT_EQ(opened.error().code(), StatusCode::kInvalidArgument) << what;
}

TEST(Aes256Gcm, SealThenOpen) {
  const Aes256Gcm aead = NewAead();
  Result<Bytes> sealed = aead.Seal(AsBytes(kPlaintext), AsBytes(kAad));
  ASSERT_TRUE(sealed.has_value()) << sealed.error().ToString();
  EXPECT_EQ(sealed->size(), kPlaintext.size() + Aes256Gcm::kOverhead);

  Result<Bytes> opened = aead.Open(*sealed, AsBytes(kAad));
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  EXPECT_EQ(AsString(*opened), kPlaintext);
}

TEST(Aes256Gcm, EmptyPlaintextAndAad) {
  const Aes256Gcm aead = NewAead();
  Result<Bytes> sealed = aead.Seal(ByteView(), ByteView());
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(sealed->size(), Aes256Gcm::kOverhead);
  Result<Bytes> opened = aead.Open(*sealed, ByteView());
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(opened->empty());
}

TEST(Aes256Gcm, LargePlaintext) {
  const Aes256Gcm aead = NewAead();
  const Bytes plaintext = PatternBytes(1 << 20);
  Result<Bytes> sealed = aead.Seal(plaintext, AsBytes(kAad));
  ASSERT_TRUE(sealed.has_value());
  Result<Bytes> opened = aead.Open(*sealed, AsBytes(kAad));
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, plaintext);
}

TEST(Aes256Gcm, NoncesDiffer) {
  const Aes256Gcm aead = NewAead();
  Result<Bytes> first = aead.Seal(AsBytes(kPlaintext), AsBytes(kAad));
  Result<Bytes> second = aead.Seal(AsBytes(kPlaintext), AsBytes(kAad));
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(Bytes(first->begin(), first->begin() + Aes256Gcm::kNonceSize),
            Bytes(second->begin(), second->begin() + Aes256Gcm::kNonceSize));
  EXPECT_NE(*first, *second);
}

TEST(Aes256Gcm, RejectsFlippedBitAnywhere) {
  const Aes256Gcm aead = NewAead();
  Result<Bytes> sealed = aead.Seal(AsBytes(kPlaintext), AsBytes(kAad));
  ASSERT_TRUE(sealed.has_value());
  const std::size_t ciphertext_start = Aes256Gcm::kNonceSize;
  const std::size_t tag_start = sealed->size() - Aes256Gcm::kTagSize;
  const std::pair<std::string, std::size_t> positions[] = {
      {"nonce", 0},
      {"ciphertext first bit", ciphertext_start * 8},
      {"ciphertext last bit", tag_start * 8 - 1},
      {"tag first bit", tag_start * 8},
      {"tag last bit", sealed->size() * 8 - 1},
  };
  for (const auto& [what, bit] : positions) {
    ExpectGenericFailure(aead.Open(FlipBit(*sealed, bit), AsBytes(kAad)), what);
  }
}

TEST(Aes256Gcm, RejectsChangedAad) {
  const Aes256Gcm aead = NewAead();
  Result<Bytes> sealed = aead.Seal(AsBytes(kPlaintext), AsBytes(kAad));
  ASSERT_TRUE(sealed.has_value());
  ExpectGenericFailure(aead.Open(*sealed, FlipBit(AsBytes(kAad), 3)), "flipped AAD bit");
  ExpectGenericFailure(aead.Open(*sealed, ByteView()), "missing AAD");
  ExpectGenericFailure(aead.Open(*sealed, AsBytes(std::string(kAad) + "x")), "longer AAD");
}

TEST(Aes256Gcm, RejectsTruncation) {
  const Aes256Gcm aead = NewAead();
  Result<Bytes> sealed = aead.Seal(AsBytes(kPlaintext), AsBytes(kAad));
  ASSERT_TRUE(sealed.has_value());
  for (std::size_t size : {std::size_t{0}, Aes256Gcm::kNonceSize, Aes256Gcm::kOverhead - 1,
                           Aes256Gcm::kOverhead, sealed->size() - 1}) {
    ExpectGenericFailure(aead.Open(ByteView(*sealed).first(size), AsBytes(kAad)),
                         std::to_string(size) + " bytes");
  }
}

TEST(Aes256Gcm, RejectsWrongKey) {
  Result<Bytes> sealed = NewAead(0x11).Seal(AsBytes(kPlaintext), AsBytes(kAad));
  ASSERT_TRUE(sealed.has_value());
  ExpectGenericFailure(NewAead(0x12).Open(*sealed, AsBytes(kAad)), "other key");
}

TEST(Aes256Gcm, FailureMessagesAreIdentical) {
  const Aes256Gcm aead = NewAead();
  Result<Bytes> sealed = aead.Seal(AsBytes(kPlaintext), AsBytes(kAad));
  ASSERT_TRUE(sealed.has_value());
  Result<Bytes> bad_tag = aead.Open(FlipBit(*sealed, sealed->size() * 8 - 1), AsBytes(kAad));
  Result<Bytes> bad_aad = aead.Open(*sealed, AsBytes("other"));
  Result<Bytes> truncated = aead.Open(ByteView(*sealed).first(5), AsBytes(kAad));
  ASSERT_FALSE(bad_tag.has_value());
  ASSERT_FALSE(bad_aad.has_value());
  ASSERT_FALSE(truncated.has_value());
  EXPECT_EQ(bad_tag.error().message(), bad_aad.error().message());
  EXPECT_EQ(bad_tag.error().message(), truncated.error().message());
}

TEST(Aes256Gcm, OpensGcmSpecificationTestCase14) {
  // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 14:
  // K = 0^256, IV = 0^96, P = 0^128, no AAD.
  Result<Aes256Gcm> aead = Aes256Gcm::Create(SecretBytes(Aes256Gcm::kKeySize));
  ASSERT_TRUE(aead.has_value());
  Result<Bytes> sealed = HexDecode(
      "000000000000000000000000"
      "cea7403d4d606b6e074ec5d3baf39d18"
      "d0d1c8a799996bf0265b98b5d48ab919");
  ASSERT_TRUE(sealed.has_value());
  Result<Bytes> opened = aead->Open(*sealed, ByteView());
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  EXPECT_EQ(*opened, Bytes(16, 0));
}

TEST(Aes256Gcm, CreateRejectsWrongKeySizes) {
  for (std::size_t size : {std::size_t{0}, std::size_t{16}, std::size_t{31}, std::size_t{33}}) {
    Result<Aes256Gcm> aead = Aes256Gcm::Create(SecretBytes(size));
    ASSERT_FALSE(aead.has_value()) << size;
    EXPECT_EQ(aead.error().reason(), "invalid_key");
  }
}

}  // namespace
}  // namespace devtrust::crypto
