// Compares devtrust's ML-DSA and ML-KEM output with vectors that
// @noble/post-quantum computed (testdata/noble_vectors.txt, written by
// interop/node/make_vectors.mjs), byte for byte.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "crypto/internal/kem_derandomized.h"
#include "crypto/kem.h"
#include "crypto/keys.h"
#include "crypto/signature.h"

namespace devtrust::crypto {
namespace {

struct VectorSection {
  std::string algorithm;
  std::map<std::string, std::string> fields;
};

// Reads the "[ALGORITHM]" sections of "name = value" lines; "#" starts a
// comment line. Returns no sections when the file cannot be opened.
std::vector<VectorSection> ReadVectors() {
  std::ifstream in(std::string(DEVTRUST_CRYPTO_TESTDATA_DIR) + "/noble_vectors.txt");
  std::vector<VectorSection> sections;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with('#')) {
      continue;
    }
    if (line.starts_with('[') && line.ends_with(']')) {
      sections.push_back({line.substr(1, line.size() - 2), {}});
      continue;
    }
    const std::size_t separator = line.find(" = ");
    if (!sections.empty() && separator != std::string::npos) {
      sections.back().fields[line.substr(0, separator)] = line.substr(separator + 3);
    } else if (!sections.empty() && line.ends_with(" =")) {
      sections.back().fields[line.substr(0, line.size() - 2)] = "";
    }
  }
  return sections;
}

std::vector<VectorSection> SectionsOf(std::string_view family) {
  std::vector<VectorSection> selected;
  for (VectorSection& section : ReadVectors()) {
    if (section.algorithm.starts_with(family)) {
      selected.push_back(std::move(section));
    }
  }
  return selected;
}

std::string SectionName(const ::testing::TestParamInfo<VectorSection>& param_info) {
  std::string name;
  for (char c : param_info.param.algorithm) {
    if (c != '-') {
      name += c;
    }
  }
  return name;
}

class VectorTest : public ::testing::TestWithParam<VectorSection> {
 protected:
  KeyAlgorithm Algorithm() const {
    Result<KeyAlgorithm> algorithm = ParseKeyAlgorithm(GetParam().algorithm);
    EXPECT_TRUE(algorithm.has_value()) << GetParam().algorithm;
    return algorithm.value_or(KeyAlgorithm::kMlDsa65);
  }

  std::string Text(const std::string& field) const {
    const auto found = GetParam().fields.find(field);
    EXPECT_NE(found, GetParam().fields.end()) << "missing field " << field;
    return found != GetParam().fields.end() ? found->second : std::string();
  }

  Bytes Hex(const std::string& field) const {
    Result<Bytes> bytes = HexDecode(Text(field));
    EXPECT_TRUE(bytes.has_value()) << field << " is not hex";
    return bytes.value_or(Bytes());
  }
};

TEST(NobleVectors, FileHasEveryAlgorithm) {
  std::vector<std::string> algorithms;
  for (const VectorSection& section : ReadVectors()) {
    algorithms.push_back(section.algorithm);
  }
  EXPECT_EQ(algorithms,
            (std::vector<std::string>{"ML-DSA-65", "ML-DSA-87", "ML-KEM-768", "ML-KEM-1024"}))
      << "read from " << DEVTRUST_CRYPTO_TESTDATA_DIR;
}

class MlDsaVectorTest : public VectorTest {};

TEST_P(MlDsaVectorTest, PublicKeyFromSeedMatches) {
  Result<PrivateKey> key = PrivateKey::FromSeed(Algorithm(), Hex("seed"));
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  EXPECT_EQ(HexEncode(key->GetPublicKey().ToRaw()), Text("public_key"));
}

TEST_P(MlDsaVectorTest, DeterministicSignatureMatches) {
  Result<PrivateKey> key = PrivateKey::FromSeed(Algorithm(), Hex("seed"));
  ASSERT_TRUE(key.has_value());
  const std::string context = Text("context");
  Result<Bytes> signature =
      Sign(*key, AsBytes(Text("message")), {.context = context, .deterministic = true});
  ASSERT_TRUE(signature.has_value()) << signature.error().ToString();
  EXPECT_EQ(HexEncode(*signature), Text("signature"));
}

TEST_P(MlDsaVectorTest, NobleSignatureVerifies) {
  Result<PublicKey> key = PublicKey::FromRaw(Algorithm(), Hex("public_key"));
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  Status verified = Verify(*key, AsBytes(Text("message")), Hex("signature"), Text("context"));
  EXPECT_TRUE(verified.has_value()) << verified.error().ToString();
}

INSTANTIATE_TEST_SUITE_P(Noble, MlDsaVectorTest, ::testing::ValuesIn(SectionsOf("ML-DSA")),
                         SectionName);

class MlKemVectorTest : public VectorTest {};

TEST_P(MlKemVectorTest, PublicKeyFromSeedMatches) {
  Result<PrivateKey> key = PrivateKey::FromSeed(Algorithm(), Hex("seed"));
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  EXPECT_EQ(HexEncode(key->GetPublicKey().ToRaw()), Text("public_key"));
}

TEST_P(MlKemVectorTest, EncapsulationMatches) {
  Result<PublicKey> key = PublicKey::FromRaw(Algorithm(), Hex("public_key"));
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  Result<Encapsulation> encapsulation = internal::EncapsulateWithMessage(*key, Hex("m"));
  ASSERT_TRUE(encapsulation.has_value()) << encapsulation.error().ToString();
  EXPECT_EQ(HexEncode(encapsulation->ciphertext), Text("ciphertext"));
  EXPECT_EQ(HexEncode(encapsulation->shared_secret.view()), Text("shared_secret"));
}

TEST_P(MlKemVectorTest, DecapsulationMatches) {
  Result<PrivateKey> key = PrivateKey::FromSeed(Algorithm(), Hex("seed"));
  ASSERT_TRUE(key.has_value());
  Result<SecretBytes> secret = Decapsulate(*key, Hex("ciphertext"));
  ASSERT_TRUE(secret.has_value()) << secret.error().ToString();
  EXPECT_EQ(HexEncode(secret->view()), Text("shared_secret"));
}

INSTANTIATE_TEST_SUITE_P(Noble, MlKemVectorTest, ::testing::ValuesIn(SectionsOf("ML-KEM")),
                         SectionName);

}  // namespace
}  // namespace devtrust::crypto
