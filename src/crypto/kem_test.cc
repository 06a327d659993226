#include "crypto/kem.h"

#include <gtest/gtest.h>

#include "crypto/internal/kem_derandomized.h"
#include "crypto/test_util.h"

namespace devtrust::crypto {
namespace {

using testing::AlgorithmTestName;
using testing::Concat;
using testing::FlipBit;
using testing::PatternBytes;

class KemTest : public ::testing::TestWithParam<KeyAlgorithm> {
 protected:
  void SetUp() override {
    Result<PrivateKey> key = PrivateKey::Generate(GetParam());
    ASSERT_TRUE(key.has_value()) << key.error().ToString();
    private_key_.emplace(*std::move(key));
    public_key_.emplace(private_key_->GetPublicKey());
  }

  Encapsulation EncapsulateOrDie() const {
    Result<Encapsulation> encapsulation = Encapsulate(*public_key_);
    EXPECT_TRUE(encapsulation.has_value()) << encapsulation.error().ToString();
    return *std::move(encapsulation);
  }

  std::optional<PrivateKey> private_key_;
  std::optional<PublicKey> public_key_;
};

TEST_P(KemTest, DecapsulateRecoversSharedSecret) {
  const Encapsulation encapsulation = EncapsulateOrDie();
  Result<SecretBytes> secret = Decapsulate(*private_key_, encapsulation.ciphertext);
  ASSERT_TRUE(secret.has_value()) << secret.error().ToString();
  EXPECT_TRUE(secret->ConstantTimeEquals(encapsulation.shared_secret.view()));
}

TEST_P(KemTest, Sizes) {
  const Encapsulation encapsulation = EncapsulateOrDie();
  EXPECT_EQ(encapsulation.ciphertext.size(), KemCiphertextSize(GetParam()));
  EXPECT_EQ(encapsulation.shared_secret.size(), kKemSharedSecretSize);
}

TEST_P(KemTest, EncapsulationsDiffer) {
  const Encapsulation first = EncapsulateOrDie();
  const Encapsulation second = EncapsulateOrDie();
  EXPECT_NE(first.ciphertext, second.ciphertext);
  EXPECT_FALSE(first.shared_secret.ConstantTimeEquals(second.shared_secret.view()));
}

TEST_P(KemTest, TamperedCiphertextGivesDifferentSecret) {
  const Encapsulation encapsulation = EncapsulateOrDie();
  const std::size_t bits = encapsulation.ciphertext.size() * 8;
  for (std::size_t bit : {std::size_t{0}, bits / 2, bits - 1}) {
    Result<SecretBytes> secret = Decapsulate(*private_key_, FlipBit(encapsulation.ciphertext, bit));
    // FIPS 203 implicit rejection: still a secret of the right size, but not
    // the encapsulated one.
    ASSERT_TRUE(secret.has_value()) << "bit " << bit;
    EXPECT_EQ(secret->size(), kKemSharedSecretSize);
    EXPECT_FALSE(secret->ConstantTimeEquals(encapsulation.shared_secret.view())) << "bit " << bit;
  }
}

TEST_P(KemTest, ImplicitRejectionIsDeterministic) {
  const Encapsulation encapsulation = EncapsulateOrDie();
  const Bytes tampered = FlipBit(encapsulation.ciphertext, 5);
  Result<SecretBytes> first = Decapsulate(*private_key_, tampered);
  Result<SecretBytes> second = Decapsulate(*private_key_, tampered);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(first->ConstantTimeEquals(second->view()));
}

TEST_P(KemTest, ImplicitRejectionDependsOnZ) {
  // Two keys that share d (so the same public key) but differ in z decapsulate
  // a rejected ciphertext to different values: FIPS 203 algorithm 18 derives
  // the rejection secret from z.
  Bytes seed = PatternBytes(64, 3);
  Result<PrivateKey> first = PrivateKey::FromSeed(GetParam(), seed);
  seed[40] ^= 0x01;
  Result<PrivateKey> second = PrivateKey::FromSeed(GetParam(), seed);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  ASSERT_EQ(first->GetPublicKey().ToRaw(), second->GetPublicKey().ToRaw());

  Result<Encapsulation> encapsulation = Encapsulate(first->GetPublicKey());
  ASSERT_TRUE(encapsulation.has_value());
  Result<SecretBytes> valid_first = Decapsulate(*first, encapsulation->ciphertext);
  Result<SecretBytes> valid_second = Decapsulate(*second, encapsulation->ciphertext);
  ASSERT_TRUE(valid_first.has_value());
  ASSERT_TRUE(valid_second.has_value());
  EXPECT_TRUE(valid_first->ConstantTimeEquals(valid_second->view()));

  const Bytes tampered = FlipBit(encapsulation->ciphertext, 100);
  Result<SecretBytes> rejected_first = Decapsulate(*first, tampered);
  Result<SecretBytes> rejected_second = Decapsulate(*second, tampered);
  ASSERT_TRUE(rejected_first.has_value());
  ASSERT_TRUE(rejected_second.has_value());
  EXPECT_FALSE(rejected_first->ConstantTimeEquals(rejected_second->view()));
}

TEST_P(KemTest, OtherKeyGivesDifferentSecret) {
  const Encapsulation encapsulation = EncapsulateOrDie();
  Result<PrivateKey> other = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(other.has_value());
  Result<SecretBytes> secret = Decapsulate(*other, encapsulation.ciphertext);
  ASSERT_TRUE(secret.has_value());
  EXPECT_FALSE(secret->ConstantTimeEquals(encapsulation.shared_secret.view()));
}

TEST_P(KemTest, RejectsWrongCiphertextSizes) {
  const Encapsulation encapsulation = EncapsulateOrDie();
  const ByteView ciphertext = encapsulation.ciphertext;
  const std::vector<Bytes> wrong = {
      Bytes(),
      Bytes(ciphertext.begin(), ciphertext.end() - 1),
      Concat(ciphertext, Bytes{0}),
  };
  for (const Bytes& candidate : wrong) {
    Result<SecretBytes> secret = Decapsulate(*private_key_, candidate);
    ASSERT_FALSE(secret.has_value()) << candidate.size() << " bytes";
    EXPECT_EQ(secret.error().reason(), "invalid_ciphertext");
    EXPECT_EQ(secret.error().code(), StatusCode::kInvalidArgument);
  }
}

TEST_P(KemTest, CiphertextOfOtherLevelIsRejected) {
  const KeyAlgorithm other =
      GetParam() == KeyAlgorithm::kMlKem768 ? KeyAlgorithm::kMlKem1024 : KeyAlgorithm::kMlKem768;
  Result<PrivateKey> other_key = PrivateKey::Generate(other);
  ASSERT_TRUE(other_key.has_value());
  Result<Encapsulation> encapsulation = Encapsulate(other_key->GetPublicKey());
  ASSERT_TRUE(encapsulation.has_value());
  Result<SecretBytes> secret = Decapsulate(*private_key_, encapsulation->ciphertext);
  ASSERT_FALSE(secret.has_value());
  EXPECT_EQ(secret.error().reason(), "invalid_ciphertext");
}

TEST_P(KemTest, DerandomizedEncapsulationIsDeterministic) {
  const Bytes message = PatternBytes(32, 9);
  Result<Encapsulation> first = internal::EncapsulateWithMessage(*public_key_, message);
  Result<Encapsulation> second = internal::EncapsulateWithMessage(*public_key_, message);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->ciphertext, second->ciphertext);
  EXPECT_TRUE(first->shared_secret.ConstantTimeEquals(second->shared_secret.view()));

  Result<SecretBytes> secret = Decapsulate(*private_key_, first->ciphertext);
  ASSERT_TRUE(secret.has_value());
  EXPECT_TRUE(secret->ConstantTimeEquals(first->shared_secret.view()));
}

TEST_P(KemTest, DerandomizedEncapsulationRejectsWrongMessageSize) {
  Result<Encapsulation> encapsulation =
      internal::EncapsulateWithMessage(*public_key_, PatternBytes(31));
  ASSERT_FALSE(encapsulation.has_value());
  EXPECT_EQ(encapsulation.error().reason(), "invalid_argument");
}

INSTANTIATE_TEST_SUITE_P(MlKem, KemTest, ::testing::ValuesIn(testing::kMlKemAlgorithms),
                         AlgorithmTestName);

class NonKemKeyTest : public ::testing::TestWithParam<KeyAlgorithm> {};

TEST_P(NonKemKeyTest, EncapsulateAndDecapsulateRejectKey) {
  Result<PrivateKey> key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.has_value());
  Result<Encapsulation> encapsulation = Encapsulate(key->GetPublicKey());
  ASSERT_FALSE(encapsulation.has_value());
  EXPECT_EQ(encapsulation.error().reason(), "unexpected_key_algorithm");

  Result<SecretBytes> secret = Decapsulate(*key, Bytes(1088));
  ASSERT_FALSE(secret.has_value());
  EXPECT_EQ(secret.error().reason(), "unexpected_key_algorithm");
}

INSTANTIATE_TEST_SUITE_P(SignatureAndKeyAgreement, NonKemKeyTest,
                         ::testing::Values(KeyAlgorithm::kMlDsa65, KeyAlgorithm::kMlDsa87,
                                           KeyAlgorithm::kEcdsaP256, KeyAlgorithm::kX25519),
                         AlgorithmTestName);

}  // namespace
}  // namespace devtrust::crypto
