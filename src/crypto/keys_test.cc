#include "crypto/keys.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "base/encoding.h"
#include "crypto/test_util.h"

namespace devtrust::crypto {
namespace {

using testing::AlgorithmTestName;
using testing::Concat;
using testing::FlipBit;
using testing::PatternBytes;
using testing::RunOpenSsl;
using testing::ScratchDirectory;

Bytes ToBytes(const SecretBytes& secret) {
  return Bytes(secret.view().begin(), secret.view().end());
}

class KeysTest : public ::testing::TestWithParam<KeyAlgorithm> {
 protected:
  PrivateKey NewKey() const {
    Result<PrivateKey> key = PrivateKey::Generate(GetParam());
    EXPECT_TRUE(key.has_value()) << key.error().ToString();
    return *std::move(key);
  }
};

TEST_P(KeysTest, GenerateReportsAlgorithm) {
  const PrivateKey key = NewKey();
  EXPECT_EQ(key.algorithm(), GetParam());
  EXPECT_EQ(key.GetPublicKey().algorithm(), GetParam());
}

TEST_P(KeysTest, GenerateGivesDistinctKeys) {
  EXPECT_NE(NewKey().GetPublicKey().ToRaw(), NewKey().GetPublicKey().ToRaw());
}

TEST_P(KeysTest, FromSeedIsDeterministic) {
  const Bytes seed = PatternBytes(SeedSize(GetParam()), 7);
  Result<PrivateKey> first = PrivateKey::FromSeed(GetParam(), seed);
  Result<PrivateKey> second = PrivateKey::FromSeed(GetParam(), seed);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  ASSERT_TRUE(second.has_value()) << second.error().ToString();
  EXPECT_EQ(first->GetPublicKey().ToRaw(), second->GetPublicKey().ToRaw());
}

TEST_P(KeysTest, FromSeedPublicKeyDependsOnSeed) {
  // ML-KEM derives the public key from d, the first 32 bytes; z only feeds
  // implicit rejection (FIPS 203 algorithm 16), which the KEM tests cover.
  const std::size_t key_bytes = SeedSize(GetParam()) == 64 ? 32 : SeedSize(GetParam());
  const Bytes seed = PatternBytes(SeedSize(GetParam()), 7);
  Result<PrivateKey> base = PrivateKey::FromSeed(GetParam(), seed);
  ASSERT_TRUE(base.has_value());
  for (std::size_t byte : {std::size_t{0}, key_bytes / 2, key_bytes - 1}) {
    // Bit 3, because X25519 clamping (RFC 7748 section 5) ignores bits 0 to 2
    // of the first byte and bits 6 and 7 of the last.
    Result<PrivateKey> changed = PrivateKey::FromSeed(GetParam(), FlipBit(seed, byte * 8 + 3));
    ASSERT_TRUE(changed.has_value());
    EXPECT_NE(changed->GetPublicKey().ToRaw(), base->GetPublicKey().ToRaw()) << "byte " << byte;
  }
}

TEST_P(KeysTest, FromSeedRejectsWrongSizes) {
  const std::size_t size = SeedSize(GetParam());
  for (std::size_t wrong : {std::size_t{0}, size - 1, size + 1}) {
    Result<PrivateKey> key = PrivateKey::FromSeed(GetParam(), PatternBytes(wrong));
    ASSERT_FALSE(key.has_value()) << wrong << " bytes";
    EXPECT_EQ(key.error().reason(), "invalid_seed");
    EXPECT_EQ(key.error().code(), StatusCode::kInvalidArgument);
  }
}

TEST_P(KeysTest, RawPublicKeyHasStandardSize) {
  const std::size_t expected = [] {
    switch (KeysTest::GetParam()) {
      case KeyAlgorithm::kMlDsa65:
        return 1952u;
      case KeyAlgorithm::kMlDsa87:
        return 2592u;
      case KeyAlgorithm::kMlKem768:
        return 1184u;
      case KeyAlgorithm::kMlKem1024:
        return 1568u;
      case KeyAlgorithm::kEcdsaP256:
        return 65u;
      case KeyAlgorithm::kX25519:
        return 32u;
    }
    return 0u;
  }();
  EXPECT_EQ(NewKey().GetPublicKey().ToRaw().size(), expected);
}

TEST_P(KeysTest, RawPublicKeyRoundTrip) {
  const PublicKey key = NewKey().GetPublicKey();
  Result<PublicKey> parsed = PublicKey::FromRaw(GetParam(), key.ToRaw());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->ToRaw(), key.ToRaw());
  EXPECT_EQ(parsed->ToSpkiDer(), key.ToSpkiDer());
}

TEST_P(KeysTest, RawPublicKeyRejectsWrongSizes) {
  const Bytes raw = NewKey().GetPublicKey().ToRaw();
  const std::vector<Bytes> wrong = {
      Bytes(),
      Bytes(raw.begin(), raw.end() - 1),
      Concat(raw, Bytes{0}),
  };
  for (const Bytes& candidate : wrong) {
    Result<PublicKey> parsed = PublicKey::FromRaw(GetParam(), candidate);
    ASSERT_FALSE(parsed.has_value()) << candidate.size() << " bytes";
    EXPECT_EQ(parsed.error().reason(), "invalid_key");
  }
}

TEST_P(KeysTest, SpkiDerRoundTrip) {
  const PublicKey key = NewKey().GetPublicKey();
  Result<PublicKey> parsed = PublicKey::FromSpkiDer(key.ToSpkiDer(), GetParam());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->algorithm(), GetParam());
  EXPECT_EQ(parsed->ToRaw(), key.ToRaw());
}

TEST_P(KeysTest, SpkiPemRoundTrip) {
  const PublicKey key = NewKey().GetPublicKey();
  const std::string pem = key.ToPem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
  EXPECT_TRUE(pem.ends_with("-----END PUBLIC KEY-----\n"));
  Result<PublicKey> parsed = PublicKey::FromPem(pem, GetParam());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->ToRaw(), key.ToRaw());
}

TEST_P(KeysTest, SpkiRejectsTruncation) {
  const Bytes der = NewKey().GetPublicKey().ToSpkiDer();
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, der.size() / 2, der.size() - 1}) {
    Result<PublicKey> parsed = PublicKey::FromSpkiDer(ByteView(der).first(size));
    ASSERT_FALSE(parsed.has_value()) << size << " bytes";
    EXPECT_EQ(parsed.error().reason(), "invalid_key");
  }
}

TEST_P(KeysTest, SpkiRejectsTrailingData) {
  const Bytes der = Concat(NewKey().GetPublicKey().ToSpkiDer(), Bytes{0x00});
  Result<PublicKey> parsed = PublicKey::FromSpkiDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_key");
}

TEST_P(KeysTest, SpkiRejectsOtherExpectedAlgorithm) {
  const Bytes der = NewKey().GetPublicKey().ToSpkiDer();
  for (KeyAlgorithm other : testing::kAllAlgorithms) {
    if (other == GetParam()) {
      continue;
    }
    Result<PublicKey> parsed = PublicKey::FromSpkiDer(der, other);
    ASSERT_FALSE(parsed.has_value()) << KeyAlgorithmName(other);
    EXPECT_EQ(parsed.error().reason(), "unexpected_key_algorithm");
  }
}

TEST_P(KeysTest, Pkcs8DerRoundTrip) {
  const PrivateKey key = NewKey();
  Result<SecretBytes> der = key.ToPkcs8Der();
  ASSERT_TRUE(der.has_value()) << der.error().ToString();
  Result<PrivateKey> parsed = PrivateKey::FromPkcs8Der(der->view(), GetParam());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->algorithm(), GetParam());
  EXPECT_EQ(parsed->GetPublicKey().ToRaw(), key.GetPublicKey().ToRaw());

  Result<SecretBytes> again = parsed->ToPkcs8Der();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(ToBytes(*again), ToBytes(*der));
}

TEST_P(KeysTest, Pkcs8PemRoundTrip) {
  const PrivateKey key = NewKey();
  Result<SecretBytes> pem = key.ToPem();
  ASSERT_TRUE(pem.has_value()) << pem.error().ToString();
  EXPECT_TRUE(pem->AsStringView().starts_with("-----BEGIN PRIVATE KEY-----\n"));
  Result<PrivateKey> parsed = PrivateKey::FromPem(pem->AsStringView(), GetParam());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->GetPublicKey().ToRaw(), key.GetPublicKey().ToRaw());
}

TEST_P(KeysTest, Pkcs8RejectsTruncation) {
  Result<SecretBytes> der = NewKey().ToPkcs8Der();
  ASSERT_TRUE(der.has_value());
  for (std::size_t size : {std::size_t{0}, std::size_t{2}, der->size() / 2, der->size() - 1}) {
    Result<PrivateKey> parsed = PrivateKey::FromPkcs8Der(der->view().first(size));
    ASSERT_FALSE(parsed.has_value()) << size << " bytes";
    EXPECT_EQ(parsed.error().reason(), "invalid_key");
  }
}

TEST_P(KeysTest, Pkcs8RejectsTrailingData) {
  Result<SecretBytes> der = NewKey().ToPkcs8Der();
  ASSERT_TRUE(der.has_value());
  Result<PrivateKey> parsed = PrivateKey::FromPkcs8Der(Concat(der->view(), Bytes{0x00}));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_key");
}

TEST_P(KeysTest, Pkcs8RejectsOtherExpectedAlgorithm) {
  Result<SecretBytes> der = NewKey().ToPkcs8Der();
  ASSERT_TRUE(der.has_value());
  const KeyAlgorithm other =
      GetParam() == KeyAlgorithm::kX25519 ? KeyAlgorithm::kMlDsa65 : KeyAlgorithm::kX25519;
  Result<PrivateKey> parsed = PrivateKey::FromPkcs8Der(der->view(), other);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "unexpected_key_algorithm");
}

TEST_P(KeysTest, PrivatePemIsNotAPublicKey) {
  Result<SecretBytes> pem = NewKey().ToPem();
  ASSERT_TRUE(pem.has_value());
  Result<PublicKey> parsed = PublicKey::FromPem(pem->AsStringView());
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_pem");
}

TEST_P(KeysTest, OpenSslCliReadsPrivateKeyPem) {
  const PrivateKey key = NewKey();
  Result<SecretBytes> pem = key.ToPem();
  ASSERT_TRUE(pem.has_value());
  const ScratchDirectory directory;
  const std::filesystem::path file = directory.WriteFile("key.pem", pem->AsStringView());
  const std::filesystem::path public_file = directory.path() / "public.pem";

  const testing::CommandResult text = RunOpenSsl("pkey -in '" + file.string() + "' -text -noout");
  EXPECT_EQ(text.exit_code, 0) << text.output;

  const testing::CommandResult exported =
      RunOpenSsl("pkey -in '" + file.string() + "' -pubout -out '" + public_file.string() + "'");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_EQ(directory.ReadFile("public.pem"), key.GetPublicKey().ToPem());
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, KeysTest, ::testing::ValuesIn(testing::kAllAlgorithms),
                         AlgorithmTestName);

// The OpenSSL 3.5 provider parameter that selects the PKCS#8 form it writes.
std::string OutputFormatsParameter(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kMlKem768 || algorithm == KeyAlgorithm::kMlKem1024
             ? "ml-kem.output_formats"
             : "ml-dsa.output_formats";
}

class PostQuantumKeysTest : public ::testing::TestWithParam<KeyAlgorithm> {};

TEST_P(PostQuantumKeysTest, Pkcs8IsSeedOnly) {
  const Bytes seed = PatternBytes(SeedSize(GetParam()), 1);
  Result<PrivateKey> key = PrivateKey::FromSeed(GetParam(), seed);
  ASSERT_TRUE(key.has_value());
  Result<SecretBytes> der = key->ToPkcs8Der();
  ASSERT_TRUE(der.has_value());

  // 22 bytes of fixed ASN.1 header, then the seed itself.
  ASSERT_EQ(der->size(), 22 + seed.size());
  EXPECT_EQ(Bytes(der->view().begin() + 22, der->view().end()), seed);
  EXPECT_EQ(der->data()[20], 0x80) << "seed must use the [0] IMPLICIT tag";
}

TEST_P(PostQuantumKeysTest, MatchesOpenSslSeedOnlyOutput) {
  const ScratchDirectory directory;
  const std::string parameter = OutputFormatsParameter(GetParam());
  const std::filesystem::path file = directory.path() / "cli.der";
  const testing::CommandResult generated = RunOpenSsl(
      "genpkey -algorithm " + std::string(KeyAlgorithmName(GetParam())) + " -provparam " +
      parameter + "=seed-only -outform DER -out '" + file.string() + "'");
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  const std::string cli_der = directory.ReadFile("cli.der");

  Result<PrivateKey> key = PrivateKey::FromPkcs8Der(AsBytes(cli_der), GetParam());
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  Result<SecretBytes> der = key->ToPkcs8Der();
  ASSERT_TRUE(der.has_value());
  EXPECT_EQ(der->AsStringView(), cli_der);
}

TEST_P(PostQuantumKeysTest, ImportsOpenSslDefaultForm) {
  const ScratchDirectory directory;
  const std::filesystem::path file = directory.path() / "both.pem";
  const testing::CommandResult generated =
      RunOpenSsl("genpkey -algorithm " + std::string(KeyAlgorithmName(GetParam())) + " -out '" +
                 file.string() + "'");
  ASSERT_EQ(generated.exit_code, 0) << generated.output;

  Result<PrivateKey> key = PrivateKey::FromPem(directory.ReadFile("both.pem"), GetParam());
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  Result<SecretBytes> seed_only = key->ToPkcs8Der();
  ASSERT_TRUE(seed_only.has_value()) << seed_only.error().ToString();
  EXPECT_EQ(seed_only->size(), 22 + SeedSize(GetParam()));
}

TEST_P(PostQuantumKeysTest, ExpandedOnlyKeyCannotExportSeed) {
  const ScratchDirectory directory;
  const std::filesystem::path file = directory.path() / "expanded.pem";
  const testing::CommandResult generated = RunOpenSsl(
      "genpkey -algorithm " + std::string(KeyAlgorithmName(GetParam())) + " -provparam " +
      OutputFormatsParameter(GetParam()) + "=priv-only -out '" + file.string() + "'");
  ASSERT_EQ(generated.exit_code, 0) << generated.output;

  Result<PrivateKey> key = PrivateKey::FromPem(directory.ReadFile("expanded.pem"), GetParam());
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  Result<SecretBytes> der = key->ToPkcs8Der();
  ASSERT_FALSE(der.has_value());
  EXPECT_EQ(der.error().reason(), "seed_unavailable");
  EXPECT_EQ(der.error().code(), StatusCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(MlDsaAndMlKem, PostQuantumKeysTest,
                         ::testing::Values(KeyAlgorithm::kMlDsa65, KeyAlgorithm::kMlDsa87,
                                           KeyAlgorithm::kMlKem768, KeyAlgorithm::kMlKem1024),
                         AlgorithmTestName);

TEST(MlKemKeys, RawPublicKeyRejectsCoefficientAboveModulus) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kMlKem768);
  ASSERT_TRUE(key.has_value());
  Bytes raw = key->GetPublicKey().ToRaw();
  // The first 12-bit coefficient becomes 4095, above q = 3329, which the
  // FIPS 203 section 7.2 modulus check rejects.
  raw[0] = 0xff;
  raw[1] = static_cast<std::uint8_t>(raw[1] | 0x0f);
  Result<PublicKey> parsed = PublicKey::FromRaw(KeyAlgorithm::kMlKem768, raw);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_key");
}

TEST(P256Keys, FromSeedRejectsZeroScalar) {
  Result<PrivateKey> key = PrivateKey::FromSeed(KeyAlgorithm::kEcdsaP256, Bytes(32, 0));
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().reason(), "invalid_seed");
}

TEST(P256Keys, FromSeedRejectsScalarAtOrAboveOrder) {
  // n, the order of the P-256 base point (FIPS 186-5 / SP 800-186 section 3.2.1.3).
  Result<Bytes> order =
      HexDecode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  ASSERT_TRUE(order.has_value());
  Result<PrivateKey> at_order = PrivateKey::FromSeed(KeyAlgorithm::kEcdsaP256, *order);
  ASSERT_FALSE(at_order.has_value());
  EXPECT_EQ(at_order.error().reason(), "invalid_seed");

  Result<PrivateKey> all_ones = PrivateKey::FromSeed(KeyAlgorithm::kEcdsaP256, Bytes(32, 0xff));
  ASSERT_FALSE(all_ones.has_value());
  EXPECT_EQ(all_ones.error().reason(), "invalid_seed");

  Bytes below_order = *order;
  below_order.back() = static_cast<std::uint8_t>(below_order.back() - 1);
  EXPECT_TRUE(PrivateKey::FromSeed(KeyAlgorithm::kEcdsaP256, below_order).has_value());
}

TEST(P256Keys, RawPublicKeyRejectsCompressedPrefix) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.has_value());
  Bytes raw = key->GetPublicKey().ToRaw();
  raw[0] = 0x02;
  Result<PublicKey> parsed = PublicKey::FromRaw(KeyAlgorithm::kEcdsaP256, raw);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_key");
}

TEST(P256Keys, RawPublicKeyRejectsPointOffCurve) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.has_value());
  const Bytes raw = key->GetPublicKey().ToRaw();
  Result<PublicKey> parsed = PublicKey::FromRaw(KeyAlgorithm::kEcdsaP256, FlipBit(raw, 64 * 8));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_key");
}

TEST(P256Keys, SpkiRejectsOtherCurve) {
  EVP_PKEY* p384 = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  ASSERT_NE(p384, nullptr);
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(p384, &der);
  EVP_PKEY_free(p384);
  ASSERT_GT(size, 0);
  const Bytes spki(der, der + size);
  OPENSSL_free(der);

  Result<PublicKey> parsed = PublicKey::FromSpkiDer(spki);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "unexpected_key_algorithm");
}

TEST(PublicKeys, SpkiRejectsUnsupportedType) {
  EVP_PKEY* ed25519 = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ASSERT_NE(ed25519, nullptr);
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(ed25519, &der);
  EVP_PKEY_free(ed25519);
  ASSERT_GT(size, 0);
  const Bytes spki(der, der + size);
  OPENSSL_free(der);

  Result<PublicKey> parsed = PublicKey::FromSpkiDer(spki);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "unexpected_key_algorithm");
}

TEST(PublicKeys, SpkiRejectsOversizedInput) {
  Result<PublicKey> parsed = PublicKey::FromSpkiDer(Bytes(64 * 1024, 0x30));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_key");
}

TEST(PublicKeys, FromNativeRejectsNull) {
  Result<PublicKey> parsed = PublicKey::FromNative(nullptr);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_key");
}

TEST(Pem, RejectsMalformedBlocks) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kX25519);
  ASSERT_TRUE(key.has_value());
  const std::string pem = key->GetPublicKey().ToPem();
  const std::string body =
      pem.substr(pem.find('\n') + 1, pem.rfind("-----END") - pem.find('\n') - 1);
  const std::vector<std::string> malformed = {
      "",
      "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
      "-----BEGIN RSA PUBLIC KEY-----\n" + body + "-----END RSA PUBLIC KEY-----\n",
      "-----BEGIN PUBLIC KEY-----\nProc-Type: 4,ENCRYPTED\n" + body + "-----END PUBLIC KEY-----\n",
      "-----BEGIN PUBLIC KEY-----\n" + body + "-----END PUBLIC KEY-----\ntrailing text\n",
      "-----BEGIN PUBLIC KEY-----\n" + body.substr(1) + "-----END PUBLIC KEY-----\n",
      "-----BEGIN PUBLIC KEY-----\n=" + body + "-----END PUBLIC KEY-----\n",
      "-----BEGIN PUBLIC KEY-----\n" + body,
  };
  for (const std::string& text : malformed) {
    Result<PublicKey> parsed = PublicKey::FromPem(text);
    ASSERT_FALSE(parsed.has_value()) << text;
    EXPECT_EQ(parsed.error().reason(), "invalid_pem") << text;
  }
}

TEST(Pem, AcceptsSurroundingWhitespaceAndCrLf) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kMlDsa65);
  ASSERT_TRUE(key.has_value());
  std::string pem;
  for (char c : key->GetPublicKey().ToPem()) {
    if (c == '\n') {
      pem += '\r';
    }
    pem += c;
  }
  Result<PublicKey> parsed = PublicKey::FromPem("\n  " + pem + "\n\n");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->ToRaw(), key->GetPublicKey().ToRaw());
}

TEST(Pem, RejectsEncryptedPrivateKey) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.has_value());
  Result<SecretBytes> pem = key->ToPem();
  ASSERT_TRUE(pem.has_value());
  const ScratchDirectory directory;
  const std::filesystem::path plain = directory.WriteFile("plain.pem", pem->AsStringView());
  const std::filesystem::path encrypted = directory.path() / "encrypted.pem";
  const testing::CommandResult converted =
      RunOpenSsl("pkcs8 -topk8 -in '" + plain.string() + "' -out '" + encrypted.string() +
                 "' -passout pass:test-passphrase");
  ASSERT_EQ(converted.exit_code, 0) << converted.output;

  Result<PrivateKey> parsed = PrivateKey::FromPem(directory.ReadFile("encrypted.pem"));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_pem");
}

TEST(KeyAlgorithmNames, RoundTrip) {
  for (KeyAlgorithm algorithm : testing::kAllAlgorithms) {
    Result<KeyAlgorithm> parsed = ParseKeyAlgorithm(KeyAlgorithmName(algorithm));
    ASSERT_TRUE(parsed.has_value()) << KeyAlgorithmName(algorithm);
    EXPECT_EQ(*parsed, algorithm);
  }
}

TEST(KeyAlgorithmNames, RejectsUnknownName) {
  Result<KeyAlgorithm> parsed = ParseKeyAlgorithm("ML-DSA-44");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "unknown_key_algorithm");
}

TEST(X25519Keys, FromSeedMatchesRfc7748Vector) {
  // RFC 7748 section 6.1, Alice's private key and public key.
  Result<Bytes> scalar =
      HexDecode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  Result<Bytes> expected =
      HexDecode("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  ASSERT_TRUE(scalar.has_value());
  ASSERT_TRUE(expected.has_value());
  Result<PrivateKey> key = PrivateKey::FromSeed(KeyAlgorithm::kX25519, *scalar);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->GetPublicKey().ToRaw(), *expected);
}

}  // namespace
}  // namespace devtrust::crypto
