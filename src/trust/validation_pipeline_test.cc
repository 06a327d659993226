#include "trust/validation_pipeline.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trust/proof.h"

namespace devtrust::trust {
namespace {

// In-memory implementations of the pipeline's ports. They are doubles of
// devtrust's own interfaces; the store, CA and crypto implementations are
// covered by the service and end-to-end tests.

class MemoryNonceLedger final : public NonceLedger {
 public:
  Result<NonceOutcome> CheckLoginNonce(const LoginNonceClaim& claim) override {
    claims.push_back({Bytes(claim.nonce.begin(), claim.nonce.end()), std::string(claim.user_id),
                      std::string(claim.device_id)});
    if (error) return std::unexpected(*error);
    return outcome;
  }

  struct Claim {
    Bytes nonce;
    std::string user_id;
    std::string device_id;
  };
  NonceOutcome outcome = NonceOutcome::kValid;
  std::optional<Error> error;
  std::vector<Claim> claims;
};

class MemoryDeviceDirectory final : public DeviceDirectory {
 public:
  Result<std::optional<EnrolledDevice>> FindDevice(std::string_view device_id) override {
    if (device_error) return std::unexpected(*device_error);
    const auto found = devices.find(std::string(device_id));
    if (found == devices.end()) return std::nullopt;
    return found->second;
  }

  Result<std::optional<IssuedCertificate>> FindCertificate(std::string_view serial) override {
    if (certificate_error) return std::unexpected(*certificate_error);
    const auto found = certificates.find(std::string(serial));
    if (found == certificates.end()) return std::nullopt;
    return found->second;
  }

  std::map<std::string, EnrolledDevice> devices;
  std::map<std::string, IssuedCertificate> certificates;
  std::optional<Error> device_error;
  std::optional<Error> certificate_error;
};

CertificateInspection Passing(std::string_view serial) {
  CertificateInspection inspection;
  inspection.serial = std::string(serial);
  return inspection;
}

CertificateInspection Failing(CertificateStage stage, ReasonCode reason, std::string_view serial) {
  CertificateInspection inspection;
  inspection.failed_stage = stage;
  inspection.reason = reason;
  inspection.serial = std::string(serial);
  return inspection;
}

IssuedCertificate Issued(std::string_view device_id, CertificateSlot slot, Bytes der) {
  IssuedCertificate certificate;
  certificate.device_id = std::string(device_id);
  certificate.slot = slot;
  certificate.der = std::move(der);
  return certificate;
}

// Inspects a certificate by looking its bytes up in a table; unlisted bytes
// do not parse.
class TableCertificateChecker final : public CertificateChecker {
 public:
  CertificateInspection Inspect(ByteView der, CertificateSlot slot) override {
    inspected_slots.push_back(slot);
    const auto found = table.find(Bytes(der.begin(), der.end()));
    if (found == table.end()) {
      return Failing(CertificateStage::kParse, ReasonCode::kCertificateMalformed, "");
    }
    return found->second;
  }

  std::map<Bytes, CertificateInspection> table;
  std::vector<CertificateSlot> inspected_slots;
};

class RecordingProofVerifier final : public ProofVerifier {
 public:
  Result<bool> VerifyLoginProof(const EnrolledDevice&, ProofAlgorithm algorithm, ByteView message,
                                ByteView signature) override {
    calls.push_back({algorithm, Bytes(message.begin(), message.end()),
                     Bytes(signature.begin(), signature.end())});
    if (error) return std::unexpected(*error);
    return valid;
  }

  struct Call {
    ProofAlgorithm algorithm;
    Bytes message;
    Bytes signature;
  };
  bool valid = true;
  std::optional<Error> error;
  std::vector<Call> calls;
};

class RecordingSessionIssuer final : public SessionIssuer {
 public:
  Status EstablishSession(const EnrolledDevice&, SessionKind kind,
                          std::string_view transcript_label) override {
    calls.emplace_back(kind, std::string(transcript_label));
    if (kind == SessionKind::kHybrid && hybrid_error) return std::unexpected(*hybrid_error);
    if (kind == SessionKind::kClassical && classical_error) {
      return std::unexpected(*classical_error);
    }
    return {};
  }

  std::vector<std::pair<SessionKind, std::string>> calls;
  std::optional<Error> hybrid_error;
  std::optional<Error> classical_error;
};

constexpr std::string_view kUserId = "alice";
constexpr std::string_view kDeviceId = "dev_aaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr std::string_view kMlDsaSerial = "0a01";
constexpr std::string_view kEcdsaSerial = "0b02";

constexpr std::string_view kWindowsChrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36";
constexpr std::string_view kMacSafari =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15";
constexpr std::string_view kHeadlessChrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/126.0.0.0 Safari/537.36";

Fingerprint MakeFingerprint(std::string_view user_agent, std::string_view platform,
                            std::string_view width, std::string_view height,
                            std::string_view timezone, std::string_view language = "en-US") {
  const std::pair<std::string_view, std::string_view> attributes[] = {
      {"user_agent", user_agent}, {"platform", platform}, {"screen_width", width},
      {"screen_height", height},  {"timezone", timezone}, {"language", language}};
  Result<Fingerprint> fingerprint = Fingerprint::FromAttributes(attributes);
  EXPECT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  return *std::move(fingerprint);
}

Fingerprint Enrolled() {
  return MakeFingerprint(kWindowsChrome, "Win32", "1920", "1080", "Europe/Berlin");
}
// Language weighs 0.05: below the soft threshold of 0.3.
Fingerprint SmallChange() {
  return MakeFingerprint(kWindowsChrome, "Win32", "1920", "1080", "Europe/Berlin", "de-DE");
}
// Screen width, height and timezone weigh 0.1 each: exactly the soft threshold.
Fingerprint SoftChange() {
  return MakeFingerprint(kWindowsChrome, "Win32", "2560", "1440", "America/New_York");
}
// Another OS family: a hard challenge whatever the score.
Fingerprint OtherDevice() {
  return MakeFingerprint(kMacSafari, "MacIntel", "1440", "900", "Europe/Berlin");
}
Fingerprint Headless() {
  return MakeFingerprint(kHeadlessChrome, "Win32", "1920", "1080", "Europe/Berlin");
}

Error PortError() { return Error(StatusCode::kUnavailable, "store_busy", "database locked"); }

class ValidationPipelineTest : public ::testing::Test {
 protected:
  ValidationPipelineTest() {
    directory_.devices.insert_or_assign(std::string(kDeviceId),
                                        EnrolledDevice{.device_id = std::string(kDeviceId),
                                                       .user_id = std::string(kUserId),
                                                       .state = DeviceState::kTrusted,
                                                       .has_ml_kem_key = true,
                                                       .flagged_for_review = false,
                                                       .baseline = Enrolled(),
                                                       .last_accepted = std::nullopt});
    directory_.certificates[std::string(kMlDsaSerial)] =
        Issued(kDeviceId, CertificateSlot::kMlDsa, ml_dsa_der_);
    directory_.certificates[std::string(kEcdsaSerial)] =
        Issued(kDeviceId, CertificateSlot::kEcdsa, ecdsa_der_);
    checker_.table[ml_dsa_der_] = Passing(kMlDsaSerial);
    checker_.table[ecdsa_der_] = Passing(kEcdsaSerial);
  }

  EnrolledDevice& device() { return directory_.devices.at(std::string(kDeviceId)); }

  ValidationInput Input() {
    return ValidationInput{.user_id = kUserId,
                           .device_id = kDeviceId,
                           .nonce = nonce_,
                           .certificate = ml_dsa_der_,
                           .classical_certificate = {},
                           .signature = signature_,
                           .classical_signature = {},
                           .fingerprint = &fingerprint_,
                           .tls_hybrid_group = true,
                           .tls_group = "X25519MLKEM768"};
  }

  ValidationOutcome RunOrFail(const ValidationInput& input) {
    Result<ValidationOutcome> outcome = pipeline().Run(input, Ports());
    EXPECT_TRUE(outcome.has_value()) << outcome.error().ToString();
    return outcome ? *std::move(outcome) : ValidationOutcome{};
  }

  ValidationPipeline pipeline() const {
    return ValidationPipeline(DriftPolicy{}, fallback_policy_);
  }

  ValidationPorts Ports() {
    return ValidationPorts{.nonces = nonces_,
                           .devices = directory_,
                           .certificates = checker_,
                           .proofs = proofs_,
                           .sessions = sessions_};
  }

  // The names of the steps that ran, in order, with "!" before failed ones.
  static std::vector<std::string> StepNames(const ValidationOutcome& outcome) {
    std::vector<std::string> names;
    for (const StepRecord& step : outcome.steps) {
      names.push_back((step.passed ? "" : "!") + std::string(ValidationStepName(step.step)));
    }
    return names;
  }

  static std::vector<std::string> ReasonNames(const ValidationOutcome& outcome) {
    std::vector<std::string> names;
    for (const ReasonCode reason : outcome.reasons) names.emplace_back(ReasonCodeName(reason));
    return names;
  }

  FallbackPolicy fallback_policy_;
  MemoryNonceLedger nonces_;
  MemoryDeviceDirectory directory_;
  TableCertificateChecker checker_;
  RecordingProofVerifier proofs_;
  RecordingSessionIssuer sessions_;

  Bytes nonce_ = Bytes(32, 0x42);
  Bytes ml_dsa_der_ = {0x30, 0x01, 0xaa};
  Bytes ecdsa_der_ = {0x30, 0x01, 0xbb};
  Bytes signature_ = {0x51, 0x52};
  Bytes classical_signature_ = {0x61, 0x62};
  Fingerprint fingerprint_ = Enrolled();
};

const std::vector<std::string> kAllSteps = {
    "token_check",  "cert_parse",    "cert_chain",        "cert_validity", "revocation_check",
    "replay_check", "pop_signature", "fingerprint_match", "drift_eval",    "session_kem"};

// --- trusted ---

TEST_F(ValidationPipelineTest, TrustedRunsEveryStepInOrder) {
  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  EXPECT_EQ(ReasonNames(outcome), std::vector<std::string>{"ok"});
  EXPECT_EQ(StepNames(outcome), kAllSteps);
  EXPECT_EQ(outcome.session, SessionKind::kHybrid);
  EXPECT_TRUE(outcome.fallbacks.empty());
  EXPECT_FALSE(outcome.challenge.has_value());
  EXPECT_FALSE(outcome.flag_for_review);
  EXPECT_FALSE(outcome.accepted_fingerprint.has_value());
  EXPECT_EQ(outcome.certificate_serial, kMlDsaSerial);
  ASSERT_TRUE(outcome.device.has_value());
  EXPECT_EQ(outcome.device->device_id, kDeviceId);
}

TEST_F(ValidationPipelineTest, TrustedSignsLoginEncodingWithMlDsa) {
  RunOrFail(Input());

  ASSERT_EQ(proofs_.calls.size(), 1u);
  EXPECT_EQ(proofs_.calls[0].algorithm, ProofAlgorithm::kMlDsa65);
  EXPECT_EQ(proofs_.calls[0].message, EncodeLoginProof(kUserId, kDeviceId, nonce_, fingerprint_));
  EXPECT_EQ(proofs_.calls[0].signature, signature_);
}

TEST_F(ValidationPipelineTest, TrustedBindsNonceToUserAndDevice) {
  RunOrFail(Input());

  ASSERT_EQ(nonces_.claims.size(), 1u);
  EXPECT_EQ(nonces_.claims[0].nonce, nonce_);
  EXPECT_EQ(nonces_.claims[0].user_id, kUserId);
  EXPECT_EQ(nonces_.claims[0].device_id, kDeviceId);
}

TEST_F(ValidationPipelineTest, TrustedAsksToConsumeNonce) {
  const ValidationOutcome outcome = RunOrFail(Input());
  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  EXPECT_TRUE(outcome.consume_nonce);
}

TEST_F(ValidationPipelineTest, FailureBeforeReplayCheckKeepsNonce) {
  directory_.devices.clear();
  const ValidationOutcome outcome = RunOrFail(Input());
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kDeviceUnknown);
  EXPECT_FALSE(outcome.consume_nonce);
}

TEST_F(ValidationPipelineTest, TrustedSessionUsesLoginLabel) {
  RunOrFail(Input());

  ASSERT_EQ(sessions_.calls.size(), 1u);
  EXPECT_EQ(sessions_.calls[0].first, SessionKind::kHybrid);
  EXPECT_EQ(sessions_.calls[0].second, LoginSessionLabel(kDeviceId, nonce_));
}

TEST_F(ValidationPipelineTest, SmallDriftIsTrustedAndAccepted) {
  fingerprint_ = SmallChange();

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  EXPECT_EQ(outcome.steps[7].reason, "fingerprint_changed");
  EXPECT_TRUE(outcome.steps[7].passed);
  ASSERT_TRUE(outcome.steps[8].drift_score.has_value());
  EXPECT_GT(*outcome.steps[8].drift_score, 0.0);
  EXPECT_EQ(outcome.accepted_fingerprint, SmallChange().CanonicalJson());
}

TEST_F(ValidationPipelineTest, MatchOfLastAcceptedIsIdentical) {
  device().last_accepted = SoftChange();
  fingerprint_ = SoftChange();

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  EXPECT_EQ(outcome.steps[7].reason, "ok");
  EXPECT_FALSE(outcome.accepted_fingerprint.has_value());
}

// --- token_check ---

TEST_F(ValidationPipelineTest, UnknownDeviceIsDenied) {
  directory_.devices.clear();

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
  EXPECT_EQ(ReasonNames(outcome), std::vector<std::string>{"device_unknown"});
  EXPECT_EQ(StepNames(outcome), std::vector<std::string>{"!token_check"});
  EXPECT_FALSE(outcome.device.has_value());
  EXPECT_FALSE(outcome.challenge.has_value());
  EXPECT_FALSE(outcome.decision.actions.notify_user);
}

TEST_F(ValidationPipelineTest, DeviceOfAnotherUserIsUnknown) {
  device().user_id = "mallory";

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.reason, ReasonCode::kDeviceUnknown);
  EXPECT_FALSE(outcome.device.has_value());
}

TEST_F(ValidationPipelineTest, PendingDeviceIsDenied) {
  device().state = DeviceState::kPending;

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kDeviceNotTrusted);
  EXPECT_FALSE(outcome.challenge.has_value());
  EXPECT_TRUE(nonces_.claims.empty());
}

TEST_F(ValidationPipelineTest, RevokedDeviceWithoutTokenIsDenied) {
  device().state = DeviceState::kRevoked;
  ValidationInput input = Input();
  input.certificate = {};

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kDeviceRevoked);
  EXPECT_TRUE(outcome.decision.actions.notify_user);
  EXPECT_TRUE(outcome.decision.actions.enqueue_siem);
  EXPECT_FALSE(outcome.challenge.has_value());
}

struct MissingTokenCase {
  std::string_view name;
  void (*clear)(ValidationInput&);
};

class MissingTokenTest : public ValidationPipelineTest,
                         public ::testing::WithParamInterface<MissingTokenCase> {};

TEST_P(MissingTokenTest, IsHardChallengeWithoutCandidate) {
  ValidationInput input = Input();
  GetParam().clear(input);

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kChallengeHard);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kDeviceTokenMissing);
  EXPECT_EQ(StepNames(outcome), std::vector<std::string>{"!token_check"});
  ASSERT_TRUE(outcome.challenge.has_value());
  EXPECT_EQ(outcome.challenge->kind, ChallengeSpec::Kind::kVerificationFailure);
  EXPECT_EQ(outcome.challenge->candidate_fingerprint, "");
  EXPECT_TRUE(nonces_.claims.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Tokens, MissingTokenTest,
    ::testing::Values(
        MissingTokenCase{"nonce", [](ValidationInput& in) { in.nonce = {}; }},
        MissingTokenCase{"certificate", [](ValidationInput& in) { in.certificate = {}; }},
        MissingTokenCase{"signature", [](ValidationInput& in) { in.signature = {}; }}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(ValidationPipelineTest, ClassicalTlsIsTrustedWithFallback) {
  ValidationInput input = Input();
  input.tls_hybrid_group = false;
  input.tls_group = "x25519";

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  EXPECT_EQ(ReasonNames(outcome), std::vector<std::string>{"classical_fallback"});
  EXPECT_TRUE(outcome.decision.actions.emit_fallback_telemetry);
  ASSERT_EQ(outcome.fallbacks.size(), 1u);
  EXPECT_EQ(outcome.fallbacks[0], TlsFallback("x25519"));
  EXPECT_EQ(outcome.fallbacks[0].origin, FallbackOrigin::kTls);
  EXPECT_EQ(outcome.fallbacks[0].algorithm, "X25519");
  EXPECT_EQ(outcome.fallbacks[0].requested_algorithm, "X25519MLKEM768");
  EXPECT_EQ(outcome.fallbacks[0].reason, "tls_no_hybrid_group");
  EXPECT_EQ(outcome.session, SessionKind::kHybrid);
}

TEST_F(ValidationPipelineTest, ClassicalTlsIsDeniedWhenPolicyForbids) {
  fallback_policy_.allow_tls_without_hybrid_group = false;
  ValidationInput input = Input();
  input.tls_hybrid_group = false;
  input.tls_group = "secp256r1";

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kFallbackNotAllowed);
  EXPECT_EQ(StepNames(outcome), std::vector<std::string>{"!token_check"});
  EXPECT_TRUE(outcome.fallbacks.empty());
}

TEST(TlsFallbackTest, NamesGroupsLikeOtherFallbacks) {
  EXPECT_EQ(TlsFallback("x25519").algorithm, "X25519");
  EXPECT_EQ(TlsFallback("secp256r1").algorithm, "P-256");
  EXPECT_EQ(TlsFallback("secp384r1").algorithm, "P-384");
  EXPECT_EQ(TlsFallback("ffdhe2048").algorithm, "ffdhe2048");
  EXPECT_EQ(TlsFallback("").algorithm, "unknown");
}

// --- certificate steps ---

struct CertificateFailureCase {
  std::string_view name;
  CertificateStage stage;
  ReasonCode reason;
  std::string_view failed_step;
  TrustResult result;
  bool challenge;
};

class CertificateFailureTest : public ValidationPipelineTest,
                               public ::testing::WithParamInterface<CertificateFailureCase> {};

TEST_P(CertificateFailureTest, DecidesForTheStage) {
  const CertificateFailureCase& failure = GetParam();
  checker_.table[ml_dsa_der_] = Failing(failure.stage, failure.reason, kMlDsaSerial);

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, failure.result);
  EXPECT_EQ(outcome.decision.reason, failure.reason);
  ASSERT_FALSE(outcome.steps.empty());
  EXPECT_EQ(ValidationStepName(outcome.steps.back().step), failure.failed_step);
  EXPECT_FALSE(outcome.steps.back().passed);
  EXPECT_EQ(outcome.steps.back().reason, ReasonCodeName(failure.reason));
  EXPECT_EQ(outcome.challenge.has_value(), failure.challenge);
  EXPECT_EQ(outcome.decision.replay_kind, ReplayKindOf(failure.reason));
  EXPECT_TRUE(nonces_.claims.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Stages, CertificateFailureTest,
    ::testing::Values(CertificateFailureCase{"malformed", CertificateStage::kParse,
                                             ReasonCode::kCertificateMalformed, "cert_parse",
                                             TrustResult::kChallengeHard, true},
                      CertificateFailureCase{"foreign_issuer", CertificateStage::kChain,
                                             ReasonCode::kCertificateForeignIssuer, "cert_chain",
                                             TrustResult::kChallengeHard, true},
                      CertificateFailureCase{"signature_invalid", CertificateStage::kChain,
                                             ReasonCode::kCertificateSignatureInvalid, "cert_chain",
                                             TrustResult::kChallengeHard, true},
                      CertificateFailureCase{"not_yet_valid", CertificateStage::kValidity,
                                             ReasonCode::kCertificateNotYetValid, "cert_validity",
                                             TrustResult::kChallengeHard, true},
                      CertificateFailureCase{"expired", CertificateStage::kValidity,
                                             ReasonCode::kCertificateExpired, "cert_validity",
                                             TrustResult::kDenied, false},
                      CertificateFailureCase{"revoked", CertificateStage::kRevocation,
                                             ReasonCode::kCertificateRevoked, "revocation_check",
                                             TrustResult::kDenied, false}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(ValidationPipelineTest, ExpiredCertificateIsReplay) {
  checker_.table[ml_dsa_der_] =
      Failing(CertificateStage::kValidity, ReasonCode::kCertificateExpired, kMlDsaSerial);

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.failure_class, FailureClass::kReplay);
  EXPECT_EQ(outcome.decision.replay_kind, ReplayKind::kCertificateExpired);
  EXPECT_TRUE(outcome.decision.actions.notify_user);
  EXPECT_TRUE(outcome.decision.actions.enqueue_siem);
}

TEST_F(ValidationPipelineTest, UnknownSerialIsReplay) {
  directory_.certificates.erase(std::string(kMlDsaSerial));

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kCertificateUnknown);
  EXPECT_EQ(outcome.decision.replay_kind, ReplayKind::kCertificateUnknown);
  EXPECT_EQ(StepNames(outcome),
            (std::vector<std::string>{"token_check", "cert_parse", "!cert_chain"}));
}

TEST_F(ValidationPipelineTest, CertificateOfAnotherDeviceIsUnknown) {
  directory_.certificates[std::string(kMlDsaSerial)].device_id = "dev_bbbbbbbbbbbbbbbbbbbbbbbbbb";

  EXPECT_EQ(RunOrFail(Input()).decision.reason, ReasonCode::kCertificateUnknown);
}

TEST_F(ValidationPipelineTest, CertificateWithOtherBytesIsUnknown) {
  directory_.certificates[std::string(kMlDsaSerial)].der = {0x30, 0x01, 0xcc};

  EXPECT_EQ(RunOrFail(Input()).decision.reason, ReasonCode::kCertificateUnknown);
}

TEST_F(ValidationPipelineTest, CertificateOfOtherSlotIsUnknown) {
  directory_.certificates[std::string(kMlDsaSerial)].slot = CertificateSlot::kEcdsa;

  EXPECT_EQ(RunOrFail(Input()).decision.reason, ReasonCode::kCertificateUnknown);
}

TEST_F(ValidationPipelineTest, RevokedInDirectoryIsReplay) {
  directory_.certificates[std::string(kMlDsaSerial)].revoked = true;

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.reason, ReasonCode::kCertificateRevoked);
  EXPECT_EQ(outcome.steps.back().step, ValidationStep::kRevocationCheck);
}

TEST_F(ValidationPipelineTest, RevokedDeviceWithValidCertificateIsDenied) {
  device().state = DeviceState::kRevoked;

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.reason, ReasonCode::kDeviceRevoked);
  EXPECT_EQ(outcome.steps.back().step, ValidationStep::kRevocationCheck);
  EXPECT_TRUE(nonces_.claims.empty());
}

TEST_F(ValidationPipelineTest, RevokedDeviceIsNotChallenged) {
  device().state = DeviceState::kRevoked;
  ValidationInput input = Input();
  const Bytes garbage = {0x01};
  input.certificate = garbage;

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kDeviceRevoked);
  EXPECT_FALSE(outcome.challenge.has_value());
}

TEST_F(ValidationPipelineTest, RevokedDevicePresentingRevokedCertificateIsReplay) {
  device().state = DeviceState::kRevoked;
  directory_.certificates[std::string(kMlDsaSerial)].revoked = true;

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.reason, ReasonCode::kCertificateRevoked);
  EXPECT_EQ(outcome.decision.replay_kind, ReplayKind::kCertificateRevoked);
}

// --- ECDSA twin fallback ---

class TwinFallbackTest : public ValidationPipelineTest {
 protected:
  ValidationInput TwinInput() {
    checker_.table[ml_dsa_der_] =
        Failing(CertificateStage::kChain, ReasonCode::kCertificateSignatureInvalid, kMlDsaSerial);
    ValidationInput input = Input();
    input.classical_certificate = ecdsa_der_;
    input.classical_signature = classical_signature_;
    return input;
  }
};

TEST_F(TwinFallbackTest, ForbiddenByDefault) {
  const ValidationOutcome outcome = RunOrFail(TwinInput());

  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
  EXPECT_EQ(ReasonNames(outcome),
            (std::vector<std::string>{"fallback_not_allowed", "certificate_signature_invalid"}));
  EXPECT_EQ(StepNames(outcome),
            (std::vector<std::string>{"token_check", "cert_parse", "!cert_chain"}));
  EXPECT_EQ(outcome.steps.back().reason, "certificate_signature_invalid");
  EXPECT_TRUE(outcome.fallbacks.empty());
  EXPECT_FALSE(outcome.challenge.has_value());
}

TEST_F(TwinFallbackTest, AllowedTwinProvesPossessionWithEcdsa) {
  fallback_policy_.allow_ecdsa_certificate = true;

  const ValidationOutcome outcome = RunOrFail(TwinInput());

  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  EXPECT_EQ(ReasonNames(outcome), std::vector<std::string>{"classical_fallback"});
  EXPECT_EQ(StepNames(outcome), kAllSteps);
  EXPECT_EQ(outcome.certificate_serial, kEcdsaSerial);
  ASSERT_EQ(outcome.fallbacks.size(), 1u);
  EXPECT_EQ(outcome.fallbacks[0].origin, FallbackOrigin::kCertificate);
  EXPECT_EQ(outcome.fallbacks[0].algorithm, "ECDSA-P256");
  EXPECT_EQ(outcome.fallbacks[0].requested_algorithm, "ML-DSA-65");
  EXPECT_EQ(outcome.fallbacks[0].reason, "pqc_cert_invalid");
  ASSERT_TRUE(outcome.steps[2].fallback.has_value());
  EXPECT_EQ(outcome.steps[2].fallback->origin, FallbackOrigin::kCertificate);
  ASSERT_EQ(proofs_.calls.size(), 1u);
  EXPECT_EQ(proofs_.calls[0].algorithm, ProofAlgorithm::kEcdsaP256);
  EXPECT_EQ(proofs_.calls[0].signature, classical_signature_);
  EXPECT_EQ(checker_.inspected_slots,
            (std::vector<CertificateSlot>{CertificateSlot::kMlDsa, CertificateSlot::kEcdsa}));
}

TEST_F(TwinFallbackTest, AllowedTwinAfterParseFailure) {
  fallback_policy_.allow_ecdsa_certificate = true;
  ValidationInput input = TwinInput();
  const Bytes garbage = {0x01, 0x02};
  input.certificate = garbage;

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  ASSERT_TRUE(outcome.steps[1].fallback.has_value());
  EXPECT_FALSE(outcome.steps[2].fallback.has_value());
}

TEST_F(TwinFallbackTest, TwinMustPassEveryStage) {
  fallback_policy_.allow_ecdsa_certificate = true;
  checker_.table[ecdsa_der_] =
      Failing(CertificateStage::kValidity, ReasonCode::kCertificateExpired, kEcdsaSerial);

  const ValidationOutcome outcome = RunOrFail(TwinInput());

  EXPECT_EQ(outcome.decision.reason, ReasonCode::kCertificateExpired);
  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
}

TEST_F(TwinFallbackTest, TwinWithoutSignatureIsVerificationFailure) {
  fallback_policy_.allow_ecdsa_certificate = true;
  ValidationInput input = TwinInput();
  input.classical_signature = {};

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kChallengeHard);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kCertificateSignatureInvalid);
}

TEST_F(TwinFallbackTest, ExpiredMlDsaCertificateNeverFallsBack) {
  fallback_policy_.allow_ecdsa_certificate = true;
  ValidationInput input = TwinInput();
  checker_.table[ml_dsa_der_] =
      Failing(CertificateStage::kValidity, ReasonCode::kCertificateExpired, kMlDsaSerial);

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.reason, ReasonCode::kCertificateExpired);
  EXPECT_TRUE(outcome.fallbacks.empty());
}

// --- replay_check ---

struct NonceCase {
  std::string_view name;
  NonceOutcome outcome;
  ReasonCode reason;
  bool replay;
};

class NonceOutcomeTest : public ValidationPipelineTest,
                         public ::testing::WithParamInterface<NonceCase> {};

TEST_P(NonceOutcomeTest, IsDenied) {
  nonces_.outcome = GetParam().outcome;

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
  EXPECT_EQ(outcome.decision.reason, GetParam().reason);
  EXPECT_EQ(outcome.decision.actions.enqueue_siem, GetParam().replay);
  EXPECT_EQ(outcome.decision.actions.notify_user, GetParam().replay);
  EXPECT_EQ(outcome.steps.back().step, ValidationStep::kReplayCheck);
  EXPECT_TRUE(proofs_.calls.empty());
  EXPECT_FALSE(outcome.consume_nonce);
}

INSTANTIATE_TEST_SUITE_P(
    Outcomes, NonceOutcomeTest,
    ::testing::Values(
        NonceCase{"reused", NonceOutcome::kReused, ReasonCode::kNonceReused, true},
        NonceCase{"expired", NonceOutcome::kExpired, ReasonCode::kNonceExpired, false},
        NonceCase{"unknown", NonceOutcome::kUnknown, ReasonCode::kNonceUnknown, false},
        NonceCase{"mismatch", NonceOutcome::kMismatch, ReasonCode::kNonceMismatch, false}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

// --- pop_signature ---

TEST_F(ValidationPipelineTest, BadSignatureIsHardChallenge) {
  proofs_.valid = false;

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kChallengeHard);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kPopSignatureInvalid);
  EXPECT_EQ(outcome.steps.back().step, ValidationStep::kPopSignature);
  ASSERT_TRUE(outcome.challenge.has_value());
  EXPECT_EQ(outcome.challenge->candidate_fingerprint, "");
  EXPECT_FALSE(outcome.session.has_value());
  // The nonce was presented with a proof, so it is used up whatever the
  // proof's fate.
  EXPECT_TRUE(outcome.consume_nonce);
}

// --- drift ---

TEST_F(ValidationPipelineTest, SoftDriftIsSoftChallengeAndReview) {
  fingerprint_ = SoftChange();

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kChallengeSoft);
  EXPECT_EQ(ReasonNames(outcome), std::vector<std::string>{"fingerprint_drift"});
  EXPECT_EQ(StepNames(outcome).back(), "!drift_eval");
  ASSERT_TRUE(outcome.challenge.has_value());
  EXPECT_EQ(outcome.challenge->kind, ChallengeSpec::Kind::kDrift);
  EXPECT_EQ(outcome.challenge->candidate_fingerprint, SoftChange().CanonicalJson());
  EXPECT_TRUE(outcome.flag_for_review);
  ASSERT_TRUE(outcome.drift.has_value());
  EXPECT_GE(outcome.drift->score(), 0.3);
  EXPECT_FALSE(outcome.session.has_value());
  EXPECT_TRUE(sessions_.calls.empty());
  EXPECT_FALSE(outcome.accepted_fingerprint.has_value());
}

TEST_F(ValidationPipelineTest, SoftDriftOfFlaggedDeviceAddsNoReview) {
  device().flagged_for_review = true;
  fingerprint_ = SoftChange();

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kChallengeSoft);
  EXPECT_FALSE(outcome.flag_for_review);
}

TEST_F(ValidationPipelineTest, OtherDeviceIsHardChallengeWithCandidate) {
  fingerprint_ = OtherDevice();

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kChallengeHard);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kFingerprintMismatch);
  ASSERT_TRUE(outcome.challenge.has_value());
  EXPECT_EQ(outcome.challenge->kind, ChallengeSpec::Kind::kVerificationFailure);
  EXPECT_EQ(outcome.challenge->candidate_fingerprint, OtherDevice().CanonicalJson());
  EXPECT_FALSE(outcome.flag_for_review);
}

TEST_F(ValidationPipelineTest, HeadlessIsHardChallengeWithoutCandidate) {
  fingerprint_ = Headless();

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kChallengeHard);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kHeadlessBrowser);
  ASSERT_TRUE(outcome.challenge.has_value());
  EXPECT_EQ(outcome.challenge->candidate_fingerprint, "");
}

TEST_F(ValidationPipelineTest, AcceptedChangeIsTrustedAfterwards) {
  device().last_accepted = SoftChange();
  ValidationInput input = Input();
  fingerprint_ = SoftChange();

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  EXPECT_EQ(outcome.drift->reference, DriftReference::kLastAccepted);
}

// --- session_kem ---

TEST_F(ValidationPipelineTest, DeviceWithoutMlKemFallsBackToClassical) {
  device().has_ml_kem_key = false;

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  EXPECT_EQ(ReasonNames(outcome), std::vector<std::string>{"classical_fallback"});
  EXPECT_EQ(outcome.session, SessionKind::kClassical);
  ASSERT_EQ(outcome.fallbacks.size(), 1u);
  EXPECT_EQ(outcome.fallbacks[0].origin, FallbackOrigin::kSessionKem);
  EXPECT_EQ(outcome.fallbacks[0].reason, "mlkem_key_missing");
  EXPECT_EQ(outcome.fallbacks[0].algorithm, "X25519");
  EXPECT_EQ(outcome.fallbacks[0].requested_algorithm, "ML-KEM-768+X25519");
  ASSERT_EQ(sessions_.calls.size(), 1u);
  EXPECT_EQ(sessions_.calls[0].first, SessionKind::kClassical);
  ASSERT_TRUE(outcome.steps.back().fallback.has_value());
}

TEST_F(ValidationPipelineTest, FailedEncapsulationFallsBackToClassical) {
  sessions_.hybrid_error = Error(StatusCode::kInternal, "crypto_library_error", "encaps failed");

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.session, SessionKind::kClassical);
  ASSERT_EQ(outcome.fallbacks.size(), 1u);
  EXPECT_EQ(outcome.fallbacks[0].reason, "mlkem_encapsulation_failed");
  ASSERT_EQ(sessions_.calls.size(), 2u);
  EXPECT_EQ(sessions_.calls[0].first, SessionKind::kHybrid);
  EXPECT_EQ(sessions_.calls[1].first, SessionKind::kClassical);
}

TEST_F(ValidationPipelineTest, ClassicalSessionDeniedWhenPolicyForbids) {
  fallback_policy_.allow_classical_session_key = false;
  device().has_ml_kem_key = false;

  const ValidationOutcome outcome = RunOrFail(Input());

  EXPECT_EQ(outcome.decision.result, TrustResult::kDenied);
  EXPECT_EQ(outcome.decision.reason, ReasonCode::kFallbackNotAllowed);
  EXPECT_EQ(StepNames(outcome).back(), "!session_kem");
  EXPECT_FALSE(outcome.session.has_value());
  EXPECT_TRUE(outcome.fallbacks.empty());
}

TEST_F(ValidationPipelineTest, FailedClassicalSessionIsAnError) {
  device().has_ml_kem_key = false;
  sessions_.classical_error = Error(StatusCode::kInternal, "key_agreement_failed", "zero");

  Result<ValidationOutcome> outcome = pipeline().Run(Input(), Ports());

  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().reason(), "key_agreement_failed");
}

TEST_F(ValidationPipelineTest, TlsAndSessionFallbacksAreBothReported) {
  device().has_ml_kem_key = false;
  ValidationInput input = Input();
  input.tls_hybrid_group = false;
  input.tls_group = "x25519";

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kTrusted);
  ASSERT_EQ(outcome.fallbacks.size(), 2u);
  EXPECT_EQ(outcome.fallbacks[0].origin, FallbackOrigin::kTls);
  EXPECT_EQ(outcome.fallbacks[1].origin, FallbackOrigin::kSessionKem);
  EXPECT_EQ(ReasonNames(outcome), std::vector<std::string>{"classical_fallback"});
}

TEST_F(ValidationPipelineTest, FallbackRemarkFollowsChallenge) {
  fingerprint_ = SoftChange();
  ValidationInput input = Input();
  input.tls_hybrid_group = false;
  input.tls_group = "x25519";

  const ValidationOutcome outcome = RunOrFail(input);

  EXPECT_EQ(outcome.decision.result, TrustResult::kChallengeSoft);
  EXPECT_EQ(ReasonNames(outcome),
            (std::vector<std::string>{"fingerprint_drift", "classical_fallback"}));
  EXPECT_TRUE(outcome.decision.actions.emit_fallback_telemetry);
}

// --- port errors ---

TEST_F(ValidationPipelineTest, DirectoryErrorEndsRun) {
  directory_.device_error = PortError();

  Result<ValidationOutcome> outcome = pipeline().Run(Input(), Ports());

  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().reason(), "store_busy");
}

TEST_F(ValidationPipelineTest, CertificateLookupErrorEndsRun) {
  directory_.certificate_error = PortError();

  Result<ValidationOutcome> outcome = pipeline().Run(Input(), Ports());

  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().reason(), "store_busy");
}

TEST_F(ValidationPipelineTest, NonceLedgerErrorEndsRun) {
  nonces_.error = PortError();

  Result<ValidationOutcome> outcome = pipeline().Run(Input(), Ports());

  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().reason(), "store_busy");
}

TEST_F(ValidationPipelineTest, VerifierErrorEndsRun) {
  proofs_.error = Error(StatusCode::kDataLoss, "stored_key_invalid", "key does not parse");

  Result<ValidationOutcome> outcome = pipeline().Run(Input(), Ports());

  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().reason(), "stored_key_invalid");
}

TEST(ValidationStepNameTest, NamesEveryStep) {
  EXPECT_EQ(ValidationStepName(ValidationStep::kTokenCheck), "token_check");
  EXPECT_EQ(ValidationStepName(ValidationStep::kRevocationCheck), "revocation_check");
  EXPECT_EQ(ValidationStepName(ValidationStep::kSessionKem), "session_kem");
  EXPECT_EQ(FallbackOriginName(FallbackOrigin::kSessionKem), "session_kem");
  EXPECT_EQ(FallbackOriginName(FallbackOrigin::kCertificate), "certificate");
  EXPECT_EQ(FallbackOriginName(FallbackOrigin::kTls), "tls");
}

}  // namespace
}  // namespace devtrust::trust
