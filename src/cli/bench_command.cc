// `devtrust bench validate|register`: an open-loop load generator for a
// devtrust server (src/loadgen). It runs as its own process, keeps one TLS
// connection per --connections alive, and reports achieved rate, failures,
// latency percentiles and the ratio to the crypto-only bound.
#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "client/api_key.h"
#include "client/notification_receiver.h"
#include "client/server_url.h"
#include "loadgen/bench_run.h"

namespace devtrust::cli {
namespace {

constexpr int kExitSuccess = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

constexpr std::string_view kFooter = R"(
The load is open-loop: request i is due at start + i / rate, and its latency
runs from that due time to the response, so queueing anywhere (a busy
connection, the server's workers, its database) shows in the percentiles
instead of slowing the offered rate. --connections bounds the requests in
flight; each connection is a keep-alive TLS 1.3 connection that offers
X25519MLKEM768 and is opened before the schedule starts.

validate: enrolls --devices devices first (register, then pass the
verification challenge with the code from the server's webhook, which must
point at --notify-listen and share the webhook signing secret). Each request
is one login: POST /v1/challenges, the device's ML-DSA-65 and ECDSA proofs,
POST /v1/trust/validate; it succeeds when the decision is trusted.

register: each request enrolls a new pending device: POST /v1/challenges,
the registration proofs, POST /v1/devices. --devices key sets are
generated before the schedule and reused round robin.

Before the load, the command measures in process the CPU time of the
signature and KEM operations the server needs per request, and reports the
crypto-only bound, cores / that time, with the ratio of the achieved rate to
it. With --server-pid it also reads the server's CPU time from /proc.

Output: a progress line every second on standard error, the summary on
standard output, and the whole report as JSON in --out.

Exit status:
  0  the run finished and the report was written, whatever the failures
  1  the run could not start (connecting, enrolling) or the report could not
     be written
  2  usage error
)";

struct BenchArguments {
  std::string server;
  std::string ca_file;
  std::string api_key_file;
  std::string out;
  double rate = 0;
  double duration_seconds = 0;
  std::size_t connections = 32;
  std::optional<std::size_t> devices;
  std::string notify_listen = "127.0.0.1:8780";
  std::string webhook_secret_file;
  unsigned code_timeout_seconds = 30;
  unsigned drain_timeout_seconds = 10;
  std::optional<int> server_pid;
};

int UsageError(std::string_view command, std::string_view message) {
  std::cerr << fmt::format("devtrust bench {}: {} (see --help)\n", command, message);
  return kExitUsage;
}

int Failure(std::string_view command, const Error& error) {
  std::cerr << fmt::format("devtrust bench {}: {}: {}\n", command, error.reason(), error.message());
  return kExitFailure;
}

int RunBenchCommand(loadgen::Workload workload, const BenchArguments& arguments) {
  const std::string_view command = loadgen::WorkloadName(workload);
  Result<client::ServerUrl> url = client::ParseServerUrl(arguments.server);
  if (!url) return UsageError(command, url.error().message());
  if (arguments.server_pid.has_value() && *arguments.server_pid <= 0) {
    return UsageError(command, "--server-pid must be a positive process id");
  }
  if (workload == loadgen::Workload::kValidate) {
    if (Result<client::ListenAddress> listen =
            client::ParseLoopbackListenAddress(arguments.notify_listen);
        !listen) {
      return UsageError(command, listen.error().message());
    }
  }

  Result<crypto::SecretBytes> api_key = client::LoadApiKey(arguments.api_key_file);
  if (!api_key) return Failure(command, api_key.error());

  // The results file is opened first, so that a bad path fails before the
  // run rather than after it.
  std::ofstream out(arguments.out, std::ios::binary | std::ios::trunc);
  if (!out) {
    return Failure(command,
                   Error(StatusCode::kUnavailable, "file_write_failed",
                         "cannot open the results file " + arguments.out + " for writing"));
  }

  std::unique_ptr<client::NotificationReceiver> receiver;
  if (workload == loadgen::Workload::kValidate) {
    Result<crypto::SecretBytes> secret = client::LoadWebhookSecret(arguments.webhook_secret_file);
    if (!secret) return Failure(command, secret.error());
    client::NotificationReceiverOptions receiver_options;
    receiver_options.listen_address = arguments.notify_listen;
    receiver_options.signing_secret = std::move(*secret);
    Result<std::unique_ptr<client::NotificationReceiver>> started =
        client::NotificationReceiver::Start(std::move(receiver_options));
    if (!started) return Failure(command, started.error());
    receiver = *std::move(started);
  }

  loadgen::BenchOptions options;
  options.workload = workload;
  options.https.server = *url;
  options.https.ca_file = arguments.ca_file;
  options.api_key = &*api_key;
  options.rate = arguments.rate;
  options.duration_seconds = arguments.duration_seconds;
  options.connections = arguments.connections;
  options.devices = arguments.devices.value_or(workload == loadgen::Workload::kValidate ? 100 : 64);
  options.receiver = receiver.get();
  options.code_timeout = std::chrono::seconds(arguments.code_timeout_seconds);
  options.drain_timeout = std::chrono::seconds(arguments.drain_timeout_seconds);
  if (arguments.server_pid.has_value()) options.server_pid = *arguments.server_pid;
  options.on_status = [command](std::string_view line) {
    std::cerr << fmt::format("devtrust bench {}: {}\n", command, line) << std::flush;
  };

  Result<loadgen::BenchReport> report = loadgen::RunBench(options);
  if (receiver) receiver->Stop();
  if (!report) {
    if (report.error().reason() == "bench_options_invalid") {
      return UsageError(command, report.error().message());
    }
    return Failure(command, report.error());
  }

  out << boost::json::serialize(loadgen::ReportToJson(*report)) << '\n';
  out.close();
  if (!out) {
    return Failure(command, Error(StatusCode::kUnavailable, "file_write_failed",
                                  "writing the results file " + arguments.out + " failed"));
  }
  std::cout << loadgen::FormatReportSummary(*report) << std::flush;
  return kExitSuccess;
}

void AddWorkloadCommand(CLI::App& bench, loadgen::Workload workload, std::string_view description) {
  auto arguments = std::make_shared<BenchArguments>();
  CLI::App* command =
      bench.add_subcommand(std::string(loadgen::WorkloadName(workload)), std::string(description));

  // The server and the credentials.
  command
      ->add_option("--server", arguments->server,
                   "devtrust server URL, such as https://127.0.0.1:8443")
      ->required();
  command
      ->add_option("--ca-file", arguments->ca_file,
                   "PEM file with the devtrust CA root certificates that the server's TLS "
                   "certificate must chain to")
      ->required();
  command->add_option("--api-key-file", arguments->api_key_file,
                      "File with the relying party API key, mode 0600 (default: the "
                      "DEVTRUST_RP_API_KEY environment variable)");

  // The load.
  command->add_option("--rate", arguments->rate, "Offered requests per second")->required();
  command->add_option("--duration", arguments->duration_seconds, "Length of the schedule, seconds")
      ->required();
  command
      ->add_option("--connections", arguments->connections,
                   "Keep-alive TLS connections, which also bound the requests in flight")
      ->capture_default_str();
  command->add_option("--devices", arguments->devices,
                      workload == loadgen::Workload::kValidate
                          ? "Devices to enroll and log in with, round robin (default 100)"
                          : "Device key sets to reuse, round robin (default 64)");
  command->add_option("--out", arguments->out, "Write the report as JSON to this file")->required();
  command
      ->add_option("--drain-timeout", arguments->drain_timeout_seconds,
                   "Seconds after the schedule's end during which waiting requests may still "
                   "start; later ones are reported as not sent")
      ->capture_default_str();
  command->add_option("--server-pid", arguments->server_pid,
                      "Process id of a server on this machine, whose CPU time is then reported");

  if (workload == loadgen::Workload::kValidate) {
    command
        ->add_option("--notify-listen", arguments->notify_listen,
                     "Loopback address and port of the webhook receiver for the enrollment "
                     "codes")
        ->capture_default_str();
    command->add_option("--webhook-secret-file", arguments->webhook_secret_file,
                        "File with the webhook signing secret, mode 0600 (default: the "
                        "DEVTRUST_WEBHOOK_SECRET environment variable)");
    command
        ->add_option("--code-timeout", arguments->code_timeout_seconds,
                     "Seconds to wait for an enrollment code to arrive by webhook")
        ->capture_default_str();
  }

  command->footer(std::string(kFooter));
  command->callback([workload, arguments] { SetExitCode(RunBenchCommand(workload, *arguments)); });
}

}  // namespace

void AddBenchCommand(CLI::App& app) {
  CLI::App* bench = app.add_subcommand(
      "bench", "Run an open-loop load against a devtrust server and report rate and latency");
  bench->require_subcommand(1);
  AddWorkloadCommand(*bench, loadgen::Workload::kValidate,
                     "Log in enrolled devices: challenge, then validate");
  AddWorkloadCommand(*bench, loadgen::Workload::kRegister,
                     "Enroll new devices: challenge, then register");
}

}  // namespace devtrust::cli
