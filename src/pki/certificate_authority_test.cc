#include "pki/certificate_authority.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crypto/crl.h"
#include "crypto/x509_builder.h"
#include "pki/test_util.h"

namespace devtrust::pki {
namespace {

namespace fs = std::filesystem;
using crypto::Certificate;
using crypto::KeyAlgorithm;
using crypto::PrivateKey;
using crypto::RevocationReason;
using std::chrono::days;
using std::chrono::seconds;
using testing::FileMode;
using testing::ReadText;
using testing::ScratchDirectory;
using testing::TestTime;

PrivateKey NewKey(KeyAlgorithm algorithm) {
  Result<PrivateKey> key = PrivateKey::Generate(algorithm);
  if (!key) {
    ADD_FAILURE() << key.error().ToString();
    std::abort();
  }
  return *std::move(key);
}

std::string ReasonOf(const Status& status) {
  return status ? "(accepted)" : status.error().reason();
}

class CertificateAuthorityTest : public ::testing::Test {
 protected:
  CertificateAuthorityTest()
      : ml_dsa_key_(NewKey(KeyAlgorithm::kMlDsa65)), ecdsa_key_(NewKey(KeyAlgorithm::kEcdsaP256)) {
    ca_ = OpenCa(CaOptions{.key_directory = KeyDirectory()});
  }

  fs::path KeyDirectory() const { return directory_.path() / "ca"; }

  std::unique_ptr<CertificateAuthority> OpenCa(CaOptions options,
                                               crypto::TimePoint now = TestTime()) const {
    Result<std::unique_ptr<CertificateAuthority>> ca =
        CertificateAuthority::Open(std::move(options), now);
    if (!ca) {
      ADD_FAILURE() << ca.error().ToString();
      std::abort();
    }
    return *std::move(ca);
  }

  DeviceCertificates Issue(const CertificateAuthority& ca,
                           const DeviceIdentity& identity = {"device-42", "user-7"}) const {
    Result<DeviceCertificates> issued = ca.IssueDeviceCertificates(
        identity, ml_dsa_key_.GetPublicKey(), ecdsa_key_.GetPublicKey(), TestTime());
    if (!issued) {
      ADD_FAILURE() << issued.error().ToString();
      std::abort();
    }
    return *std::move(issued);
  }

  // The root's private key and certificate read from the key directory, to
  // issue certificates the CA itself would never issue.
  std::pair<PrivateKey, Certificate> RootFromDisk(RootAlgorithm algorithm) const {
    Result<PrivateKey> key = PrivateKey::FromPem(ReadText(RootKeyPath(KeyDirectory(), algorithm)));
    EXPECT_TRUE(key.has_value());
    return {*std::move(key), ca_->root_certificate(algorithm)};
  }

  // A builder with the device profile for `subject_key`, as the CA fills it.
  static crypto::CertificateBuilder DeviceProfile(const crypto::PublicKey& subject_key) {
    crypto::CertificateBuilder builder;
    builder.SetSerialNumber(*crypto::GenerateSerialNumber())
        .SetSubject({"", "device-42"})
        .SetValidity(TestTime(), TestTime() + days(30))
        .SetPublicKey(subject_key)
        .SetBasicConstraints({.is_ca = false})
        .SetKeyUsage({.digital_signature = true})
        .AddExtendedKeyUsage(std::string(crypto::kExtendedKeyUsageClientAuth))
        .AddSanUri("urn:devtrust:device:device-42")
        .AddSanUri("urn:devtrust:user:user-7");
    return builder;
  }

  ScratchDirectory directory_;
  PrivateKey ml_dsa_key_;
  PrivateKey ecdsa_key_;
  std::unique_ptr<CertificateAuthority> ca_;
};

TEST_F(CertificateAuthorityTest, IssuedCertificatesPassCheck) {
  const DeviceCertificates issued = Issue(*ca_);
  EXPECT_TRUE(ca_->CheckDeviceCertificate(issued.ml_dsa, TestTime()).has_value());
  EXPECT_TRUE(ca_->CheckDeviceCertificate(issued.ecdsa, TestTime()).has_value());
}

TEST_F(CertificateAuthorityTest, DeviceCertificatesFollowProfile) {
  const DeviceCertificates issued = Issue(*ca_);
  for (const Certificate* certificate : {&issued.ml_dsa, &issued.ecdsa}) {
    EXPECT_EQ(certificate->subject(), "CN=device-42");
    EXPECT_EQ(certificate->san_uris(), (std::vector<std::string>{"urn:devtrust:device:device-42",
                                                                 "urn:devtrust:user:user-7"}));
    EXPECT_EQ(certificate->extended_key_usages(),
              std::vector<std::string>{std::string(crypto::kExtendedKeyUsageClientAuth)});
    EXPECT_EQ(certificate->key_usage(), crypto::KeyUsage{.digital_signature = true});
    ASSERT_TRUE(certificate->basic_constraints().has_value());
    EXPECT_FALSE(certificate->basic_constraints()->is_ca);
    ASSERT_TRUE(certificate->subject_key_identifier().has_value());
    EXPECT_EQ(certificate->not_before(), TestTime());  // not backdated
    EXPECT_EQ(certificate->not_after(), TestTime() + days(30));
    EXPECT_LE(certificate->serial_number().size(), 16u);
    EXPECT_EQ(DeviceIdentityFromCertificate(*certificate), (DeviceIdentity{"device-42", "user-7"}));
  }

  EXPECT_EQ(issued.ml_dsa.signature_algorithm_name(), "ML-DSA-65");
  EXPECT_EQ(issued.ecdsa.signature_algorithm_name(), "ecdsa-with-SHA256");
  EXPECT_EQ(issued.ml_dsa.issuer_der(),
            ca_->root_certificate(RootAlgorithm::kMlDsa65).subject_der());
  EXPECT_EQ(issued.ecdsa.issuer_der(),
            ca_->root_certificate(RootAlgorithm::kEcdsaP256).subject_der());
  EXPECT_EQ(issued.ml_dsa.authority_key_identifier(),
            ca_->root_certificate(RootAlgorithm::kMlDsa65).subject_key_identifier());
  EXPECT_EQ(issued.ecdsa.authority_key_identifier(),
            ca_->root_certificate(RootAlgorithm::kEcdsaP256).subject_key_identifier());
  EXPECT_EQ(issued.ml_dsa.public_key()->ToSpkiDer(), ml_dsa_key_.GetPublicKey().ToSpkiDer());
  EXPECT_EQ(issued.ecdsa.public_key()->ToSpkiDer(), ecdsa_key_.GetPublicKey().ToSpkiDer());
  EXPECT_NE(issued.ml_dsa.serial_number(), issued.ecdsa.serial_number());
}

TEST_F(CertificateAuthorityTest, SerialNumbersAreRandom) {
  std::set<Bytes> serial_numbers;
  for (int i = 0; i < 10; ++i) {
    const DeviceCertificates issued = Issue(*ca_);
    serial_numbers.insert(issued.ml_dsa.serial_number());
    serial_numbers.insert(issued.ecdsa.serial_number());
  }
  EXPECT_EQ(serial_numbers.size(), 20u);
}

TEST_F(CertificateAuthorityTest, DeviceValidityIsConfigurable) {
  std::unique_ptr<CertificateAuthority> ca =
      OpenCa(CaOptions{.key_directory = KeyDirectory(), .device_validity = days(7)});
  EXPECT_EQ(Issue(*ca).ml_dsa.not_after(), TestTime() + days(7));
}

TEST_F(CertificateAuthorityTest, InvalidIdentifiersAreRejected) {
  Result<DeviceCertificates> bad_device = ca_->IssueDeviceCertificates(
      {"device:42", "user-7"}, ml_dsa_key_.GetPublicKey(), ecdsa_key_.GetPublicKey(), TestTime());
  ASSERT_FALSE(bad_device.has_value());
  EXPECT_EQ(bad_device.error().reason(), "invalid_device_id");

  Result<DeviceCertificates> bad_user = ca_->IssueDeviceCertificates(
      {"device-42", "user/7"}, ml_dsa_key_.GetPublicKey(), ecdsa_key_.GetPublicKey(), TestTime());
  ASSERT_FALSE(bad_user.has_value());
  EXPECT_EQ(bad_user.error().reason(), "invalid_user_id");
}

TEST_F(CertificateAuthorityTest, WrongDeviceKeyTypesAreRejected) {
  const crypto::PublicKey ml_dsa_87 = NewKey(KeyAlgorithm::kMlDsa87).GetPublicKey();
  const crypto::PublicKey ml_dsa = ml_dsa_key_.GetPublicKey();
  const crypto::PublicKey ecdsa = ecdsa_key_.GetPublicKey();
  const DeviceIdentity identity{"device-42", "user-7"};

  EXPECT_EQ(ca_->IssueDeviceCertificates(identity, ml_dsa_87, ecdsa, TestTime()).error().reason(),
            "unexpected_key_algorithm");
  EXPECT_EQ(ca_->IssueDeviceCertificates(identity, ecdsa, ecdsa, TestTime()).error().reason(),
            "unexpected_key_algorithm");
  EXPECT_EQ(ca_->IssueDeviceCertificates(identity, ml_dsa, ml_dsa, TestTime()).error().reason(),
            "unexpected_key_algorithm");
}

TEST_F(CertificateAuthorityTest, FlippedBitsAreRejected) {
  const DeviceCertificates issued = Issue(*ca_);
  const std::set<std::string> expected = {"certificate_malformed", "certificate_foreign_issuer",
                                          "certificate_signature_invalid"};
  for (const Certificate* certificate : {&issued.ml_dsa, &issued.ecdsa}) {
    for (std::size_t bit : testing::SpreadBitPositions(certificate->ToDer().size(), 400)) {
      Result<Certificate> checked = ca_->ParseAndCheckDeviceCertificate(
          testing::FlipBit(certificate->ToDer(), bit), TestTime());
      ASSERT_FALSE(checked.has_value()) << "bit " << bit;
      EXPECT_TRUE(expected.contains(checked.error().reason()))
          << "bit " << bit << ": " << checked.error().ToString();
    }
  }
}

TEST_F(CertificateAuthorityTest, FlippedSignatureBitIsSignatureInvalid) {
  const DeviceCertificates issued = Issue(*ca_);
  for (const Certificate* certificate : {&issued.ml_dsa, &issued.ecdsa}) {
    const Bytes& der = certificate->ToDer();
    Result<Certificate> checked =
        ca_->ParseAndCheckDeviceCertificate(testing::FlipBit(der, der.size() * 8 - 9), TestTime());
    ASSERT_FALSE(checked.has_value());
    EXPECT_EQ(checked.error().reason(), "certificate_signature_invalid");
  }
}

TEST_F(CertificateAuthorityTest, TruncationIsMalformed) {
  const Bytes der = Issue(*ca_).ml_dsa.ToDer();
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, der.size() / 2, der.size() - 1}) {
    Result<Certificate> checked =
        ca_->ParseAndCheckDeviceCertificate(ByteView(der).first(size), TestTime());
    ASSERT_FALSE(checked.has_value());
    EXPECT_EQ(checked.error().reason(), "certificate_malformed");
  }
}

TEST_F(CertificateAuthorityTest, ParseAndCheckReturnsCertificate) {
  const DeviceCertificates issued = Issue(*ca_);
  Result<Certificate> checked =
      ca_->ParseAndCheckDeviceCertificate(issued.ecdsa.ToDer(), TestTime());
  ASSERT_TRUE(checked.has_value()) << checked.error().ToString();
  EXPECT_EQ(checked->serial_number(), issued.ecdsa.serial_number());
}

TEST_F(CertificateAuthorityTest, ForeignIssuerIsRejected) {
  // Another devtrust CA with its own roots, under the same names.
  ScratchDirectory other_directory;
  std::unique_ptr<CertificateAuthority> other =
      OpenCa(CaOptions{.key_directory = other_directory.path()});
  const DeviceCertificates foreign = Issue(*other);
  ASSERT_EQ(foreign.ml_dsa.issuer_der(), Issue(*ca_).ml_dsa.issuer_der());

  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(foreign.ml_dsa, TestTime())),
            "certificate_foreign_issuer");
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(foreign.ecdsa, TestTime())),
            "certificate_foreign_issuer");
}

TEST_F(CertificateAuthorityTest, ForeignCaUnderOtherNameIsRejected) {
  const PrivateKey foreign_key = NewKey(KeyAlgorithm::kEcdsaP256);
  crypto::CertificateBuilder root_builder;
  root_builder.SetSerialNumber({1})
      .SetSubject({"elsewhere", "Foreign Root"})
      .SetValidity(TestTime(), TestTime() + days(365))
      .SetBasicConstraints({.is_ca = true})
      .SetKeyUsage({.key_cert_sign = true, .crl_sign = true});
  Result<Certificate> foreign_root = root_builder.SelfSign(foreign_key);
  ASSERT_TRUE(foreign_root.has_value());
  Result<Certificate> leaf =
      DeviceProfile(ecdsa_key_.GetPublicKey()).Sign(*foreign_root, foreign_key);
  ASSERT_TRUE(leaf.has_value());

  Status checked = ca_->CheckDeviceCertificate(*leaf, TestTime());
  EXPECT_EQ(ReasonOf(checked), "certificate_foreign_issuer");
  EXPECT_NE(checked.error().message().find("Foreign Root"), std::string::npos);
}

TEST_F(CertificateAuthorityTest, ExpiryHonorsClockSkew) {
  const Certificate certificate = Issue(*ca_).ml_dsa;
  const crypto::TimePoint not_after = certificate.not_after();

  EXPECT_TRUE(ca_->CheckDeviceCertificate(certificate, not_after).has_value());
  EXPECT_TRUE(ca_->CheckDeviceCertificate(certificate, not_after + seconds(30)).has_value());
  EXPECT_TRUE(ca_->CheckDeviceCertificate(certificate, not_after + seconds(60)).has_value());
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(certificate, not_after + seconds(61))),
            "certificate_expired");
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(certificate, not_after + days(1))),
            "certificate_expired");
}

TEST_F(CertificateAuthorityTest, NotYetValidHonorsClockSkew) {
  const Certificate certificate = Issue(*ca_).ecdsa;
  const crypto::TimePoint not_before = certificate.not_before();

  EXPECT_TRUE(ca_->CheckDeviceCertificate(certificate, not_before - seconds(30)).has_value());
  EXPECT_TRUE(ca_->CheckDeviceCertificate(certificate, not_before - seconds(60)).has_value());
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(certificate, not_before - seconds(61))),
            "certificate_not_yet_valid");
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(certificate, not_before - days(1))),
            "certificate_not_yet_valid");
}

TEST_F(CertificateAuthorityTest, ClockSkewIsConfigurable) {
  std::unique_ptr<CertificateAuthority> strict =
      OpenCa(CaOptions{.key_directory = KeyDirectory(), .clock_skew = seconds(0)});
  const Certificate certificate = Issue(*strict).ml_dsa;
  EXPECT_EQ(
      ReasonOf(strict->CheckDeviceCertificate(certificate, certificate.not_after() + seconds(1))),
      "certificate_expired");
  EXPECT_EQ(
      ReasonOf(strict->CheckDeviceCertificate(certificate, certificate.not_before() - seconds(1))),
      "certificate_not_yet_valid");
}

TEST_F(CertificateAuthorityTest, RevokedCertificateIsRejected) {
  const DeviceCertificates issued = Issue(*ca_);
  ca_->revocations().Add(
      {issued.ml_dsa.serial_number(), TestTime(), RevocationReason::kKeyCompromise});

  EXPECT_TRUE(ca_->IsRevoked(issued.ml_dsa.serial_number()));
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(issued.ml_dsa, TestTime())),
            "certificate_revoked");
  EXPECT_TRUE(ca_->CheckDeviceCertificate(issued.ecdsa, TestTime()).has_value());
}

TEST_F(CertificateAuthorityTest, RevocationAppliesToCachedCertificate) {
  const DeviceCertificates issued = Issue(*ca_);
  ASSERT_TRUE(ca_->CheckDeviceCertificate(issued.ecdsa, TestTime()).has_value());
  ca_->revocations().Add(
      {issued.ecdsa.serial_number(), TestTime(), RevocationReason::kUnspecified});
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(issued.ecdsa, TestTime())), "certificate_revoked");
}

TEST_F(CertificateAuthorityTest, ExpiryAppliesToCachedCertificate) {
  const Certificate certificate = Issue(*ca_).ml_dsa;
  ASSERT_TRUE(ca_->CheckDeviceCertificate(certificate, TestTime()).has_value());
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(certificate, certificate.not_after() + days(1))),
            "certificate_expired");
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(certificate, TestTime() - days(1))),
            "certificate_not_yet_valid");
}

TEST_F(CertificateAuthorityTest, WrongKeyTypeUnderRootIsProfileInvalid) {
  // An ECDSA subject key under the ML-DSA root, and the reverse, signed with
  // the real root keys.
  auto [ml_dsa_root_key, ml_dsa_root] = RootFromDisk(RootAlgorithm::kMlDsa65);
  Result<Certificate> ecdsa_under_ml_dsa =
      DeviceProfile(ecdsa_key_.GetPublicKey()).Sign(ml_dsa_root, ml_dsa_root_key);
  ASSERT_TRUE(ecdsa_under_ml_dsa.has_value()) << ecdsa_under_ml_dsa.error().ToString();
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(*ecdsa_under_ml_dsa, TestTime())),
            "certificate_profile_invalid");

  auto [ecdsa_root_key, ecdsa_root] = RootFromDisk(RootAlgorithm::kEcdsaP256);
  Result<Certificate> ml_dsa_under_ecdsa =
      DeviceProfile(ml_dsa_key_.GetPublicKey()).Sign(ecdsa_root, ecdsa_root_key);
  ASSERT_TRUE(ml_dsa_under_ecdsa.has_value());
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(*ml_dsa_under_ecdsa, TestTime())),
            "certificate_profile_invalid");
}

TEST_F(CertificateAuthorityTest, OtherProfileViolationsAreRejected) {
  auto [root_key, root] = RootFromDisk(RootAlgorithm::kMlDsa65);
  const crypto::PublicKey key = ml_dsa_key_.GetPublicKey();

  crypto::CertificateBuilder ca_certificate = DeviceProfile(key);
  ca_certificate.SetBasicConstraints({.is_ca = true});
  crypto::CertificateBuilder server_only;
  server_only.SetSerialNumber({9})
      .SetSubject({"", "device-42"})
      .SetValidity(TestTime(), TestTime() + days(30))
      .SetPublicKey(key)
      .SetBasicConstraints({.is_ca = false})
      .SetKeyUsage({.digital_signature = true})
      .AddExtendedKeyUsage(std::string(crypto::kExtendedKeyUsageServerAuth))
      .AddSanUri("urn:devtrust:device:device-42")
      .AddSanUri("urn:devtrust:user:user-7");
  crypto::CertificateBuilder other_common_name = DeviceProfile(key);
  other_common_name.SetSubject({"", "device-43"});
  crypto::CertificateBuilder two_users = DeviceProfile(key);
  two_users.AddSanUri("urn:devtrust:user:user-8");
  crypto::CertificateBuilder key_cert_sign = DeviceProfile(key);
  key_cert_sign.SetKeyUsage({.digital_signature = true, .key_cert_sign = true});

  for (const crypto::CertificateBuilder* builder :
       {&ca_certificate, &server_only, &other_common_name, &two_users, &key_cert_sign}) {
    Result<Certificate> certificate = builder->Sign(root, root_key);
    ASSERT_TRUE(certificate.has_value()) << certificate.error().ToString();
    EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(*certificate, TestTime())),
              "certificate_profile_invalid")
        << certificate->subject();
  }
}

TEST_F(CertificateAuthorityTest, RootCertificateIsNotADeviceCertificate) {
  EXPECT_EQ(ReasonOf(ca_->CheckDeviceCertificate(ca_->root_certificate(RootAlgorithm::kMlDsa65),
                                                 TestTime())),
            "certificate_profile_invalid");
}

TEST_F(CertificateAuthorityTest, RestartedCaAcceptsEarlierCertificates) {
  const DeviceCertificates issued = Issue(*ca_);
  ca_.reset();

  std::unique_ptr<CertificateAuthority> restarted =
      OpenCa(CaOptions{.key_directory = KeyDirectory()}, TestTime() + days(1));
  EXPECT_TRUE(restarted->CheckDeviceCertificate(issued.ml_dsa, TestTime()).has_value());
  EXPECT_TRUE(restarted->CheckDeviceCertificate(issued.ecdsa, TestTime()).has_value());
}

TEST_F(CertificateAuthorityTest, ConcurrentChecksAgree) {
  const DeviceCertificates issued = Issue(*ca_);
  std::vector<std::thread> threads;
  std::vector<int> accepted(4, 0);
  for (std::size_t t = 0; t < accepted.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const Certificate& certificate = i % 2 == 0 ? issued.ml_dsa : issued.ecdsa;
        accepted[t] += ca_->CheckDeviceCertificate(certificate, TestTime()).has_value() ? 1 : 0;
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (int count : accepted) {
    EXPECT_EQ(count, 25);
  }
}

TEST_F(CertificateAuthorityTest, InvalidOptionsAreRejected) {
  EXPECT_EQ(CertificateAuthority::Open(CaOptions{}, TestTime()).error().reason(),
            "invalid_ca_options");
  EXPECT_EQ(
      CertificateAuthority::Open(
          CaOptions{.key_directory = KeyDirectory(), .device_validity = seconds(0)}, TestTime())
          .error()
          .reason(),
      "invalid_ca_options");
  EXPECT_EQ(CertificateAuthority::Open(
                CaOptions{.key_directory = KeyDirectory(), .clock_skew = seconds(-1)}, TestTime())
                .error()
                .reason(),
            "invalid_ca_options");
}

TEST_F(CertificateAuthorityTest, IssuanceBeyondRootValidityIsRejected) {
  ScratchDirectory short_directory;
  std::unique_ptr<CertificateAuthority> ca =
      OpenCa(CaOptions{.key_directory = short_directory.path(),
                       .root_validity = days(40),
                       .server_validity = days(30)},
             TestTime());
  Result<DeviceCertificates> issued =
      ca->IssueDeviceCertificates({"device-42", "user-7"}, ml_dsa_key_.GetPublicKey(),
                                  ecdsa_key_.GetPublicKey(), TestTime() + days(20));
  ASSERT_FALSE(issued.has_value());
  EXPECT_EQ(issued.error().reason(), "root_expiring");
}

TEST_F(CertificateAuthorityTest, CrlsListRevokedSerials) {
  const DeviceCertificates issued = Issue(*ca_);
  const std::vector<crypto::RevokedCertificate> entries = {
      {issued.ml_dsa.serial_number(), TestTime(), RevocationReason::kKeyCompromise}};

  for (RootAlgorithm algorithm : {RootAlgorithm::kMlDsa65, RootAlgorithm::kEcdsaP256}) {
    Result<Bytes> der = ca_->IssueCrl(algorithm, entries, TestTime(), TestTime() + days(1));
    ASSERT_TRUE(der.has_value()) << der.error().ToString();
    Result<crypto::Crl> crl = crypto::Crl::FromDer(*der);
    ASSERT_TRUE(crl.has_value()) << crl.error().ToString();

    const Certificate& root = ca_->root_certificate(algorithm);
    EXPECT_EQ(crl->issuer_der(), root.subject_der());
    EXPECT_TRUE(crl->VerifySignature(*root.public_key()).has_value());
    EXPECT_NE(crl->FindRevoked(issued.ml_dsa.serial_number()), nullptr);
    EXPECT_EQ(crl->FindRevoked(issued.ecdsa.serial_number()), nullptr);
    EXPECT_EQ(crl->next_update(), TestTime() + days(1));
  }
}

TEST_F(CertificateAuthorityTest, CrlNumbersIncrease) {
  Result<Bytes> first =
      ca_->IssueCrl(RootAlgorithm::kMlDsa65, {}, TestTime(), TestTime() + days(1));
  Result<Bytes> second =
      ca_->IssueCrl(RootAlgorithm::kMlDsa65, {}, TestTime() + seconds(1), TestTime() + days(1));
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_LT(crypto::Crl::FromDer(*first)->crl_number(),
            crypto::Crl::FromDer(*second)->crl_number());
}

TEST_F(CertificateAuthorityTest, CrlNextUpdateMustFollowNow) {
  Result<Bytes> crl = ca_->IssueCrl(RootAlgorithm::kEcdsaP256, {}, TestTime(), TestTime());
  ASSERT_FALSE(crl.has_value());
  EXPECT_EQ(crl.error().reason(), "invalid_crl_request");
}

TEST_F(CertificateAuthorityTest, ServerCredentialsCoverLoopbackNames) {
  Result<ServerCredentials> credentials = ca_->IssueServerCredentials(ServerNames{}, TestTime());
  ASSERT_TRUE(credentials.has_value()) << credentials.error().ToString();

  const std::vector<Bytes> loopback = {{127, 0, 0, 1},
                                       {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
  for (const auto& [credential, algorithm] :
       {std::pair{&credentials->ml_dsa, RootAlgorithm::kMlDsa65},
        std::pair{&credentials->ecdsa, RootAlgorithm::kEcdsaP256}}) {
    const Certificate& certificate = credential->certificate;
    EXPECT_EQ(credential->key.algorithm(), RootKeyAlgorithm(algorithm));
    EXPECT_EQ(certificate.san_dns_names(), std::vector<std::string>{"localhost"});
    EXPECT_EQ(certificate.san_ip_addresses(), loopback);
    EXPECT_TRUE(certificate.HasExtendedKeyUsage(crypto::kExtendedKeyUsageServerAuth));
    EXPECT_FALSE(certificate.HasExtendedKeyUsage(crypto::kExtendedKeyUsageClientAuth));
    EXPECT_EQ(certificate.subject_common_name(), "localhost");
    EXPECT_EQ(certificate.public_key()->ToSpkiDer(), credential->key.GetPublicKey().ToSpkiDer());
    EXPECT_TRUE(
        certificate.VerifySignature(*ca_->root_certificate(algorithm).public_key()).has_value());
    EXPECT_EQ(certificate.not_after(), TestTime() + days(90));
  }
}

TEST_F(CertificateAuthorityTest, ServerNamesAreValidated) {
  for (const ServerNames& names :
       {ServerNames{.dns_names = {"bad_name"}, .ip_addresses = {}},
        ServerNames{.dns_names = {"-leading.example"}, .ip_addresses = {}},
        ServerNames{.dns_names = {"a..b"}, .ip_addresses = {}},
        ServerNames{.dns_names = {}, .ip_addresses = {"300.1.1.1"}},
        ServerNames{.dns_names = {}, .ip_addresses = {}}}) {
    Result<ServerCredentials> credentials = ca_->IssueServerCredentials(names, TestTime());
    ASSERT_FALSE(credentials.has_value());
    EXPECT_EQ(credentials.error().reason(), "invalid_server_name");
  }
}

TEST_F(CertificateAuthorityTest, ServerCredentialFilesRoundTrip) {
  Result<ServerCredentials> credentials = ca_->IssueServerCredentials(
      ServerNames{.dns_names = {"devtrust.test"}, .ip_addresses = {"10.0.0.5"}}, TestTime());
  ASSERT_TRUE(credentials.has_value()) << credentials.error().ToString();
  const fs::path output = directory_.path() / "server";
  ASSERT_TRUE(WriteServerCredentials(*credentials, output));

  EXPECT_EQ(FileMode(output / "server-ml-dsa-65.key.pem"), 0600u);
  EXPECT_EQ(FileMode(output / "server-ecdsa-p256.key.pem"), 0600u);
  Result<PrivateKey> key = PrivateKey::FromPem(ReadText(output / "server-ml-dsa-65.key.pem"));
  ASSERT_TRUE(key.has_value());
  Result<Certificate> certificate =
      Certificate::FromPem(ReadText(output / "server-ml-dsa-65.cert.pem"));
  ASSERT_TRUE(certificate.has_value());
  EXPECT_EQ(certificate->public_key()->ToSpkiDer(), key->GetPublicKey().ToSpkiDer());
  EXPECT_EQ(certificate->san_dns_names(), std::vector<std::string>{"devtrust.test"});

  // A second write replaces the files.
  ASSERT_TRUE(WriteServerCredentials(*credentials, output));
}

}  // namespace
}  // namespace devtrust::pki
