#include "crypto/session_key.h"

#include <gtest/gtest.h>

#include "crypto/internal/session_key_schedule.h"
#include "crypto/kem.h"
#include "crypto/test_util.h"

namespace devtrust::crypto {
namespace {

using testing::FlipBit;
using testing::PatternBytes;

constexpr std::string_view kLabel = "login/device-42/nonce-7";

class SessionKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<PrivateKey> ml_kem = PrivateKey::Generate(KeyAlgorithm::kMlKem768);
    Result<PrivateKey> x25519 = PrivateKey::Generate(KeyAlgorithm::kX25519);
    ASSERT_TRUE(ml_kem.has_value());
    ASSERT_TRUE(x25519.has_value());
    device_ml_kem_.emplace(*std::move(ml_kem));
    device_x25519_.emplace(*std::move(x25519));
  }

  ServerSession Hybrid(std::string_view label = kLabel) const {
    Result<ServerSession> session = EstablishHybridSession(device_ml_kem_->GetPublicKey(),
                                                           device_x25519_->GetPublicKey(), label);
    EXPECT_TRUE(session.has_value()) << session.error().ToString();
    return *std::move(session);
  }

  ServerSession Classical(std::string_view label = kLabel) const {
    Result<ServerSession> session =
        EstablishClassicalSession(device_x25519_->GetPublicKey(), label);
    EXPECT_TRUE(session.has_value()) << session.error().ToString();
    return *std::move(session);
  }

  Result<SecretBytes> AcceptHybrid(const SessionOffer& offer,
                                   std::string_view label = kLabel) const {
    return AcceptHybridSession(*device_ml_kem_, *device_x25519_, offer, label);
  }

  Result<SecretBytes> AcceptClassical(const SessionOffer& offer,
                                      std::string_view label = kLabel) const {
    return AcceptClassicalSession(*device_x25519_, offer, label);
  }

  std::optional<PrivateKey> device_ml_kem_;
  std::optional<PrivateKey> device_x25519_;
};

TEST_F(SessionKeyTest, HybridSidesAgree) {
  const ServerSession server = Hybrid();
  EXPECT_EQ(server.offer.mode, SessionMode::kHybrid);
  EXPECT_EQ(server.offer.kem_ciphertext.size(), KemCiphertextSize(KeyAlgorithm::kMlKem768));
  EXPECT_EQ(server.offer.ephemeral_public_key.size(), 32u);
  EXPECT_EQ(server.key.size(), kSessionKeySize);

  Result<SecretBytes> device = AcceptHybrid(server.offer);
  ASSERT_TRUE(device.has_value()) << device.error().ToString();
  EXPECT_TRUE(device->ConstantTimeEquals(server.key.view()));
}

TEST_F(SessionKeyTest, ClassicalSidesAgree) {
  const ServerSession server = Classical();
  EXPECT_EQ(server.offer.mode, SessionMode::kClassical);
  EXPECT_TRUE(server.offer.kem_ciphertext.empty());
  EXPECT_EQ(server.key.size(), kSessionKeySize);

  Result<SecretBytes> device = AcceptClassical(server.offer);
  ASSERT_TRUE(device.has_value()) << device.error().ToString();
  EXPECT_TRUE(device->ConstantTimeEquals(server.key.view()));
}

TEST_F(SessionKeyTest, EverySessionHasFreshKey) {
  EXPECT_FALSE(Hybrid().key.ConstantTimeEquals(Hybrid().key.view()));
  EXPECT_FALSE(Classical().key.ConstantTimeEquals(Classical().key.view()));
}

TEST_F(SessionKeyTest, TamperedCiphertextChangesKey) {
  ServerSession server = Hybrid();
  for (std::size_t bit : {std::size_t{0}, std::size_t{4000}, std::size_t{1088 * 8 - 1}}) {
    SessionOffer offer = server.offer;
    offer.kem_ciphertext = FlipBit(server.offer.kem_ciphertext, bit);
    Result<SecretBytes> device = AcceptHybrid(offer);
    ASSERT_TRUE(device.has_value()) << "bit " << bit;
    EXPECT_FALSE(device->ConstantTimeEquals(server.key.view())) << "bit " << bit;
  }
}

TEST_F(SessionKeyTest, TamperedEphemeralKeyChangesKey) {
  const ServerSession hybrid = Hybrid();
  const ServerSession classical = Classical();
  for (std::size_t bit : {std::size_t{3}, std::size_t{128}, std::size_t{254}}) {
    SessionOffer hybrid_offer = hybrid.offer;
    hybrid_offer.ephemeral_public_key = FlipBit(hybrid.offer.ephemeral_public_key, bit);
    Result<SecretBytes> hybrid_device = AcceptHybrid(hybrid_offer);
    ASSERT_TRUE(hybrid_device.has_value()) << "bit " << bit;
    EXPECT_FALSE(hybrid_device->ConstantTimeEquals(hybrid.key.view())) << "bit " << bit;

    SessionOffer classical_offer = classical.offer;
    classical_offer.ephemeral_public_key = FlipBit(classical.offer.ephemeral_public_key, bit);
    Result<SecretBytes> classical_device = AcceptClassical(classical_offer);
    ASSERT_TRUE(classical_device.has_value()) << "bit " << bit;
    EXPECT_FALSE(classical_device->ConstantTimeEquals(classical.key.view())) << "bit " << bit;
  }
}

TEST_F(SessionKeyTest, SmallOrderEphemeralKeyFails) {
  SessionOffer offer = Hybrid().offer;
  offer.ephemeral_public_key = Bytes(32, 0);
  Result<SecretBytes> device = AcceptHybrid(offer);
  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().reason(), "key_agreement_failed");
}

TEST_F(SessionKeyTest, OtherLabelChangesKey) {
  const ServerSession hybrid = Hybrid();
  Result<SecretBytes> hybrid_device = AcceptHybrid(hybrid.offer, "login/device-42/nonce-8");
  ASSERT_TRUE(hybrid_device.has_value());
  EXPECT_FALSE(hybrid_device->ConstantTimeEquals(hybrid.key.view()));

  const ServerSession classical = Classical();
  Result<SecretBytes> classical_device =
      AcceptClassical(classical.offer, "login/device-42/nonce-8");
  ASSERT_TRUE(classical_device.has_value());
  EXPECT_FALSE(classical_device->ConstantTimeEquals(classical.key.view()));
}

TEST_F(SessionKeyTest, OtherDeviceKeysChangeKey) {
  const ServerSession server = Hybrid();
  Result<PrivateKey> other_x25519 = PrivateKey::Generate(KeyAlgorithm::kX25519);
  Result<PrivateKey> other_ml_kem = PrivateKey::Generate(KeyAlgorithm::kMlKem768);
  ASSERT_TRUE(other_x25519.has_value());
  ASSERT_TRUE(other_ml_kem.has_value());

  Result<SecretBytes> wrong_x25519 =
      AcceptHybridSession(*device_ml_kem_, *other_x25519, server.offer, kLabel);
  ASSERT_TRUE(wrong_x25519.has_value());
  EXPECT_FALSE(wrong_x25519->ConstantTimeEquals(server.key.view()));

  Result<SecretBytes> wrong_ml_kem =
      AcceptHybridSession(*other_ml_kem, *device_x25519_, server.offer, kLabel);
  ASSERT_TRUE(wrong_ml_kem.has_value());
  EXPECT_FALSE(wrong_ml_kem->ConstantTimeEquals(server.key.view()));
}

TEST_F(SessionKeyTest, DeviceRejectsOfferOfOtherMode) {
  Result<SecretBytes> hybrid_as_classical = AcceptClassical(Hybrid().offer);
  ASSERT_FALSE(hybrid_as_classical.has_value());
  EXPECT_EQ(hybrid_as_classical.error().reason(), "session_mode_mismatch");

  Result<SecretBytes> classical_as_hybrid = AcceptHybrid(Classical().offer);
  ASSERT_FALSE(classical_as_hybrid.has_value());
  EXPECT_EQ(classical_as_hybrid.error().reason(), "session_mode_mismatch");
}

TEST_F(SessionKeyTest, ClassicalOfferWithCiphertextIsRejected) {
  SessionOffer offer = Classical().offer;
  offer.kem_ciphertext = Bytes(1088, 1);
  Result<SecretBytes> device = AcceptClassical(offer);
  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().reason(), "session_mode_mismatch");
}

TEST_F(SessionKeyTest, DowngradedHybridOfferGivesOtherKey) {
  // An attacker who strips the ciphertext and relabels a hybrid offer as
  // classical does not obtain the hybrid key on the device.
  const ServerSession server = Hybrid();
  SessionOffer downgraded = server.offer;
  downgraded.mode = SessionMode::kClassical;
  downgraded.kem_ciphertext.clear();
  Result<SecretBytes> device = AcceptClassical(downgraded);
  ASSERT_TRUE(device.has_value());
  EXPECT_FALSE(device->ConstantTimeEquals(server.key.view()));
}

TEST_F(SessionKeyTest, WrongSizesInOfferFail) {
  SessionOffer short_ciphertext = Hybrid().offer;
  short_ciphertext.kem_ciphertext.pop_back();
  Result<SecretBytes> ciphertext_result = AcceptHybrid(short_ciphertext);
  ASSERT_FALSE(ciphertext_result.has_value());
  EXPECT_EQ(ciphertext_result.error().reason(), "invalid_ciphertext");

  SessionOffer long_ephemeral = Classical().offer;
  long_ephemeral.ephemeral_public_key.push_back(0);
  Result<SecretBytes> ephemeral_result = AcceptClassical(long_ephemeral);
  ASSERT_FALSE(ephemeral_result.has_value());
  EXPECT_EQ(ephemeral_result.error().reason(), "invalid_key");
}

TEST_F(SessionKeyTest, LabelLimits) {
  const std::string longest(kMaxTranscriptLabelSize, 'l');
  const ServerSession server = Hybrid(longest);
  Result<SecretBytes> device = AcceptHybrid(server.offer, longest);
  ASSERT_TRUE(device.has_value());
  EXPECT_TRUE(device->ConstantTimeEquals(server.key.view()));

  for (const std::string& label : {std::string(), std::string(kMaxTranscriptLabelSize + 1, 'l')}) {
    Result<ServerSession> hybrid = EstablishHybridSession(device_ml_kem_->GetPublicKey(),
                                                          device_x25519_->GetPublicKey(), label);
    ASSERT_FALSE(hybrid.has_value()) << label.size();
    EXPECT_EQ(hybrid.error().reason(), "invalid_transcript_label");

    Result<ServerSession> classical =
        EstablishClassicalSession(device_x25519_->GetPublicKey(), label);
    ASSERT_FALSE(classical.has_value()) << label.size();
    EXPECT_EQ(classical.error().reason(), "invalid_transcript_label");

    Result<SecretBytes> accepted = AcceptHybrid(server.offer, label);
    ASSERT_FALSE(accepted.has_value()) << label.size();
    EXPECT_EQ(accepted.error().reason(), "invalid_transcript_label");
  }
}

TEST_F(SessionKeyTest, RejectsWrongKeyAlgorithms) {
  Result<PrivateKey> ml_kem_1024 = PrivateKey::Generate(KeyAlgorithm::kMlKem1024);
  ASSERT_TRUE(ml_kem_1024.has_value());

  Result<ServerSession> server =
      EstablishHybridSession(ml_kem_1024->GetPublicKey(), device_x25519_->GetPublicKey(), kLabel);
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().reason(), "unexpected_key_algorithm");

  Result<ServerSession> swapped = EstablishHybridSession(device_x25519_->GetPublicKey(),
                                                         device_ml_kem_->GetPublicKey(), kLabel);
  ASSERT_FALSE(swapped.has_value());
  EXPECT_EQ(swapped.error().reason(), "unexpected_key_algorithm");

  Result<ServerSession> classical =
      EstablishClassicalSession(device_ml_kem_->GetPublicKey(), kLabel);
  ASSERT_FALSE(classical.has_value());
  EXPECT_EQ(classical.error().reason(), "unexpected_key_algorithm");

  Result<SecretBytes> device =
      AcceptHybridSession(*ml_kem_1024, *device_x25519_, Hybrid().offer, kLabel);
  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().reason(), "unexpected_key_algorithm");
}

// The key schedule alone, with identical secrets and transcript.
class SessionKeyScheduleTest : public ::testing::Test {
 protected:
  const Bytes kem_secret_ = PatternBytes(32, 0x10);
  const Bytes x25519_secret_ = PatternBytes(32, 0x20);
  const Bytes ml_kem_public_ = PatternBytes(1184, 0x30);
  const Bytes x25519_public_ = PatternBytes(32, 0x40);
  const Bytes ciphertext_ = PatternBytes(1088, 0x50);
  const Bytes ephemeral_ = PatternBytes(32, 0x60);

  internal::SessionTranscript Transcript() const {
    return {
        .label = kLabel,
        .device_ml_kem_public_key = ml_kem_public_,
        .device_x25519_public_key = x25519_public_,
        .kem_ciphertext = ciphertext_,
        .ephemeral_public_key = ephemeral_,
    };
  }

  SecretBytes Derive(SessionMode mode, ByteView kem_secret,
                     const internal::SessionTranscript& transcript) const {
    Result<SecretBytes> key =
        internal::DeriveSessionKey(mode, kem_secret, x25519_secret_, transcript);
    EXPECT_TRUE(key.has_value());
    return *std::move(key);
  }
};

TEST_F(SessionKeyScheduleTest, ModesNeverShareKey) {
  const internal::SessionTranscript transcript = Transcript();
  const SecretBytes hybrid = Derive(SessionMode::kHybrid, kem_secret_, transcript);
  EXPECT_FALSE(
      Derive(SessionMode::kClassical, kem_secret_, transcript).ConstantTimeEquals(hybrid.view()));

  // Also with the classical inputs: an empty KEM secret and empty KEM fields.
  internal::SessionTranscript classical_transcript = transcript;
  classical_transcript.device_ml_kem_public_key = {};
  classical_transcript.kem_ciphertext = {};
  const SecretBytes classical = Derive(SessionMode::kClassical, ByteView(), classical_transcript);
  EXPECT_FALSE(Derive(SessionMode::kHybrid, ByteView(), classical_transcript)
                   .ConstantTimeEquals(classical.view()));
}

TEST_F(SessionKeyScheduleTest, EveryTranscriptFieldChangesKey) {
  const SecretBytes reference = Derive(SessionMode::kHybrid, kem_secret_, Transcript());

  const Bytes other_ml_kem = FlipBit(ml_kem_public_, 0);
  const Bytes other_x25519 = FlipBit(x25519_public_, 0);
  const Bytes other_ciphertext = FlipBit(ciphertext_, 0);
  const Bytes other_ephemeral = FlipBit(ephemeral_, 0);
  std::vector<std::pair<std::string, internal::SessionTranscript>> variants;
  variants.emplace_back("label", Transcript());
  variants.back().second.label = "login/device-42/nonce-8";
  variants.emplace_back("ML-KEM public key", Transcript());
  variants.back().second.device_ml_kem_public_key = other_ml_kem;
  variants.emplace_back("X25519 public key", Transcript());
  variants.back().second.device_x25519_public_key = other_x25519;
  variants.emplace_back("ciphertext", Transcript());
  variants.back().second.kem_ciphertext = other_ciphertext;
  variants.emplace_back("ephemeral key", Transcript());
  variants.back().second.ephemeral_public_key = other_ephemeral;

  for (const auto& [field, transcript] : variants) {
    EXPECT_FALSE(
        Derive(SessionMode::kHybrid, kem_secret_, transcript).ConstantTimeEquals(reference.view()))
        << field;
  }
}

TEST_F(SessionKeyScheduleTest, FieldBoundariesAreUnambiguous) {
  // Moving a byte from the end of one field to the start of the next keeps
  // the concatenation but must change the key, because of the length prefixes.
  internal::SessionTranscript shifted = Transcript();
  const Bytes shorter_ciphertext(ciphertext_.begin(), ciphertext_.end() - 1);
  Bytes longer_ephemeral = {ciphertext_.back()};
  longer_ephemeral.insert(longer_ephemeral.end(), ephemeral_.begin(), ephemeral_.end());
  shifted.kem_ciphertext = shorter_ciphertext;
  shifted.ephemeral_public_key = longer_ephemeral;

  EXPECT_FALSE(
      Derive(SessionMode::kHybrid, kem_secret_, shifted)
          .ConstantTimeEquals(Derive(SessionMode::kHybrid, kem_secret_, Transcript()).view()));
}

TEST_F(SessionKeyScheduleTest, EachSharedSecretChangesKey) {
  const SecretBytes reference = Derive(SessionMode::kHybrid, kem_secret_, Transcript());
  EXPECT_FALSE(Derive(SessionMode::kHybrid, FlipBit(kem_secret_, 0), Transcript())
                   .ConstantTimeEquals(reference.view()));

  Result<SecretBytes> other_x25519 = internal::DeriveSessionKey(
      SessionMode::kHybrid, kem_secret_, FlipBit(x25519_secret_, 0), Transcript());
  ASSERT_TRUE(other_x25519.has_value());
  EXPECT_FALSE(other_x25519->ConstantTimeEquals(reference.view()));
}

TEST(SessionModeName, NamesBothModes) {
  EXPECT_EQ(SessionModeName(SessionMode::kHybrid), "hybrid");
  EXPECT_EQ(SessionModeName(SessionMode::kClassical), "classical");
}

}  // namespace
}  // namespace devtrust::crypto
