#include "trust/proof.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "base/encoding.h"

namespace devtrust::trust {
namespace {

Fingerprint MakeFingerprint(std::vector<std::pair<std::string_view, std::string_view>> pairs) {
  Result<Fingerprint> fingerprint = Fingerprint::FromAttributes(pairs);
  EXPECT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  return *std::move(fingerprint);
}

// The length prefix of `size` followed by the bytes of `text`.
std::string Field(std::string_view text) {
  const auto size = static_cast<std::uint32_t>(text.size());
  std::string out;
  out.push_back(static_cast<char>(size >> 24));
  out.push_back(static_cast<char>(size >> 16));
  out.push_back(static_cast<char>(size >> 8));
  out.push_back(static_cast<char>(size));
  out.append(text);
  return out;
}

std::string AsText(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

TEST(ProofEncodingTest, LoginMatchesDocumentedLayout) {
  const Fingerprint fingerprint = MakeFingerprint({{"platform", "Win32"}, {"language", "en-US"}});
  const Bytes nonce = {0x01, 0x02, 0x03};

  const Bytes encoded = EncodeLoginProof("alice", "dev_x", nonce, fingerprint);

  const std::string expected = std::string("devtrust-login-v1") + Field("alice") + Field("dev_x") +
                               Field("\x01\x02\x03") +
                               Field(R"({"language":"en-US","platform":"Win32"})");
  EXPECT_EQ(AsText(encoded), expected);
}

TEST(ProofEncodingTest, RegistrationMatchesDocumentedLayout) {
  const Fingerprint fingerprint = MakeFingerprint({{"platform", "Linux x86_64"}});
  const Bytes nonce(32, 0xab);
  const Bytes ml_dsa = {0x10, 0x11};
  const Bytes ecdsa = {0x20};
  const Bytes x25519 = {0x30, 0x31, 0x32};

  const Bytes encoded = EncodeRegistrationProof({.user_id = "bob",
                                                 .nonce = nonce,
                                                 .ml_dsa_public_key = ml_dsa,
                                                 .ecdsa_public_key = ecdsa,
                                                 .ml_kem_public_key = {},
                                                 .x25519_public_key = x25519},
                                                fingerprint);

  const std::string expected = std::string("devtrust-registration-v1") + Field("bob") +
                               Field(std::string(32, '\xab')) + Field("\x10\x11") + Field("\x20") +
                               Field("") + Field("\x30\x31\x32") +
                               Field(R"({"platform":"Linux x86_64"})");
  EXPECT_EQ(AsText(encoded), expected);
}

TEST(ProofEncodingTest, AbsentMlKemKeyIsAnEmptyField) {
  const Fingerprint fingerprint = MakeFingerprint({{"platform", "Win32"}});
  const Bytes nonce(32, 1);
  const Bytes key = {9};
  RegistrationProofFields fields{.user_id = "u",
                                 .nonce = nonce,
                                 .ml_dsa_public_key = key,
                                 .ecdsa_public_key = key,
                                 .ml_kem_public_key = {},
                                 .x25519_public_key = key};
  const Bytes without = EncodeRegistrationProof(fields, fingerprint);
  fields.ml_kem_public_key = key;
  const Bytes with = EncodeRegistrationProof(fields, fingerprint);

  EXPECT_EQ(with.size(), without.size() + 1);
  EXPECT_NE(with, without);
}

// Moving bytes from one field to the next must change the encoding; without
// the length prefixes "ab"+"c" and "a"+"bc" would collide.
TEST(ProofEncodingTest, LengthPrefixesSeparateFields) {
  const Fingerprint fingerprint = MakeFingerprint({{"platform", "Win32"}});
  const Bytes nonce(32, 0);

  EXPECT_NE(EncodeLoginProof("ab", "c", nonce, fingerprint),
            EncodeLoginProof("a", "bc", nonce, fingerprint));
}

TEST(ProofEncodingTest, EveryLoginFieldChangesEncoding) {
  const Fingerprint fingerprint = MakeFingerprint({{"platform", "Win32"}});
  const Fingerprint other = MakeFingerprint({{"platform", "MacIntel"}});
  const Bytes nonce(32, 0);
  const Bytes other_nonce(32, 1);
  const Bytes base = EncodeLoginProof("alice", "dev_a", nonce, fingerprint);

  EXPECT_NE(base, EncodeLoginProof("alicf", "dev_a", nonce, fingerprint));
  EXPECT_NE(base, EncodeLoginProof("alice", "dev_b", nonce, fingerprint));
  EXPECT_NE(base, EncodeLoginProof("alice", "dev_a", other_nonce, fingerprint));
  EXPECT_NE(base, EncodeLoginProof("alice", "dev_a", nonce, other));
}

// The fingerprint enters in canonical form, so attribute order and JSON
// spelling on the wire do not change what is signed.
TEST(ProofEncodingTest, FingerprintIsCanonical) {
  Result<Fingerprint> spaced = Fingerprint::FromJsonText(R"({ "b" : "2", "a" : "1" })");
  Result<Fingerprint> compact = Fingerprint::FromJsonText(R"({"a":"1","b":"2"})");
  ASSERT_TRUE(spaced.has_value());
  ASSERT_TRUE(compact.has_value());
  const Bytes nonce(32, 0);

  EXPECT_EQ(EncodeLoginProof("u", "d", nonce, *spaced),
            EncodeLoginProof("u", "d", nonce, *compact));
}

TEST(ProofEncodingTest, LabelsSeparatePurposes) {
  const Fingerprint fingerprint = MakeFingerprint({{"platform", "Win32"}});
  const Bytes nonce(32, 0);

  const Bytes login = EncodeLoginProof("u", "d", nonce, fingerprint);
  const Bytes registration = EncodeRegistrationProof({.user_id = "u",
                                                      .nonce = nonce,
                                                      .ml_dsa_public_key = {},
                                                      .ecdsa_public_key = {},
                                                      .ml_kem_public_key = {},
                                                      .x25519_public_key = {}},
                                                     fingerprint);

  EXPECT_EQ(AsText(login).rfind("devtrust-login-v1", 0), 0u);
  EXPECT_EQ(AsText(registration).rfind("devtrust-registration-v1", 0), 0u);
  EXPECT_NE(kLoginProofContext, kRegistrationProofContext);
}

TEST(LoginSessionLabelTest, NamesDeviceAndNonce) {
  const Bytes nonce = {0xfb, 0xff};

  EXPECT_EQ(LoginSessionLabel("dev_abc", nonce), "login/dev_abc/-_8");
}

TEST(LoginSessionLabelTest, FitsTheTranscriptLimit) {
  // A device id of 30 characters and a 32-byte nonce stay well below the
  // 255 bytes crypto::EstablishHybridSession accepts.
  const Bytes nonce(32, 0x5a);

  EXPECT_LE(LoginSessionLabel("dev_abcdefghijklmnopqrstuvwxyz", nonce).size(), 255u);
}

}  // namespace
}  // namespace devtrust::trust
