// The result of one load generator run, as a JSON document for tools and as
// a summary for people.
#ifndef DEVTRUST_LOADGEN_BENCH_REPORT_H_
#define DEVTRUST_LOADGEN_BENCH_REPORT_H_

#include <array>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "loadgen/crypto_bound.h"
#include "loadgen/latency_summary.h"
#include "loadgen/open_loop_runner.h"
#include "loadgen/system_stats.h"

namespace devtrust::loadgen {

struct BenchSettings {
  Workload workload = Workload::kValidate;
  std::string server_url;
  double offered_rate = 0;  // requests per second
  double duration_seconds = 0;
  std::size_t connections = 0;
  // Devices logged in with (validate) or key sets reused (register).
  std::size_t devices = 0;
};

struct BenchEnvironment {
  MachineInfo machine;
  std::array<double, 3> load_before{0, 0, 0};
  std::array<double, 3> load_after{0, 0, 0};
  // The TLS session of the first connection.
  std::string tls_group;
  std::string tls_cipher_suite;
  std::size_t connections_opened = 0;
  // CPU time during the run.
  std::chrono::nanoseconds client_cpu{0};
  // Set when the server's process id was given.
  std::optional<std::chrono::nanoseconds> server_cpu;
  // RFC 3339 UTC time the schedule started.
  std::string started_at;
};

struct BenchReport {
  BenchSettings settings;
  BenchEnvironment environment;

  std::size_t scheduled = 0;
  std::size_t sent = 0;
  std::size_t completed = 0;
  std::size_t ok = 0;
  // Completed with another result than the workload expects.
  std::size_t failed = 0;
  // Still waiting for a connection when the drain timeout ran out.
  std::size_t unsent = 0;
  // Requests per label ("trusted", "validate:server_timeout", ...).
  std::map<std::string, std::size_t> outcomes;
  std::size_t http_requests = 0;

  double elapsed_seconds = 0;
  // ok / elapsed_seconds.
  double achieved_rate = 0;
  double http_rate = 0;

  // From the due time to the completion of the whole request.
  LatencySummary latency;
  // From sending the validation or registration to its response.
  LatencySummary operation_latency;
  // From sending the challenge request to its response.
  LatencySummary challenge_latency;
  // From the due time to the start of the attempt: waiting for a free
  // connection or for the load generator's own CPU.
  LatencySummary start_delay;

  CryptoBound crypto_bound;
  // achieved_rate / crypto_bound.max_rate.
  double bound_ratio = 0;
};

// Counts and summarizes the records of `run`.
BenchReport BuildReport(const BenchSettings& settings, const BenchEnvironment& environment,
                        const CryptoBound& crypto_bound, const OpenLoopRun& run);

// The report as one JSON object; latencies in milliseconds, CPU times in
// seconds.
boost::json::object ReportToJson(const BenchReport& report);

// A multi-line summary ending in a newline.
std::string FormatReportSummary(const BenchReport& report);

// The operation's name for people: "validation" or "registration".
std::string_view OperationName(Workload workload);

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_BENCH_REPORT_H_
