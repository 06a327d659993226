// End-to-end test of `devtrust bench`. A real `devtrust serve` runs with a
// temporary data directory on an ephemeral port of 127.0.0.1, its webhook
// pointed at the port where the load generator's code receiver listens. The
// load generator runs as its own process at a rate low enough for a debug
// build, and its JSON report must agree with the server's own metrics.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "client/https_client.h"
#include "crypto/random.h"
#include "ops/subprocess.h"
#include "serve_process.h"
#include "telemetry/test_support.h"

namespace devtrust::e2e {
namespace {

using std::chrono::milliseconds;

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A loopback port that was free a moment ago, for the code receiver, whose
// address the server's configuration must name before either starts.
std::uint16_t FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

class BenchEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    directory_ = std::filesystem::temp_directory_path() /
                 ("devtrust_bench_e2e_" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(directory_);

    Result<Bytes> secret = crypto::RandomBytes(32);
    ASSERT_TRUE(secret.has_value());
    webhook_secret_ = Base64UrlEncode(*secret);
    notify_port_ = FreeLoopbackPort();
    ASSERT_NE(notify_port_, 0);

    const std::string config = "data_dir: " + (directory_ / "data").string() +
                               "\n"
                               "listen: {port: 0}\n"
                               "store: {synchronous: normal}\n"
                               "notifications:\n"
                               "  webhook_url: http://127.0.0.1:" +
                               std::to_string(notify_port_) +
                               "/hook\n"
                               "  poll_interval: 100ms\n"
                               "log: {node: bench-e2e}\n";
    std::ofstream(directory_ / "devtrust.yaml") << config;

    Result<ServeProcess> serve =
        ServeProcess::Start(DEVTRUST_BINARY, directory_ / "devtrust.yaml",
                            directory_ / "serve.jsonl", directory_ / "serve.err",
                            {"DEVTRUST_WEBHOOK_SECRET=" + webhook_secret_}, milliseconds(20'000));
    ASSERT_TRUE(serve.has_value()) << serve.error().ToString();
    serve_.emplace(*std::move(serve));
  }

  void TearDown() override {
    if (serve_.has_value()) {
      EXPECT_EQ(serve_->Stop(milliseconds(20'000)), 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  std::string ServerUrl() const { return "https://127.0.0.1:" + std::to_string(serve_->port()); }
  std::filesystem::path CaBundle() const { return directory_ / "data" / "ca-bundle.pem"; }
  std::filesystem::path ApiKeys() const { return directory_ / "data" / "api-keys.env"; }

  // Runs `devtrust bench <workload>` with the server's credentials and
  // `extra` arguments.
  ops::SubprocessResult RunBench(const std::string& workload, std::vector<std::string> extra) {
    std::vector<std::string> argv = {DEVTRUST_BINARY,     "bench",          workload,
                                     "--server",          ServerUrl(),      "--ca-file",
                                     CaBundle().string(), "--api-key-file", ApiKeys().string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    ops::SubprocessOptions options;
    options.timeout = milliseconds(240'000);
    options.set_environment = {"DEVTRUST_WEBHOOK_SECRET=" + webhook_secret_};
    Result<ops::SubprocessResult> result = ops::RunSubprocess(argv, options);
    EXPECT_TRUE(result.has_value()) << result.error().ToString();
    if (result.has_value()) return *std::move(result);
    ops::SubprocessResult failed;
    failed.exit_code = -1;
    return failed;
  }

  boost::json::object ReadReport(const std::filesystem::path& path) {
    boost::system::error_code error;
    boost::json::value value = boost::json::parse(ReadText(path), error);
    EXPECT_FALSE(error) << "the report is not JSON: " << ReadText(path);
    if (error || !value.is_object()) return {};
    return std::move(value.as_object());
  }

  // The server's /metrics, read without an API key.
  std::string Scrape() {
    client::HttpsClientOptions options;
    options.server.host = "127.0.0.1";
    options.server.port = serve_->port();
    options.ca_file = CaBundle().string();
    Result<std::unique_ptr<client::HttpsClient>> https = client::HttpsClient::Create(options);
    EXPECT_TRUE(https.has_value());
    if (!https) return {};
    Result<client::HttpResponse> response = (*https)->Send("GET", "/metrics", {});
    EXPECT_TRUE(response.has_value());
    return response ? response->body : std::string();
  }

  std::filesystem::path directory_;
  std::string webhook_secret_;
  std::uint16_t notify_port_ = 0;
  std::optional<ServeProcess> serve_;
};

TEST_F(BenchEndToEndTest, ValidateReportsTrustedLogins) {
  const std::filesystem::path out = directory_ / "validate.json";
  const ops::SubprocessResult run =
      RunBench("validate", {"--rate", "20", "--duration", "2", "--connections", "4", "--devices",
                            "3", "--notify-listen", "127.0.0.1:" + std::to_string(notify_port_),
                            "--out", out.string(), "--server-pid", std::to_string(serve_->pid())});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;

  const boost::json::object report = ReadReport(out);
  EXPECT_EQ(report.at("workload").as_string(), "validate");
  const boost::json::object& requests = report.at("requests").as_object();
  EXPECT_EQ(requests.at("scheduled").to_number<std::uint64_t>(), 40u);
  EXPECT_EQ(requests.at("completed").to_number<std::uint64_t>(), 40u);
  EXPECT_EQ(requests.at("ok").to_number<std::uint64_t>(), 40u)
      << boost::json::serialize(report.at("outcomes"));
  EXPECT_EQ(requests.at("failed").to_number<std::uint64_t>(), 0u);
  EXPECT_EQ(requests.at("unsent").to_number<std::uint64_t>(), 0u);
  EXPECT_EQ(report.at("outcomes").at("trusted").to_number<std::uint64_t>(), 40u);
  EXPECT_EQ(report.at("http_requests").to_number<std::uint64_t>(), 80u);
  EXPECT_GT(report.at("achieved_rate").as_double(), 0);

  // Latencies run from the due time, so each login takes at least as long
  // as its validate request.
  const boost::json::object& latency = report.at("latency_ms").as_object();
  EXPECT_EQ(latency.at("validate").at("count").to_number<std::uint64_t>(), 40u);
  EXPECT_EQ(latency.at("challenge").at("count").to_number<std::uint64_t>(), 40u);
  EXPECT_GT(latency.at("validate").at("p50").as_double(), 0);
  EXPECT_GE(latency.at("request").at("max").as_double(),
            latency.at("validate").at("max").as_double());

  EXPECT_EQ(report.at("tls").at("group").as_string(), "X25519MLKEM768");
  EXPECT_EQ(report.at("crypto_bound").at("operations").as_array().size(), 2u);
  EXPECT_GT(report.at("crypto_bound").at("max_rate").as_double(), 0);
  EXPECT_TRUE(report.at("cpu_seconds").at("server").is_double());
  EXPECT_TRUE(report.at("machine").at("server_on_this_machine").as_bool());

  // The server counted the same successes.
  EXPECT_EQ(telemetry::testing::SampleValue(Scrape(), "trusted_device_validation_success_total"),
            40.0);

  EXPECT_NE(run.stdout_text.find("achieved:"), std::string::npos) << run.stdout_text;
  EXPECT_NE(run.stdout_text.find("crypto-only bound:"), std::string::npos) << run.stdout_text;
  EXPECT_NE(run.stderr_text.find("enrolling 3 devices"), std::string::npos) << run.stderr_text;
}

TEST_F(BenchEndToEndTest, RegisterReportsPendingDevices) {
  const std::filesystem::path out = directory_ / "register.json";
  const ops::SubprocessResult run =
      RunBench("register", {"--rate", "20", "--duration", "1", "--connections", "2", "--devices",
                            "4", "--out", out.string()});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;

  const boost::json::object report = ReadReport(out);
  EXPECT_EQ(report.at("workload").as_string(), "register");
  EXPECT_EQ(report.at("requests").at("ok").to_number<std::uint64_t>(), 20u)
      << boost::json::serialize(report.at("outcomes"));
  EXPECT_EQ(report.at("outcomes").at("pending").to_number<std::uint64_t>(), 20u);
  EXPECT_EQ(report.at("latency_ms").at("register").at("count").to_number<std::uint64_t>(), 20u);
  EXPECT_EQ(report.at("crypto_bound").at("operations").as_array().size(), 4u);
  EXPECT_TRUE(report.at("cpu_seconds").at("server").is_null());

  EXPECT_EQ(telemetry::testing::SampleValue(Scrape(), "device_registration_pending_total"), 20.0);
}

TEST_F(BenchEndToEndTest, OutOfRangeOptionsAreUsageErrors) {
  const std::string out = (directory_ / "unused.json").string();
  const ops::SubprocessResult zero_rate =
      RunBench("register", {"--rate", "0", "--duration", "1", "--out", out});
  EXPECT_EQ(zero_rate.exit_code, 2);
  EXPECT_NE(zero_rate.stderr_text.find("--rate 0 is out of range"), std::string::npos)
      << zero_rate.stderr_text;

  const ops::SubprocessResult no_connections =
      RunBench("register", {"--rate", "10", "--duration", "1", "--connections", "0", "--out", out});
  EXPECT_EQ(no_connections.exit_code, 2);
  EXPECT_NE(no_connections.stderr_text.find("--connections 0 is out of range"), std::string::npos)
      << no_connections.stderr_text;

  const ops::SubprocessResult missing_rate =
      RunBench("register", {"--duration", "1", "--out", out});
  EXPECT_EQ(missing_rate.exit_code, 2);
}

TEST_F(BenchEndToEndTest, UnreachableServerFailsBeforeTheRun) {
  const std::uint16_t closed_port = FreeLoopbackPort();
  ASSERT_NE(closed_port, 0);
  const std::string out = (directory_ / "unreachable.json").string();
  std::vector<std::string> argv = {DEVTRUST_BINARY,
                                   "bench",
                                   "register",
                                   "--server",
                                   "https://127.0.0.1:" + std::to_string(closed_port),
                                   "--ca-file",
                                   CaBundle().string(),
                                   "--api-key-file",
                                   ApiKeys().string(),
                                   "--rate",
                                   "10",
                                   "--duration",
                                   "1",
                                   "--out",
                                   out};
  Result<ops::SubprocessResult> run = ops::RunSubprocess(argv);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_NE(run->stderr_text.find("server_unreachable"), std::string::npos) << run->stderr_text;
}

}  // namespace
}  // namespace devtrust::e2e
