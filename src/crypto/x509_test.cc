#include "crypto/x509.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "crypto/hash.h"
#include "crypto/signature.h"
#include "crypto/test_util.h"
#include "crypto/x509_builder.h"
#include "crypto/x509_test_util.h"
#include "crypto/x509_types.h"

namespace devtrust::crypto {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using testing::AlgorithmTestName;
using testing::CountOccurrences;
using testing::GenerateKey;
using testing::LeafBuilder;
using testing::MakeTestCa;
using testing::RawCertificate;
using testing::RunOpenSsl;
using testing::ScratchDirectory;
using testing::TamperBitPositions;
using testing::TestCa;
using testing::TestTime;

// Certificate tests run once per signing algorithm: the CA and the leaf key
// use the parameter's algorithm.
class CertificateTest : public ::testing::TestWithParam<KeyAlgorithm> {
 protected:
  CertificateTest() : ca_(MakeTestCa(GetParam())), leaf_key_(GenerateKey(GetParam())) {}

  Certificate IssueLeaf() const {
    CertificateBuilder builder = LeafBuilder();
    builder.SetPublicKey(leaf_key_.GetPublicKey());
    Result<Certificate> leaf = builder.Sign(ca_.certificate, ca_.key);
    EXPECT_TRUE(leaf.has_value()) << leaf.error().ToString();
    return *std::move(leaf);
  }

  TestCa ca_;
  PrivateKey leaf_key_;
};

TEST_P(CertificateTest, SelfSignedCaHasProfile) {
  const Certificate& ca = ca_.certificate;
  EXPECT_EQ(ca.subject(), "CN=Test Root CA,O=devtrust tests");
  EXPECT_EQ(ca.issuer(), ca.subject());
  EXPECT_EQ(ca.subject_der(), ca.issuer_der());
  EXPECT_EQ(ca.subject_common_name(), "Test Root CA");
  EXPECT_EQ(ca.not_before(), TestTime());
  EXPECT_EQ(ca.not_after(), TestTime() + days(365));
  ASSERT_TRUE(ca.basic_constraints().has_value());
  EXPECT_TRUE(ca.basic_constraints()->is_ca);
  EXPECT_EQ(ca.basic_constraints()->path_length, 0u);
  ASSERT_TRUE(ca.key_usage().has_value());
  EXPECT_EQ(*ca.key_usage(), (KeyUsage{.key_cert_sign = true, .crl_sign = true}));
  ASSERT_TRUE(ca.subject_key_identifier().has_value());
  EXPECT_EQ(ca.subject_key_identifier()->size(), 20u);
  EXPECT_EQ(ca.authority_key_identifier(), ca.subject_key_identifier());
  EXPECT_EQ(ca.signature_algorithm(), *SignatureAlgorithmForKey(GetParam()));
  EXPECT_TRUE(ca.VerifySignature(ca_.key.GetPublicKey()).has_value());
}

TEST_P(CertificateTest, LeafHasRequestedFields) {
  const Certificate leaf = IssueLeaf();

  EXPECT_EQ(leaf.subject(), "CN=device-1");
  EXPECT_EQ(leaf.issuer_der(), ca_.certificate.subject_der());
  EXPECT_EQ(leaf.san_uris(),
            (std::vector<std::string>{"urn:devtrust:device:device-1", "urn:devtrust:user:user-1"}));
  EXPECT_TRUE(leaf.san_dns_names().empty());
  EXPECT_EQ(leaf.extended_key_usages(),
            std::vector<std::string>{std::string(kExtendedKeyUsageClientAuth)});
  EXPECT_TRUE(leaf.HasExtendedKeyUsage(kExtendedKeyUsageClientAuth));
  EXPECT_FALSE(leaf.HasExtendedKeyUsage(kExtendedKeyUsageServerAuth));
  EXPECT_EQ(leaf.key_usage(), KeyUsage{.digital_signature = true});
  ASSERT_TRUE(leaf.basic_constraints().has_value());
  EXPECT_FALSE(leaf.basic_constraints()->is_ca);
  EXPECT_EQ(leaf.authority_key_identifier(), ca_.certificate.subject_key_identifier());
  EXPECT_NE(leaf.subject_key_identifier(), ca_.certificate.subject_key_identifier());
  EXPECT_EQ(leaf.not_after() - leaf.not_before(), days(30));
}

TEST_P(CertificateTest, LeafPublicKeyMatchesSubjectKey) {
  Result<PublicKey> key = IssueLeaf().public_key();
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  EXPECT_EQ(key->algorithm(), GetParam());
  EXPECT_EQ(key->ToSpkiDer(), leaf_key_.GetPublicKey().ToSpkiDer());
}

TEST_P(CertificateTest, SignatureVerifiesWithIssuerKeyOnly) {
  const Certificate leaf = IssueLeaf();
  EXPECT_TRUE(leaf.VerifySignature(ca_.key.GetPublicKey()).has_value());

  Status with_other_key = leaf.VerifySignature(GenerateKey(GetParam()).GetPublicKey());
  ASSERT_FALSE(with_other_key.has_value());
  EXPECT_EQ(with_other_key.error().reason(), "signature_invalid");

  Status with_leaf_key = leaf.VerifySignature(leaf_key_.GetPublicKey());
  ASSERT_FALSE(with_leaf_key.has_value());
  EXPECT_EQ(with_leaf_key.error().reason(), "signature_invalid");
}

TEST_P(CertificateTest, SignatureRejectsKeyOfOtherAlgorithm) {
  const KeyAlgorithm other =
      GetParam() == KeyAlgorithm::kEcdsaP256 ? KeyAlgorithm::kMlDsa65 : KeyAlgorithm::kEcdsaP256;
  Status verified = IssueLeaf().VerifySignature(GenerateKey(other).GetPublicKey());
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "unexpected_key_algorithm");
}

TEST_P(CertificateTest, DerAndPemRoundTrip) {
  const Certificate leaf = IssueLeaf();

  Result<Certificate> from_der = Certificate::FromDer(leaf.ToDer());
  ASSERT_TRUE(from_der.has_value()) << from_der.error().ToString();
  EXPECT_EQ(from_der->ToDer(), leaf.ToDer());

  const std::string pem = leaf.ToPem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
  Result<Certificate> from_pem = Certificate::FromPem(pem);
  ASSERT_TRUE(from_pem.has_value()) << from_pem.error().ToString();
  EXPECT_EQ(from_pem->ToDer(), leaf.ToDer());
  EXPECT_EQ(from_pem->serial_number(), leaf.serial_number());
}

TEST_P(CertificateTest, FingerprintIsSha256OfDer) {
  const Certificate leaf = IssueLeaf();
  const Bytes expected = Sha256(leaf.ToDer());
  EXPECT_TRUE(std::equal(leaf.fingerprint().begin(), leaf.fingerprint().end(), expected.begin(),
                         expected.end()));
}

TEST_P(CertificateTest, FlippedBitIsRejected) {
  const Certificate leaf = IssueLeaf();
  const PublicKey issuer_key = ca_.key.GetPublicKey();
  for (std::size_t bit : TamperBitPositions(leaf.ToDer().size())) {
    const Bytes tampered = testing::FlipBit(leaf.ToDer(), bit);
    Result<Certificate> parsed = Certificate::FromDer(tampered);
    if (!parsed) {
      continue;
    }
    EXPECT_FALSE(parsed->VerifySignature(issuer_key).has_value()) << "bit " << bit;
  }
}

TEST_P(CertificateTest, TruncationIsRejected) {
  const Bytes der = IssueLeaf().ToDer();
  for (std::size_t size = 0; size < der.size(); size += 1 + size / 64) {
    EXPECT_FALSE(Certificate::FromDer(ByteView(der).first(size)).has_value()) << "size " << size;
  }
  EXPECT_FALSE(Certificate::FromDer(ByteView(der).first(der.size() - 1)).has_value());
}

TEST_P(CertificateTest, TrailingByteIsRejected) {
  Bytes der = IssueLeaf().ToDer();
  der.push_back(0);
  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_certificate");
}

TEST_P(CertificateTest, OpenSslCliVerifiesChain) {
  const Certificate leaf = IssueLeaf();
  ScratchDirectory directory;
  const auto root = directory.WriteFile("root.pem", ca_.certificate.ToPem());
  const auto leaf_file = directory.WriteFile("leaf.pem", leaf.ToPem());

  // -attime pins the check to the certificates' validity period.
  const auto at_time = std::chrono::system_clock::to_time_t(TestTime() + days(1));
  const testing::CommandResult result =
      RunOpenSsl("verify -attime " + std::to_string(at_time) + " -CAfile '" + root.string() +
                 "' -purpose sslclient '" + leaf_file.string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find(": OK"), std::string::npos) << result.output;
}

INSTANTIATE_TEST_SUITE_P(SigningAlgorithms, CertificateTest,
                         ::testing::ValuesIn(testing::kSignatureAlgorithms), AlgorithmTestName);

// RFC 9881: id-ml-dsa-65 without parameters in the TBS signature field, the
// SubjectPublicKeyInfo and the outer signatureAlgorithm.
TEST(MlDsaCertificateTest, UsesRfc9881AlgorithmIdentifiers) {
  const TestCa ca = MakeTestCa(KeyAlgorithm::kMlDsa65);
  EXPECT_EQ(CountOccurrences(ca.certificate.ToDer(), testing::MlDsa65AlgorithmIdentifier()), 3);
  EXPECT_EQ(ca.certificate.signature_algorithm_name(), "ML-DSA-65");
}

// The signature is pure ML-DSA over the DER TBSCertificate with an empty
// context, so the generic ML-DSA verifier accepts it with no context.
TEST(MlDsaCertificateTest, SignatureIsPureMlDsaWithEmptyContext) {
  const TestCa ca = MakeTestCa(KeyAlgorithm::kMlDsa65);
  // A private copy, because i2d_re_X509_tbs marks the structure for
  // re-encoding.
  const unsigned char* cursor = ca.certificate.ToDer().data();
  X509* x509 = d2i_X509(nullptr, &cursor, static_cast<long>(ca.certificate.ToDer().size()));
  ASSERT_NE(x509, nullptr);

  unsigned char* tbs = nullptr;
  const int tbs_size = i2d_re_X509_tbs(x509, &tbs);
  ASSERT_GT(tbs_size, 0);
  const Bytes tbs_der(tbs, tbs + tbs_size);
  OPENSSL_free(tbs);
  const ASN1_BIT_STRING* signature = nullptr;
  X509_get0_signature(&signature, nullptr, x509);
  const Bytes signature_bytes(ASN1_STRING_get0_data(signature),
                              ASN1_STRING_get0_data(signature) + ASN1_STRING_length(signature));

  X509_free(x509);

  EXPECT_EQ(signature_bytes.size(), MaxSignatureSize(KeyAlgorithm::kMlDsa65));
  EXPECT_TRUE(Verify(ca.key.GetPublicKey(), tbs_der, signature_bytes, "").has_value());
  EXPECT_FALSE(Verify(ca.key.GetPublicKey(), tbs_der, signature_bytes, "x").has_value());
}

TEST(CertificateParseTest, EmptyInputIsRejected) {
  Result<Certificate> parsed = Certificate::FromDer({});
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_certificate");
}

TEST(CertificateParseTest, OversizedInputIsRejected) {
  const Bytes der(Certificate::kMaxDerSize + 1, 0x30);
  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("maximum"), std::string::npos);
}

TEST(CertificateParseTest, PemWithTwoBlocksIsRejected) {
  const TestCa ca = MakeTestCa(KeyAlgorithm::kEcdsaP256);
  const std::string pem = ca.certificate.ToPem();
  EXPECT_FALSE(Certificate::FromPem(pem + pem).has_value());
}

TEST(CertificateParseTest, PemWithOtherLabelIsRejected) {
  const TestCa ca = MakeTestCa(KeyAlgorithm::kEcdsaP256);
  std::string pem = ca.certificate.ToPem();
  pem.replace(pem.find("CERTIFICATE"), 11, "X509 CRL");
  EXPECT_FALSE(Certificate::FromPem(pem).has_value());
}

TEST(CertificateParseTest, VersionOneIsRejected) {
  const PrivateKey key = GenerateKey(KeyAlgorithm::kEcdsaP256);
  const Bytes der =
      RawCertificate(key, [](X509* x509) { X509_set_version(x509, X509_VERSION_1); }, EVP_sha256());
  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("version 1"), std::string::npos)
      << parsed.error().message();
}

TEST(CertificateParseTest, NegativeSerialNumberIsRejected) {
  const PrivateKey key = GenerateKey(KeyAlgorithm::kEcdsaP256);
  const Bytes der = RawCertificate(
      key, [](X509* x509) { ASN1_INTEGER_set(X509_get_serialNumber(x509), -5); }, EVP_sha256());
  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("negative"), std::string::npos)
      << parsed.error().message();
}

TEST(CertificateParseTest, ZeroSerialNumberIsRejected) {
  const PrivateKey key = GenerateKey(KeyAlgorithm::kEcdsaP256);
  const Bytes der = RawCertificate(
      key, [](X509* x509) { ASN1_INTEGER_set(X509_get_serialNumber(x509), 0); }, EVP_sha256());
  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("zero"), std::string::npos) << parsed.error().message();
}

TEST(CertificateParseTest, UnsupportedSignatureAlgorithmIsRejected) {
  const Bytes der =
      RawCertificate(GenerateKey(KeyAlgorithm::kEcdsaP256), [](X509*) {}, EVP_sha384());
  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "unsupported_signature_algorithm");
}

TEST(CertificateParseTest, MismatchedInnerAlgorithmIsRejected) {
  // Turn the first id-ml-dsa-65 (the TBS signature field) into id-ml-dsa-87
  // while the outer signatureAlgorithm stays id-ml-dsa-65.
  const TestCa ca = MakeTestCa(KeyAlgorithm::kMlDsa65);
  Bytes der = ca.certificate.ToDer();
  const Bytes& identifier = testing::MlDsa65AlgorithmIdentifier();
  const auto found = std::search(der.begin(), der.end(), identifier.begin(), identifier.end());
  ASSERT_NE(found, der.end());
  *(found + static_cast<std::ptrdiff_t>(identifier.size()) - 1) = 0x13;

  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("different signature algorithms"), std::string::npos)
      << parsed.error().message();
}

TEST(CertificateParseTest, RepeatedExtensionIsRejected) {
  const PrivateKey key = GenerateKey(KeyAlgorithm::kMlDsa65);
  const Bytes der = RawCertificate(key, [](X509* x509) {
    for (int i = 0; i < 2; ++i) {
      X509_EXTENSION* extension =
          X509V3_EXT_conf_nid(nullptr, nullptr, NID_ext_key_usage, "clientAuth");
      X509_add_ext(x509, extension, -1);
      X509_EXTENSION_free(extension);
    }
  });
  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_certificate");
}

TEST(CertificateParseTest, UnknownCriticalExtensionIsRejected) {
  const PrivateKey key = GenerateKey(KeyAlgorithm::kMlDsa65);
  const Bytes der = RawCertificate(key, [](X509* x509) {
    ASN1_OBJECT* oid = OBJ_txt2obj("1.3.6.1.4.1.55555.1", 1);
    ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
    const unsigned char content[] = {0x05, 0x00};
    ASN1_OCTET_STRING_set(value, content, sizeof(content));
    X509_EXTENSION* extension = X509_EXTENSION_create_by_OBJ(nullptr, oid, 1, value);
    X509_add_ext(x509, extension, -1);
    X509_EXTENSION_free(extension);
    ASN1_OCTET_STRING_free(value);
    ASN1_OBJECT_free(oid);
  });
  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("critical"), std::string::npos)
      << parsed.error().message();
}

TEST(CertificateParseTest, GeneralizedTimeBefore2050IsRejected) {
  const PrivateKey key = GenerateKey(KeyAlgorithm::kMlDsa65);
  const Bytes der = RawCertificate(key, [](X509* x509) {
    ASN1_GENERALIZEDTIME* time =
        ASN1_GENERALIZEDTIME_set(nullptr, std::chrono::system_clock::to_time_t(TestTime()));
    X509_set1_notBefore(x509, time);
    ASN1_GENERALIZEDTIME_free(time);
  });
  Result<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("notBefore"), std::string::npos)
      << parsed.error().message();
}

TEST(CertificateParseTest, RawCertificateWithDefaultsParses) {
  // The baseline of the raw tests above: without a change it is accepted.
  const PrivateKey key = GenerateKey(KeyAlgorithm::kMlDsa65);
  Result<Certificate> parsed = Certificate::FromDer(RawCertificate(key, [](X509*) {}));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->serial_number_hex(), "1092");
}

// Builder checks, shared fixture of one ECDSA CA and key (fast to generate).
class CertificateBuilderTest : public ::testing::Test {
 protected:
  CertificateBuilderTest()
      : ca_(MakeTestCa(KeyAlgorithm::kEcdsaP256)), key_(GenerateKey(KeyAlgorithm::kEcdsaP256)) {}

  CertificateBuilder Leaf() const {
    CertificateBuilder builder = LeafBuilder();
    builder.SetPublicKey(key_.GetPublicKey());
    return builder;
  }

  std::string SignError(const CertificateBuilder& builder) const {
    Result<Certificate> issued = builder.Sign(ca_.certificate, ca_.key);
    if (issued) {
      return "(issued)";
    }
    return issued.error().reason();
  }

  TestCa ca_;
  PrivateKey key_;
};

TEST_F(CertificateBuilderTest, SerialNumberLimits) {
  EXPECT_EQ(SignError(Leaf().SetSerialNumber({})), "invalid_serial_number");
  EXPECT_EQ(SignError(Leaf().SetSerialNumber({0x00, 0x01})), "invalid_serial_number");
  // 20 octets with the top bit set need 21 in DER.
  EXPECT_EQ(SignError(Leaf().SetSerialNumber(Bytes(20, 0x80))), "invalid_serial_number");
  EXPECT_EQ(SignError(Leaf().SetSerialNumber(Bytes(20, 0x7f))), "(issued)");
  EXPECT_EQ(SignError(Leaf().SetSerialNumber(Bytes(19, 0xff))), "(issued)");
}

TEST_F(CertificateBuilderTest, HighBitSerialNumberStaysPositive) {
  Result<Certificate> issued =
      Leaf().SetSerialNumber(Bytes(16, 0xff)).Sign(ca_.certificate, ca_.key);
  ASSERT_TRUE(issued.has_value()) << issued.error().ToString();
  EXPECT_EQ(issued->serial_number(), Bytes(16, 0xff));
}

TEST_F(CertificateBuilderTest, MissingFieldsAreRejected) {
  CertificateBuilder no_subject;
  no_subject.SetSerialNumber({1})
      .SetValidity(TestTime(), TestTime() + days(1))
      .SetPublicKey(key_.GetPublicKey());
  EXPECT_EQ(SignError(no_subject), "invalid_certificate_request");

  CertificateBuilder no_validity;
  no_validity.SetSerialNumber({1}).SetSubject({"", "x"}).SetPublicKey(key_.GetPublicKey());
  EXPECT_EQ(SignError(no_validity), "invalid_certificate_request");

  CertificateBuilder no_key;
  no_key.SetSerialNumber({1}).SetSubject({"", "x"}).SetValidity(TestTime(), TestTime());
  EXPECT_EQ(SignError(no_key), "invalid_certificate_request");
}

TEST_F(CertificateBuilderTest, InvalidValuesAreRejected) {
  EXPECT_EQ(SignError(Leaf().SetValidity(TestTime(), TestTime() - seconds(1))),
            "invalid_certificate_request");
  EXPECT_EQ(SignError(Leaf().SetSubject({"", ""})), "invalid_name");
  EXPECT_EQ(SignError(Leaf().SetSubject({"", std::string(65, 'a')})), "invalid_name");
  EXPECT_EQ(SignError(Leaf().SetSubject({"", "line\nbreak"})), "invalid_name");
  EXPECT_EQ(SignError(Leaf().SetSubject({"", "\xff\xfe"})), "invalid_name");
  EXPECT_EQ(SignError(Leaf().AddSanUri("urn:with space")), "invalid_certificate_request");
  EXPECT_EQ(SignError(Leaf().AddSanDnsName("")), "invalid_certificate_request");
  EXPECT_EQ(SignError(Leaf().AddSanIpAddress({1, 2, 3, 4, 5})), "invalid_certificate_request");
  EXPECT_EQ(SignError(Leaf().AddExtendedKeyUsage("clientAuth")), "invalid_certificate_request");
  EXPECT_EQ(SignError(Leaf().SetBasicConstraints({.is_ca = false, .path_length = 1})),
            "invalid_certificate_request");
}

TEST_F(CertificateBuilderTest, TimesOutsideEncodableRangeAreRejected) {
  const TimePoint year_1949 = TimePoint(std::chrono::sys_days(std::chrono::year(1949) / 12 / 31));
  EXPECT_EQ(SignError(Leaf().SetValidity(year_1949, TestTime())), "invalid_time");
}

TEST_F(CertificateBuilderTest, TimesAfter2049RoundTrip) {
  const TimePoint year_2050 = TimePoint(std::chrono::sys_days(std::chrono::year(2050) / 1 / 1));
  const TimePoint year_2049_end = year_2050 - seconds(1);
  Result<Certificate> issued =
      Leaf().SetValidity(year_2049_end, year_2050).Sign(ca_.certificate, ca_.key);
  ASSERT_TRUE(issued.has_value()) << issued.error().ToString();
  EXPECT_EQ(issued->not_before(), year_2049_end);
  EXPECT_EQ(issued->not_after(), year_2050);
}

TEST_F(CertificateBuilderTest, FractionalSecondsAreTruncated) {
  Result<Certificate> issued =
      Leaf()
          .SetValidity(TestTime() + std::chrono::milliseconds(999), TestTime() + days(1))
          .Sign(ca_.certificate, ca_.key);
  ASSERT_TRUE(issued.has_value()) << issued.error().ToString();
  EXPECT_EQ(issued->not_before(), TestTime());
}

TEST_F(CertificateBuilderTest, ServerNamesRoundTrip) {
  const Bytes loopback6(16, 0);
  Bytes ipv6 = loopback6;
  ipv6[15] = 1;
  Result<Certificate> issued = Leaf()
                                   .AddSanDnsName("localhost")
                                   .AddSanIpAddress({127, 0, 0, 1})
                                   .AddSanIpAddress(ipv6)
                                   .Sign(ca_.certificate, ca_.key);
  ASSERT_TRUE(issued.has_value()) << issued.error().ToString();
  EXPECT_EQ(issued->san_dns_names(), std::vector<std::string>{"localhost"});
  EXPECT_EQ(issued->san_ip_addresses(), (std::vector<Bytes>{{127, 0, 0, 1}, ipv6}));
}

TEST_F(CertificateBuilderTest, NonCaIssuerIsRejected) {
  Result<Certificate> leaf = Leaf().Sign(ca_.certificate, ca_.key);
  ASSERT_TRUE(leaf.has_value());
  Result<Certificate> issued = Leaf().Sign(*leaf, key_);
  ASSERT_FALSE(issued.has_value());
  EXPECT_EQ(issued.error().reason(), "issuer_not_ca");
}

TEST_F(CertificateBuilderTest, IssuerKeyMismatchIsRejected) {
  Result<Certificate> issued = Leaf().Sign(ca_.certificate, key_);
  ASSERT_FALSE(issued.has_value());
  EXPECT_EQ(issued.error().reason(), "issuer_key_mismatch");
}

TEST_F(CertificateBuilderTest, NonSigningIssuerKeyIsRejected) {
  Result<Certificate> issued = LeafBuilder().SelfSign(GenerateKey(KeyAlgorithm::kX25519));
  ASSERT_FALSE(issued.has_value());
  EXPECT_EQ(issued.error().reason(), "unexpected_key_algorithm");
}

TEST_F(CertificateBuilderTest, SelfSignRejectsForeignPublicKey) {
  Result<Certificate> issued = Leaf().SelfSign(GenerateKey(KeyAlgorithm::kEcdsaP256));
  ASSERT_FALSE(issued.has_value());
  EXPECT_EQ(issued.error().reason(), "issuer_key_mismatch");
}

TEST(SerialNumberTest, GeneratedNumbersAreMinimalAndDistinct) {
  std::vector<Bytes> seen;
  for (int i = 0; i < 200; ++i) {
    Result<Bytes> serial_number = GenerateSerialNumber();
    ASSERT_TRUE(serial_number.has_value());
    ASSERT_FALSE(serial_number->empty());
    EXPECT_LE(serial_number->size(), 16u);
    EXPECT_NE(serial_number->front(), 0);
    EXPECT_EQ(std::find(seen.begin(), seen.end(), *serial_number), seen.end());
    seen.push_back(*serial_number);
  }
}

TEST(SerialNumberTest, HexRoundTrip) {
  EXPECT_EQ(SerialNumberToHex(Bytes{0x01, 0xab}), "01ab");
  EXPECT_EQ(SerialNumberFromHex("01ab"), (Bytes{0x01, 0xab}));
  EXPECT_EQ(SerialNumberFromHex("1AB"), (Bytes{0x01, 0xab}));
}

TEST(SerialNumberTest, InvalidHexIsRejected) {
  EXPECT_FALSE(SerialNumberFromHex("").has_value());
  EXPECT_FALSE(SerialNumberFromHex("00").has_value());
  EXPECT_FALSE(SerialNumberFromHex("0001").has_value());
  EXPECT_FALSE(SerialNumberFromHex("xyz").has_value());
  EXPECT_FALSE(SerialNumberFromHex(std::string(42, 'a')).has_value());
  EXPECT_FALSE(SerialNumberFromHex("80" + std::string(38, '0')).has_value());
  EXPECT_TRUE(SerialNumberFromHex("7f" + std::string(38, '0')).has_value());
}

}  // namespace
}  // namespace devtrust::crypto
