#include "service/registration_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/signature.h"
#include "crypto/x509.h"
#include "service/notification_payload.h"
#include "service/service_test_support.h"
#include "trust/proof.h"

namespace devtrust::service {
namespace {

using testing::Enrollment;
using testing::ServiceFixture;
using testing::TestDevice;
using testing::WindowsChrome;

class RegistrationServiceTest : public ServiceFixture {
 protected:
  Result<RegistrationResult> RegisterWith(const RegistrationRequest& request) {
    return registrations_->Register(request, Facts());
  }

  RegistrationRequest SignedRequest(const TestDevice& device, std::string_view user_id = "alice") {
    const Bytes nonce = IssueNonce(store::NoncePurpose::kRegister, user_id);
    return device.Registration(user_id, nonce, WindowsChrome());
  }
};

TEST_F(RegistrationServiceTest, StoresPendingDeviceAndCertificates) {
  const TestDevice device = TestDevice::Generate();

  Result<RegistrationResult> result = RegisterWith(SignedRequest(device));

  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(result->device.status, store::DeviceStatus::kPending);
  Result<store::DeviceRecord> stored = store_->GetDevice(result->device.device_id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->user_id, "alice");
  EXPECT_EQ(stored->status, store::DeviceStatus::kPending);
  EXPECT_EQ(stored->ml_dsa_public_key, device.PublicKeys().ml_dsa);
  EXPECT_EQ(stored->ml_kem_public_key, device.PublicKeys().ml_kem);
  EXPECT_EQ(stored->baseline_fingerprint, WindowsChrome().CanonicalJson());
  EXPECT_EQ(stored->accepted_fingerprint, stored->baseline_fingerprint);
}

TEST_F(RegistrationServiceTest, IssuesCertificatesTheCaAccepts) {
  Result<RegistrationResult> result = RegisterWith(SignedRequest(TestDevice::Generate()));
  ASSERT_TRUE(result.has_value());

  Result<crypto::Certificate> ml_dsa = crypto::Certificate::FromDer(result->ml_dsa_certificate);
  Result<crypto::Certificate> ecdsa = crypto::Certificate::FromDer(result->ecdsa_certificate);
  ASSERT_TRUE(ml_dsa.has_value());
  ASSERT_TRUE(ecdsa.has_value());

  EXPECT_TRUE(ca_->CheckDeviceCertificate(*ml_dsa, now_).has_value());
  EXPECT_TRUE(ca_->CheckDeviceCertificate(*ecdsa, now_).has_value());
  EXPECT_EQ(ml_dsa->signature_algorithm(), crypto::SignatureAlgorithm::kMlDsa65);
  EXPECT_EQ(ecdsa->signature_algorithm(), crypto::SignatureAlgorithm::kEcdsaP256Sha256);
  EXPECT_EQ(ml_dsa->subject_common_name(), result->device.device_id);
  Result<store::CertificateRecord> record = store_->GetCertificate(ml_dsa->serial_number_hex());
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->device_id, result->device.device_id);
  EXPECT_EQ(record->kind, store::CertificateKind::kMlDsa);
}

TEST_F(RegistrationServiceTest, QueuesCodeNotificationAndHashedChallenge) {
  Result<RegistrationResult> result = RegisterWith(SignedRequest(TestDevice::Generate()));
  ASSERT_TRUE(result.has_value());

  const std::vector<store::Notification> queued = PendingNotifications();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].kind, store::NotificationKind::kDeviceVerification);
  Result<ops::NotificationMessage> message = DecodeNotification(*keys_, queued[0]);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->challenge_id, result->challenge_id);
  EXPECT_EQ(message->code.size(), 6u);
  // Neither the payload nor the challenge row contains the code in the clear.
  EXPECT_EQ(queued[0].payload.find(message->code.AsStringView()), std::string::npos);
  Result<store::VerificationChallenge> challenge = store_->GetChallenge(result->challenge_id);
  ASSERT_TRUE(challenge.has_value());
  EXPECT_EQ(challenge->code_hash.size(), 32u);
  EXPECT_EQ(challenge->reason, store::ChallengeReason::kRegistration);
  EXPECT_EQ(challenge->max_attempts, 5);
  EXPECT_EQ(challenge->expires_at, now_ + std::chrono::minutes(10));
  EXPECT_EQ(notifications_queued_, 1);
}

TEST_F(RegistrationServiceTest, CountsPendingAndWritesDecisionToOutbox) {
  ASSERT_TRUE(RegisterWith(SignedRequest(TestDevice::Generate())).has_value());

  EXPECT_EQ(Metric("device_registration_pending_total"), 1.0);
  const std::vector<store::OutboxEvent> events = Outbox("trust_event");
  ASSERT_EQ(events.size(), 1u);
  const boost::json::object decision = boost::json::parse(events[0].payload).as_object();
  EXPECT_EQ(decision.at("flow").as_string(), "registration");
  EXPECT_EQ(decision.at("flow_step").as_string(), "decision");
  EXPECT_EQ(decision.at("trust_result").as_string(), "pending");
}

TEST_F(RegistrationServiceTest, LogsStepsWithFingerprintDigest) {
  const RequestFacts facts = Facts();
  const Bytes nonce = IssueNonce(store::NoncePurpose::kRegister, "alice");
  ASSERT_TRUE(
      registrations_
          ->Register(TestDevice::Generate().Registration("alice", nonce, WindowsChrome()), facts)
          .has_value());

  std::vector<std::string> steps;
  for (const boost::json::object& line : TraceLines(facts.trace_id)) {
    steps.emplace_back(line.at("flow_step").as_string());
    EXPECT_EQ(line.at("fingerprint").as_string().size(), 32u);
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"token_check", "pop_signature", "cert_issue",
                                             "store_commit", "decision"}));
  EXPECT_EQ(LogText().find("Win32"), std::string::npos);
}

TEST_F(RegistrationServiceTest, AcceptsDeviceWithoutMlKem) {
  Result<RegistrationResult> result =
      RegisterWith(SignedRequest(TestDevice::Generate(/*with_ml_kem=*/false)));

  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_TRUE(result->device.ml_kem_public_key.empty());
}

TEST_F(RegistrationServiceTest, RejectsReusedNonce) {
  const TestDevice device = TestDevice::Generate();
  const RegistrationRequest request = SignedRequest(device);
  ASSERT_TRUE(RegisterWith(request).has_value());

  Result<RegistrationResult> again = RegisterWith(request);

  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().reason(), "nonce_reused");
  EXPECT_EQ(again.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Metric(R"(replay_attempts_detected_total{kind="nonce_reused"})"), 1.0);
  EXPECT_EQ(Outbox("siem").size(), 1u);
  EXPECT_EQ(Metric("device_registration_pending_total"), 1.0);
}

TEST_F(RegistrationServiceTest, RejectsUnknownNonce) {
  const TestDevice device = TestDevice::Generate();

  Result<RegistrationResult> result =
      RegisterWith(device.Registration("alice", Bytes(32, 7), WindowsChrome()));

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "nonce_unknown");
  EXPECT_EQ(Metric("device_registration_pending_total"), 0.0);
}

TEST_F(RegistrationServiceTest, RejectsNonceOfAnotherUser) {
  const TestDevice device = TestDevice::Generate();
  const Bytes nonce = IssueNonce(store::NoncePurpose::kRegister, "bob");

  Result<RegistrationResult> result =
      RegisterWith(device.Registration("alice", nonce, WindowsChrome()));

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "nonce_mismatch");
}

TEST_F(RegistrationServiceTest, RejectsExpiredNonce) {
  const RegistrationRequest request = SignedRequest(TestDevice::Generate());
  now_ += std::chrono::minutes(3);

  Result<RegistrationResult> result = RegisterWith(request);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "nonce_expired");
}

TEST_F(RegistrationServiceTest, RejectsTamperedMlDsaSignature) {
  RegistrationRequest request = SignedRequest(TestDevice::Generate());
  request.ml_dsa_signature[100] ^= 0x01;

  Result<RegistrationResult> result = RegisterWith(request);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "pop_signature_invalid");
  EXPECT_NE(result.error().message().find("ml_dsa_65"), std::string::npos);
  EXPECT_TRUE(PendingNotifications().empty());
}

TEST_F(RegistrationServiceTest, RejectsTamperedEcdsaSignature) {
  RegistrationRequest request = SignedRequest(TestDevice::Generate());
  request.ecdsa_signature.back() ^= 0x01;

  Result<RegistrationResult> result = RegisterWith(request);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "pop_signature_invalid");
  EXPECT_NE(result.error().message().find("ecdsa_p256"), std::string::npos);
}

TEST_F(RegistrationServiceTest, RejectsSignatureOverOtherFingerprint) {
  RegistrationRequest request = SignedRequest(TestDevice::Generate());
  request.fingerprint = WindowsChrome("2560", "1440");

  Result<RegistrationResult> result = RegisterWith(request);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "pop_signature_invalid");
}

TEST_F(RegistrationServiceTest, RejectsLoginContextSignature) {
  // A signature made for another purpose must not enroll a device.
  const TestDevice device = TestDevice::Generate();
  RegistrationRequest request = SignedRequest(device);
  const trust::RegistrationProofFields fields{.user_id = request.user_id,
                                              .nonce = request.nonce,
                                              .ml_dsa_public_key = request.public_keys.ml_dsa,
                                              .ecdsa_public_key = request.public_keys.ecdsa,
                                              .ml_kem_public_key = request.public_keys.ml_kem,
                                              .x25519_public_key = request.public_keys.x25519};
  crypto::SignOptions options;
  options.context = trust::kLoginProofContext;
  Result<Bytes> signature = crypto::Sign(
      device.ml_dsa, trust::EncodeRegistrationProof(fields, *request.fingerprint), options);
  ASSERT_TRUE(signature.has_value());
  request.ml_dsa_signature = *signature;

  EXPECT_EQ(RegisterWith(request).error().reason(), "pop_signature_invalid");
}

TEST_F(RegistrationServiceTest, RejectsHeadlessBrowser) {
  const TestDevice device = TestDevice::Generate();
  const Bytes nonce = IssueNonce(store::NoncePurpose::kRegister, "alice");

  Result<RegistrationResult> result =
      RegisterWith(device.Registration("alice", nonce, testing::HeadlessChrome()));

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "headless_browser");
  EXPECT_EQ(result.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(RegistrationServiceTest, RejectsWebdriverFingerprint) {
  const TestDevice device = TestDevice::Generate();
  const Bytes nonce = IssueNonce(store::NoncePurpose::kRegister, "alice");
  const trust::Fingerprint webdriver =
      testing::MakeFingerprint({{"platform", "Win32"}, {"webdriver", "true"}});

  EXPECT_EQ(RegisterWith(device.Registration("alice", nonce, webdriver)).error().reason(),
            "headless_browser");
}

TEST_F(RegistrationServiceTest, RejectsKeyOfWrongAlgorithm) {
  const TestDevice device = TestDevice::Generate();
  RegistrationRequest request = SignedRequest(device);
  request.public_keys.ml_dsa = request.public_keys.ecdsa;

  Result<RegistrationResult> result = RegisterWith(request);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "invalid_key");
  EXPECT_NE(result.error().message().find("public_keys.ml_dsa_65"), std::string::npos);
}

TEST_F(RegistrationServiceTest, RejectsTruncatedKey) {
  RegistrationRequest request = SignedRequest(TestDevice::Generate());
  request.public_keys.ml_kem.pop_back();

  Result<RegistrationResult> result = RegisterWith(request);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "invalid_key");
  EXPECT_NE(result.error().message().find("public_keys.ml_kem_768"), std::string::npos);
}

TEST_F(RegistrationServiceTest, RejectsSmallOrderX25519Key) {
  RegistrationRequest request = SignedRequest(TestDevice::Generate());
  // The u-coordinate 0 is a point of small order (RFC 7748 section 6.1).
  Result<crypto::PublicKey> zero =
      crypto::PublicKey::FromRaw(crypto::KeyAlgorithm::kX25519, Bytes(32, 0));
  ASSERT_TRUE(zero.has_value());
  request.public_keys.x25519 = zero->ToSpkiDer();

  Result<RegistrationResult> result = RegisterWith(request);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "invalid_key");
  EXPECT_NE(result.error().message().find("public_keys.x25519"), std::string::npos);
}

TEST_F(RegistrationServiceTest, RejectsShortNonce) {
  RegistrationRequest request = SignedRequest(TestDevice::Generate());
  request.nonce.pop_back();

  EXPECT_EQ(RegisterWith(request).error().reason(), "invalid_nonce");
}

TEST_F(RegistrationServiceTest, RejectsUserIdTheCaCannotName) {
  RegistrationRequest request = SignedRequest(TestDevice::Generate());
  request.user_id = "alice@example.com";

  EXPECT_EQ(RegisterWith(request).error().reason(), "invalid_user_id");
}

TEST_F(RegistrationServiceTest, RejectsMissingFingerprint) {
  RegistrationRequest request = SignedRequest(TestDevice::Generate());
  request.fingerprint.reset();

  EXPECT_EQ(RegisterWith(request).error().reason(), "fingerprint_invalid");
}

TEST_F(RegistrationServiceTest, ClassicalTlsIsReportedAsFallback) {
  const TestDevice device = TestDevice::Generate();
  const Bytes nonce = IssueNonce(store::NoncePurpose::kRegister, "alice");

  ASSERT_TRUE(
      registrations_
          ->Register(device.Registration("alice", nonce, WindowsChrome()), ClassicalTlsFacts())
          .has_value());

  EXPECT_EQ(Metric(R"(crypto_fallback_triggered_total{algorithm="X25519",)"
                   R"(flow_origin="tls",reason="tls_no_hybrid_group"})"),
            1.0);
  EXPECT_NE(LogText().find("\"trace\":\"CRYPTO_FALLBACK_USED\""), std::string::npos);
}

}  // namespace
}  // namespace devtrust::service
