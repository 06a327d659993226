#include "loadgen/bench_run.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/encoding.h"
#include "client/device_trust_client.h"
#include "crypto/random.h"
#include "loadgen/bench_fingerprint.h"
#include "loadgen/device_enrollment.h"
#include "loadgen/open_loop_runner.h"
#include "loadgen/progress_line.h"
#include "loadgen/register_workload.h"
#include "loadgen/schedule.h"
#include "loadgen/system_stats.h"
#include "loadgen/validate_workload.h"

namespace devtrust::loadgen {
namespace {

// Bounds that keep a mistyped option from exhausting memory: each scheduled
// request keeps a record of about 100 bytes.
constexpr double kMaxRate = 100'000;
constexpr double kMaxDurationSeconds = 3'600;
constexpr std::size_t kMaxConnections = 1'024;
constexpr std::size_t kMaxDevices = 100'000;

std::unexpected<Error> Invalid(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "bench_options_invalid", std::move(message));
}

Status CheckOptions(const BenchOptions& options) {
  if (options.api_key == nullptr) return Invalid("the API key is missing");
  if (!(options.rate > 0 && options.rate <= kMaxRate)) {
    return Invalid(
        fmt::format("--rate {} is out of range; give 0 < rate <= {:g} requests per "
                    "second",
                    options.rate, kMaxRate));
  }
  if (!(options.duration_seconds > 0 && options.duration_seconds <= kMaxDurationSeconds)) {
    return Invalid(fmt::format("--duration {} is out of range; give 0 < duration <= {:g} seconds",
                               options.duration_seconds, kMaxDurationSeconds));
  }
  if (options.connections == 0 || options.connections > kMaxConnections) {
    return Invalid(fmt::format("--connections {} is out of range 1..{}", options.connections,
                               kMaxConnections));
  }
  if (options.devices == 0 || options.devices > kMaxDevices) {
    return Invalid(fmt::format("--devices {} is out of range 1..{}", options.devices, kMaxDevices));
  }
  if (ScheduledRequestCount(options.rate,
                            std::chrono::duration<double>(options.duration_seconds)) == 0) {
    return Invalid("--rate times --duration schedules no request; raise either");
  }
  if (options.workload == Workload::kValidate && options.receiver == nullptr) {
    return Invalid("validate needs a notification receiver for the enrollment codes");
  }
  return {};
}

void Say(const BenchOptions& options, std::string_view line) {
  if (options.on_status) options.on_status(line);
}

// A prefix that keeps the user ids of separate runs against one server
// apart: "loadgen-<8 hex digits>-".
Result<std::string> NewUserPrefix() {
  Result<Bytes> random = crypto::RandomBytes(4);
  if (!random) return std::unexpected(random.error());
  return "loadgen-" + HexEncode(*random) + "-";
}

// Creates the clients and opens each connection with a request outside the
// measurement, so that no TLS handshake falls into the schedule.
Result<std::vector<std::unique_ptr<client::DeviceTrustClient>>> Connect(
    const BenchOptions& options) {
  std::vector<std::unique_ptr<client::DeviceTrustClient>> clients;
  for (std::size_t i = 0; i < options.connections; ++i) {
    Result<std::unique_ptr<client::DeviceTrustClient>> created =
        client::DeviceTrustClient::Create(options.https, options.api_key->Clone());
    if (!created) return std::unexpected(created.error());
    Result<client::CaCertificates> warm = (*created)->GetCaCertificates();
    if (!warm) return std::unexpected(warm.error());
    clients.push_back(std::move(*created));
  }
  return clients;
}

std::string Rfc3339Now() {
  return fmt::format(
      "{:%Y-%m-%dT%H:%M:%SZ}",
      fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace

Result<BenchReport> RunBench(const BenchOptions& options) {
  if (Status valid = CheckOptions(options); !valid) return std::unexpected(valid.error());
  if (options.server_pid.has_value()) {
    if (Result<std::chrono::nanoseconds> probe = ProcessCpuTime(*options.server_pid); !probe) {
      return std::unexpected(probe.error());
    }
  }
  Result<trust::Fingerprint> fingerprint = BenchFingerprint();
  if (!fingerprint) return std::unexpected(fingerprint.error());
  Result<std::string> user_prefix = NewUserPrefix();
  if (!user_prefix) return std::unexpected(user_prefix.error());

  // Connections.
  Say(options, fmt::format("opening {} connections to {}", options.connections,
                           options.https.server.ToString()));
  Result<std::vector<std::unique_ptr<client::DeviceTrustClient>>> clients = Connect(options);
  if (!clients) return std::unexpected(clients.error());
  std::vector<client::DeviceTrustClient*> client_pointers;
  for (const auto& owned : *clients) client_pointers.push_back(owned.get());

  // The crypto-only bound, measured before the load so that it competes with
  // nothing of this run.
  const MachineInfo machine = DescribeMachine();
  Say(options, "measuring the crypto-only bound in process");
  Result<CryptoBound> bound = MeasureCryptoBound(options.workload, machine.cores);
  if (!bound) return std::unexpected(bound.error());

  // The workload's sessions, one per connection.
  std::vector<EnrolledDevice> devices;
  std::vector<client::DeviceKeys> key_pool;
  std::vector<std::unique_ptr<LoadSession>> sessions;
  if (options.workload == Workload::kValidate) {
    Say(options, fmt::format("enrolling {} devices (users {}0..{})", options.devices, *user_prefix,
                             options.devices - 1));
    Result<std::vector<EnrolledDevice>> enrolled =
        EnrollDevices(client_pointers, {.devices = options.devices,
                                        .user_prefix = *user_prefix,
                                        .fingerprint = &*fingerprint,
                                        .receiver = options.receiver,
                                        .code_timeout = options.code_timeout});
    if (!enrolled) return std::unexpected(enrolled.error());
    devices = *std::move(enrolled);
    for (client::DeviceTrustClient* connection : client_pointers) {
      sessions.push_back(std::make_unique<ValidateSession>(*connection, devices, *fingerprint));
    }
  } else {
    Say(options, fmt::format("generating {} device key sets", options.devices));
    Result<std::vector<client::DeviceKeys>> generated = GenerateKeyPool(options.devices);
    if (!generated) return std::unexpected(generated.error());
    key_pool = *std::move(generated);
    for (client::DeviceTrustClient* connection : client_pointers) {
      sessions.push_back(
          std::make_unique<RegisterSession>(*connection, key_pool, *user_prefix, *fingerprint));
    }
  }
  std::vector<LoadSession*> session_pointers;
  for (const auto& session : sessions) session_pointers.push_back(session.get());

  // The run.
  OpenLoopOptions run_options;
  run_options.rate = options.rate;
  run_options.count =
      ScheduledRequestCount(options.rate, std::chrono::duration<double>(options.duration_seconds));
  run_options.drain_timeout = options.drain_timeout;
  run_options.on_progress = [&options](const ProgressSnapshot& snapshot) {
    Say(options, FormatProgressLine(snapshot));
  };
  Say(options, fmt::format("running {} {}s at {:g}/s", run_options.count,
                           OperationName(options.workload), options.rate));

  BenchEnvironment environment;
  environment.machine = machine;
  environment.load_before = LoadAverage();
  environment.started_at = Rfc3339Now();
  const std::chrono::nanoseconds client_cpu_before = OwnCpuTime();
  std::optional<std::chrono::nanoseconds> server_cpu_before;
  if (options.server_pid.has_value()) {
    Result<std::chrono::nanoseconds> cpu = ProcessCpuTime(*options.server_pid);
    if (!cpu) return std::unexpected(cpu.error());
    server_cpu_before = *cpu;
  }

  const OpenLoopRun run = RunOpenLoop(session_pointers, run_options);

  environment.client_cpu = OwnCpuTime() - client_cpu_before;
  if (server_cpu_before.has_value()) {
    Result<std::chrono::nanoseconds> cpu = ProcessCpuTime(*options.server_pid);
    if (!cpu) return std::unexpected(cpu.error());
    environment.server_cpu = *cpu - *server_cpu_before;
  }
  environment.load_after = LoadAverage();
  for (client::DeviceTrustClient* connection : client_pointers) {
    environment.connections_opened += connection->connections_opened();
  }
  if (const auto& session = client_pointers.front()->tls_session(); session.has_value()) {
    environment.tls_group = session->group;
    environment.tls_cipher_suite = session->cipher_suite;
  }

  BenchSettings settings{.workload = options.workload,
                         .server_url = options.https.server.ToString(),
                         .offered_rate = options.rate,
                         .duration_seconds = options.duration_seconds,
                         .connections = options.connections,
                         .devices = options.devices};
  return BuildReport(settings, environment, *bound, run);
}

}  // namespace devtrust::loadgen
