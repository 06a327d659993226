#include "crypto/crl.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "crypto/crl_builder.h"
#include "crypto/test_util.h"
#include "crypto/x509_builder.h"
#include "crypto/x509_test_util.h"

namespace devtrust::crypto {
namespace {

using std::chrono::days;
using std::chrono::hours;
using testing::AlgorithmTestName;
using testing::GenerateKey;
using testing::MakeTestCa;
using testing::RunOpenSsl;
using testing::ScratchDirectory;
using testing::TamperBitPositions;
using testing::TestCa;
using testing::TestTime;

const Bytes kSerialA = {0x01, 0x02, 0x03};
const Bytes kSerialB = {0xff, 0x00, 0x10, 0x20};
const Bytes kSerialC = {0x7f};

CrlBuilder ThreeEntryBuilder() {
  CrlBuilder builder;
  builder.SetCrlNumber(42)
      .SetValidity(TestTime(), TestTime() + days(7))
      .AddRevokedCertificate({kSerialB, TestTime() - hours(1), RevocationReason::kKeyCompromise})
      .AddRevokedCertificate({kSerialA, TestTime() - hours(2), RevocationReason::kUnspecified})
      .AddRevokedCertificate({kSerialC, TestTime() - hours(3), RevocationReason::kSuperseded});
  return builder;
}

class CrlTest : public ::testing::TestWithParam<KeyAlgorithm> {
 protected:
  CrlTest() : ca_(MakeTestCa(GetParam())) {}

  Crl IssueCrl() const {
    Result<Crl> crl = ThreeEntryBuilder().Sign(ca_.certificate, ca_.key);
    EXPECT_TRUE(crl.has_value()) << crl.error().ToString();
    return *std::move(crl);
  }

  TestCa ca_;
};

TEST_P(CrlTest, FieldsRoundTrip) {
  const Crl crl = IssueCrl();
  EXPECT_EQ(crl.issuer_der(), ca_.certificate.subject_der());
  EXPECT_EQ(crl.issuer(), ca_.certificate.subject());
  EXPECT_EQ(crl.authority_key_identifier(), ca_.certificate.subject_key_identifier());
  EXPECT_EQ(crl.this_update(), TestTime());
  EXPECT_EQ(crl.next_update(), TestTime() + days(7));
  EXPECT_EQ(crl.crl_number(), 42u);
  EXPECT_EQ(crl.signature_algorithm(), *SignatureAlgorithmForKey(GetParam()));
  EXPECT_EQ(crl.revoked_certificates().size(), 3u);
}

TEST_P(CrlTest, EntriesAreFoundWithReasons) {
  const Crl crl = IssueCrl();

  const RevokedCertificate* a = crl.FindRevoked(kSerialA);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->revocation_date, TestTime() - hours(2));
  EXPECT_EQ(a->reason, RevocationReason::kUnspecified);

  const RevokedCertificate* b = crl.FindRevoked(kSerialB);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->reason, RevocationReason::kKeyCompromise);

  const RevokedCertificate* c = crl.FindRevoked(kSerialC);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->reason, RevocationReason::kSuperseded);

  EXPECT_EQ(crl.FindRevoked(Bytes{0x01, 0x02}), nullptr);
}

TEST_P(CrlTest, EntriesAreSortedBySerialNumber) {
  const Crl crl = IssueCrl();
  std::vector<Bytes> serial_numbers;
  for (const RevokedCertificate& entry : crl.revoked_certificates()) {
    serial_numbers.push_back(entry.serial_number);
  }
  EXPECT_EQ(serial_numbers, (std::vector<Bytes>{kSerialC, kSerialA, kSerialB}));
}

TEST_P(CrlTest, SignatureVerifiesWithIssuerKeyOnly) {
  const Crl crl = IssueCrl();
  EXPECT_TRUE(crl.VerifySignature(ca_.key.GetPublicKey()).has_value());

  Status with_other_key = crl.VerifySignature(GenerateKey(GetParam()).GetPublicKey());
  ASSERT_FALSE(with_other_key.has_value());
  EXPECT_EQ(with_other_key.error().reason(), "signature_invalid");

  const KeyAlgorithm other =
      GetParam() == KeyAlgorithm::kEcdsaP256 ? KeyAlgorithm::kMlDsa65 : KeyAlgorithm::kEcdsaP256;
  Status with_other_algorithm = crl.VerifySignature(GenerateKey(other).GetPublicKey());
  ASSERT_FALSE(with_other_algorithm.has_value());
  EXPECT_EQ(with_other_algorithm.error().reason(), "unexpected_key_algorithm");
}

TEST_P(CrlTest, DerAndPemRoundTrip) {
  const Crl crl = IssueCrl();
  Result<Crl> from_der = Crl::FromDer(crl.ToDer());
  ASSERT_TRUE(from_der.has_value()) << from_der.error().ToString();
  EXPECT_EQ(from_der->ToDer(), crl.ToDer());

  const std::string pem = crl.ToPem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN X509 CRL-----\n"));
  Result<Crl> from_pem = Crl::FromPem(pem);
  ASSERT_TRUE(from_pem.has_value()) << from_pem.error().ToString();
  EXPECT_EQ(from_pem->ToDer(), crl.ToDer());
}

TEST_P(CrlTest, EmptyCrlRoundTrips) {
  CrlBuilder builder;
  builder.SetCrlNumber(1).SetValidity(TestTime(), TestTime() + days(1));
  Result<Crl> crl = builder.Sign(ca_.certificate, ca_.key);
  ASSERT_TRUE(crl.has_value()) << crl.error().ToString();
  EXPECT_TRUE(crl->revoked_certificates().empty());
  EXPECT_TRUE(crl->VerifySignature(ca_.key.GetPublicKey()).has_value());
}

TEST_P(CrlTest, FlippedBitIsRejected) {
  const Crl crl = IssueCrl();
  const PublicKey issuer_key = ca_.key.GetPublicKey();
  for (std::size_t bit : TamperBitPositions(crl.ToDer().size())) {
    Result<Crl> parsed = Crl::FromDer(testing::FlipBit(crl.ToDer(), bit));
    if (!parsed) {
      continue;
    }
    EXPECT_FALSE(parsed->VerifySignature(issuer_key).has_value()) << "bit " << bit;
  }
}

TEST_P(CrlTest, TruncationIsRejected) {
  const Bytes der = IssueCrl().ToDer();
  for (std::size_t size = 0; size < der.size(); size += 1 + size / 64) {
    EXPECT_FALSE(Crl::FromDer(ByteView(der).first(size)).has_value()) << "size " << size;
  }
  EXPECT_FALSE(Crl::FromDer(ByteView(der).first(der.size() - 1)).has_value());
}

TEST_P(CrlTest, TrailingByteIsRejected) {
  Bytes der = IssueCrl().ToDer();
  der.push_back(0);
  Result<Crl> parsed = Crl::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_crl");
}

TEST_P(CrlTest, OpenSslCliVerifiesCrl) {
  const Crl crl = IssueCrl();
  ScratchDirectory directory;
  const auto root = directory.WriteFile("root.pem", ca_.certificate.ToPem());
  const auto crl_file = directory.WriteFile("crl.pem", crl.ToPem());

  const testing::CommandResult result = RunOpenSsl("crl -noout -text -in '" + crl_file.string() +
                                                   "' -CAfile '" + root.string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("verify OK"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("Key Compromise"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("X509v3 CRL Number"), std::string::npos) << result.output;
}

INSTANTIATE_TEST_SUITE_P(SigningAlgorithms, CrlTest,
                         ::testing::ValuesIn(testing::kSignatureAlgorithms), AlgorithmTestName);

TEST(CrlParseTest, MismatchedInnerAlgorithmIsRejected) {
  // Turn the first id-ml-dsa-65 (inside tbsCertList) into id-ml-dsa-87.
  const TestCa ca = MakeTestCa(KeyAlgorithm::kMlDsa65);
  Result<Crl> crl = ThreeEntryBuilder().Sign(ca.certificate, ca.key);
  ASSERT_TRUE(crl.has_value());
  Bytes der = crl->ToDer();
  const Bytes& identifier = testing::MlDsa65AlgorithmIdentifier();
  const auto found = std::search(der.begin(), der.end(), identifier.begin(), identifier.end());
  ASSERT_NE(found, der.end());
  *(found + static_cast<std::ptrdiff_t>(identifier.size()) - 1) = 0x13;

  Result<Crl> parsed = Crl::FromDer(der);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("different signature algorithms"), std::string::npos)
      << parsed.error().message();
}

// Builds a CRL directly with OpenSSL, signed by `ca`, after `customize` has
// changed it.
Bytes RawCrl(const TestCa& ca, const std::function<void(X509_CRL*)>& customize) {
  X509_CRL* crl = X509_CRL_new();
  X509_CRL_set_version(crl, X509_CRL_VERSION_2);
  X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca.certificate.native()));
  const auto start = std::chrono::system_clock::to_time_t(TestTime());
  ASN1_TIME* this_update = ASN1_TIME_set(nullptr, start);
  ASN1_TIME* next_update = ASN1_TIME_set(nullptr, start + 86400);
  X509_CRL_set1_lastUpdate(crl, this_update);
  X509_CRL_set1_nextUpdate(crl, next_update);
  ASN1_TIME_free(this_update);
  ASN1_TIME_free(next_update);
  customize(crl);
  EXPECT_GT(X509_CRL_sign(crl, ca.key.native(), nullptr), 0);

  unsigned char* der = nullptr;
  const int size = i2d_X509_CRL(crl, &der);
  Bytes result(der, der + std::max(size, 0));
  OPENSSL_free(der);
  X509_CRL_free(crl);
  return result;
}

void AddCrlNumber(X509_CRL* crl) {
  ASN1_INTEGER* number = ASN1_INTEGER_new();
  ASN1_INTEGER_set(number, 7);
  X509_CRL_add1_ext_i2d(crl, NID_crl_number, number, 0, X509V3_ADD_DEFAULT);
  ASN1_INTEGER_free(number);
}

TEST(CrlParseTest, RawCrlWithNumberParses) {
  // The baseline of the raw tests below.
  const TestCa ca = MakeTestCa(KeyAlgorithm::kMlDsa65);
  Result<Crl> parsed = Crl::FromDer(RawCrl(ca, AddCrlNumber));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->crl_number(), 7u);
  EXPECT_FALSE(parsed->authority_key_identifier().has_value());
}

TEST(CrlParseTest, MissingCrlNumberIsRejected) {
  const TestCa ca = MakeTestCa(KeyAlgorithm::kMlDsa65);
  Result<Crl> parsed = Crl::FromDer(RawCrl(ca, [](X509_CRL*) {}));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("cRLNumber"), std::string::npos)
      << parsed.error().message();
}

TEST(CrlParseTest, VersionOneIsRejected) {
  const TestCa ca = MakeTestCa(KeyAlgorithm::kMlDsa65);
  Result<Crl> parsed = Crl::FromDer(
      RawCrl(ca, [](X509_CRL* crl) { X509_CRL_set_version(crl, X509_CRL_VERSION_1); }));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "invalid_crl");
}

TEST(CrlParseTest, CriticalExtensionIsRejected) {
  const TestCa ca = MakeTestCa(KeyAlgorithm::kMlDsa65);
  Result<Crl> parsed = Crl::FromDer(RawCrl(ca, [](X509_CRL* crl) {
    ASN1_INTEGER* number = ASN1_INTEGER_new();
    ASN1_INTEGER_set(number, 7);
    X509_CRL_add1_ext_i2d(crl, NID_crl_number, number, 1, X509V3_ADD_DEFAULT);
    ASN1_INTEGER_free(number);
  }));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("critical"), std::string::npos)
      << parsed.error().message();
}

TEST(CrlParseTest, UndefinedReasonCodeIsRejected) {
  const TestCa ca = MakeTestCa(KeyAlgorithm::kMlDsa65);
  Result<Crl> parsed = Crl::FromDer(RawCrl(ca, [](X509_CRL* crl) {
    AddCrlNumber(crl);
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_INTEGER* serial_number = ASN1_INTEGER_new();
    ASN1_INTEGER_set(serial_number, 99);
    X509_REVOKED_set_serialNumber(entry, serial_number);
    ASN1_INTEGER_free(serial_number);
    ASN1_TIME* date = ASN1_TIME_set(nullptr, std::chrono::system_clock::to_time_t(TestTime()));
    X509_REVOKED_set_revocationDate(entry, date);
    ASN1_TIME_free(date);
    ASN1_ENUMERATED* code = ASN1_ENUMERATED_new();
    ASN1_ENUMERATED_set(code, 7);
    X509_REVOKED_add1_ext_i2d(entry, NID_crl_reason, code, 0, X509V3_ADD_DEFAULT);
    ASN1_ENUMERATED_free(code);
    X509_CRL_add0_revoked(crl, entry);
  }));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("reasonCode"), std::string::npos)
      << parsed.error().message();
}

class CrlBuilderTest : public ::testing::Test {
 protected:
  CrlBuilderTest() : ca_(MakeTestCa(KeyAlgorithm::kEcdsaP256)) {}

  std::string SignError(const CrlBuilder& builder) const {
    Result<Crl> crl = builder.Sign(ca_.certificate, ca_.key);
    return crl ? "(issued)" : crl.error().reason();
  }

  TestCa ca_;
};

TEST_F(CrlBuilderTest, MissingFieldsAreRejected) {
  CrlBuilder no_number;
  no_number.SetValidity(TestTime(), TestTime() + days(1));
  EXPECT_EQ(SignError(no_number), "invalid_crl_request");

  CrlBuilder no_validity;
  no_validity.SetCrlNumber(1);
  EXPECT_EQ(SignError(no_validity), "invalid_crl_request");
}

TEST_F(CrlBuilderTest, InvalidRequestsAreRejected) {
  CrlBuilder reversed;
  reversed.SetCrlNumber(1).SetValidity(TestTime(), TestTime() - hours(1));
  EXPECT_EQ(SignError(reversed), "invalid_crl_request");

  CrlBuilder remove_from_crl = ThreeEntryBuilder();
  remove_from_crl.AddRevokedCertificate({{0x09}, TestTime(), RevocationReason::kRemoveFromCrl});
  EXPECT_EQ(SignError(remove_from_crl), "invalid_crl_request");

  CrlBuilder repeated = ThreeEntryBuilder();
  repeated.AddRevokedCertificate({kSerialA, TestTime(), RevocationReason::kUnspecified});
  EXPECT_EQ(SignError(repeated), "invalid_crl_request");

  CrlBuilder zero_serial = ThreeEntryBuilder();
  zero_serial.AddRevokedCertificate({{}, TestTime(), RevocationReason::kUnspecified});
  EXPECT_EQ(SignError(zero_serial), "invalid_crl_request");
}

TEST_F(CrlBuilderTest, IssuerWithoutCrlSignIsRejected) {
  CertificateBuilder ca_builder;
  ca_builder.SetSerialNumber({5})
      .SetSubject({"", "No CRL CA"})
      .SetValidity(TestTime(), TestTime() + days(1))
      .SetBasicConstraints({.is_ca = true})
      .SetKeyUsage({.key_cert_sign = true});
  const PrivateKey key = GenerateKey(KeyAlgorithm::kEcdsaP256);
  Result<Certificate> ca = ca_builder.SelfSign(key);
  ASSERT_TRUE(ca.has_value()) << ca.error().ToString();

  Result<Crl> crl = ThreeEntryBuilder().Sign(*ca, key);
  ASSERT_FALSE(crl.has_value());
  EXPECT_EQ(crl.error().reason(), "issuer_not_ca");
}

TEST_F(CrlBuilderTest, IssuerKeyMismatchIsRejected) {
  Result<Crl> crl =
      ThreeEntryBuilder().Sign(ca_.certificate, GenerateKey(KeyAlgorithm::kEcdsaP256));
  ASSERT_FALSE(crl.has_value());
  EXPECT_EQ(crl.error().reason(), "issuer_key_mismatch");
}

TEST(RevocationReasonTest, NamesFollowRfc5280) {
  EXPECT_EQ(RevocationReasonName(RevocationReason::kKeyCompromise), "keyCompromise");
  EXPECT_EQ(RevocationReasonName(RevocationReason::kRemoveFromCrl), "removeFromCRL");
  EXPECT_EQ(RevocationReasonName(RevocationReason::kAaCompromise), "aACompromise");
}

}  // namespace
}  // namespace devtrust::crypto
