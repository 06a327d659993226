#include "serve_harness.h"

#include <fstream>
#include <random>
#include <sstream>

#include "base/encoding.h"
#include "crypto/random.h"

namespace devtrust::hardening {
namespace {

std::unexpected<Error> HarnessFailed(std::string message) {
  return MakeError(StatusCode::kInternal, "harness_failed", std::move(message));
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<std::unique_ptr<ServeHarness>> ServeHarness::Start(ServeHarnessOptions options) {
  std::random_device random;
  const std::filesystem::path directory =
      std::filesystem::temp_directory_path() /
      ("devtrust_hardening_" + std::to_string(random()) + std::to_string(random()));
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return HarnessFailed("cannot create " + directory.string() + ": " + error.message());
  }
  std::unique_ptr<ServeHarness> harness(new ServeHarness(std::move(options), directory));

  // The webhook secret comes from the environment, as a relying party would
  // provision it, and the receiver checks every delivery with it.
  Result<Bytes> secret = crypto::RandomBytes(32);
  if (!secret) return std::unexpected(std::move(secret).error());
  harness->webhook_secret_ = Base64UrlEncode(*secret);
  client::NotificationReceiverOptions receiver_options;
  receiver_options.signing_secret = crypto::SecretBytes(AsBytes(harness->webhook_secret_));
  Result<std::unique_ptr<client::NotificationReceiver>> receiver =
      client::NotificationReceiver::Start(std::move(receiver_options));
  if (!receiver) return std::unexpected(std::move(receiver).error());
  harness->receiver_ = *std::move(receiver);

  const std::string listen = harness->options_.listen_settings.empty()
                                 ? "{port: 0}"
                                 : "{port: 0, " + harness->options_.listen_settings + "}";
  std::ofstream config(directory / "devtrust.yaml");
  config << "data_dir: " << (directory / "data").string() << "\n"
         << "listen: " << listen << "\n"
         << "store: {synchronous: " << harness->options_.synchronous << "}\n"
         << "notifications:\n"
         << "  webhook_url: http://127.0.0.1:" << harness->receiver_->port() << "/hook\n"
         << "  poll_interval: 100ms\n"
         << "log: {node: hardening}\n";
  config.close();
  if (!config) return HarnessFailed("cannot write " + (directory / "devtrust.yaml").string());

  if (Status started = harness->StartServe(); !started) {
    return std::unexpected(started.error());
  }
  if (Status keys = harness->ReadApiKeys(); !keys) return std::unexpected(keys.error());
  return harness;
}

ServeHarness::~ServeHarness() {
  Kill();
  receiver_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::filesystem::path ServeHarness::log_path() const {
  return directory_ / ("serve-" + std::to_string(runs_) + ".jsonl");
}

Status ServeHarness::StartServe() {
  ++runs_;
  const auto started = std::chrono::steady_clock::now();
  Result<e2e::ServeProcess> process = e2e::ServeProcess::Start(
      DEVTRUST_BINARY, directory_ / "devtrust.yaml", log_path(),
      directory_ / ("serve-" + std::to_string(runs_) + ".err"),
      {"DEVTRUST_WEBHOOK_SECRET=" + webhook_secret_}, options_.ready_timeout);
  if (!process) return std::unexpected(std::move(process).error());
  last_start_duration_ = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  port_ = process->port();
  process_.emplace(*std::move(process));
  return {};
}

Status ServeHarness::ReadApiKeys() {
  // api-keys.env is in shell syntax: NAME=value lines and comments.
  std::istringstream lines(ReadText(data_dir() / "api-keys.env"));
  for (std::string line; std::getline(lines, line);) {
    const std::size_t equals = line.find('=');
    if (line.empty() || line[0] == '#' || equals == std::string::npos) continue;
    const std::string name = line.substr(0, equals);
    if (name == "DEVTRUST_RP_API_KEY") relying_party_key_ = line.substr(equals + 1);
    if (name == "DEVTRUST_ADMIN_API_KEY") admin_key_ = line.substr(equals + 1);
  }
  if (relying_party_key_.empty() || admin_key_.empty()) {
    return HarnessFailed("api-keys.env in " + data_dir().string() + " lacks a key");
  }
  return {};
}

void ServeHarness::Kill() {
  // The destructor of ServeProcess sends SIGKILL and reaps the process.
  process_.reset();
}

Status ServeHarness::Restart() {
  if (process_.has_value()) {
    return HarnessFailed("Restart needs a stopped server; call Kill or StopGracefully first");
  }
  return StartServe();
}

int ServeHarness::StopGracefully() {
  if (!process_.has_value()) return -1;
  const int status = process_->Stop(std::chrono::milliseconds(20'000));
  process_.reset();
  return status;
}

client::HttpsClientOptions ServeHarness::ClientOptions() const {
  client::HttpsClientOptions options;
  options.server.host = "127.0.0.1";
  options.server.port = port_;
  options.ca_file = ca_bundle().string();
  options.connect_timeout = std::chrono::milliseconds(5'000);
  options.request_timeout = std::chrono::milliseconds(20'000);
  return options;
}

Result<std::unique_ptr<client::DeviceTrustClient>> ServeHarness::NewDeviceClient() const {
  return client::DeviceTrustClient::Create(ClientOptions(),
                                           crypto::SecretBytes(AsBytes(relying_party_key_)));
}

Result<std::unique_ptr<client::HttpsClient>> ServeHarness::NewHttpsClient() const {
  return client::HttpsClient::Create(ClientOptions());
}

Result<std::unique_ptr<server::testing::TestClient>> ServeHarness::NewRawClient(
    std::chrono::milliseconds timeout) const {
  server::testing::TestClientOptions options;
  options.ca_file = ca_bundle().string();
  options.timeout = timeout;
  return server::testing::TestClient::Connect(port_, std::move(options));
}

}  // namespace devtrust::hardening
