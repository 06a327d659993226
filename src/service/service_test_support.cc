#include "service/service_test_support.h"

#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <random>

#include "base/encoding.h"
#include "crypto/random.h"
#include "crypto/signature.h"
#include "service/flow_reasons.h"
#include "service/notification_payload.h"
#include "telemetry/log_output.h"
#include "telemetry/test_support.h"
#include "trust/proof.h"

namespace devtrust::service::testing {
namespace {

constexpr std::string_view kWindowsChromeAgent =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36";

crypto::PrivateKey GenerateKey(crypto::KeyAlgorithm algorithm) {
  Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate(algorithm);
  if (!key) std::abort();
  return *std::move(key);
}

Bytes SignOrDie(const crypto::PrivateKey& key, ByteView message, std::string_view context) {
  crypto::SignOptions options;
  options.context = context;
  Result<Bytes> signature = crypto::Sign(key, message, options);
  if (!signature) std::abort();
  return *std::move(signature);
}

}  // namespace

TempDirectory::TempDirectory() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("devtrust_service_test_" + std::to_string(random()) + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDirectory::~TempDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

unsigned FileMode(const std::filesystem::path& path) {
  struct stat status{};
  if (::stat(path.c_str(), &status) != 0) return 0xffff;
  return static_cast<unsigned>(status.st_mode & 07777);
}

void WriteFile(const std::filesystem::path& path, std::string_view text, unsigned mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  ::chmod(path.c_str(), static_cast<mode_t>(mode));
}

trust::Fingerprint MakeFingerprint(
    std::vector<std::pair<std::string_view, std::string_view>> attributes) {
  Result<trust::Fingerprint> fingerprint = trust::Fingerprint::FromAttributes(attributes);
  if (!fingerprint) std::abort();
  return *std::move(fingerprint);
}

trust::Fingerprint WindowsChrome(std::string_view width, std::string_view height,
                                 std::string_view timezone, std::string_view language) {
  return MakeFingerprint({{"user_agent", kWindowsChromeAgent},
                          {"platform", "Win32"},
                          {"screen_width", width},
                          {"screen_height", height},
                          {"timezone", timezone},
                          {"language", language}});
}

trust::Fingerprint MacSafari() {
  return MakeFingerprint(
      {{"user_agent",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) Version/17.4 Safari/605.1.15"},
       {"platform", "MacIntel"},
       {"screen_width", "1440"},
       {"screen_height", "900"},
       {"timezone", "Europe/Berlin"},
       {"language", "en-US"}});
}

trust::Fingerprint HeadlessChrome() {
  return MakeFingerprint(
      {{"user_agent",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/126.0.0.0 Safari/537.36"},
       {"platform", "Win32"},
       {"screen_width", "1920"},
       {"screen_height", "1080"},
       {"timezone", "Europe/Berlin"},
       {"language", "en-US"}});
}

TestDevice TestDevice::Generate(bool with_ml_kem) {
  TestDevice device{GenerateKey(crypto::KeyAlgorithm::kMlDsa65),
                    GenerateKey(crypto::KeyAlgorithm::kEcdsaP256), std::nullopt,
                    GenerateKey(crypto::KeyAlgorithm::kX25519)};
  if (with_ml_kem) device.ml_kem = GenerateKey(crypto::KeyAlgorithm::kMlKem768);
  return device;
}

SubmittedKeys TestDevice::PublicKeys() const {
  return SubmittedKeys{ml_dsa.GetPublicKey().ToSpkiDer(), ecdsa.GetPublicKey().ToSpkiDer(),
                       ml_kem ? ml_kem->GetPublicKey().ToSpkiDer() : Bytes(),
                       x25519.GetPublicKey().ToSpkiDer()};
}

RegistrationRequest TestDevice::Registration(std::string_view user_id, const Bytes& nonce,
                                             const trust::Fingerprint& fingerprint) const {
  RegistrationRequest request;
  request.user_id = std::string(user_id);
  request.nonce = nonce;
  request.public_keys = PublicKeys();
  request.fingerprint = fingerprint;
  const trust::RegistrationProofFields fields{.user_id = user_id,
                                              .nonce = nonce,
                                              .ml_dsa_public_key = request.public_keys.ml_dsa,
                                              .ecdsa_public_key = request.public_keys.ecdsa,
                                              .ml_kem_public_key = request.public_keys.ml_kem,
                                              .x25519_public_key = request.public_keys.x25519};
  const Bytes message = trust::EncodeRegistrationProof(fields, fingerprint);
  request.ml_dsa_signature = SignOrDie(ml_dsa, message, trust::kRegistrationProofContext);
  request.ecdsa_signature = SignOrDie(ecdsa, message, "");
  return request;
}

ValidationRequest TestDevice::Login(std::string_view user_id, std::string_view device_id,
                                    const Bytes& nonce, const trust::Fingerprint& fingerprint,
                                    const Bytes& ml_dsa_certificate,
                                    const Bytes& ecdsa_certificate) const {
  ValidationRequest request;
  request.user_id = std::string(user_id);
  request.device_id = std::string(device_id);
  request.nonce = nonce;
  request.certificate = ml_dsa_certificate;
  request.classical_certificate = ecdsa_certificate;
  request.fingerprint = fingerprint;
  const Bytes message = trust::EncodeLoginProof(user_id, device_id, nonce, fingerprint);
  request.signature = SignOrDie(ml_dsa, message, trust::kLoginProofContext);
  request.classical_signature = SignOrDie(ecdsa, message, "");
  return request;
}

void ServiceFixture::SetUp() {
  now_ = store::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 3 / 14) +
                          std::chrono::hours(9));

  store::SqliteStoreOptions store_options;
  store_options.path = (directory_.path() / "devtrust.db").string();
  store_options.read_connections = 2;
  store_options.synchronous = store::SqliteSynchronous::kNormal;
  Result<std::unique_ptr<store::SqliteStore>> store = store::SqliteStore::Open(store_options);
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  store_ = *std::move(store);

  pki::CaOptions ca_options;
  ca_options.key_directory = directory_.path() / "pki";
  Result<std::unique_ptr<pki::CertificateAuthority>> ca =
      pki::CertificateAuthority::Open(ca_options, now_ - std::chrono::hours(1));
  ASSERT_TRUE(ca.has_value()) << ca.error().ToString();
  ca_ = *std::move(ca);

  Result<std::shared_ptr<telemetry::LogOutput>> output =
      telemetry::LogOutput::OpenFile((directory_.path() / "log.jsonl").string());
  ASSERT_TRUE(output.has_value());
  logger_ = std::make_shared<telemetry::Logger>(*output, "test-node", telemetry::Level::kDebug);
  trust_log_ = std::make_unique<telemetry::TrustLog>(*output);
  telemetry::MetricsOptions metrics_options;
  metrics_options.decision_reasons = DecisionReasonAllowlist();
  metrics_options.fallback_algorithms = FallbackAlgorithmAllowlist();
  metrics_options.fallback_reasons = FallbackReasonAllowlist();
  Result<std::unique_ptr<telemetry::Metrics>> metrics = telemetry::Metrics::Create(metrics_options);
  ASSERT_TRUE(metrics.has_value());
  metrics_ = *std::move(metrics);

  Result<crypto::SecretBytes> master = crypto::RandomSecretBytes(32);
  ASSERT_TRUE(master.has_value());
  Result<ServiceKeys> keys = ServiceKeys::Derive(*master);
  ASSERT_TRUE(keys.has_value());
  keys_.emplace(*std::move(keys));

  context_ = std::make_unique<ServiceContext>(
      ServiceContext{.store = *store_,
                     .ca = *ca_,
                     .trust_log = *trust_log_,
                     .metrics = *metrics_,
                     .logger = logger_,
                     .keys = *keys_,
                     .fallback_policy = fallback_policy_,
                     .settings = FlowSettings{},
                     .node = "test-node",
                     .clock = [this] { return now_; },
                     .notification_queued = [this] { ++notifications_queued_; }});
  pipeline_ = std::make_unique<trust::ValidationPipeline>(trust::DriftPolicy{}, fallback_policy_);
  key_cache_ = std::make_unique<DeviceKeyCache>(16);
  ca_service_ = std::make_unique<CaService>(*context_);
  ASSERT_TRUE(ca_service_->Refresh().has_value());
  challenges_ = std::make_unique<ChallengeService>(*context_);
  registrations_ = std::make_unique<RegistrationService>(*context_);
  verifications_ = std::make_unique<VerificationService>(*context_);
  validations_ = std::make_unique<ValidationService>(*context_, *pipeline_, *key_cache_);
  devices_ = std::make_unique<DeviceService>(*context_, *ca_service_, *key_cache_);
  reviews_ = std::make_unique<ReviewService>(*context_, *devices_);
}

void ServiceFixture::TearDown() {
  if (store_ != nullptr) store_->Close();
}

RequestFacts ServiceFixture::Facts() const {
  RequestFacts facts;
  Result<Bytes> random = crypto::RandomBytes(16);
  facts.trace_id = random ? HexEncode(*random) : "0123456789abcdef0123456789abcdef";
  facts.tls_hybrid_group = true;
  facts.tls_group = "X25519MLKEM768";
  facts.actor = "test-admin";
  return facts;
}

RequestFacts ServiceFixture::ClassicalTlsFacts() const {
  RequestFacts facts = Facts();
  facts.tls_hybrid_group = false;
  facts.tls_group = "x25519";
  return facts;
}

Bytes ServiceFixture::IssueNonce(store::NoncePurpose purpose, std::string_view user_id,
                                 std::string_view device_id) {
  ChallengeRequest request;
  request.purpose = purpose;
  request.user_id = std::string(user_id);
  request.device_id = std::string(device_id);
  Result<IssuedChallenge> issued = challenges_->Issue(request, Facts());
  EXPECT_TRUE(issued.has_value()) << issued.error().ToString();
  return issued ? issued->nonce : Bytes(32, 0);
}

Enrollment ServiceFixture::Register(std::string_view user_id, const trust::Fingerprint& fingerprint,
                                    bool with_ml_kem) {
  Enrollment enrollment{TestDevice::Generate(with_ml_kem), {}};
  const Bytes nonce = IssueNonce(store::NoncePurpose::kRegister, user_id);
  Result<RegistrationResult> result = registrations_->Register(
      enrollment.device.Registration(user_id, nonce, fingerprint), Facts());
  EXPECT_TRUE(result.has_value()) << result.error().ToString();
  if (result) enrollment.result = *std::move(result);
  return enrollment;
}

Enrollment ServiceFixture::Enroll(std::string_view user_id, const trust::Fingerprint& fingerprint,
                                  bool with_ml_kem) {
  Enrollment enrollment = Register(user_id, fingerprint, with_ml_kem);
  const crypto::SecretBytes code = CodeFor(enrollment.result.challenge_id);
  Result<store::DeviceRecord> verified =
      VerifyWithCode(enrollment.result.device.device_id, enrollment.result.challenge_id, code);
  EXPECT_TRUE(verified.has_value()) << verified.error().ToString();
  return enrollment;
}

crypto::SecretBytes ServiceFixture::CodeFor(std::string_view challenge_id) {
  for (const store::Notification& notification : PendingNotifications()) {
    Result<ops::NotificationMessage> message = DecodeNotification(*keys_, notification);
    if (message && message->challenge_id == challenge_id) return std::move(message->code);
  }
  ADD_FAILURE() << "no queued notification carries the code of " << challenge_id;
  return crypto::SecretBytes();
}

Result<store::DeviceRecord> ServiceFixture::VerifyWithCode(std::string_view device_id,
                                                           std::string_view challenge_id,
                                                           const crypto::SecretBytes& code) {
  VerifyRequest request;
  request.device_id = std::string(device_id);
  request.challenge_id = std::string(challenge_id);
  request.code = code.Clone();
  return verifications_->Verify(request, Facts());
}

Result<ValidationResponse> ServiceFixture::Login(const Enrollment& enrollment,
                                                 const trust::Fingerprint& fingerprint,
                                                 const RequestFacts& facts) {
  const std::string& user_id = enrollment.result.device.user_id;
  const std::string& device_id = enrollment.result.device.device_id;
  const Bytes nonce = IssueNonce(store::NoncePurpose::kLogin, user_id, device_id);
  return validations_->Validate(enrollment.device.Login(user_id, device_id, nonce, fingerprint,
                                                        enrollment.result.ml_dsa_certificate,
                                                        enrollment.result.ecdsa_certificate),
                                facts);
}

std::string ServiceFixture::LogText() const {
  return telemetry::testing::ReadFile(directory_.path() / "log.jsonl");
}

std::vector<boost::json::object> ServiceFixture::LogLines() const {
  std::vector<boost::json::object> lines;
  for (const std::string& line : telemetry::testing::ReadLines(directory_.path() / "log.jsonl")) {
    boost::system::error_code error;
    boost::json::value parsed = boost::json::parse(line, error);
    EXPECT_FALSE(error) << "log line is not JSON: " << line;
    if (!error && parsed.is_object()) lines.push_back(parsed.as_object());
  }
  return lines;
}

std::vector<boost::json::object> ServiceFixture::TraceLines(std::string_view trace_id) const {
  std::vector<boost::json::object> lines;
  for (boost::json::object& line : LogLines()) {
    const boost::json::value* trace = line.if_contains("trace_id");
    if (trace != nullptr && trace->is_string() && trace->as_string() == trace_id) {
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

std::optional<double> ServiceFixture::Metric(std::string_view series) {
  return telemetry::testing::SampleValue(metrics_->Serialize(), series);
}

std::vector<store::OutboxEvent> ServiceFixture::Outbox(std::string_view topic) {
  Result<std::vector<store::OutboxEvent>> events = store_->FetchOutbox(topic, 0, 1000);
  EXPECT_TRUE(events.has_value());
  return events.value_or(std::vector<store::OutboxEvent>());
}

std::vector<store::Notification> ServiceFixture::PendingNotifications() {
  Result<std::vector<store::Notification>> due =
      store_->FetchDueNotifications(now_ + std::chrono::hours(24 * 365), 1000);
  EXPECT_TRUE(due.has_value());
  return due.value_or(std::vector<store::Notification>());
}

}  // namespace devtrust::service::testing
