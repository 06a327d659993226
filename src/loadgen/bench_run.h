// One load generator run from start to report: connect, measure the
// crypto-only bound, prepare the devices, run the open-loop schedule and
// summarize. `devtrust bench` (src/cli/bench_command.cc) parses the command
// line into BenchOptions and prints the report.
#ifndef DEVTRUST_LOADGEN_BENCH_RUN_H_
#define DEVTRUST_LOADGEN_BENCH_RUN_H_

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

#include "base/error.h"
#include "client/https_client.h"
#include "client/notification_receiver.h"
#include "crypto/secret_bytes.h"
#include "loadgen/bench_report.h"
#include "loadgen/crypto_bound.h"

namespace devtrust::loadgen {

struct BenchOptions {
  Workload workload = Workload::kValidate;
  client::HttpsClientOptions https;
  const crypto::SecretBytes* api_key = nullptr;
  // Requests per second (logins or enrollments) and for how long.
  double rate = 0;
  double duration_seconds = 0;
  // Keep-alive connections, each with its own thread; also the bound on
  // requests in flight.
  std::size_t connections = 32;
  // validate: devices enrolled before the run; register: key sets reused.
  std::size_t devices = 100;
  // validate only: receives the enrolled devices' verification codes.
  client::NotificationReceiver* receiver = nullptr;
  std::chrono::milliseconds code_timeout{30'000};
  std::chrono::milliseconds drain_timeout{10'000};
  // When set, the server's CPU time during the run is read from /proc.
  std::optional<pid_t> server_pid;
  // Receives setup messages and the progress lines; may be empty.
  std::function<void(std::string_view line)> on_status;
};

// Errors: "bench_options_invalid" (kInvalidArgument) for missing or
// out-of-range options; the errors of connecting (HttpsClient), of enrolling
// the devices (EnrollDevices), of generating keys and of measuring the
// crypto bound; the errors of ProcessCpuTime for a server_pid that cannot be
// read. Failed requests during the run are part of the report, not errors.
Result<BenchReport> RunBench(const BenchOptions& options);

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_BENCH_RUN_H_
