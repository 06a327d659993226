// End-to-end test of `devtrust serve`. The real binary runs as a process with
// a temporary data directory and an ephemeral port, and the device-side client
// library drives it over HTTPS. Its webhook points at a notification receiver
// on 127.0.0.1, from which the test learns the one-time codes. Each test checks
// the JSON log lines and the five metrics of the operations document after its
// steps. The system curl (OpenSSL 3.0, no ML-KEM groups) plays a
// classical-only TLS client, and promtool checks every scrape.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "client/api_messages.h"
#include "client/device_keys.h"
#include "client/device_trust_client.h"
#include "client/https_client.h"
#include "client/notification_receiver.h"
#include "client/proofs.h"
#include "client/session_check.h"
#include "crypto/crl.h"
#include "crypto/random.h"
#include "crypto/x509.h"
#include "ops/subprocess.h"
#include "serve_process.h"
#include "telemetry/test_support.h"
#include "trust/fingerprint.h"
#include "trust/proof.h"

namespace devtrust::e2e {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kUser = "alice";
constexpr std::string_view kWindowsChrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36";

// The five metrics of the operations document.
constexpr std::string_view kSuccess = "trusted_device_validation_success_total";
constexpr std::string_view kPending = "device_registration_pending_total";
constexpr std::string_view kSoftFlags = "trust_drift_soft_flags_total";
constexpr std::string_view kReplayNonce = R"(replay_attempts_detected_total{kind="nonce_reused"})";
constexpr std::string_view kReplayRevoked =
    R"(replay_attempts_detected_total{kind="certificate_revoked"})";
constexpr std::string_view kTlsFallback =
    R"(crypto_fallback_triggered_total{algorithm="X25519",flow_origin="tls",reason="tls_no_hybrid_group"})";

trust::Fingerprint Fingerprint(std::string_view user_agent, std::string_view platform,
                               std::string_view width, std::string_view height,
                               std::string_view timezone) {
  const std::pair<std::string_view, std::string_view> attributes[] = {
      {"user_agent", user_agent}, {"platform", platform}, {"screen_width", width},
      {"screen_height", height},  {"timezone", timezone}, {"language", "en-US"}};
  Result<trust::Fingerprint> fingerprint = trust::Fingerprint::FromAttributes(attributes);
  if (!fingerprint) std::abort();
  return *std::move(fingerprint);
}

trust::Fingerprint Laptop() {
  return Fingerprint(kWindowsChrome, "Win32", "1920", "1080", "Europe/Berlin");
}
// Screen and timezone changed: exactly the soft threshold of 0.3.
trust::Fingerprint LaptopOnExternalScreen() {
  return Fingerprint(kWindowsChrome, "Win32", "2560", "1440", "America/New_York");
}
trust::Fingerprint OtherComputer() {
  return Fingerprint(
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/17.4 Safari/605.1.15",
      "MacIntel", "1440", "900", "Europe/Berlin");
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A device enrolled through the API.
struct EnrolledDevice {
  client::DeviceKeys keys;
  std::string device_id;
  Bytes ml_dsa_certificate;
  Bytes ecdsa_certificate;
};

// A login request with the nonce it signed.
struct Login {
  client::ValidationRequest request;
  Bytes nonce;
};

class ServeEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    directory_ = std::filesystem::temp_directory_path() /
                 ("devtrust_e2e_" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(directory_);

    // The webhook secret both sides share, from the environment as a
    // relying party would provision it.
    Result<Bytes> secret = crypto::RandomBytes(32);
    ASSERT_TRUE(secret.has_value());
    webhook_secret_ = Base64UrlEncode(*secret);
    client::NotificationReceiverOptions receiver_options;
    receiver_options.signing_secret = crypto::SecretBytes(AsBytes(webhook_secret_));
    Result<std::unique_ptr<client::NotificationReceiver>> receiver =
        client::NotificationReceiver::Start(std::move(receiver_options));
    ASSERT_TRUE(receiver.has_value()) << receiver.error().ToString();
    receiver_ = *std::move(receiver);

    const std::string config = "data_dir: " + (directory_ / "data").string() +
                               "\n"
                               "listen: {port: 0}\n"
                               "store: {synchronous: normal}\n"
                               "notifications:\n"
                               "  webhook_url: http://127.0.0.1:" +
                               std::to_string(receiver_->port()) +
                               "/hook\n"
                               "  poll_interval: 100ms\n"
                               "log: {node: e2e-node}\n";
    std::ofstream(directory_ / "devtrust.yaml") << config;

    Result<ServeProcess> serve = ServeProcess::Start(
        DEVTRUST_BINARY, directory_ / "devtrust.yaml", LogPath(), directory_ / "serve.err",
        {"DEVTRUST_WEBHOOK_SECRET=" + webhook_secret_}, milliseconds(20'000));
    ASSERT_TRUE(serve.has_value()) << serve.error().ToString();
    serve_.emplace(*std::move(serve));

    // The generated API keys, in the shell syntax serve documents.
    std::istringstream keys(ReadText(directory_ / "data" / "api-keys.env"));
    for (std::string line; std::getline(keys, line);) {
      const std::size_t equals = line.find('=');
      if (line.empty() || line[0] == '#' || equals == std::string::npos) continue;
      api_keys_[line.substr(0, equals)] = line.substr(equals + 1);
    }
    ASSERT_EQ(api_keys_.count("DEVTRUST_RP_API_KEY"), 1u);
    ASSERT_EQ(api_keys_.count("DEVTRUST_ADMIN_API_KEY"), 1u);

    Result<std::unique_ptr<client::DeviceTrustClient>> relying_party =
        client::DeviceTrustClient::Create(ClientOptions(),
                                          Secret(api_keys_["DEVTRUST_RP_API_KEY"]));
    ASSERT_TRUE(relying_party.has_value()) << relying_party.error().ToString();
    relying_party_ = *std::move(relying_party);
    Result<std::unique_ptr<client::HttpsClient>> https =
        client::HttpsClient::Create(ClientOptions());
    ASSERT_TRUE(https.has_value());
    https_ = *std::move(https);
  }

  void TearDown() override {
    relying_party_.reset();
    https_.reset();
    if (serve_.has_value()) {
      // SIGTERM ends the service gracefully with exit status 0.
      EXPECT_EQ(serve_->Stop(milliseconds(20'000)), 0);
      EXPECT_NE(ReadText(LogPath()).find("\"msg\":\"stopped\""), std::string::npos);
    }
    receiver_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  std::filesystem::path LogPath() const { return directory_ / "serve.jsonl"; }
  std::filesystem::path CaBundle() const { return directory_ / "data" / "ca-bundle.pem"; }

  static crypto::SecretBytes Secret(std::string_view text) {
    return crypto::SecretBytes(AsBytes(text));
  }

  client::HttpsClientOptions ClientOptions() const {
    client::HttpsClientOptions options;
    options.server.host = "127.0.0.1";
    options.server.port = serve_->port();
    options.ca_file = CaBundle().string();
    return options;
  }

  // --- device side ---

  EnrolledDevice Enroll(const trust::Fingerprint& fingerprint) {
    Result<client::DeviceKeys> keys = client::GenerateDeviceKeys();
    EXPECT_TRUE(keys.has_value());
    Result<client::Challenge> challenge = relying_party_->CreateRegistrationChallenge(kUser);
    EXPECT_TRUE(challenge.has_value()) << challenge.error().ToString();
    Result<client::ProofSignatures> proof =
        client::SignRegistrationProof(*keys, kUser, challenge->nonce, fingerprint);
    EXPECT_TRUE(proof.has_value());
    Result<client::Registration> registration = relying_party_->RegisterDevice(
        client::RegistrationRequest{std::string(kUser), challenge->nonce,
                                    client::PublicKeysOf(*keys), fingerprint, *std::move(proof)});
    EXPECT_TRUE(registration.has_value()) << registration.error().ToString();
    EXPECT_EQ(registration->status, "pending");

    Pass(registration->device_id, registration->verification.challenge_id);
    return EnrolledDevice{*std::move(keys), registration->device_id,
                          registration->ml_dsa_certificate, registration->ecdsa_certificate};
  }

  // Passes a challenge with the code the webhook delivered.
  client::DeviceRecord Pass(const std::string& device_id, const std::string& challenge_id) {
    Result<crypto::SecretBytes> code = receiver_->TakeCode(challenge_id, milliseconds(15'000));
    EXPECT_TRUE(code.has_value()) << code.error().ToString();
    codes_seen_.emplace_back(code->AsStringView());
    Result<client::DeviceRecord> device =
        relying_party_->VerifyDevice(device_id, challenge_id, *code);
    EXPECT_TRUE(device.has_value()) << device.error().ToString();
    return device.value_or(client::DeviceRecord{});
  }

  Login SignLogin(const EnrolledDevice& device, const trust::Fingerprint& fingerprint) {
    Result<client::Challenge> challenge =
        relying_party_->CreateLoginChallenge(kUser, device.device_id);
    EXPECT_TRUE(challenge.has_value()) << challenge.error().ToString();
    Result<client::ProofSignatures> proof =
        client::SignLoginProof(device.keys, kUser, device.device_id, challenge->nonce, fingerprint);
    EXPECT_TRUE(proof.has_value());
    return Login{client::ValidationRequest{std::string(kUser), device.device_id, challenge->nonce,
                                           device.ml_dsa_certificate, device.ecdsa_certificate,
                                           fingerprint, *std::move(proof)},
                 challenge->nonce};
  }

  client::ValidationResult Validate(const client::ValidationRequest& request) {
    Result<client::ValidationResult> result = relying_party_->Validate(request);
    EXPECT_TRUE(result.has_value()) << result.error().ToString();
    return result ? *std::move(result) : client::ValidationResult{};
  }

  // --- observation ---

  Result<client::HttpResponse> AdminCall(std::string_view method, std::string_view target) {
    const crypto::SecretBytes key = Secret(api_keys_["DEVTRUST_ADMIN_API_KEY"]);
    return https_->Send(method, target, {}, &key);
  }

  // Scrapes /metrics from loopback, without a key, and checks the text with
  // promtool.
  std::string Scrape() {
    Result<client::HttpResponse> response = https_->Send("GET", "/metrics", {});
    EXPECT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200u);
    std::ofstream(directory_ / "metrics.txt") << response->body;
    const std::vector<std::string> argv = {
        "/bin/sh", "-c",
        "promtool check metrics < '" + (directory_ / "metrics.txt").string() + "'"};
    Result<ops::SubprocessResult> promtool = ops::RunSubprocess(argv);
    EXPECT_TRUE(promtool.has_value());
    EXPECT_EQ(promtool->exit_code, 0) << promtool->stdout_text << promtool->stderr_text;
    return response->body;
  }

  // Checks the five metrics against `expected`, with any series not named
  // there at 0.
  void ExpectFiveMetrics(std::map<std::string_view, double> expected) {
    const std::string text = Scrape();
    for (const std::string_view series :
         {kSuccess, kPending, kSoftFlags, kReplayNonce, kReplayRevoked, kTlsFallback}) {
      const double want = expected.count(series) ? expected[series] : 0.0;
      EXPECT_EQ(telemetry::testing::SampleValue(text, series), want) << series;
    }
  }

  std::vector<boost::json::object> LogLines() const {
    std::vector<boost::json::object> lines;
    for (const std::string& line : telemetry::testing::ReadLines(LogPath())) {
      boost::system::error_code error;
      boost::json::value value = boost::json::parse(line, error);
      EXPECT_FALSE(error) << "log line is not JSON: " << line;
      if (!error && value.is_object()) lines.push_back(std::move(value.as_object()));
    }
    return lines;
  }

  // The trust event lines of one trace, in order.
  std::vector<boost::json::object> TraceLines(std::string_view trace_id) const {
    std::vector<boost::json::object> lines;
    for (boost::json::object& line : LogLines()) {
      const boost::json::value* trace = line.if_contains("trace_id");
      if (trace != nullptr && trace->as_string() == trace_id) lines.push_back(std::move(line));
    }
    return lines;
  }

  // The decision line of a trace.
  boost::json::object Decision(std::string_view trace_id) const {
    for (const boost::json::object& line : TraceLines(trace_id)) {
      if (line.contains("flow_step") && line.at("flow_step").as_string() == "decision") return line;
    }
    ADD_FAILURE() << "no decision line for trace " << trace_id;
    return {};
  }

  std::filesystem::path directory_;
  std::string webhook_secret_;
  std::unique_ptr<client::NotificationReceiver> receiver_;
  std::optional<ServeProcess> serve_;
  std::map<std::string, std::string> api_keys_;
  std::unique_ptr<client::DeviceTrustClient> relying_party_;
  std::unique_ptr<client::HttpsClient> https_;
  std::vector<std::string> codes_seen_;
};

TEST_F(ServeEndToEndTest, EnrollVerifyAndValidate) {
  const EnrolledDevice device = Enroll(Laptop());
  Result<client::DeviceRecord> record = relying_party_->GetDevice(device.device_id);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->status, "trusted");
  ExpectFiveMetrics({{kPending, 1}});

  const Login login = SignLogin(device, Laptop());
  const client::ValidationResult result = Validate(login.request);

  EXPECT_EQ(result.decision, "trusted");
  EXPECT_EQ(result.trust_result, "trusted");
  EXPECT_EQ(result.reasons, std::vector<std::string>{"ok"});
  ASSERT_TRUE(result.session.has_value());
  EXPECT_EQ(result.session->mode, "hybrid");
  Result<client::SessionAgreement> agreement = client::CheckSessionKey(
      device.keys, *result.session, trust::LoginSessionLabel(device.device_id, login.nonce));
  ASSERT_TRUE(agreement.has_value()) << agreement.error().ToString();
  EXPECT_TRUE(agreement->agreed);
  // The device side's TLS connection used the hybrid group.
  ASSERT_TRUE(relying_party_->tls_session().has_value());
  EXPECT_TRUE(relying_party_->tls_session()->hybrid_group());
  ExpectFiveMetrics({{kPending, 1}, {kSuccess, 1}});
}

TEST_F(ServeEndToEndTest, EveryValidationStepIsOneLogLine) {
  const EnrolledDevice device = Enroll(Laptop());
  const client::ValidationResult result = Validate(SignLogin(device, Laptop()).request);

  std::vector<std::string> steps;
  for (const boost::json::object& line : TraceLines(result.trace_id)) {
    for (const std::string_view field :
         {"timestamp", "level", "trace_id", "user_id", "device_id", "flow", "flow_step",
          "fingerprint", "trust_result", "reason", "latency_us", "node"}) {
      EXPECT_TRUE(line.contains(field)) << field;
    }
    EXPECT_EQ(line.at("flow").as_string(), "validation");
    EXPECT_EQ(line.at("user_id").as_string(), kUser);
    EXPECT_EQ(line.at("device_id").as_string(), device.device_id);
    EXPECT_EQ(line.at("fingerprint").as_string().size(), 32u);
    EXPECT_EQ(line.at("node").as_string(), "e2e-node");
    steps.emplace_back(line.at("flow_step").as_string());
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"token_check", "cert_parse", "cert_chain",
                                             "cert_validity", "revocation_check", "replay_check",
                                             "pop_signature", "fingerprint_match", "drift_eval",
                                             "session_kem", "decision"}));
  EXPECT_EQ(Decision(result.trace_id).at("trust_result").as_string(), "trusted");

  // Raw attributes, codes and keys never reach the log.
  const std::string log = ReadText(LogPath());
  EXPECT_EQ(log.find("Win32"), std::string::npos);
  EXPECT_EQ(log.find("Europe/Berlin"), std::string::npos);
  EXPECT_EQ(log.find(api_keys_["DEVTRUST_RP_API_KEY"]), std::string::npos);
  EXPECT_EQ(log.find(webhook_secret_), std::string::npos);
  for (const std::string& code : codes_seen_) {
    EXPECT_EQ(log.find("\"" + code + "\""), std::string::npos);
  }
}

TEST_F(ServeEndToEndTest, ReusedNonceIsRejectedAsReplay) {
  const EnrolledDevice device = Enroll(Laptop());
  const Login login = SignLogin(device, Laptop());
  ASSERT_EQ(Validate(login.request).decision, "trusted");

  const client::ValidationResult replay = Validate(login.request);

  EXPECT_EQ(replay.decision, "denied");
  EXPECT_EQ(replay.reasons, std::vector<std::string>{"nonce_reused"});
  EXPECT_FALSE(replay.session.has_value());
  const boost::json::object decision = Decision(replay.trace_id);
  EXPECT_EQ(decision.at("trust_result").as_string(), "denied");
  EXPECT_EQ(decision.at("replay_kind").as_string(), "nonce_reused");
  ExpectFiveMetrics({{kPending, 1}, {kSuccess, 1}, {kReplayNonce, 1}});
}

TEST_F(ServeEndToEndTest, RevokedCertificateIsRejectedAsReplay) {
  const EnrolledDevice device = Enroll(Laptop());
  Result<client::DeviceRecord> revoked =
      relying_party_->RevokeDevice(device.device_id, "key_compromise");
  ASSERT_TRUE(revoked.has_value()) << revoked.error().ToString();
  EXPECT_EQ(revoked->status, "revoked");

  // The ML-DSA CRL lists the certificate.
  Result<client::HttpResponse> crl = https_->Send("GET", "/v1/ca/crl?kind=ml_dsa_65", {});
  ASSERT_TRUE(crl.has_value());
  EXPECT_EQ(crl->content_type, "application/pkix-crl");
  Result<crypto::Crl> parsed = crypto::Crl::FromDer(AsBytes(crl->body));
  ASSERT_TRUE(parsed.has_value());
  Result<crypto::Certificate> certificate = crypto::Certificate::FromDer(device.ml_dsa_certificate);
  ASSERT_TRUE(certificate.has_value());
  EXPECT_NE(parsed->FindRevoked(certificate->serial_number()), nullptr);

  // A login challenge for a revoked device is still issued, so that its
  // certificate's presentation is seen and reported.
  const client::ValidationResult result = Validate(SignLogin(device, Laptop()).request);

  EXPECT_EQ(result.decision, "denied");
  EXPECT_EQ(result.reasons, std::vector<std::string>{"certificate_revoked"});
  EXPECT_EQ(Decision(result.trace_id).at("replay_kind").as_string(), "certificate_revoked");
  ExpectFiveMetrics({{kPending, 1}, {kReplayRevoked, 1}});
}

TEST_F(ServeEndToEndTest, ChangedAttributesGetSoftChallengeThenPass) {
  const EnrolledDevice device = Enroll(Laptop());

  const client::ValidationResult soft =
      Validate(SignLogin(device, LaptopOnExternalScreen()).request);

  EXPECT_EQ(soft.decision, "challenge");
  EXPECT_EQ(soft.trust_result, "challenge_soft");
  EXPECT_EQ(soft.reasons, std::vector<std::string>{"fingerprint_drift"});
  ASSERT_TRUE(soft.challenge.has_value());
  EXPECT_EQ(soft.challenge->kind, "soft");
  ASSERT_TRUE(soft.drift.has_value());
  EXPECT_GE(soft.drift->score, 0.3);
  ExpectFiveMetrics({{kPending, 1}, {kSoftFlags, 1}});

  // The device is flagged into the review queue.
  EXPECT_TRUE(relying_party_->GetDevice(device.device_id)->flagged_for_review);
  Result<client::HttpResponse> review = AdminCall("GET", "/v1/review?status=open");
  ASSERT_TRUE(review.has_value());
  ASSERT_EQ(review->status, 200u) << review->body;
  const boost::json::array items = boost::json::parse(review->body).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("device_id").as_string(), device.device_id);
  EXPECT_EQ(items[0].at("reason").as_string(), "drift");

  // Passing the challenge accepts the new fingerprint.
  Pass(device.device_id, soft.challenge->challenge_id);
  const client::ValidationResult after =
      Validate(SignLogin(device, LaptopOnExternalScreen()).request);
  EXPECT_EQ(after.decision, "trusted");
  ExpectFiveMetrics({{kPending, 1}, {kSoftFlags, 1}, {kSuccess, 1}});
}

TEST_F(ServeEndToEndTest, ChangedDeviceIsVerificationFailure) {
  const EnrolledDevice device = Enroll(Laptop());

  const client::ValidationResult hard = Validate(SignLogin(device, OtherComputer()).request);

  EXPECT_EQ(hard.decision, "challenge");
  EXPECT_EQ(hard.trust_result, "challenge_hard");
  EXPECT_EQ(hard.reasons, std::vector<std::string>{"fingerprint_mismatch"});
  ASSERT_TRUE(hard.challenge.has_value());
  EXPECT_EQ(hard.challenge->kind, "hard");
  EXPECT_FALSE(hard.session.has_value());

  // The user gets a verification challenge; passing it re-enrolls the device.
  Pass(device.device_id, hard.challenge->challenge_id);
  const client::NotificationReceiverStats stats = receiver_->Stats();
  EXPECT_EQ(stats.by_kind.count("verification_failure"), 1u);
  EXPECT_EQ(stats.rejected_signature, 0u);
  const client::ValidationResult after = Validate(SignLogin(device, OtherComputer()).request);
  EXPECT_EQ(after.decision, "trusted");
  ExpectFiveMetrics({{kPending, 1}, {kSuccess, 1}});
}

TEST_F(ServeEndToEndTest, ClassicalTlsClientIsFallback) {
  // /usr/bin/curl links the system OpenSSL 3.0, which offers no ML-KEM group
  // and cannot verify ML-DSA, so it gets X25519 and the ECDSA certificate.
  const std::vector<std::string> argv = {
      "/usr/bin/curl",
      "--silent",
      "--show-error",
      "--cacert",
      CaBundle().string(),
      "--header",
      "Authorization: Bearer " + api_keys_["DEVTRUST_RP_API_KEY"],
      "--header",
      "Content-Type: application/json",
      "--data",
      R"({"purpose":"register","user_id":"alice"})",
      "--write-out",
      "\n%{http_code}",
      "https://127.0.0.1:" + std::to_string(serve_->port()) + "/v1/challenges"};
  Result<ops::SubprocessResult> curl = ops::RunSubprocess(argv);
  ASSERT_TRUE(curl.has_value()) << curl.error().ToString();
  ASSERT_EQ(curl->exit_code, 0) << curl->stderr_text;
  EXPECT_TRUE(curl->stdout_text.ends_with("\n201")) << curl->stdout_text;

  bool logged = false;
  for (const boost::json::object& line : LogLines()) {
    if (!line.contains("trace")) continue;
    EXPECT_EQ(line.at("trace").as_string(), "CRYPTO_FALLBACK_USED");
    EXPECT_EQ(line.at("flow_origin").as_string(), "tls");
    EXPECT_EQ(line.at("algorithm").as_string(), "X25519");
    EXPECT_EQ(line.at("requested_algorithm").as_string(), "X25519MLKEM768");
    EXPECT_EQ(line.at("reason").as_string(), "tls_no_hybrid_group");
    EXPECT_EQ(line.at("user_id").as_string(), kUser);
    logged = true;
  }
  EXPECT_TRUE(logged);
  ExpectFiveMetrics({{kTlsFallback, 1}});

  // Health and metrics are not trust flows: curl reading them adds nothing.
  const std::vector<std::string> health = {
      "/usr/bin/curl", "--silent", "--cacert", CaBundle().string(),
      "https://127.0.0.1:" + std::to_string(serve_->port()) + "/healthz"};
  Result<ops::SubprocessResult> healthz = ops::RunSubprocess(health);
  ASSERT_TRUE(healthz.has_value());
  EXPECT_EQ(healthz->stdout_text, R"({"status":"ok"})");
  ExpectFiveMetrics({{kTlsFallback, 1}});
}

TEST_F(ServeEndToEndTest, ReadinessAndStartupFiles) {
  Result<client::HttpResponse> ready = https_->Send("GET", "/readyz", {});
  ASSERT_TRUE(ready.has_value());
  EXPECT_EQ(ready->status, 200u);

  const std::filesystem::path data = directory_ / "data";
  const auto mode = [](const std::filesystem::path& path) {
    return std::filesystem::status(path).permissions() & std::filesystem::perms::mask;
  };
  EXPECT_EQ(mode(data), std::filesystem::perms::owner_all);
  EXPECT_EQ(mode(data / "api-keys.env"),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // serve took the webhook secret from the environment, so it made no file.
  EXPECT_FALSE(std::filesystem::exists(data / "webhook-secret"));

  bool ready_line = false;
  for (const boost::json::object& line : LogLines()) {
    if (line.contains("msg") && line.at("msg").as_string().starts_with("ready:")) {
      EXPECT_EQ(line.at("listen").as_string(), "127.0.0.1:" + std::to_string(serve_->port()));
      EXPECT_TRUE(line.at("startup_ms").is_int64());
      ready_line = true;
    }
  }
  EXPECT_TRUE(ready_line);
  ExpectFiveMetrics({});
}

}  // namespace
}  // namespace devtrust::e2e
