#include "service/device_service.h"

#include <gtest/gtest.h>

#include "crypto/crl.h"
#include "crypto/x509.h"
#include "service/ca_service.h"
#include "service/service_test_support.h"

namespace devtrust::service {
namespace {

using testing::Enrollment;
using testing::ServiceFixture;
using testing::WindowsChrome;

class DeviceServiceTest : public ServiceFixture {};

Bytes SerialOf(const Bytes& der) {
  Result<crypto::Certificate> certificate = crypto::Certificate::FromDer(der);
  if (!certificate) return {};
  return certificate->serial_number();
}

TEST_F(DeviceServiceTest, GetReturnsDevice) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());

  Result<store::DeviceRecord> device = devices_->Get(enrollment.result.device.device_id);

  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(device->status, store::DeviceStatus::kTrusted);
}

TEST_F(DeviceServiceTest, GetUnknownIsNotFound) {
  EXPECT_EQ(devices_->Get("dev_aaaaaaaaaaaaaaaaaaaaaaaaaa").error().code(), StatusCode::kNotFound);
  EXPECT_EQ(devices_->Get("nope").error().reason(), "invalid_device_id");
}

TEST_F(DeviceServiceTest, ListsNewestFirst) {
  const Enrollment first = Register("alice", WindowsChrome());
  now_ += std::chrono::seconds(1);
  const Enrollment second = Register("alice", WindowsChrome());
  Register("bob", WindowsChrome());

  Result<std::vector<store::DeviceRecord>> devices = devices_->ListByUser("alice");

  ASSERT_TRUE(devices.has_value());
  ASSERT_EQ(devices->size(), 2u);
  EXPECT_EQ((*devices)[0].device_id, second.result.device.device_id);
  EXPECT_EQ((*devices)[1].device_id, first.result.device.device_id);
  EXPECT_EQ(devices_->ListByUser("a@b").error().reason(), "invalid_user_id");
}

TEST_F(DeviceServiceTest, RevokeRevokesDeviceAndCertificates) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  const std::string& device_id = enrollment.result.device.device_id;

  Result<store::DeviceRecord> revoked = devices_->Revoke(device_id, "key_compromise", Facts());

  ASSERT_TRUE(revoked.has_value()) << revoked.error().ToString();
  EXPECT_EQ(revoked->status, store::DeviceStatus::kRevoked);
  EXPECT_EQ(revoked->revocation_reason, "key_compromise");
  EXPECT_TRUE(ca_->IsRevoked(SerialOf(enrollment.result.ml_dsa_certificate)));
  EXPECT_TRUE(ca_->IsRevoked(SerialOf(enrollment.result.ecdsa_certificate)));
}

TEST_F(DeviceServiceTest, CrlListsRevokedCertificate) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  ASSERT_TRUE(
      devices_->Revoke(enrollment.result.device.device_id, "key_compromise", Facts()).has_value());

  for (const auto& [algorithm, der] :
       {std::pair{pki::RootAlgorithm::kMlDsa65, enrollment.result.ml_dsa_certificate},
        std::pair{pki::RootAlgorithm::kEcdsaP256, enrollment.result.ecdsa_certificate}}) {
    Result<Bytes> crl_der = ca_service_->Crl(algorithm);
    ASSERT_TRUE(crl_der.has_value());
    Result<crypto::Crl> crl = crypto::Crl::FromDer(*crl_der);
    ASSERT_TRUE(crl.has_value());
    Result<crypto::PublicKey> root_key = ca_->root_certificate(algorithm).public_key();
    ASSERT_TRUE(root_key.has_value());
    EXPECT_TRUE(crl->VerifySignature(*root_key).has_value());
    const crypto::RevokedCertificate* entry = crl->FindRevoked(SerialOf(der));
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->reason, crypto::RevocationReason::kKeyCompromise);
  }
}

TEST_F(DeviceServiceTest, RevokeTwiceChangesNothing) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  const std::string& device_id = enrollment.result.device.device_id;
  ASSERT_TRUE(devices_->Revoke(device_id, "", Facts()).has_value());
  const std::size_t events = Outbox("trust_event").size();

  Result<store::DeviceRecord> again = devices_->Revoke(device_id, "superseded", Facts());

  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->revocation_reason, "unspecified");
  EXPECT_EQ(Outbox("trust_event").size(), events);
}

TEST_F(DeviceServiceTest, RevokeRejectsBadReason) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());

  EXPECT_EQ(
      devices_->Revoke(enrollment.result.device.device_id, "Lost phone!", Facts()).error().reason(),
      "invalid_revocation_reason");
}

TEST_F(DeviceServiceTest, RevocationDecisionIsPublished) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());

  ASSERT_TRUE(devices_->Revoke(enrollment.result.device.device_id, "", Facts()).has_value());

  EXPECT_NE(Outbox("trust_event").back().payload.find("\"flow\":\"revocation\""),
            std::string::npos);
  EXPECT_EQ(Metric(R"(devtrust_trust_decisions_total{reason="revoked",result="denied"})"), 1.0);
}

TEST(CrlReasonTest, MapsRfc5280Names) {
  EXPECT_EQ(CrlReasonFor("key_compromise"), crypto::RevocationReason::kKeyCompromise);
  EXPECT_EQ(CrlReasonFor("superseded"), crypto::RevocationReason::kSuperseded);
  EXPECT_EQ(CrlReasonFor("affiliation_changed"), crypto::RevocationReason::kAffiliationChanged);
  EXPECT_EQ(CrlReasonFor("cessation_of_operation"),
            crypto::RevocationReason::kCessationOfOperation);
  EXPECT_EQ(CrlReasonFor("privilege_withdrawn"), crypto::RevocationReason::kPrivilegeWithdrawn);
  EXPECT_EQ(CrlReasonFor("lost"), crypto::RevocationReason::kUnspecified);
}

class CaServiceTest : public ServiceFixture {};

TEST_F(CaServiceTest, RootsArePem) {
  const RootCertificates roots = ca_service_->Roots();

  EXPECT_TRUE(crypto::Certificate::FromPem(roots.ml_dsa_pem).has_value());
  EXPECT_TRUE(crypto::Certificate::FromPem(roots.ecdsa_pem).has_value());
}

TEST_F(CaServiceTest, CrlIsReissuedAfterHalfItsValidity) {
  Result<crypto::Crl> first = crypto::Crl::FromDer(*ca_service_->Crl(pki::RootAlgorithm::kMlDsa65));
  ASSERT_TRUE(first.has_value());
  now_ += std::chrono::hours(11);
  Result<crypto::Crl> same = crypto::Crl::FromDer(*ca_service_->Crl(pki::RootAlgorithm::kMlDsa65));
  now_ += std::chrono::hours(1);
  Result<crypto::Crl> newer = crypto::Crl::FromDer(*ca_service_->Crl(pki::RootAlgorithm::kMlDsa65));
  ASSERT_TRUE(same.has_value());
  ASSERT_TRUE(newer.has_value());

  EXPECT_EQ(same->crl_number(), first->crl_number());
  EXPECT_GT(newer->crl_number(), first->crl_number());
  EXPECT_EQ(newer->next_update() - newer->this_update(), std::chrono::hours(24));
}

TEST_F(CaServiceTest, RefreshLoadsRevocationsFromStore) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  // Another node revokes through the shared store.
  ASSERT_TRUE(
      store_->RevokeDevice(enrollment.result.device.device_id, "superseded", now_, {}).has_value());
  EXPECT_FALSE(ca_->IsRevoked(SerialOf(enrollment.result.ml_dsa_certificate)));

  ASSERT_TRUE(ca_service_->Refresh().has_value());

  EXPECT_TRUE(ca_->IsRevoked(SerialOf(enrollment.result.ml_dsa_certificate)));
}

}  // namespace
}  // namespace devtrust::service
