#include "service/verification_service.h"

#include <gtest/gtest.h>

#include "service/service_test_support.h"

namespace devtrust::service {
namespace {

using testing::Enrollment;
using testing::ServiceFixture;
using testing::WindowsChrome;

class VerificationServiceTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    enrollment_ = Register("alice", WindowsChrome());
  }

  const std::string& device_id() const { return enrollment_->result.device.device_id; }
  const std::string& challenge_id() const { return enrollment_->result.challenge_id; }

  // A code that is not the right one.
  crypto::SecretBytes WrongCode() {
    const crypto::SecretBytes right = CodeFor(challenge_id());
    std::string wrong(right.AsStringView());
    wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
    return crypto::SecretBytes(AsBytes(wrong));
  }

  std::optional<Enrollment> enrollment_;
};

TEST_F(VerificationServiceTest, RightCodeTrustsDevice) {
  Result<store::DeviceRecord> device =
      VerifyWithCode(device_id(), challenge_id(), CodeFor(challenge_id()));

  ASSERT_TRUE(device.has_value()) << device.error().ToString();
  EXPECT_EQ(device->status, store::DeviceStatus::kTrusted);
  EXPECT_EQ(device->verified_at, now_);
  EXPECT_EQ(store_->GetChallenge(challenge_id())->status, store::ChallengeStatus::kPassed);
}

TEST_F(VerificationServiceTest, WrongCodeCountsAnAttempt) {
  Result<store::DeviceRecord> device = VerifyWithCode(device_id(), challenge_id(), WrongCode());

  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().reason(), "verification_code_invalid");
  EXPECT_EQ(device.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(device.error().message().find("4 attempt(s) left"), std::string::npos);
  EXPECT_EQ(store_->GetChallenge(challenge_id())->attempts, 1);
  EXPECT_EQ(store_->GetDevice(device_id())->status, store::DeviceStatus::kPending);
}

TEST_F(VerificationServiceTest, FifthWrongCodeFailsChallenge) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(VerifyWithCode(device_id(), challenge_id(), WrongCode()).error().reason(),
              "verification_code_invalid")
        << i;
  }

  EXPECT_EQ(store_->GetChallenge(challenge_id())->status, store::ChallengeStatus::kFailed);
  Result<store::DeviceRecord> late =
      VerifyWithCode(device_id(), challenge_id(), CodeFor(challenge_id()));
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().reason(), "challenge_locked");
}

TEST_F(VerificationServiceTest, ExpiredChallengeIsRejected) {
  const crypto::SecretBytes code = CodeFor(challenge_id());
  now_ += std::chrono::minutes(11);

  Result<store::DeviceRecord> device = VerifyWithCode(device_id(), challenge_id(), code);

  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().reason(), "challenge_expired");
}

TEST_F(VerificationServiceTest, PassedChallengeIsClosed) {
  const crypto::SecretBytes code = CodeFor(challenge_id());
  ASSERT_TRUE(VerifyWithCode(device_id(), challenge_id(), code).has_value());

  Result<store::DeviceRecord> again = VerifyWithCode(device_id(), challenge_id(), code);

  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().reason(), "challenge_closed");
}

TEST_F(VerificationServiceTest, ChallengeOfAnotherDeviceIsNotFound) {
  const Enrollment other = Register("alice", WindowsChrome());

  Result<store::DeviceRecord> device =
      VerifyWithCode(other.result.device.device_id, challenge_id(), CodeFor(challenge_id()));

  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().reason(), "challenge_not_found");
  EXPECT_EQ(device.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetChallenge(challenge_id())->attempts, 0);
}

TEST_F(VerificationServiceTest, UnknownChallengeIsNotFound) {
  Result<store::DeviceRecord> device = VerifyWithCode(device_id(), "chl_aaaaaaaaaaaaaaaaaaaaaaaaaa",
                                                      crypto::SecretBytes(AsBytes("123456")));

  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().reason(), "challenge_not_found");
}

TEST_F(VerificationServiceTest, RevokedDeviceCannotPass) {
  ASSERT_TRUE(devices_->Revoke(device_id(), "key_compromise", Facts()).has_value());

  Result<store::DeviceRecord> device =
      VerifyWithCode(device_id(), challenge_id(), CodeFor(challenge_id()));

  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().reason(), "device_revoked");
}

TEST_F(VerificationServiceTest, MalformedInputsAreRejected) {
  const crypto::SecretBytes code = CodeFor(challenge_id());

  EXPECT_EQ(VerifyWithCode("dev_x", challenge_id(), code).error().reason(), "invalid_device_id");
  EXPECT_EQ(VerifyWithCode(device_id(), "chl_x", code).error().reason(), "invalid_challenge_id");
  EXPECT_EQ(VerifyWithCode(device_id(), challenge_id(), crypto::SecretBytes(AsBytes("12345")))
                .error()
                .reason(),
            "invalid_code");
  EXPECT_EQ(VerifyWithCode(device_id(), challenge_id(), crypto::SecretBytes(AsBytes("12a456")))
                .error()
                .reason(),
            "invalid_code");
  EXPECT_EQ(store_->GetChallenge(challenge_id())->attempts, 0);
}

TEST_F(VerificationServiceTest, CodeNeverReachesLog) {
  const crypto::SecretBytes code = CodeFor(challenge_id());
  ASSERT_TRUE(VerifyWithCode(device_id(), challenge_id(), code).has_value());

  EXPECT_EQ(LogText().find(std::string(code.AsStringView())), std::string::npos);
}

TEST_F(VerificationServiceTest, DecisionGoesToOutbox) {
  const std::size_t before = Outbox("trust_event").size();

  ASSERT_TRUE(VerifyWithCode(device_id(), challenge_id(), CodeFor(challenge_id())).has_value());

  const std::vector<store::OutboxEvent> events = Outbox("trust_event");
  ASSERT_EQ(events.size(), before + 1);
  EXPECT_NE(events.back().payload.find("\"flow\":\"verification\""), std::string::npos);
  EXPECT_EQ(Metric(R"(devtrust_trust_decisions_total{reason="ok",result="trusted"})"), 1.0);
}

}  // namespace
}  // namespace devtrust::service
