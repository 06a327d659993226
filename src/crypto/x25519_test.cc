#include "crypto/x25519.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "crypto/test_util.h"

namespace devtrust::crypto {
namespace {

Bytes HexOrDie(std::string_view hex) {
  Result<Bytes> bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.has_value());
  return bytes.value_or(Bytes());
}

TEST(X25519, MatchesRfc7748Vector) {
  // RFC 7748 section 6.1.
  Result<PrivateKey> alice = PrivateKey::FromSeed(
      KeyAlgorithm::kX25519,
      HexOrDie("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  Result<PrivateKey> bob = PrivateKey::FromSeed(
      KeyAlgorithm::kX25519,
      HexOrDie("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  ASSERT_TRUE(alice.has_value());
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->GetPublicKey().ToRaw(),
            HexOrDie("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));

  const Bytes expected =
      HexOrDie("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  Result<SecretBytes> alice_secret = ComputeX25519SharedSecret(*alice, bob->GetPublicKey());
  Result<SecretBytes> bob_secret = ComputeX25519SharedSecret(*bob, alice->GetPublicKey());
  ASSERT_TRUE(alice_secret.has_value()) << alice_secret.error().ToString();
  ASSERT_TRUE(bob_secret.has_value()) << bob_secret.error().ToString();
  EXPECT_TRUE(alice_secret->ConstantTimeEquals(expected));
  EXPECT_TRUE(bob_secret->ConstantTimeEquals(expected));
}

TEST(X25519, GeneratedKeysAgree) {
  Result<PrivateKey> a = PrivateKey::Generate(KeyAlgorithm::kX25519);
  Result<PrivateKey> b = PrivateKey::Generate(KeyAlgorithm::kX25519);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  Result<SecretBytes> ab = ComputeX25519SharedSecret(*a, b->GetPublicKey());
  Result<SecretBytes> ba = ComputeX25519SharedSecret(*b, a->GetPublicKey());
  ASSERT_TRUE(ab.has_value());
  ASSERT_TRUE(ba.has_value());
  EXPECT_EQ(ab->size(), kX25519SharedSecretSize);
  EXPECT_TRUE(ab->ConstantTimeEquals(ba->view()));
}

TEST(X25519, RejectsSmallOrderPeerKeys) {
  Result<PrivateKey> own = PrivateKey::Generate(KeyAlgorithm::kX25519);
  ASSERT_TRUE(own.has_value());
  // u = 0, u = 1 and a point of order 8: X25519 with any scalar gives zero.
  const Bytes small_order[] = {
      Bytes(32, 0),
      HexOrDie("0100000000000000000000000000000000000000000000000000000000000000"),
      HexOrDie("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
  };
  for (const Bytes& u : small_order) {
    Result<PublicKey> peer = PublicKey::FromRaw(KeyAlgorithm::kX25519, u);
    ASSERT_TRUE(peer.has_value()) << "any 32 bytes are a u-coordinate";
    Result<SecretBytes> secret = ComputeX25519SharedSecret(*own, *peer);
    ASSERT_FALSE(secret.has_value()) << HexEncode(u);
    EXPECT_EQ(secret.error().reason(), "key_agreement_failed");
  }
}

TEST(X25519, RejectsOtherKeyTypes) {
  Result<PrivateKey> x25519 = PrivateKey::Generate(KeyAlgorithm::kX25519);
  Result<PrivateKey> p256 = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(x25519.has_value());
  ASSERT_TRUE(p256.has_value());

  Result<SecretBytes> wrong_own = ComputeX25519SharedSecret(*p256, x25519->GetPublicKey());
  ASSERT_FALSE(wrong_own.has_value());
  EXPECT_EQ(wrong_own.error().reason(), "unexpected_key_algorithm");

  Result<SecretBytes> wrong_peer = ComputeX25519SharedSecret(*x25519, p256->GetPublicKey());
  ASSERT_FALSE(wrong_peer.has_value());
  EXPECT_EQ(wrong_peer.error().reason(), "unexpected_key_algorithm");
}

}  // namespace
}  // namespace devtrust::crypto
