#include "service/validation_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <latch>
#include <thread>
#include <vector>

#include "crypto/session_key.h"
#include "service/notification_payload.h"
#include "service/service_test_support.h"
#include "trust/proof.h"

namespace devtrust::service {
namespace {

using testing::Enrollment;
using testing::MacSafari;
using testing::ServiceFixture;
using testing::WindowsChrome;

std::vector<std::string> ReasonNames(const ValidationResponse& response) {
  std::vector<std::string> names;
  for (const trust::ReasonCode reason : response.outcome.reasons) {
    names.emplace_back(trust::ReasonCodeName(reason));
  }
  return names;
}

class ValidationServiceTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    enrollment_ = Enroll("alice", WindowsChrome());
  }

  ValidationResponse LoginOrFail(const trust::Fingerprint& fingerprint, const RequestFacts& facts) {
    Result<ValidationResponse> response = Login(*enrollment_, fingerprint, facts);
    EXPECT_TRUE(response.has_value()) << response.error().ToString();
    return response ? *std::move(response) : ValidationResponse{};
  }
  ValidationResponse LoginOrFail(const trust::Fingerprint& fingerprint) {
    return LoginOrFail(fingerprint, Facts());
  }

  const std::string& device_id() const { return enrollment_->result.device.device_id; }

  ValidationRequest SignedLogin(const trust::Fingerprint& fingerprint) {
    const Bytes nonce = IssueNonce(store::NoncePurpose::kLogin, "alice", device_id());
    return enrollment_->device.Login("alice", device_id(), nonce, fingerprint,
                                     enrollment_->result.ml_dsa_certificate,
                                     enrollment_->result.ecdsa_certificate);
  }

  std::optional<Enrollment> enrollment_;
};

TEST_F(ValidationServiceTest, EnrolledDeviceIsTrusted) {
  const ValidationResponse response = LoginOrFail(WindowsChrome());

  EXPECT_EQ(response.outcome.decision.result, trust::TrustResult::kTrusted);
  EXPECT_EQ(ReasonNames(response), std::vector<std::string>{"ok"});
  EXPECT_FALSE(response.challenge.has_value());
  ASSERT_TRUE(response.session.has_value());
  EXPECT_EQ(response.session->offer.mode, crypto::SessionMode::kHybrid);
  EXPECT_EQ(Metric("trusted_device_validation_success_total"), 1.0);
}

TEST_F(ValidationServiceTest, DeviceDerivesTheSameSessionKey) {
  const ValidationRequest request = SignedLogin(WindowsChrome());
  Result<ValidationResponse> response = validations_->Validate(request, Facts());
  ASSERT_TRUE(response.has_value());
  ASSERT_TRUE(response->session.has_value());

  Result<crypto::SecretBytes> device_key = crypto::AcceptHybridSession(
      *enrollment_->device.ml_kem, enrollment_->device.x25519, response->session->offer,
      trust::LoginSessionLabel(device_id(), request.nonce));

  ASSERT_TRUE(device_key.has_value()) << device_key.error().ToString();
  EXPECT_TRUE(response->session->key.ConstantTimeEquals(device_key->view()));
}

TEST_F(ValidationServiceTest, EveryStepIsLoggedInOrder) {
  const RequestFacts facts = Facts();
  LoginOrFail(WindowsChrome(), facts);

  std::vector<std::string> steps;
  for (const boost::json::object& line : TraceLines(facts.trace_id)) {
    steps.emplace_back(line.at("flow_step").as_string());
    EXPECT_EQ(line.at("flow").as_string(), "validation");
    EXPECT_EQ(line.at("user_id").as_string(), "alice");
    EXPECT_EQ(line.at("device_id").as_string(), device_id());
    EXPECT_EQ(line.at("fingerprint").as_string().size(), 32u);
    EXPECT_EQ(line.at("node").as_string(), "test-node");
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"token_check", "cert_parse", "cert_chain",
                                             "cert_validity", "revocation_check", "replay_check",
                                             "pop_signature", "fingerprint_match", "drift_eval",
                                             "session_kem", "decision"}));
}

TEST_F(ValidationServiceTest, LogCarriesDigestNotAttributes) {
  LoginOrFail(WindowsChrome());

  const std::string log = LogText();
  EXPECT_EQ(log.find("Win32"), std::string::npos);
  EXPECT_EQ(log.find("Europe/Berlin"), std::string::npos);
  EXPECT_EQ(log.find("Chrome/126"), std::string::npos);
}

TEST_F(ValidationServiceTest, DecisionIsStoredInOutbox) {
  const std::size_t before = Outbox("trust_event").size();
  LoginOrFail(WindowsChrome());

  const std::vector<store::OutboxEvent> events = Outbox("trust_event");
  ASSERT_EQ(events.size(), before + 1);
  const boost::json::object decision = boost::json::parse(events.back().payload).as_object();
  EXPECT_EQ(decision.at("flow").as_string(), "validation");
  EXPECT_EQ(decision.at("trust_result").as_string(), "trusted");
}

TEST_F(ValidationServiceTest, ReusedNonceIsReplay) {
  const ValidationRequest request = SignedLogin(WindowsChrome());
  ASSERT_TRUE(validations_->Validate(request, Facts()).has_value());

  Result<ValidationResponse> replay = validations_->Validate(request, Facts());

  ASSERT_TRUE(replay.has_value());
  EXPECT_EQ(replay->outcome.decision.result, trust::TrustResult::kDenied);
  EXPECT_EQ(ReasonNames(*replay), std::vector<std::string>{"nonce_reused"});
  EXPECT_EQ(Metric(R"(replay_attempts_detected_total{kind="nonce_reused"})"), 1.0);
  const std::vector<store::OutboxEvent> siem = Outbox("siem");
  ASSERT_EQ(siem.size(), 1u);
  EXPECT_NE(siem[0].payload.find("\"replay_kind\":\"nonce_reused\""), std::string::npos);
  bool alerted = false;
  for (const store::Notification& notification : PendingNotifications()) {
    alerted = alerted || notification.kind == store::NotificationKind::kReplayAlert;
  }
  EXPECT_TRUE(alerted);
}

// Several requests present one signed login at once: only one may be
// trusted, and every other one is a replay, whether it lost at replay_check
// or at the write that stores its decision.
TEST_F(ValidationServiceTest, ConcurrentUsesOfOneNonceTrustOnce) {
  constexpr int kRequests = 8;
  const ValidationRequest request = SignedLogin(WindowsChrome());
  std::vector<RequestFacts> facts;
  for (int i = 0; i < kRequests; ++i) facts.push_back(Facts());

  std::vector<std::optional<Result<ValidationResponse>>> responses(kRequests);
  std::latch start(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      responses[static_cast<std::size_t>(i)].emplace(
          validations_->Validate(request, facts[static_cast<std::size_t>(i)]));
    });
  }
  for (std::thread& thread : threads) thread.join();

  int trusted = 0;
  int reused = 0;
  for (const std::optional<Result<ValidationResponse>>& ran : responses) {
    ASSERT_TRUE(ran.has_value());
    const Result<ValidationResponse>& response = *ran;
    ASSERT_TRUE(response.has_value()) << response.error().ToString();
    if (response->outcome.decision.result == trust::TrustResult::kTrusted) {
      ++trusted;
      EXPECT_TRUE(response->session.has_value());
    } else if (ReasonNames(*response) == std::vector<std::string>{"nonce_reused"}) {
      ++reused;
      EXPECT_FALSE(response->session.has_value());
    }
  }
  EXPECT_EQ(trusted, 1);
  EXPECT_EQ(reused, kRequests - 1);
  EXPECT_EQ(Metric("trusted_device_validation_success_total"), 1.0);
  EXPECT_EQ(Metric(R"(replay_attempts_detected_total{kind="nonce_reused"})"), kRequests - 1.0);
  EXPECT_EQ(Outbox("siem").size(), static_cast<std::size_t>(kRequests - 1));
}

// A Store that forwards everything to the real SQLite store, except that
// another request "wins" the nonce just before a validation stores its
// decision: the one interleaving that a concurrent test cannot force.
class NonceRaceStore final : public store::Store {
 public:
  explicit NonceRaceStore(store::Store& inner) : inner_(inner) {}

  Result<store::NonceOutcome> ConsumeNonceAndRecordValidation(
      const store::NonceClaim& nonce, const store::ValidationWrite& write) override {
    ++races_;
    Result<store::NonceOutcome> winner = inner_.ConsumeNonce(nonce, write.now);
    if (!winner || *winner != store::NonceOutcome::kConsumed) {
      return MakeError(StatusCode::kInternal, "race_setup_failed",
                       "the competing request could not consume the nonce");
    }
    return inner_.ConsumeNonceAndRecordValidation(nonce, write);
  }

  int races() const { return races_; }

  Status PutNonce(const store::NonceRecord& nonce) override { return inner_.PutNonce(nonce); }
  Result<store::NonceOutcome> ConsumeNonce(const store::NonceClaim& claim,
                                           store::TimePoint now) override {
    return inner_.ConsumeNonce(claim, now);
  }
  Result<store::NonceOutcome> CheckNonce(const store::NonceClaim& claim,
                                         store::TimePoint now) override {
    return inner_.CheckNonce(claim, now);
  }
  Result<std::int64_t> PruneExpiredNonces(store::TimePoint before, std::int64_t max_rows) override {
    return inner_.PruneExpiredNonces(before, max_rows);
  }
  Result<store::NonceOutcome> RegisterDevice(
      const store::DeviceRegistration& registration) override {
    return inner_.RegisterDevice(registration);
  }
  Result<store::DeviceRecord> GetDevice(std::string_view device_id) override {
    return inner_.GetDevice(device_id);
  }
  Result<std::vector<store::DeviceRecord>> ListDevicesByUser(std::string_view user_id,
                                                             std::int64_t limit) override {
    return inner_.ListDevicesByUser(user_id, limit);
  }
  Result<store::CertificateRecord> GetCertificate(std::string_view serial) override {
    return inner_.GetCertificate(serial);
  }
  Result<std::vector<store::RevokedCertificate>> ListRevokedCertificates(
      store::CertificateKind kind) override {
    return inner_.ListRevokedCertificates(kind);
  }
  Result<store::VerificationChallenge> GetChallenge(std::string_view challenge_id) override {
    return inner_.GetChallenge(challenge_id);
  }
  Result<std::optional<store::VerificationChallenge>> GetOpenChallengeForDevice(
      std::string_view device_id, std::optional<store::ChallengeReason> reason) override {
    return inner_.GetOpenChallengeForDevice(device_id, reason);
  }
  Result<std::vector<store::ReviewItem>> ListReviewItems(store::ReviewStatus status,
                                                         std::int64_t limit,
                                                         std::string_view after) override {
    return inner_.ListReviewItems(status, limit, after);
  }
  Result<store::ReviewItem> GetReviewItem(std::string_view review_id) override {
    return inner_.GetReviewItem(review_id);
  }
  Result<std::int64_t> CountPendingNotifications() override {
    return inner_.CountPendingNotifications();
  }
  Result<std::int64_t> CountUndeliveredOutbox() override { return inner_.CountUndeliveredOutbox(); }
  Result<std::int64_t> CountOpenReviewItems() override { return inner_.CountOpenReviewItems(); }
  Result<store::AttemptOutcome> ReserveChallengeAttempt(std::string_view challenge_id,
                                                        store::TimePoint now) override {
    return inner_.ReserveChallengeAttempt(challenge_id, now);
  }
  Status PassChallenge(std::string_view challenge_id, store::TimePoint now,
                       std::span<const store::OutboxEvent> events) override {
    return inner_.PassChallenge(challenge_id, now, events);
  }
  Status FailChallenge(std::string_view challenge_id, store::TimePoint now,
                       std::span<const store::OutboxEvent> events) override {
    return inner_.FailChallenge(challenge_id, now, events);
  }
  Status RecordValidation(const store::ValidationWrite& write) override {
    return inner_.RecordValidation(write);
  }
  Result<store::RevocationOutcome> RevokeDevice(
      std::string_view device_id, std::string_view reason, store::TimePoint now,
      std::span<const store::OutboxEvent> events) override {
    return inner_.RevokeDevice(device_id, reason, now, events);
  }
  Status ResolveReviewItem(std::string_view review_id, std::string_view resolution,
                           std::string_view resolved_by, store::TimePoint now,
                           std::span<const store::OutboxEvent> events) override {
    return inner_.ResolveReviewItem(review_id, resolution, resolved_by, now, events);
  }
  Result<std::vector<store::OutboxEvent>> FetchOutbox(std::string_view topic,
                                                      std::int64_t after_sequence,
                                                      std::int64_t limit) override {
    return inner_.FetchOutbox(topic, after_sequence, limit);
  }
  Result<std::int64_t> MarkOutboxDelivered(std::span<const std::int64_t> sequences,
                                           store::TimePoint now) override {
    return inner_.MarkOutboxDelivered(sequences, now);
  }
  Result<std::int64_t> MarkOutboxAttemptFailed(std::span<const std::int64_t> sequences) override {
    return inner_.MarkOutboxAttemptFailed(sequences);
  }
  Result<std::vector<store::Notification>> FetchDueNotifications(store::TimePoint now,
                                                                 std::int64_t limit) override {
    return inner_.FetchDueNotifications(now, limit);
  }
  Status MarkNotificationDelivered(std::string_view notification_id,
                                   store::TimePoint now) override {
    return inner_.MarkNotificationDelivered(notification_id, now);
  }
  Status MarkNotificationAttemptFailed(std::string_view notification_id,
                                       store::TimePoint next_attempt_at,
                                       std::string_view error_text) override {
    return inner_.MarkNotificationAttemptFailed(notification_id, next_attempt_at, error_text);
  }
  Status Ping() override { return inner_.Ping(); }
  void Close() override { inner_.Close(); }

 private:
  store::Store& inner_;
  int races_ = 0;
};

TEST_F(ValidationServiceTest, NonceLostBeforeWriteIsDecidedAsReplay) {
  NonceRaceStore racing(*store_);
  const ServiceContext context{.store = racing,
                               .ca = *ca_,
                               .trust_log = *trust_log_,
                               .metrics = *metrics_,
                               .logger = logger_,
                               .keys = *keys_,
                               .fallback_policy = fallback_policy_,
                               .settings = context_->settings,
                               .node = context_->node,
                               .clock = context_->clock,
                               .notification_queued = {}};
  const ValidationService validations(context, *pipeline_, *key_cache_);
  const RequestFacts facts = Facts();

  Result<ValidationResponse> response = validations.Validate(SignedLogin(WindowsChrome()), facts);

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(racing.races(), 1);
  EXPECT_EQ(response->outcome.decision.result, trust::TrustResult::kDenied);
  EXPECT_EQ(ReasonNames(*response), std::vector<std::string>{"nonce_reused"});
  EXPECT_FALSE(response->session.has_value());
  EXPECT_FALSE(response->outcome.consume_nonce);
  EXPECT_EQ(Metric("trusted_device_validation_success_total"), 0.0);
  EXPECT_EQ(Metric(R"(replay_attempts_detected_total{kind="nonce_reused"})"), 1.0);

  // Only the second decision reached the log and the outbox.
  std::vector<std::string> steps;
  for (const boost::json::object& line : TraceLines(facts.trace_id)) {
    steps.emplace_back(line.at("flow_step").as_string());
  }
  EXPECT_EQ(steps,
            (std::vector<std::string>{"token_check", "cert_parse", "cert_chain", "cert_validity",
                                      "revocation_check", "replay_check", "decision"}));
  const std::vector<store::OutboxEvent> decisions = Outbox("trust_event");
  ASSERT_FALSE(decisions.empty());
  EXPECT_NE(decisions.back().payload.find("\"reason\":\"nonce_reused\""), std::string::npos);
  EXPECT_EQ(Outbox("siem").size(), 1u);
}

TEST_F(ValidationServiceTest, RevokedCertificateIsReplay) {
  ASSERT_TRUE(devices_->Revoke(device_id(), "key_compromise", Facts()).has_value());

  const ValidationResponse response = LoginOrFail(WindowsChrome());

  EXPECT_EQ(response.outcome.decision.result, trust::TrustResult::kDenied);
  EXPECT_EQ(ReasonNames(response), std::vector<std::string>{"certificate_revoked"});
  EXPECT_EQ(Metric(R"(replay_attempts_detected_total{kind="certificate_revoked"})"), 1.0);
  EXPECT_EQ(Outbox("siem").size(), 1u);
}

TEST_F(ValidationServiceTest, ExpiredCertificateIsReplay) {
  now_ += std::chrono::days(31);

  const ValidationResponse response = LoginOrFail(WindowsChrome());

  EXPECT_EQ(ReasonNames(response), std::vector<std::string>{"certificate_expired"});
  EXPECT_EQ(Metric(R"(replay_attempts_detected_total{kind="certificate_expired"})"), 1.0);
}

TEST_F(ValidationServiceTest, CertificateOfAnotherDeviceIsReplay) {
  const Enrollment other = Enroll("alice", WindowsChrome());
  const Bytes nonce = IssueNonce(store::NoncePurpose::kLogin, "alice", device_id());
  const ValidationRequest request =
      enrollment_->device.Login("alice", device_id(), nonce, WindowsChrome(),
                                other.result.ml_dsa_certificate, other.result.ecdsa_certificate);

  Result<ValidationResponse> response = validations_->Validate(request, Facts());

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(ReasonNames(*response), std::vector<std::string>{"certificate_unknown"});
}

TEST_F(ValidationServiceTest, TwinPresentedAsMlDsaCertificateIsRejected) {
  const Bytes nonce = IssueNonce(store::NoncePurpose::kLogin, "alice", device_id());
  ValidationRequest request = enrollment_->device.Login(
      "alice", device_id(), nonce, WindowsChrome(), enrollment_->result.ecdsa_certificate, {});
  request.classical_signature.clear();

  Result<ValidationResponse> response = validations_->Validate(request, Facts());

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->outcome.decision.result, trust::TrustResult::kChallengeHard);
  EXPECT_EQ(ReasonNames(*response), std::vector<std::string>{"certificate_foreign_issuer"});
}

TEST_F(ValidationServiceTest, SoftDriftChallengesAndFlags) {
  const ValidationResponse response =
      LoginOrFail(WindowsChrome("2560", "1440", "America/New_York"));

  EXPECT_EQ(response.outcome.decision.result, trust::TrustResult::kChallengeSoft);
  EXPECT_EQ(ReasonNames(response), std::vector<std::string>{"fingerprint_drift"});
  ASSERT_TRUE(response.challenge.has_value());
  EXPECT_EQ(response.challenge->reason, store::ChallengeReason::kDrift);
  EXPECT_FALSE(response.session.has_value());
  EXPECT_TRUE(store_->GetDevice(device_id())->flagged_for_review);
  Result<std::vector<store::ReviewItem>> items =
      store_->ListReviewItems(store::ReviewStatus::kOpen, 10, "");
  ASSERT_TRUE(items.has_value());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_GE((*items)[0].drift_score, 0.3);
  EXPECT_NE((*items)[0].details.find("screen_width"), std::string::npos);
  EXPECT_EQ(Metric("trust_drift_soft_flags_total"), 1.0);
}

TEST_F(ValidationServiceTest, PassedDriftChallengeAcceptsFingerprint) {
  const trust::Fingerprint moved = WindowsChrome("2560", "1440", "America/New_York");
  const ValidationResponse soft = LoginOrFail(moved);
  ASSERT_TRUE(soft.challenge.has_value());
  ASSERT_TRUE(VerifyWithCode(device_id(), soft.challenge->challenge_id,
                             CodeFor(soft.challenge->challenge_id))
                  .has_value());

  const ValidationResponse after = LoginOrFail(moved);

  EXPECT_EQ(after.outcome.decision.result, trust::TrustResult::kTrusted);
  EXPECT_EQ(store_->GetDevice(device_id())->accepted_fingerprint, moved.CanonicalJson());
}

TEST_F(ValidationServiceTest, OtherDeviceIsHardChallenge) {
  const ValidationResponse response = LoginOrFail(MacSafari());

  EXPECT_EQ(response.outcome.decision.result, trust::TrustResult::kChallengeHard);
  EXPECT_EQ(ReasonNames(response), std::vector<std::string>{"fingerprint_mismatch"});
  ASSERT_TRUE(response.challenge.has_value());
  EXPECT_EQ(response.challenge->reason, store::ChallengeReason::kVerificationFailure);
  bool queued = false;
  for (const store::Notification& notification : PendingNotifications()) {
    queued = queued || notification.kind == store::NotificationKind::kVerificationFailure;
  }
  EXPECT_TRUE(queued);
}

TEST_F(ValidationServiceTest, PassedHardChallengeReenrollsBaseline) {
  const ValidationResponse hard = LoginOrFail(MacSafari());
  ASSERT_TRUE(hard.challenge.has_value());
  ASSERT_TRUE(VerifyWithCode(device_id(), hard.challenge->challenge_id,
                             CodeFor(hard.challenge->challenge_id))
                  .has_value());

  const ValidationResponse after = LoginOrFail(MacSafari());

  EXPECT_EQ(after.outcome.decision.result, trust::TrustResult::kTrusted);
  EXPECT_EQ(store_->GetDevice(device_id())->baseline_fingerprint, MacSafari().CanonicalJson());
}

TEST_F(ValidationServiceTest, MissingSignatureIsHardChallenge) {
  ValidationRequest request = SignedLogin(WindowsChrome());
  request.signature.clear();

  Result<ValidationResponse> response = validations_->Validate(request, Facts());

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(ReasonNames(*response), std::vector<std::string>{"device_token_missing"});
  ASSERT_TRUE(response->challenge.has_value());
}

TEST_F(ValidationServiceTest, SignatureOfAnotherKeyIsHardChallenge) {
  ValidationRequest request = SignedLogin(WindowsChrome());
  const testing::TestDevice stranger = testing::TestDevice::Generate();
  request.signature =
      stranger.Login("alice", device_id(), request.nonce, WindowsChrome(), {}, {}).signature;

  Result<ValidationResponse> response = validations_->Validate(request, Facts());

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(ReasonNames(*response), std::vector<std::string>{"pop_signature_invalid"});
}

TEST_F(ValidationServiceTest, DeviceWithoutMlKemUsesClassicalSession) {
  const Enrollment classical = Enroll("bob", WindowsChrome(), /*with_ml_kem=*/false);

  Result<ValidationResponse> response = Login(classical, WindowsChrome());

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->outcome.decision.result, trust::TrustResult::kTrusted);
  EXPECT_EQ(ReasonNames(*response), std::vector<std::string>{"classical_fallback"});
  ASSERT_TRUE(response->session.has_value());
  EXPECT_EQ(response->session->offer.mode, crypto::SessionMode::kClassical);
  EXPECT_EQ(Metric(R"(crypto_fallback_triggered_total{algorithm="X25519",)"
                   R"(flow_origin="session_kem",reason="mlkem_key_missing"})"),
            1.0);
}

TEST_F(ValidationServiceTest, ClassicalTlsIsTrustedWithTelemetry) {
  const RequestFacts facts = ClassicalTlsFacts();
  const ValidationResponse response = LoginOrFail(WindowsChrome(), facts);

  EXPECT_EQ(response.outcome.decision.result, trust::TrustResult::kTrusted);
  EXPECT_EQ(ReasonNames(response), std::vector<std::string>{"classical_fallback"});
  bool logged = false;
  for (const boost::json::object& line : TraceLines(facts.trace_id)) {
    if (line.contains("trace")) {
      EXPECT_EQ(line.at("trace").as_string(), "CRYPTO_FALLBACK_USED");
      EXPECT_EQ(line.at("flow_origin").as_string(), "tls");
      EXPECT_EQ(line.at("algorithm").as_string(), "X25519");
      EXPECT_EQ(line.at("device_id").as_string(), device_id());
      logged = true;
    }
  }
  EXPECT_TRUE(logged);
}

TEST_F(ValidationServiceTest, UnknownDeviceIsDenied) {
  const Bytes nonce(32, 1);
  ValidationRequest request = enrollment_->device.Login(
      "alice", "dev_aaaaaaaaaaaaaaaaaaaaaaaaaa", nonce, WindowsChrome(),
      enrollment_->result.ml_dsa_certificate, enrollment_->result.ecdsa_certificate);

  Result<ValidationResponse> response = validations_->Validate(request, Facts());

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(ReasonNames(*response), std::vector<std::string>{"device_unknown"});
  EXPECT_FALSE(response->challenge.has_value());
}

TEST_F(ValidationServiceTest, MalformedRequestIsAnError) {
  ValidationRequest request = SignedLogin(WindowsChrome());
  request.nonce.resize(16);

  Result<ValidationResponse> response = validations_->Validate(request, Facts());

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().reason(), "invalid_nonce");
}

TEST_F(ValidationServiceTest, TrustedSmallChangeBecomesAccepted) {
  const trust::Fingerprint german = WindowsChrome("1920", "1080", "Europe/Berlin", "de-DE");

  const ValidationResponse response = LoginOrFail(german);

  EXPECT_EQ(response.outcome.decision.result, trust::TrustResult::kTrusted);
  EXPECT_EQ(store_->GetDevice(device_id())->accepted_fingerprint, german.CanonicalJson());
}

}  // namespace
}  // namespace devtrust::service

namespace devtrust::service {
namespace {

class TwinFallbackServiceTest : public ValidationServiceTest {
 protected:
  // The same services with the ECDSA twin fallback allowed.
  void AllowTwin() {
    trust::FallbackPolicy policy;
    policy.allow_ecdsa_certificate = true;
    pipeline_ = std::make_unique<trust::ValidationPipeline>(trust::DriftPolicy{}, policy);
    validations_ = std::make_unique<ValidationService>(*context_, *pipeline_, *key_cache_);
  }

  // A login whose ML-DSA certificate has a flipped bit in its signature.
  ValidationRequest LoginWithBrokenCertificate() {
    ValidationRequest request = SignedLogin(WindowsChrome());
    request.certificate[request.certificate.size() - 10] ^= 0x01;
    return request;
  }
};

TEST_F(TwinFallbackServiceTest, ForbiddenByDefault) {
  Result<ValidationResponse> response =
      validations_->Validate(LoginWithBrokenCertificate(), Facts());

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->outcome.decision.result, trust::TrustResult::kDenied);
  EXPECT_EQ(ReasonNames(*response),
            (std::vector<std::string>{"fallback_not_allowed", "certificate_signature_invalid"}));
}

TEST_F(TwinFallbackServiceTest, AllowedTwinIsTrustedWithTelemetry) {
  AllowTwin();

  Result<ValidationResponse> response =
      validations_->Validate(LoginWithBrokenCertificate(), Facts());

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->outcome.decision.result, trust::TrustResult::kTrusted);
  EXPECT_EQ(ReasonNames(*response), std::vector<std::string>{"classical_fallback"});
  ASSERT_EQ(response->outcome.fallbacks.size(), 1u);
  EXPECT_EQ(response->outcome.fallbacks[0].origin, trust::FallbackOrigin::kCertificate);
  EXPECT_EQ(Metric(R"(crypto_fallback_triggered_total{algorithm="ECDSA-P256",)"
                   R"(flow_origin="certificate",reason="pqc_cert_invalid"})"),
            1.0);
}

TEST_F(TwinFallbackServiceTest, AllowedTwinStillNeedsEcdsaProof) {
  AllowTwin();
  ValidationRequest request = LoginWithBrokenCertificate();
  request.classical_signature.back() ^= 0x01;

  Result<ValidationResponse> response = validations_->Validate(request, Facts());

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(ReasonNames(*response).front(), "pop_signature_invalid");
}

}  // namespace
}  // namespace devtrust::service
