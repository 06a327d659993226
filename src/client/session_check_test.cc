#include "client/session_check.h"

#include <gtest/gtest.h>

#include <string>

namespace devtrust::client {
namespace {

constexpr std::string_view kLabel = "login/dev_abcdefghijklmnopqrstuvwxyz/nonce";

DeviceKeys NewKeys(MlKemChoice ml_kem = MlKemChoice::kInclude) {
  Result<DeviceKeys> keys = GenerateDeviceKeys(ml_kem);
  EXPECT_TRUE(keys.has_value());
  return std::move(*keys);
}

// The session block a server would return for `session`.
SessionBlock BlockOf(const crypto::ServerSession& session, std::string_view mode) {
  SessionBlock block;
  block.mode = std::string(mode);
  block.ciphertext = session.offer.kem_ciphertext;
  block.server_public_key = session.offer.ephemeral_public_key;
  block.key = session.key.Clone();
  return block;
}

TEST(SessionCheck, AgreesOnHybridKey) {
  const DeviceKeys keys = NewKeys();
  Result<crypto::ServerSession> session = crypto::EstablishHybridSession(
      keys.ml_kem->GetPublicKey(), keys.x25519.GetPublicKey(), kLabel);
  ASSERT_TRUE(session.has_value());

  Result<SessionAgreement> agreement = CheckSessionKey(keys, BlockOf(*session, "hybrid"), kLabel);
  ASSERT_TRUE(agreement.has_value()) << agreement.error().ToString();
  EXPECT_EQ(agreement->mode, crypto::SessionMode::kHybrid);
  EXPECT_TRUE(agreement->agreed);
}

TEST(SessionCheck, AgreesOnClassicalKey) {
  const DeviceKeys keys = NewKeys(MlKemChoice::kOmit);
  Result<crypto::ServerSession> session =
      crypto::EstablishClassicalSession(keys.x25519.GetPublicKey(), kLabel);
  ASSERT_TRUE(session.has_value());

  Result<SessionAgreement> agreement =
      CheckSessionKey(keys, BlockOf(*session, "classical"), kLabel);
  ASSERT_TRUE(agreement.has_value()) << agreement.error().ToString();
  EXPECT_EQ(agreement->mode, crypto::SessionMode::kClassical);
  EXPECT_TRUE(agreement->agreed);
}

TEST(SessionCheck, DetectsWrongRelyingPartyKey) {
  const DeviceKeys keys = NewKeys();
  Result<crypto::ServerSession> session = crypto::EstablishHybridSession(
      keys.ml_kem->GetPublicKey(), keys.x25519.GetPublicKey(), kLabel);
  ASSERT_TRUE(session.has_value());
  SessionBlock block = BlockOf(*session, "hybrid");
  block.key.data()[0] ^= 1;

  Result<SessionAgreement> agreement = CheckSessionKey(keys, block, kLabel);
  ASSERT_TRUE(agreement.has_value());
  EXPECT_FALSE(agreement->agreed);
}

TEST(SessionCheck, DetectsTamperedCiphertext) {
  const DeviceKeys keys = NewKeys();
  Result<crypto::ServerSession> session = crypto::EstablishHybridSession(
      keys.ml_kem->GetPublicKey(), keys.x25519.GetPublicKey(), kLabel);
  ASSERT_TRUE(session.has_value());
  SessionBlock block = BlockOf(*session, "hybrid");
  block.ciphertext[10] ^= 0x40;

  Result<SessionAgreement> agreement = CheckSessionKey(keys, block, kLabel);
  ASSERT_TRUE(agreement.has_value());
  EXPECT_FALSE(agreement->agreed);
}

TEST(SessionCheck, DetectsOtherTranscriptLabel) {
  const DeviceKeys keys = NewKeys();
  Result<crypto::ServerSession> session = crypto::EstablishHybridSession(
      keys.ml_kem->GetPublicKey(), keys.x25519.GetPublicKey(), kLabel);
  ASSERT_TRUE(session.has_value());

  Result<SessionAgreement> agreement =
      CheckSessionKey(keys, BlockOf(*session, "hybrid"), "login/other");
  ASSERT_TRUE(agreement.has_value());
  EXPECT_FALSE(agreement->agreed);
}

TEST(SessionCheck, HybridWithoutMlKemKeyFails) {
  const DeviceKeys with_kem = NewKeys();
  const DeviceKeys without_kem = NewKeys(MlKemChoice::kOmit);
  Result<crypto::ServerSession> session = crypto::EstablishHybridSession(
      with_kem.ml_kem->GetPublicKey(), without_kem.x25519.GetPublicKey(), kLabel);
  ASSERT_TRUE(session.has_value());

  Result<SessionAgreement> agreement =
      CheckSessionKey(without_kem, BlockOf(*session, "hybrid"), kLabel);
  ASSERT_FALSE(agreement.has_value());
  EXPECT_EQ(agreement.error().reason(), "session_mode_mismatch");
}

TEST(SessionCheck, RejectsUnknownMode) {
  const DeviceKeys keys = NewKeys();
  SessionBlock block;
  block.mode = "quantum";
  Result<SessionAgreement> agreement = CheckSessionKey(keys, block, kLabel);
  ASSERT_FALSE(agreement.has_value());
  EXPECT_EQ(agreement.error().reason(), "session_mode_mismatch");
}

TEST(SessionCheck, RejectsTruncatedCiphertext) {
  const DeviceKeys keys = NewKeys();
  Result<crypto::ServerSession> session = crypto::EstablishHybridSession(
      keys.ml_kem->GetPublicKey(), keys.x25519.GetPublicKey(), kLabel);
  ASSERT_TRUE(session.has_value());
  SessionBlock block = BlockOf(*session, "hybrid");
  block.ciphertext.resize(100);

  Result<SessionAgreement> agreement = CheckSessionKey(keys, block, kLabel);
  ASSERT_FALSE(agreement.has_value());
  EXPECT_EQ(agreement.error().reason(), "invalid_ciphertext");
}

}  // namespace
}  // namespace devtrust::client
