// Verification challenges and validation writes.
#include <gtest/gtest.h>

#include <limits>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using test_util::At;
using test_util::MakeChallenge;
using test_util::MakeEvent;
using test_util::MakeNotification;
using test_util::MakeReviewItem;
using test_util::RegisterOrFail;

constexpr std::string_view kRegistrationChallenge = "challenge-device-1";

class SqliteChallengeTest : public test_util::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    RegisterOrFail(*store_, "device-1", "user-1", At(milliseconds(0)));
  }

  AttemptOutcome Reserve(std::string_view challenge_id, TimePoint now) {
    const Result<AttemptOutcome> outcome = store_->ReserveChallengeAttempt(challenge_id, now);
    EXPECT_OK(outcome);
    return outcome.value_or(AttemptOutcome::kUnknown);
  }

  DeviceRecord Device(std::string_view device_id) {
    const Result<DeviceRecord> device = store_->GetDevice(device_id);
    EXPECT_OK(device);
    return device.value_or(DeviceRecord{});
  }

  VerificationChallenge Challenge(std::string_view challenge_id) {
    const Result<VerificationChallenge> challenge = store_->GetChallenge(challenge_id);
    EXPECT_OK(challenge);
    return challenge.value_or(VerificationChallenge{});
  }

  // Passes the registration challenge, so that device-1 is trusted.
  void TrustDevice() {
    ASSERT_EQ(Reserve(kRegistrationChallenge, At(minutes(1))), AttemptOutcome::kReserved);
    ASSERT_OK(store_->PassChallenge(kRegistrationChallenge, At(minutes(1)), {}));
  }

  // Writes an open drift challenge for device-1 that accepts `candidate`.
  void AddDriftChallenge(std::string_view challenge_id, std::string_view candidate, TimePoint now) {
    ValidationWrite write;
    write.device_id = "device-1";
    write.now = now;
    write.challenge =
        MakeChallenge(challenge_id, "device-1", "user-1", ChallengeReason::kDrift, now);
    write.challenge->candidate_fingerprint = std::string(candidate);
    ASSERT_OK(store_->RecordValidation(write));
  }
};

TEST_F(SqliteChallengeTest, ReservesUntilMaxAttempts) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Reserve(kRegistrationChallenge, At(minutes(1))), AttemptOutcome::kReserved) << i;
  }
  EXPECT_EQ(Reserve(kRegistrationChallenge, At(minutes(1))), AttemptOutcome::kLockedOut);
  EXPECT_EQ(Challenge(kRegistrationChallenge).attempts, 5);
  EXPECT_EQ(Challenge(kRegistrationChallenge).status, ChallengeStatus::kOpen);
}

TEST_F(SqliteChallengeTest, ReserveAfterExpiryMarksExpired) {
  const TimePoint expires_at = Challenge(kRegistrationChallenge).expires_at;

  EXPECT_EQ(Reserve(kRegistrationChallenge, expires_at), AttemptOutcome::kExpired);
  const VerificationChallenge challenge = Challenge(kRegistrationChallenge);
  EXPECT_EQ(challenge.status, ChallengeStatus::kExpired);
  EXPECT_EQ(challenge.completed_at, expires_at);
  EXPECT_EQ(challenge.attempts, 0);

  // Still expired, not "not open", on the next guess.
  EXPECT_EQ(Reserve(kRegistrationChallenge, expires_at + minutes(1)), AttemptOutcome::kExpired);
}

TEST_F(SqliteChallengeTest, ReserveUnknownChallenge) {
  EXPECT_EQ(Reserve("missing", At(minutes(1))), AttemptOutcome::kUnknown);
}

TEST_F(SqliteChallengeTest, ReserveAfterPassOrFailIsNotOpen) {
  TrustDevice();
  EXPECT_EQ(Reserve(kRegistrationChallenge, At(minutes(2))), AttemptOutcome::kNotOpen);

  AddDriftChallenge("drift-1", "", At(minutes(3)));
  ASSERT_OK(store_->FailChallenge("drift-1", At(minutes(4)), {}));
  EXPECT_EQ(Reserve("drift-1", At(minutes(5))), AttemptOutcome::kNotOpen);
}

TEST_F(SqliteChallengeTest, PassRegistrationTrustsDevice) {
  ASSERT_EQ(Reserve(kRegistrationChallenge, At(minutes(1))), AttemptOutcome::kReserved);
  const std::int64_t events_before = CountRows("outbox");

  const OutboxEvent event =
      MakeEvent("trust_event", R"({"event":"device_verified"})", At(minutes(1)));
  ASSERT_OK(store_->PassChallenge(kRegistrationChallenge, At(minutes(1)),
                                  std::span<const OutboxEvent>(&event, 1)));

  const DeviceRecord device = Device("device-1");
  EXPECT_EQ(device.status, DeviceStatus::kTrusted);
  EXPECT_EQ(device.verified_at, At(minutes(1)));
  EXPECT_EQ(device.updated_at, At(minutes(1)));

  const VerificationChallenge challenge = Challenge(kRegistrationChallenge);
  EXPECT_EQ(challenge.status, ChallengeStatus::kPassed);
  EXPECT_EQ(challenge.completed_at, At(minutes(1)));
  EXPECT_EQ(CountRows("outbox"), events_before + 1);
}

TEST_F(SqliteChallengeTest, PassWithoutReservedAttemptFails) {
  const Status passed = store_->PassChallenge(kRegistrationChallenge, At(minutes(1)), {});
  ASSERT_FALSE(passed.has_value());
  EXPECT_EQ(passed.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(passed.error().reason(), "attempt_not_reserved");
  EXPECT_EQ(Device("device-1").status, DeviceStatus::kPending);
  EXPECT_EQ(Challenge(kRegistrationChallenge).status, ChallengeStatus::kOpen);
}

TEST_F(SqliteChallengeTest, PassAfterExpiryFails) {
  ASSERT_EQ(Reserve(kRegistrationChallenge, At(minutes(1))), AttemptOutcome::kReserved);
  const TimePoint expires_at = Challenge(kRegistrationChallenge).expires_at;

  const Status passed = store_->PassChallenge(kRegistrationChallenge, expires_at, {});
  ASSERT_FALSE(passed.has_value());
  EXPECT_EQ(passed.error().reason(), "challenge_expired");
  EXPECT_EQ(Device("device-1").status, DeviceStatus::kPending);
}

TEST_F(SqliteChallengeTest, PassTwiceFails) {
  TrustDevice();

  const Status again = store_->PassChallenge(kRegistrationChallenge, At(minutes(2)), {});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.error().reason(), "challenge_not_open");
}

TEST_F(SqliteChallengeTest, PassUnknownChallenge) {
  const Status passed = store_->PassChallenge("missing", At(minutes(1)), {});
  ASSERT_FALSE(passed.has_value());
  EXPECT_EQ(passed.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(passed.error().reason(), "challenge_not_found");
}

TEST_F(SqliteChallengeTest, PassOnRevokedDeviceWritesNothing) {
  ASSERT_EQ(Reserve(kRegistrationChallenge, At(minutes(1))), AttemptOutcome::kReserved);
  ASSERT_OK(store_->RevokeDevice("device-1", "user_request", At(minutes(1)), {}));
  const std::int64_t events_before = CountRows("outbox");

  const OutboxEvent event = MakeEvent("trust_event", "{}", At(minutes(2)));
  const Status passed = store_->PassChallenge(kRegistrationChallenge, At(minutes(2)),
                                              std::span<const OutboxEvent>(&event, 1));
  ASSERT_FALSE(passed.has_value());
  EXPECT_EQ(passed.error().reason(), "device_revoked");
  EXPECT_EQ(Device("device-1").status, DeviceStatus::kRevoked);
  EXPECT_EQ(Challenge(kRegistrationChallenge).status, ChallengeStatus::kOpen);
  EXPECT_EQ(CountRows("outbox"), events_before);
}

TEST_F(SqliteChallengeTest, PassDriftAcceptsCandidateFingerprint) {
  TrustDevice();
  AddDriftChallenge("drift-2", R"({"screen":"2560x1440"})", At(minutes(2)));
  ASSERT_EQ(Reserve("drift-2", At(minutes(3))), AttemptOutcome::kReserved);

  ASSERT_OK(store_->PassChallenge("drift-2", At(minutes(3)), {}));

  const DeviceRecord device = Device("device-1");
  EXPECT_EQ(device.accepted_fingerprint, R"({"screen":"2560x1440"})");
  EXPECT_NE(device.baseline_fingerprint, device.accepted_fingerprint);
  EXPECT_EQ(device.status, DeviceStatus::kTrusted);
  EXPECT_EQ(device.verified_at, At(minutes(1)));
}

TEST_F(SqliteChallengeTest, PassVerificationFailureRebasesFingerprint) {
  TrustDevice();
  ValidationWrite write;
  write.device_id = "device-1";
  write.now = At(minutes(2));
  write.challenge = MakeChallenge("hard-2", "device-1", "user-1",
                                  ChallengeReason::kVerificationFailure, At(minutes(2)));
  write.challenge->candidate_fingerprint = R"({"platform":"MacIntel"})";
  ASSERT_OK(store_->RecordValidation(write));
  ASSERT_EQ(Reserve("hard-2", At(minutes(3))), AttemptOutcome::kReserved);

  ASSERT_OK(store_->PassChallenge("hard-2", At(minutes(3)), {}));

  const DeviceRecord device = Device("device-1");
  EXPECT_EQ(device.accepted_fingerprint, R"({"platform":"MacIntel"})");
  EXPECT_EQ(device.baseline_fingerprint, R"({"platform":"MacIntel"})");
}

TEST_F(SqliteChallengeTest, PassVerificationFailureWithoutCandidateKeepsFingerprints) {
  TrustDevice();
  const DeviceRecord before = Device("device-1");
  ValidationWrite write;
  write.device_id = "device-1";
  write.now = At(minutes(2));
  write.challenge = MakeChallenge("hard-3", "device-1", "user-1",
                                  ChallengeReason::kVerificationFailure, At(minutes(2)));
  ASSERT_OK(store_->RecordValidation(write));
  ASSERT_EQ(Reserve("hard-3", At(minutes(3))), AttemptOutcome::kReserved);

  ASSERT_OK(store_->PassChallenge("hard-3", At(minutes(3)), {}));

  const DeviceRecord device = Device("device-1");
  EXPECT_EQ(device.baseline_fingerprint, before.baseline_fingerprint);
  EXPECT_EQ(device.accepted_fingerprint, before.accepted_fingerprint);
}

TEST_F(SqliteChallengeTest, FailMarksFailed) {
  const OutboxEvent event = MakeEvent("siem", R"({"event":"verification_failed"})", At(minutes(1)));
  ASSERT_OK(store_->FailChallenge(kRegistrationChallenge, At(minutes(1)),
                                  std::span<const OutboxEvent>(&event, 1)));

  const VerificationChallenge challenge = Challenge(kRegistrationChallenge);
  EXPECT_EQ(challenge.status, ChallengeStatus::kFailed);
  EXPECT_EQ(challenge.completed_at, At(minutes(1)));
  EXPECT_EQ(CountRows("outbox", "topic = 'siem'"), 1);
  EXPECT_EQ(Device("device-1").status, DeviceStatus::kPending);
}

TEST_F(SqliteChallengeTest, FailTwiceOrUnknownFails) {
  ASSERT_OK(store_->FailChallenge(kRegistrationChallenge, At(minutes(1)), {}));

  const Status again = store_->FailChallenge(kRegistrationChallenge, At(minutes(2)), {});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().reason(), "challenge_not_open");

  const Status unknown = store_->FailChallenge("missing", At(minutes(2)), {});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().reason(), "challenge_not_found");
}

TEST_F(SqliteChallengeTest, OpenChallengeForDevice) {
  const Result<std::optional<VerificationChallenge>> any =
      store_->GetOpenChallengeForDevice("device-1", std::nullopt);
  ASSERT_OK(any);
  ASSERT_TRUE(any->has_value());
  EXPECT_EQ((*any)->challenge_id, kRegistrationChallenge);

  const Result<std::optional<VerificationChallenge>> drift =
      store_->GetOpenChallengeForDevice("device-1", ChallengeReason::kDrift);
  ASSERT_OK(drift);
  EXPECT_FALSE(drift->has_value());

  TrustDevice();
  const Result<std::optional<VerificationChallenge>> after_pass =
      store_->GetOpenChallengeForDevice("device-1", std::nullopt);
  ASSERT_OK(after_pass);
  EXPECT_FALSE(after_pass->has_value());
}

TEST_F(SqliteChallengeTest, GetChallengeNotFound) {
  const Result<VerificationChallenge> challenge = store_->GetChallenge("missing");
  ASSERT_FALSE(challenge.has_value());
  EXPECT_EQ(challenge.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(challenge.error().reason(), "challenge_not_found");
}

TEST_F(SqliteChallengeTest, ValidationWritesEveryPart) {
  TrustDevice();

  ValidationWrite write;
  write.device_id = "device-1";
  write.now = At(minutes(5));
  write.accepted_fingerprint = R"({"screen":"800x600"})";
  write.challenge =
      MakeChallenge("drift-3", "device-1", "user-1", ChallengeReason::kDrift, At(minutes(5)));
  write.review_item = MakeReviewItem("review-1", "device-1", "user-1", At(minutes(5)));
  write.notifications.push_back(
      MakeNotification("drift-note-1", "user-1", "device-1", At(minutes(5))));
  write.events.push_back(MakeEvent("trust_event", R"({"event":"drift"})", At(minutes(5))));
  write.events.push_back(MakeEvent("siem", R"({"event":"drift"})", At(minutes(5))));
  const std::int64_t events_before = CountRows("outbox");

  ASSERT_OK(store_->RecordValidation(write));

  const DeviceRecord device = Device("device-1");
  EXPECT_EQ(device.accepted_fingerprint, R"({"screen":"800x600"})");
  EXPECT_TRUE(device.flagged_for_review);
  EXPECT_EQ(device.updated_at, At(minutes(5)));
  EXPECT_EQ(Challenge("drift-3"), *write.challenge);

  const Result<ReviewItem> item = store_->GetReviewItem("review-1");
  ASSERT_OK(item);
  EXPECT_EQ(*item, *write.review_item);
  EXPECT_EQ(CountRows("notifications", "notification_id = 'drift-note-1'"), 1);
  EXPECT_EQ(CountRows("outbox"), events_before + 2);
}

TEST_F(SqliteChallengeTest, NewChallengeSupersedesSameReason) {
  TrustDevice();
  AddDriftChallenge("drift-4", "", At(minutes(2)));

  // A verification-failure challenge leaves the drift challenge open.
  ValidationWrite failure;
  failure.device_id = "device-1";
  failure.now = At(minutes(3));
  failure.challenge = MakeChallenge("failure-1", "device-1", "user-1",
                                    ChallengeReason::kVerificationFailure, At(minutes(3)));
  ASSERT_OK(store_->RecordValidation(failure));
  EXPECT_EQ(Challenge("drift-4").status, ChallengeStatus::kOpen);

  AddDriftChallenge("drift-5", "", At(minutes(4)));
  EXPECT_EQ(Challenge("drift-4").status, ChallengeStatus::kExpired);
  EXPECT_EQ(Challenge("drift-4").completed_at, At(minutes(4)));
  EXPECT_EQ(Challenge("drift-5").status, ChallengeStatus::kOpen);
  EXPECT_EQ(Challenge("failure-1").status, ChallengeStatus::kOpen);

  const Result<std::optional<VerificationChallenge>> open =
      store_->GetOpenChallengeForDevice("device-1", ChallengeReason::kDrift);
  ASSERT_OK(open);
  ASSERT_TRUE(open->has_value());
  EXPECT_EQ((*open)->challenge_id, "drift-5");
}

TEST_F(SqliteChallengeTest, ValidationForUnknownDeviceWritesNothing) {
  ValidationWrite write;
  write.device_id = "missing";
  write.now = At(minutes(1));
  write.challenge =
      MakeChallenge("drift-6", "missing", "user-1", ChallengeReason::kDrift, At(minutes(1)));
  write.notifications.push_back(MakeNotification("note-6", "user-1", "missing", At(minutes(1))));
  const std::int64_t notifications_before = CountRows("notifications");

  const Status recorded = store_->RecordValidation(write);
  ASSERT_FALSE(recorded.has_value());
  EXPECT_EQ(recorded.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(recorded.error().reason(), "device_not_found");
  EXPECT_EQ(CountRows("notifications"), notifications_before);
  EXPECT_EQ(CountRows("verification_challenges", "challenge_id = 'drift-6'"), 0);
}

TEST_F(SqliteChallengeTest, ReplayAlertForUnknownDevice) {
  ValidationWrite write;
  write.device_id = "never-enrolled";
  write.now = At(minutes(1));
  write.notifications.push_back(
      MakeNotification("replay-note", "user-1", "never-enrolled", At(minutes(1))));
  write.notifications.back().kind = NotificationKind::kReplayAlert;
  write.events.push_back(MakeEvent("siem", R"({"event":"replay"})", At(minutes(1))));

  ASSERT_OK(store_->RecordValidation(write));
  EXPECT_EQ(CountRows("notifications", "kind = 'replay_alert'"), 1);
  EXPECT_EQ(CountRows("outbox", "topic = 'siem'"), 1);
}

TEST_F(SqliteChallengeTest, RevokedDeviceGetsReviewButNoFingerprint) {
  ASSERT_OK(store_->RevokeDevice("device-1", "key_compromise", At(minutes(1)), {}));

  ValidationWrite fingerprint;
  fingerprint.device_id = "device-1";
  fingerprint.now = At(minutes(2));
  fingerprint.accepted_fingerprint = "{}";
  const Status rejected = store_->RecordValidation(fingerprint);
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rejected.error().reason(), "device_revoked");

  ValidationWrite review;
  review.device_id = "device-1";
  review.now = At(minutes(2));
  review.review_item = MakeReviewItem("review-2", "device-1", "user-1", At(minutes(2)));
  review.review_item->reason = ReviewReason::kReplay;
  ASSERT_OK(store_->RecordValidation(review));
  EXPECT_TRUE(Device("device-1").flagged_for_review);
}

TEST_F(SqliteChallengeTest, FailedPartRollsBackWholeValidation) {
  TrustDevice();
  const std::string fingerprint_before = Device("device-1").accepted_fingerprint;

  // The notification id collides with the one the registration wrote.
  ValidationWrite write;
  write.device_id = "device-1";
  write.now = At(minutes(2));
  write.accepted_fingerprint = R"({"changed":true})";
  write.review_item = MakeReviewItem("review-3", "device-1", "user-1", At(minutes(2)));
  write.notifications.push_back(
      MakeNotification("notification-device-1", "user-1", "device-1", At(minutes(2))));

  const Status recorded = store_->RecordValidation(write);
  ASSERT_FALSE(recorded.has_value());
  EXPECT_EQ(recorded.error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(recorded.error().reason(), "notification_exists");

  const DeviceRecord device = Device("device-1");
  EXPECT_EQ(device.accepted_fingerprint, fingerprint_before);
  EXPECT_FALSE(device.flagged_for_review);
  EXPECT_EQ(CountRows("review_items"), 0);
}

// A login nonce of device-1, stored.
NonceClaim StoredLoginNonce(Store& store, std::string_view label) {
  const NonceRecord nonce =
      test_util::MakeNonce(label, NoncePurpose::kLogin, "user-1", "device-1", At(minutes(1)));
  EXPECT_OK(store.PutNonce(nonce));
  return test_util::ClaimFor(nonce);
}

TEST_F(SqliteChallengeTest, NonceAndDecisionCommitTogether) {
  TrustDevice();
  const NonceClaim nonce = StoredLoginNonce(*store_, "together");
  ValidationWrite write;
  write.device_id = "device-1";
  write.now = At(minutes(2));
  write.accepted_fingerprint = R"({"accepted":true})";
  write.events.push_back(MakeEvent("trust_event", "decision", At(minutes(2))));

  const Result<NonceOutcome> outcome = store_->ConsumeNonceAndRecordValidation(nonce, write);
  ASSERT_OK(outcome);
  EXPECT_EQ(*outcome, NonceOutcome::kConsumed);
  EXPECT_EQ(CountRows("nonces", "purpose = 'login' AND consumed_at IS NOT NULL"), 1);
  EXPECT_EQ(Device("device-1").accepted_fingerprint, R"({"accepted":true})");
  EXPECT_EQ(CountRows("outbox", "payload = 'decision'"), 1);
}

TEST_F(SqliteChallengeTest, UsedNonceWritesNoDecision) {
  TrustDevice();
  const NonceClaim nonce = StoredLoginNonce(*store_, "used-once");
  ASSERT_OK(store_->ConsumeNonce(nonce, At(minutes(1) + milliseconds(1))));
  const std::string fingerprint_before = Device("device-1").accepted_fingerprint;

  ValidationWrite write;
  write.device_id = "device-1";
  write.now = At(minutes(2));
  write.accepted_fingerprint = R"({"accepted":true})";
  write.review_item = MakeReviewItem("review-nonce", "device-1", "user-1", At(minutes(2)));
  write.events.push_back(MakeEvent("trust_event", "late decision", At(minutes(2))));

  const Result<NonceOutcome> outcome = store_->ConsumeNonceAndRecordValidation(nonce, write);
  ASSERT_OK(outcome);
  EXPECT_EQ(*outcome, NonceOutcome::kReused);
  EXPECT_EQ(Device("device-1").accepted_fingerprint, fingerprint_before);
  EXPECT_FALSE(Device("device-1").flagged_for_review);
  EXPECT_EQ(CountRows("review_items"), 0);
  EXPECT_EQ(CountRows("outbox", "payload = 'late decision'"), 0);
}

TEST_F(SqliteChallengeTest, FailedDecisionLeavesNonceUnused) {
  TrustDevice();
  const NonceClaim nonce = StoredLoginNonce(*store_, "rolled-back");
  // The notification id collides with the one the registration wrote.
  ValidationWrite write;
  write.device_id = "device-1";
  write.now = At(minutes(2));
  write.notifications.push_back(
      MakeNotification("notification-device-1", "user-1", "device-1", At(minutes(2))));

  const Result<NonceOutcome> outcome = store_->ConsumeNonceAndRecordValidation(nonce, write);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().reason(), "notification_exists");
  EXPECT_EQ(CountRows("nonces", "purpose = 'login' AND consumed_at IS NOT NULL"), 0);
}

TEST_F(SqliteChallengeTest, RegistrationNonceCannotRecordValidation) {
  const NonceRecord registration =
      test_util::MakeNonce("register-nonce", NoncePurpose::kRegister, "user-1", "", At(minutes(1)));
  ASSERT_OK(store_->PutNonce(registration));
  ValidationWrite write;
  write.now = At(minutes(2));

  const Result<NonceOutcome> outcome =
      store_->ConsumeNonceAndRecordValidation(test_util::ClaimFor(registration), write);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CountRows("nonces", "purpose = 'register' AND consumed_at IS NULL"), 1);
}

TEST_F(SqliteChallengeTest, InvalidValidationWritesRejected) {
  ValidationWrite no_device;
  no_device.now = At(minutes(1));
  no_device.accepted_fingerprint = "{}";

  ValidationWrite other_device;
  other_device.device_id = "device-1";
  other_device.now = At(minutes(1));
  other_device.review_item = MakeReviewItem("review-4", "device-2", "user-1", At(minutes(1)));

  ValidationWrite nan_score;
  nan_score.device_id = "device-1";
  nan_score.now = At(minutes(1));
  nan_score.review_item = MakeReviewItem("review-5", "device-1", "user-1", At(minutes(1)));
  nan_score.review_item->drift_score = std::numeric_limits<double>::quiet_NaN();

  ValidationWrite empty_fingerprint;
  empty_fingerprint.device_id = "device-1";
  empty_fingerprint.now = At(minutes(1));
  empty_fingerprint.accepted_fingerprint = "";

  const std::pair<const char*, ValidationWrite*> cases[] = {
      {"no device", &no_device},
      {"review for another device", &other_device},
      {"NaN drift score", &nan_score},
      {"empty fingerprint", &empty_fingerprint},
  };
  for (const auto& [name, write] : cases) {
    const Status recorded = store_->RecordValidation(*write);
    ASSERT_FALSE(recorded.has_value()) << name;
    EXPECT_EQ(recorded.error().code(), StatusCode::kInvalidArgument) << name;
  }
}

}  // namespace
}  // namespace devtrust::store
