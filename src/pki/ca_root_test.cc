#include "pki/ca_root.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "base/encoding.h"
#include "pki/test_util.h"

namespace devtrust::pki {
namespace {

namespace fs = std::filesystem;
using testing::FileMode;
using testing::ReadText;
using testing::ScratchDirectory;
using testing::TestTime;
using testing::WriteText;

// The DER inside a one-block PEM file.
Bytes PemBody(const std::string& pem) {
  std::string base64;
  std::size_t line_start = pem.find('\n') + 1;
  while (line_start < pem.size()) {
    const std::size_t line_end = pem.find('\n', line_start);
    const std::string line = pem.substr(line_start, line_end - line_start);
    if (line.starts_with("-----END")) {
      break;
    }
    base64 += line;
    line_start = line_end + 1;
  }
  return Base64Decode(base64, 1 << 16).value_or(Bytes{});
}

unsigned CurrentUmask() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return static_cast<unsigned>(mask);
}

class CaRootTest : public ::testing::TestWithParam<RootAlgorithm> {
 protected:
  fs::path KeyPath() const { return RootKeyPath(directory_.path() / "ca", GetParam()); }
  fs::path CertificatePath() const {
    return RootCertificatePath(directory_.path() / "ca", GetParam());
  }
  Result<CaRoot> Load() const {
    return LoadOrCreateRoot(directory_.path() / "ca", GetParam(), RootOptions{}, TestTime());
  }

  ScratchDirectory directory_;
};

TEST_P(CaRootTest, FirstUseCreatesFilesWithModes) {
  Result<CaRoot> root = Load();
  ASSERT_TRUE(root.has_value()) << root.error().ToString();

  EXPECT_EQ(FileMode(directory_.path() / "ca"), 0700u);
  EXPECT_EQ(FileMode(KeyPath()), 0600u);
  EXPECT_EQ(FileMode(CertificatePath()), 0644u & ~CurrentUmask());
}

TEST_P(CaRootTest, NewRootHasCaProfile) {
  Result<CaRoot> root = Load();
  ASSERT_TRUE(root.has_value()) << root.error().ToString();
  const crypto::Certificate& certificate = root->certificate;

  EXPECT_EQ(certificate.subject(),
            "CN=" + std::string(RootAlgorithmName(GetParam())) + " Root CA,O=devtrust");
  EXPECT_EQ(certificate.issuer_der(), certificate.subject_der());
  ASSERT_TRUE(certificate.basic_constraints().has_value());
  EXPECT_TRUE(certificate.basic_constraints()->is_ca);
  EXPECT_EQ(certificate.basic_constraints()->path_length, 0u);
  ASSERT_TRUE(certificate.key_usage().has_value());
  EXPECT_TRUE(certificate.key_usage()->key_cert_sign);
  EXPECT_TRUE(certificate.key_usage()->crl_sign);
  EXPECT_EQ(certificate.not_before(), TestTime());
  EXPECT_EQ(certificate.not_after(), TestTime() + std::chrono::days(3650));
  EXPECT_TRUE(certificate.VerifySignature(root->public_key).has_value());
  EXPECT_EQ(root->key.algorithm(), RootKeyAlgorithm(GetParam()));
}

TEST_P(CaRootTest, RestartLoadsSameRoot) {
  Result<CaRoot> first = Load();
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  Result<CaRoot> second = LoadOrCreateRoot(directory_.path() / "ca", GetParam(), RootOptions{},
                                           TestTime() + std::chrono::days(5));
  ASSERT_TRUE(second.has_value()) << second.error().ToString();

  EXPECT_EQ(second->certificate.ToDer(), first->certificate.ToDer());
  EXPECT_EQ(second->public_key.ToSpkiDer(), first->public_key.ToSpkiDer());
}

TEST_P(CaRootTest, KeyFileIsPkcs8) {
  ASSERT_TRUE(Load().has_value());
  const std::string pem = ReadText(KeyPath());
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  if (GetParam() == RootAlgorithm::kMlDsa65) {
    // Seed-only PKCS#8 (RFC 9881 section 6) takes 54 bytes: the version, the
    // id-ml-dsa-65 AlgorithmIdentifier and the 32-byte seed [0] in an OCTET
    // STRING. The expanded form takes several kilobytes.
    EXPECT_EQ(PemBody(pem).size(), 54u);
  }
}

TEST_P(CaRootTest, KeyFileReadableByOthersIsRejected) {
  ASSERT_TRUE(Load().has_value());
  ASSERT_EQ(::chmod(KeyPath().c_str(), 0644), 0);

  Result<CaRoot> root = Load();
  ASSERT_FALSE(root.has_value());
  EXPECT_EQ(root.error().reason(), "key_file_permissions");
  EXPECT_NE(root.error().message().find("chmod 600 " + KeyPath().string()), std::string::npos)
      << root.error().message();
}

TEST_P(CaRootTest, MissingCertificateIsRecreatedForSameKey) {
  Result<CaRoot> first = Load();
  ASSERT_TRUE(first.has_value());
  fs::remove(CertificatePath());

  Result<CaRoot> second = Load();
  ASSERT_TRUE(second.has_value()) << second.error().ToString();
  EXPECT_EQ(second->public_key.ToSpkiDer(), first->public_key.ToSpkiDer());
  EXPECT_NE(second->certificate.serial_number(), first->certificate.serial_number());
  EXPECT_TRUE(fs::exists(CertificatePath()));
}

TEST_P(CaRootTest, CertificateWithoutKeyIsRejected) {
  ASSERT_TRUE(Load().has_value());
  fs::remove(KeyPath());

  Result<CaRoot> root = Load();
  ASSERT_FALSE(root.has_value());
  EXPECT_EQ(root.error().reason(), "root_invalid");
  EXPECT_FALSE(fs::exists(KeyPath()));
}

TEST_P(CaRootTest, CorruptCertificateIsRejected) {
  ASSERT_TRUE(Load().has_value());
  std::string pem = ReadText(CertificatePath());
  pem[pem.size() / 2] = pem[pem.size() / 2] == 'A' ? 'B' : 'A';
  WriteText(CertificatePath(), pem);

  Result<CaRoot> root = Load();
  ASSERT_FALSE(root.has_value());
  EXPECT_EQ(root.error().reason(), "root_invalid");
}

TEST_P(CaRootTest, CertificateOfOtherKeyIsRejected) {
  ASSERT_TRUE(Load().has_value());
  ScratchDirectory other;
  ASSERT_TRUE(LoadOrCreateRoot(other.path(), GetParam(), RootOptions{}, TestTime()).has_value());
  fs::copy_file(RootCertificatePath(other.path(), GetParam()), CertificatePath(),
                fs::copy_options::overwrite_existing);

  Result<CaRoot> root = Load();
  ASSERT_FALSE(root.has_value());
  EXPECT_EQ(root.error().reason(), "root_invalid");
  EXPECT_NE(root.error().message().find("different key"), std::string::npos)
      << root.error().message();
}

TEST_P(CaRootTest, ConcurrentFirstUseAgreesOnOneKey) {
  std::vector<Result<CaRoot>> results(4, std::unexpected(Error(StatusCode::kInternal, "", "")));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = Load(); });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }

  for (const Result<CaRoot>& result : results) {
    ASSERT_TRUE(result.has_value()) << result.error().ToString();
    EXPECT_EQ(result->public_key.ToSpkiDer(), results[0]->public_key.ToSpkiDer());
    EXPECT_EQ(result->certificate.ToDer(), results[0]->certificate.ToDer());
  }
}

std::string RootTestName(const ::testing::TestParamInfo<RootAlgorithm>& param_info) {
  return param_info.param == RootAlgorithm::kMlDsa65 ? "MlDsa65" : "EcdsaP256";
}

INSTANTIATE_TEST_SUITE_P(Roots, CaRootTest,
                         ::testing::Values(RootAlgorithm::kMlDsa65, RootAlgorithm::kEcdsaP256),
                         RootTestName);

}  // namespace
}  // namespace devtrust::pki
