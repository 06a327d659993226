// The device's proofs must verify as the service verifies them: ML-DSA-65
// with the purpose's context over the trust/proof.h encoding, and ECDSA P-256
// over the same bytes.
#include "client/proofs.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "crypto/signature.h"
#include "trust/proof.h"

namespace devtrust::client {
namespace {

constexpr std::string_view kUser = "alice";
constexpr std::string_view kDevice = "dev_abcdefghijklmnopqrstuvwxyz";

trust::Fingerprint MakeFingerprint(std::string_view platform) {
  const std::vector<std::pair<std::string_view, std::string_view>> attributes = {
      {"platform", platform}, {"language", "en-US"}};
  Result<trust::Fingerprint> fingerprint = trust::Fingerprint::FromAttributes(attributes);
  EXPECT_TRUE(fingerprint.has_value());
  return *fingerprint;
}

class ProofsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<DeviceKeys> keys = GenerateDeviceKeys();
    ASSERT_TRUE(keys.has_value());
    keys_.emplace(std::move(*keys));
  }

  Bytes RegistrationMessage(ByteView nonce, const trust::Fingerprint& fingerprint) const {
    const DevicePublicKeys public_keys = PublicKeysOf(*keys_);
    return trust::EncodeRegistrationProof({.user_id = kUser,
                                           .nonce = nonce,
                                           .ml_dsa_public_key = public_keys.ml_dsa,
                                           .ecdsa_public_key = public_keys.ecdsa,
                                           .ml_kem_public_key = public_keys.ml_kem,
                                           .x25519_public_key = public_keys.x25519},
                                          fingerprint);
  }

  Status VerifyMlDsa(ByteView message, ByteView signature, std::string_view context) const {
    return crypto::Verify(keys_->ml_dsa.GetPublicKey(), message, signature, context);
  }

  Status VerifyEcdsa(ByteView message, ByteView signature) const {
    return crypto::Verify(keys_->ecdsa.GetPublicKey(), message, signature);
  }

  std::optional<DeviceKeys> keys_;
  const Bytes nonce_ = Bytes(32, 0x5a);
  const trust::Fingerprint fingerprint_ = MakeFingerprint("Win32");
};

TEST_F(ProofsTest, RegistrationVerifiesLikeService) {
  Result<ProofSignatures> proof = SignRegistrationProof(*keys_, kUser, nonce_, fingerprint_);
  ASSERT_TRUE(proof.has_value()) << proof.error().ToString();
  const Bytes message = RegistrationMessage(nonce_, fingerprint_);
  EXPECT_TRUE(VerifyMlDsa(message, proof->ml_dsa, trust::kRegistrationProofContext).has_value());
  EXPECT_TRUE(VerifyEcdsa(message, proof->ecdsa).has_value());
}

TEST_F(ProofsTest, LoginVerifiesLikeService) {
  Result<ProofSignatures> proof = SignLoginProof(*keys_, kUser, kDevice, nonce_, fingerprint_);
  ASSERT_TRUE(proof.has_value()) << proof.error().ToString();
  const Bytes message = trust::EncodeLoginProof(kUser, kDevice, nonce_, fingerprint_);
  EXPECT_TRUE(VerifyMlDsa(message, proof->ml_dsa, trust::kLoginProofContext).has_value());
  EXPECT_TRUE(VerifyEcdsa(message, proof->ecdsa).has_value());
}

TEST_F(ProofsTest, RegistrationProofIsNoLoginProof) {
  Result<ProofSignatures> proof = SignRegistrationProof(*keys_, kUser, nonce_, fingerprint_);
  ASSERT_TRUE(proof.has_value());
  const Bytes login = trust::EncodeLoginProof(kUser, kDevice, nonce_, fingerprint_);
  EXPECT_FALSE(VerifyMlDsa(login, proof->ml_dsa, trust::kLoginProofContext).has_value());
  EXPECT_FALSE(VerifyEcdsa(login, proof->ecdsa).has_value());
  const Bytes registration = RegistrationMessage(nonce_, fingerprint_);
  EXPECT_FALSE(VerifyMlDsa(registration, proof->ml_dsa, trust::kLoginProofContext).has_value());
}

TEST_F(ProofsTest, LoginProofBindsEveryField) {
  Result<ProofSignatures> proof = SignLoginProof(*keys_, kUser, kDevice, nonce_, fingerprint_);
  ASSERT_TRUE(proof.has_value());
  const Bytes other_nonce(32, 0x5b);
  const std::vector<Bytes> changed = {
      trust::EncodeLoginProof("mallory", kDevice, nonce_, fingerprint_),
      trust::EncodeLoginProof(kUser, "dev_zyxwvutsrqponmlkjihgfedcba", nonce_, fingerprint_),
      trust::EncodeLoginProof(kUser, kDevice, other_nonce, fingerprint_),
      trust::EncodeLoginProof(kUser, kDevice, nonce_, MakeFingerprint("Linux x86_64")),
  };
  for (const Bytes& message : changed) {
    EXPECT_FALSE(VerifyMlDsa(message, proof->ml_dsa, trust::kLoginProofContext).has_value());
    EXPECT_FALSE(VerifyEcdsa(message, proof->ecdsa).has_value());
  }
}

TEST_F(ProofsTest, RegistrationProofBindsPublicKeys) {
  Result<ProofSignatures> proof = SignRegistrationProof(*keys_, kUser, nonce_, fingerprint_);
  ASSERT_TRUE(proof.has_value());
  Result<DeviceKeys> other = GenerateDeviceKeys();
  ASSERT_TRUE(other.has_value());
  const DevicePublicKeys own = PublicKeysOf(*keys_);
  const DevicePublicKeys foreign = PublicKeysOf(*other);
  const Bytes swapped_kem = trust::EncodeRegistrationProof({.user_id = kUser,
                                                            .nonce = nonce_,
                                                            .ml_dsa_public_key = own.ml_dsa,
                                                            .ecdsa_public_key = own.ecdsa,
                                                            .ml_kem_public_key = foreign.ml_kem,
                                                            .x25519_public_key = own.x25519},
                                                           fingerprint_);
  EXPECT_FALSE(
      VerifyMlDsa(swapped_kem, proof->ml_dsa, trust::kRegistrationProofContext).has_value());
}

TEST_F(ProofsTest, DeviceWithoutMlKemSignsEmptyKey) {
  Result<DeviceKeys> classical = GenerateDeviceKeys(MlKemChoice::kOmit);
  ASSERT_TRUE(classical.has_value());
  Result<ProofSignatures> proof = SignRegistrationProof(*classical, kUser, nonce_, fingerprint_);
  ASSERT_TRUE(proof.has_value());
  const DevicePublicKeys public_keys = PublicKeysOf(*classical);
  EXPECT_TRUE(public_keys.ml_kem.empty());
  const Bytes message = trust::EncodeRegistrationProof({.user_id = kUser,
                                                        .nonce = nonce_,
                                                        .ml_dsa_public_key = public_keys.ml_dsa,
                                                        .ecdsa_public_key = public_keys.ecdsa,
                                                        .ml_kem_public_key = {},
                                                        .x25519_public_key = public_keys.x25519},
                                                       fingerprint_);
  EXPECT_TRUE(crypto::Verify(classical->ml_dsa.GetPublicKey(), message, proof->ml_dsa,
                             trust::kRegistrationProofContext)
                  .has_value());
}

}  // namespace
}  // namespace devtrust::client
