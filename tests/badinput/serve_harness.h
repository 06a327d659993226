// A `devtrust serve` process for the hardening tests: a temporary directory
// with the configuration and the data directory, a webhook receiver on
// 127.0.0.1 that collects the one-time codes, the generated API keys, and
// factories for clients of the server. The server can be killed with SIGKILL
// and started again on the same data directory.
//
// Not thread-safe: one thread starts, kills and restarts the server. The
// clients it creates may be used on other threads, one client per thread.
#ifndef DEVTRUST_TESTS_BADINPUT_SERVE_HARNESS_H_
#define DEVTRUST_TESTS_BADINPUT_SERVE_HARNESS_H_

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "base/error.h"
#include "client/device_trust_client.h"
#include "client/https_client.h"
#include "client/notification_receiver.h"
#include "crypto/secret_bytes.h"
#include "e2e/serve_process.h"
#include "server/testing/test_client.h"

namespace devtrust::hardening {

struct ServeHarnessOptions {
  // Extra members of the `listen` block in YAML flow syntax, such as
  // "max_connections: 16, header_timeout: 2s"; empty keeps the defaults.
  std::string listen_settings;
  // The store.synchronous setting: "full" (the default of serve) or "normal".
  std::string synchronous = "full";
  // Time that serve may take to write its ready line.
  std::chrono::milliseconds ready_timeout{20'000};
};

class ServeHarness {
 public:
  // Creates the temporary directory, starts the webhook receiver and then
  // serve, and reads the API keys serve generated. Errors: "harness_failed"
  // for a file or receiver that cannot be set up, and the errors of
  // e2e::ServeProcess::Start.
  static Result<std::unique_ptr<ServeHarness>> Start(ServeHarnessOptions options);

  // Kills serve if it still runs, stops the receiver and removes the
  // temporary directory.
  ~ServeHarness();

  ServeHarness(const ServeHarness&) = delete;
  ServeHarness& operator=(const ServeHarness&) = delete;

  // Sends SIGKILL and reaps the process. Does nothing when it is not running.
  void Kill();

  // Starts serve again on the same data directory, with a new log file and a
  // new ephemeral port. Precondition: Kill() or StopGracefully() ran.
  Status Restart();

  // Sends SIGTERM and returns the exit status (-1 when it had to be killed).
  int StopGracefully();

  bool running() const { return process_.has_value(); }
  std::uint16_t port() const { return port_; }
  // The wall time of the last start, from the fork to the ready line.
  std::chrono::milliseconds last_start_duration() const { return last_start_duration_; }

  const std::filesystem::path& directory() const { return directory_; }
  std::filesystem::path data_dir() const { return directory_ / "data"; }
  std::filesystem::path database_path() const { return data_dir() / "devtrust.db"; }
  std::filesystem::path ca_bundle() const { return data_dir() / "ca-bundle.pem"; }
  // The JSON log of the current run.
  std::filesystem::path log_path() const;

  const std::string& relying_party_key() const { return relying_party_key_; }
  const std::string& admin_key() const { return admin_key_; }

  client::NotificationReceiver& receiver() { return *receiver_; }

  client::HttpsClientOptions ClientOptions() const;
  // A client of the current run that sends the relying party key.
  Result<std::unique_ptr<client::DeviceTrustClient>> NewDeviceClient() const;
  Result<std::unique_ptr<client::HttpsClient>> NewHttpsClient() const;
  // A raw TLS connection for requests the other clients cannot send, with
  // `timeout` for each connect, handshake, write and read.
  Result<std::unique_ptr<server::testing::TestClient>> NewRawClient(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000)) const;

 private:
  ServeHarness(ServeHarnessOptions options, std::filesystem::path directory)
      : options_(std::move(options)), directory_(std::move(directory)) {}

  Status StartServe();
  Status ReadApiKeys();

  ServeHarnessOptions options_;
  std::filesystem::path directory_;
  std::string webhook_secret_;
  std::unique_ptr<client::NotificationReceiver> receiver_;
  std::optional<e2e::ServeProcess> process_;
  std::uint16_t port_ = 0;
  int runs_ = 0;
  std::chrono::milliseconds last_start_duration_{0};
  std::string relying_party_key_;
  std::string admin_key_;
};

}  // namespace devtrust::hardening

#endif  // DEVTRUST_TESTS_BADINPUT_SERVE_HARNESS_H_
