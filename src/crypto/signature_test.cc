#include "crypto/signature.h"

#include <gtest/gtest.h>

#include <string>

#include "base/encoding.h"
#include "crypto/test_util.h"

namespace devtrust::crypto {
namespace {

using testing::AlgorithmTestName;
using testing::Concat;
using testing::FlipBit;
using testing::PatternBytes;

constexpr std::string_view kMessage = "device registration request";

bool IsMlDsa(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kMlDsa65 || algorithm == KeyAlgorithm::kMlDsa87;
}

class SignatureTest : public ::testing::TestWithParam<KeyAlgorithm> {
 protected:
  void SetUp() override {
    Result<PrivateKey> key = PrivateKey::Generate(GetParam());
    ASSERT_TRUE(key.has_value()) << key.error().ToString();
    private_key_.emplace(*std::move(key));
    public_key_.emplace(private_key_->GetPublicKey());
  }

  // The context the algorithm supports: a FIPS 204 context for ML-DSA, none
  // for ECDSA.
  std::string_view Context() const { return IsMlDsa(GetParam()) ? "devtrust/register" : ""; }

  Bytes SignOrDie(ByteView message, SignOptions options = {}) const {
    if (options.context.empty()) {
      options.context = Context();
    }
    Result<Bytes> signature = Sign(*private_key_, message, options);
    EXPECT_TRUE(signature.has_value()) << signature.error().ToString();
    return signature.value_or(Bytes());
  }

  std::optional<PrivateKey> private_key_;
  std::optional<PublicKey> public_key_;
};

TEST_P(SignatureTest, SignThenVerify) {
  const Bytes signature = SignOrDie(AsBytes(kMessage));
  Status verified = Verify(*public_key_, AsBytes(kMessage), signature, Context());
  EXPECT_TRUE(verified.has_value()) << verified.error().ToString();
}

TEST_P(SignatureTest, SignatureSize) {
  const Bytes signature = SignOrDie(AsBytes(kMessage));
  if (IsMlDsa(GetParam())) {
    EXPECT_EQ(signature.size(), MaxSignatureSize(GetParam()));
  } else {
    EXPECT_LE(signature.size(), MaxSignatureSize(GetParam()));
  }
}

TEST_P(SignatureTest, EmptyMessage) {
  const Bytes signature = SignOrDie(ByteView());
  EXPECT_TRUE(Verify(*public_key_, ByteView(), signature, Context()).has_value());
  Status other = Verify(*public_key_, AsBytes("x"), signature, Context());
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().reason(), "signature_invalid");
}

TEST_P(SignatureTest, LargeMessage) {
  const Bytes message = PatternBytes(1 << 20);
  const Bytes signature = SignOrDie(message);
  EXPECT_TRUE(Verify(*public_key_, message, signature, Context()).has_value());
}

TEST_P(SignatureTest, RandomizedSignaturesDiffer) {
  EXPECT_NE(SignOrDie(AsBytes(kMessage)), SignOrDie(AsBytes(kMessage)));
}

TEST_P(SignatureTest, DeterministicSignaturesRepeat) {
  const Bytes first = SignOrDie(AsBytes(kMessage), {.context = {}, .deterministic = true});
  const Bytes second = SignOrDie(AsBytes(kMessage), {.context = {}, .deterministic = true});
  EXPECT_EQ(first, second);
  EXPECT_TRUE(Verify(*public_key_, AsBytes(kMessage), first, Context()).has_value());
}

TEST_P(SignatureTest, RejectsEveryFlippedSignatureByteSample) {
  const Bytes signature = SignOrDie(AsBytes(kMessage));
  // First, middle and last byte, and a few bits in between.
  for (std::size_t bit :
       {std::size_t{0}, std::size_t{7}, signature.size() * 4, signature.size() * 8 - 1}) {
    Status verified = Verify(*public_key_, AsBytes(kMessage), FlipBit(signature, bit), Context());
    ASSERT_FALSE(verified.has_value()) << "bit " << bit;
    EXPECT_EQ(verified.error().reason(), "signature_invalid") << "bit " << bit;
  }
}

TEST_P(SignatureTest, RejectsFlippedMessageBit) {
  const Bytes signature = SignOrDie(AsBytes(kMessage));
  const Bytes message = ToBytes(kMessage);
  for (std::size_t bit : {std::size_t{0}, message.size() * 8 - 1}) {
    Status verified = Verify(*public_key_, FlipBit(message, bit), signature, Context());
    ASSERT_FALSE(verified.has_value()) << "bit " << bit;
    EXPECT_EQ(verified.error().reason(), "signature_invalid");
  }
}

TEST_P(SignatureTest, RejectsTruncatedSignature) {
  const Bytes signature = SignOrDie(AsBytes(kMessage));
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, signature.size() - 1}) {
    Status verified =
        Verify(*public_key_, AsBytes(kMessage), ByteView(signature).first(size), Context());
    ASSERT_FALSE(verified.has_value()) << size << " bytes";
    EXPECT_EQ(verified.error().reason(), "signature_invalid") << size << " bytes";
  }
}

TEST_P(SignatureTest, RejectsExtendedSignature) {
  const Bytes signature = Concat(SignOrDie(AsBytes(kMessage)), Bytes{0x00});
  Status verified = Verify(*public_key_, AsBytes(kMessage), signature, Context());
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "signature_invalid");
}

TEST_P(SignatureTest, RejectsOtherKey) {
  const Bytes signature = SignOrDie(AsBytes(kMessage));
  Result<PrivateKey> other = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(other.has_value());
  Status verified = Verify(other->GetPublicKey(), AsBytes(kMessage), signature, Context());
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "signature_invalid");
}

TEST_P(SignatureTest, ErrorNamesAlgorithmWithoutBytes) {
  const Bytes signature = SignOrDie(AsBytes(kMessage));
  Status verified = Verify(*public_key_, AsBytes("other"), signature, Context());
  ASSERT_FALSE(verified.has_value());
  EXPECT_NE(verified.error().message().find(KeyAlgorithmName(GetParam())), std::string::npos);
  EXPECT_LT(verified.error().message().size(), 200u);
}

TEST_P(SignatureTest, RejectsContextLongerThan255Bytes) {
  const std::string context(256, 'c');
  Result<Bytes> signature = Sign(*private_key_, AsBytes(kMessage), {.context = context});
  ASSERT_FALSE(signature.has_value());
  EXPECT_EQ(signature.error().reason(), "context_too_long");

  Status verified = Verify(*public_key_, AsBytes(kMessage), Bytes(10), context);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "context_too_long");
}

INSTANTIATE_TEST_SUITE_P(AllSignatureAlgorithms, SignatureTest,
                         ::testing::ValuesIn(testing::kSignatureAlgorithms), AlgorithmTestName);

class MlDsaSignatureTest : public SignatureTest {};

TEST_P(MlDsaSignatureTest, RejectsWrongContext) {
  const Bytes signature = SignOrDie(AsBytes(kMessage), {.context = "devtrust/register"});
  const std::string_view wrong_contexts[] = {
      std::string_view(""), std::string_view("devtrust/login"),
      std::string_view("devtrust/register\0", 18), std::string_view("devtrust/registe")};
  for (std::string_view wrong : wrong_contexts) {
    Status verified = Verify(*public_key_, AsBytes(kMessage), signature, wrong);
    ASSERT_FALSE(verified.has_value()) << wrong;
    EXPECT_EQ(verified.error().reason(), "signature_invalid");
  }
}

TEST_P(MlDsaSignatureTest, AcceptsContextOf255Bytes) {
  const std::string context(255, 'c');
  const Bytes signature = SignOrDie(AsBytes(kMessage), {.context = context});
  EXPECT_TRUE(Verify(*public_key_, AsBytes(kMessage), signature, context).has_value());
}

TEST_P(MlDsaSignatureTest, EmptyContextSignsAndVerifies) {
  Result<Bytes> signature = Sign(*private_key_, AsBytes(kMessage));
  ASSERT_TRUE(signature.has_value());
  EXPECT_TRUE(Verify(*public_key_, AsBytes(kMessage), *signature).has_value());
}

TEST_P(MlDsaSignatureTest, DeterministicDependsOnContext) {
  const Bytes login = SignOrDie(AsBytes(kMessage), {.context = "login", .deterministic = true});
  const Bytes enroll = SignOrDie(AsBytes(kMessage), {.context = "enroll", .deterministic = true});
  EXPECT_NE(login, enroll);
}

TEST_P(MlDsaSignatureTest, RejectsSignatureOfOtherLevel) {
  const KeyAlgorithm other =
      GetParam() == KeyAlgorithm::kMlDsa65 ? KeyAlgorithm::kMlDsa87 : KeyAlgorithm::kMlDsa65;
  Result<PrivateKey> other_key = PrivateKey::Generate(other);
  ASSERT_TRUE(other_key.has_value());
  Result<Bytes> signature = Sign(*other_key, AsBytes(kMessage));
  ASSERT_TRUE(signature.has_value());
  Status verified = Verify(*public_key_, AsBytes(kMessage), *signature);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "signature_invalid");
}

INSTANTIATE_TEST_SUITE_P(MlDsa, MlDsaSignatureTest, ::testing::ValuesIn(testing::kMlDsaAlgorithms),
                         AlgorithmTestName);

TEST(EcdsaSignature, RejectsContext) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.has_value());
  Result<Bytes> signature = Sign(*key, AsBytes(kMessage), {.context = "devtrust/login"});
  ASSERT_FALSE(signature.has_value());
  EXPECT_EQ(signature.error().reason(), "context_not_supported");

  Result<Bytes> plain = Sign(*key, AsBytes(kMessage));
  ASSERT_TRUE(plain.has_value());
  Status verified = Verify(key->GetPublicKey(), AsBytes(kMessage), *plain, "devtrust/login");
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "context_not_supported");
}

TEST(EcdsaSignature, RejectsNonMinimalDerLength) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.has_value());
  Result<Bytes> signature = Sign(*key, AsBytes(kMessage));
  ASSERT_TRUE(signature.has_value());
  ASSERT_LT((*signature)[1], 0x80);
  // The same SEQUENCE with its length in the long form 0x81 <len>, which BER
  // allows and DER does not.
  Bytes long_form = {0x30, 0x81};
  long_form.insert(long_form.end(), signature->begin() + 1, signature->end());
  Status verified = Verify(key->GetPublicKey(), AsBytes(kMessage), long_form);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "signature_invalid");
}

TEST(EcdsaSignature, DeterministicMatchesRfc6979) {
  // RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample".
  Result<Bytes> scalar =
      HexDecode("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
  ASSERT_TRUE(scalar.has_value());
  Result<PrivateKey> key = PrivateKey::FromSeed(KeyAlgorithm::kEcdsaP256, *scalar);
  ASSERT_TRUE(key.has_value());
  Result<Bytes> signature = Sign(*key, AsBytes("sample"), {.context = {}, .deterministic = true});
  ASSERT_TRUE(signature.has_value());
  Result<Bytes> expected = HexDecode(
      "3046"
      "0221"
      "00efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
      "0221"
      "00f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(*signature, *expected);
}

class NonSigningKeyTest : public ::testing::TestWithParam<KeyAlgorithm> {};

TEST_P(NonSigningKeyTest, SignAndVerifyRejectKey) {
  Result<PrivateKey> key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.has_value());
  Result<Bytes> signature = Sign(*key, AsBytes(kMessage));
  ASSERT_FALSE(signature.has_value());
  EXPECT_EQ(signature.error().reason(), "unexpected_key_algorithm");

  Status verified = Verify(key->GetPublicKey(), AsBytes(kMessage), Bytes(64));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "unexpected_key_algorithm");
}

INSTANTIATE_TEST_SUITE_P(KemAndKeyAgreement, NonSigningKeyTest,
                         ::testing::ValuesIn(testing::kNonSigningAlgorithms), AlgorithmTestName);

}  // namespace
}  // namespace devtrust::crypto
