#include "loadgen/bench_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <vector>

namespace devtrust::loadgen {
namespace {

using Samples = std::vector<std::chrono::nanoseconds>;

double Seconds(std::chrono::nanoseconds value) {
  return std::chrono::duration<double>(value).count();
}

double Milliseconds(std::chrono::nanoseconds value) {
  return std::chrono::duration<double, std::milli>(value).count();
}

boost::json::object LatencyJson(const LatencySummary& summary) {
  return boost::json::object{{"count", summary.count}, {"p50", summary.p50_ms},
                             {"p99", summary.p99_ms},  {"p999", summary.p999_ms},
                             {"max", summary.max_ms},  {"mean", summary.mean_ms}};
}

boost::json::array LoadJson(const std::array<double, 3>& load) {
  return boost::json::array{load[0], load[1], load[2]};
}

// CPU milliseconds per successful request, or 0 without any.
double CpuPerRequestMs(std::chrono::nanoseconds cpu, std::size_t requests) {
  return requests > 0 ? Milliseconds(cpu) / static_cast<double>(requests) : 0;
}

std::string LatencyRow(std::string_view name, const LatencySummary& summary) {
  return fmt::format("  {:<22}{:>10.3f}{:>10.3f}{:>10.3f}{:>10.3f}{:>10}\n", name, summary.p50_ms,
                     summary.p99_ms, summary.p999_ms, summary.max_ms, summary.count);
}

bool IsLoopback(std::string_view url) {
  return url.find("://127.") != std::string_view::npos ||
         url.find("://[::1]") != std::string_view::npos ||
         url.find("://localhost") != std::string_view::npos;
}

}  // namespace

std::string_view OperationName(Workload workload) {
  return workload == Workload::kValidate ? "validation" : "registration";
}

BenchReport BuildReport(const BenchSettings& settings, const BenchEnvironment& environment,
                        const CryptoBound& crypto_bound, const OpenLoopRun& run) {
  BenchReport report;
  report.settings = settings;
  report.environment = environment;
  report.crypto_bound = crypto_bound;
  report.scheduled = run.records.size();

  Samples latency;
  Samples operation;
  Samples challenge;
  Samples start_delay;
  for (const RequestRecord& record : run.records) {
    if (!record.sent) {
      ++report.unsent;
      continue;
    }
    ++report.sent;
    ++report.completed;
    ++report.outcomes[record.outcome.label];
    report.http_requests += static_cast<std::size_t>(record.outcome.http_requests);
    if (record.outcome.ok) {
      ++report.ok;
    } else {
      ++report.failed;
    }

    latency.push_back(record.latency);
    start_delay.push_back(record.start_delay);
    if (record.outcome.challenge_latency.count() > 0) {
      challenge.push_back(record.outcome.challenge_latency);
    }
    if (record.outcome.operation_latency.count() > 0) {
      operation.push_back(record.outcome.operation_latency);
    }
  }

  report.latency = Summarize(latency);
  report.operation_latency = Summarize(operation);
  report.challenge_latency = Summarize(challenge);
  report.start_delay = Summarize(start_delay);

  report.elapsed_seconds = Seconds(run.elapsed);
  if (report.elapsed_seconds > 0) {
    report.achieved_rate = static_cast<double>(report.ok) / report.elapsed_seconds;
    report.http_rate = static_cast<double>(report.http_requests) / report.elapsed_seconds;
  }
  if (crypto_bound.max_rate > 0) report.bound_ratio = report.achieved_rate / crypto_bound.max_rate;
  return report;
}

boost::json::object ReportToJson(const BenchReport& report) {
  const BenchSettings& settings = report.settings;
  const BenchEnvironment& environment = report.environment;
  const std::string_view workload = WorkloadName(settings.workload);

  boost::json::object outcomes;
  for (const auto& [label, count] : report.outcomes) outcomes[label] = count;

  boost::json::array operations;
  for (const CryptoOperationCost& cost : report.crypto_bound.operations) {
    operations.push_back(
        boost::json::object{{"name", cost.name}, {"cpu_ms", Milliseconds(cost.cpu_time)}});
  }

  boost::json::object latency{{"request", LatencyJson(report.latency)},
                              {"challenge", LatencyJson(report.challenge_latency)},
                              {"start_delay", LatencyJson(report.start_delay)}};
  latency[workload] = LatencyJson(report.operation_latency);

  boost::json::object cpu_seconds{{"load_generator", Seconds(environment.client_cpu)},
                                  {"server", nullptr}};
  boost::json::object cpu_per_request{
      {"load_generator", CpuPerRequestMs(environment.client_cpu, report.ok)}, {"server", nullptr}};
  if (environment.server_cpu.has_value()) {
    cpu_seconds["server"] = Seconds(*environment.server_cpu);
    cpu_per_request["server"] = CpuPerRequestMs(*environment.server_cpu, report.ok);
  }

  return boost::json::object{
      {"workload", workload},
      {"server", settings.server_url},
      {"started_at", environment.started_at},
      {"offered_rate", settings.offered_rate},
      {"duration_s", settings.duration_seconds},
      {"connections", settings.connections},
      {"devices", settings.devices},
      {"requests", boost::json::object{{"scheduled", report.scheduled},
                                       {"sent", report.sent},
                                       {"completed", report.completed},
                                       {"ok", report.ok},
                                       {"failed", report.failed},
                                       {"unsent", report.unsent}}},
      {"outcomes", std::move(outcomes)},
      {"elapsed_s", report.elapsed_seconds},
      {"achieved_rate", report.achieved_rate},
      {"http_requests", report.http_requests},
      {"http_rate", report.http_rate},
      {"latency_ms", std::move(latency)},
      {"crypto_bound",
       boost::json::object{
           {"source", "measured in process with the server's crypto calls"},
           {"cores", report.crypto_bound.cores},
           {"cpu_ms_per_request", Milliseconds(report.crypto_bound.cpu_per_request)},
           {"operations", std::move(operations)},
           {"max_rate", report.crypto_bound.max_rate},
           {"ratio", report.bound_ratio}}},
      {"cpu_seconds", std::move(cpu_seconds)},
      {"cpu_ms_per_ok_request", std::move(cpu_per_request)},
      {"tls", boost::json::object{{"group", environment.tls_group},
                                  {"cipher_suite", environment.tls_cipher_suite},
                                  {"connections_opened", environment.connections_opened}}},
      {"machine", boost::json::object{{"cpu_model", environment.machine.cpu_model},
                                      {"cores", environment.machine.cores},
                                      {"server_on_this_machine", IsLoopback(settings.server_url)}}},
      {"load_average", boost::json::object{{"before", LoadJson(environment.load_before)},
                                           {"after", LoadJson(environment.load_after)}}}};
}

std::string FormatReportSummary(const BenchReport& report) {
  const BenchSettings& settings = report.settings;
  const BenchEnvironment& environment = report.environment;
  const std::string_view operation = OperationName(settings.workload);
  std::string text;

  text +=
      fmt::format("devtrust bench {}: {}, {:g}/s offered for {:g} s over {} connections, {} {}\n",
                  WorkloadName(settings.workload), settings.server_url, settings.offered_rate,
                  settings.duration_seconds, settings.connections, settings.devices,
                  settings.workload == Workload::kValidate ? "devices" : "key sets");
  text += fmt::format("requests: {} scheduled, {} completed, {} ok, {} failed, {} not sent\n",
                      report.scheduled, report.completed, report.ok, report.failed, report.unsent);
  text += fmt::format("achieved: {:.1f} {}s/s ({:.1f} HTTP requests/s) over {:.2f} s\n",
                      report.achieved_rate, operation, report.http_rate, report.elapsed_seconds);

  text += fmt::format("latency ms {:>22}{:>10}{:>10}{:>10}{:>10}\n", "p50", "p99", "p999", "max",
                      "count");
  text += LatencyRow(fmt::format("{} (scheduled)",
                                 settings.workload == Workload::kValidate ? "login" : "enrollment"),
                     report.latency);
  text += LatencyRow(WorkloadName(settings.workload), report.operation_latency);
  text += LatencyRow("challenge", report.challenge_latency);
  text += LatencyRow("start delay", report.start_delay);

  std::vector<std::string> failures;
  for (const auto& [label, count] : report.outcomes) {
    if (label != "trusted" && label != "pending")
      failures.push_back(fmt::format("{} {}", label, count));
  }
  if (!failures.empty()) text += fmt::format("failures: {}\n", fmt::join(failures, ", "));

  const CryptoBound& bound = report.crypto_bound;
  text += fmt::format(
      "crypto-only bound: {} cores / {:.3f} ms CPU per {} = {:.0f}/s (measured in process)\n",
      bound.cores, Milliseconds(bound.cpu_per_request), operation, bound.max_rate);
  for (const CryptoOperationCost& cost : bound.operations) {
    text += fmt::format("  {:<64}{:>8.3f} ms\n", cost.name, Milliseconds(cost.cpu_time));
  }
  text += fmt::format("achieved / bound: {:.3f}\n", report.bound_ratio);

  text += fmt::format("CPU per ok {}: load generator {:.3f} ms", operation,
                      CpuPerRequestMs(environment.client_cpu, report.ok));
  if (environment.server_cpu.has_value()) {
    text += fmt::format(", server {:.3f} ms", CpuPerRequestMs(*environment.server_cpu, report.ok));
  }
  text += "\n";
  text += fmt::format("TLS: {}, {}, {} connections opened\n", environment.tls_group,
                      environment.tls_cipher_suite, environment.connections_opened);
  text += fmt::format("machine: {}, {} cores; load average {:.2f} before, {:.2f} after\n",
                      environment.machine.cpu_model, environment.machine.cores,
                      environment.load_before[0], environment.load_after[0]);
  if (IsLoopback(settings.server_url)) {
    text +=
        "note: the server is on this machine, so it shares the cores with the load "
        "generator\n";
  }
  const bool rate_missed = report.achieved_rate < 0.95 * settings.offered_rate;
  if (report.unsent > 0 || rate_missed) {
    text += fmt::format(
        "warning: the offered rate was not sustained ({:.1f}/s achieved of {:g}/s, {} not "
        "sent); the latencies describe an overloaded system\n",
        report.achieved_rate, settings.offered_rate, report.unsent);
  }
  return text;
}

}  // namespace devtrust::loadgen
