#include "loadgen/bench_report.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace devtrust::loadgen {
namespace {

using std::chrono::milliseconds;

RequestRecord Sent(bool ok, std::string label, milliseconds latency, milliseconds completed_at) {
  RequestRecord record;
  record.sent = true;
  record.outcome.ok = ok;
  record.outcome.label = std::move(label);
  record.outcome.http_requests = 2;
  record.outcome.challenge_latency = milliseconds(1);
  record.outcome.operation_latency = latency - milliseconds(1);
  record.latency = latency;
  record.completed_at = completed_at;
  return record;
}

// Ten requests over two seconds: seven trusted, two denied, one not sent.
OpenLoopRun SampleRun() {
  OpenLoopRun run;
  for (int i = 0; i < 7; ++i) {
    run.records.push_back(Sent(true, "trusted", milliseconds(2 + i), milliseconds(200 * (i + 1))));
  }
  run.records.push_back(
      Sent(false, "decision:denied:nonce_expired", milliseconds(30), milliseconds(1600)));
  run.records.push_back(
      Sent(false, "validate:server_timeout", milliseconds(40), milliseconds(2000)));
  run.records.emplace_back();
  run.elapsed = milliseconds(2000);
  run.schedule_span = milliseconds(2000);
  return run;
}

BenchSettings Settings() {
  return BenchSettings{.workload = Workload::kValidate,
                       .server_url = "https://127.0.0.1:8443",
                       .offered_rate = 5,
                       .duration_seconds = 2,
                       .connections = 4,
                       .devices = 3};
}

CryptoBound Bound() {
  CryptoBound bound;
  bound.operations = {{"ML-DSA-65 verify (login proof)", std::chrono::microseconds(150)},
                      {"ML-KEM-768 + X25519 session key", std::chrono::microseconds(100)}};
  bound.cpu_per_request = std::chrono::microseconds(250);
  bound.cores = 2;
  bound.max_rate = 8000;
  return bound;
}

BenchEnvironment Environment() {
  BenchEnvironment environment;
  environment.machine = {.cpu_model = "Test CPU", .cores = 2};
  environment.load_before = {0.5, 0.4, 0.3};
  environment.load_after = {1.5, 0.6, 0.35};
  environment.tls_group = "X25519MLKEM768";
  environment.tls_cipher_suite = "TLS_AES_256_GCM_SHA384";
  environment.connections_opened = 4;
  environment.client_cpu = milliseconds(70);
  environment.started_at = "2025-07-03T10:00:00Z";
  return environment;
}

TEST(BuildReportTest, CountsRequests) {
  const BenchReport report = BuildReport(Settings(), Environment(), Bound(), SampleRun());
  EXPECT_EQ(report.scheduled, 10u);
  EXPECT_EQ(report.sent, 9u);
  EXPECT_EQ(report.completed, 9u);
  EXPECT_EQ(report.ok, 7u);
  EXPECT_EQ(report.failed, 2u);
  EXPECT_EQ(report.unsent, 1u);
  EXPECT_EQ(report.http_requests, 18u);
  EXPECT_EQ(report.outcomes.at("trusted"), 7u);
  EXPECT_EQ(report.outcomes.at("decision:denied:nonce_expired"), 1u);
  EXPECT_EQ(report.outcomes.at("validate:server_timeout"), 1u);
}

TEST(BuildReportTest, RatesUseElapsedTime) {
  const BenchReport report = BuildReport(Settings(), Environment(), Bound(), SampleRun());
  EXPECT_DOUBLE_EQ(report.elapsed_seconds, 2);
  EXPECT_DOUBLE_EQ(report.achieved_rate, 3.5);
  EXPECT_DOUBLE_EQ(report.http_rate, 9);
  EXPECT_DOUBLE_EQ(report.bound_ratio, 3.5 / 8000);
}

TEST(BuildReportTest, LatenciesCoverCompletedRequests) {
  const BenchReport report = BuildReport(Settings(), Environment(), Bound(), SampleRun());
  EXPECT_EQ(report.latency.count, 9u);
  EXPECT_DOUBLE_EQ(report.latency.max_ms, 40);
  EXPECT_DOUBLE_EQ(report.latency.p50_ms, 6);
  EXPECT_DOUBLE_EQ(report.operation_latency.max_ms, 39);
  EXPECT_DOUBLE_EQ(report.challenge_latency.p99_ms, 1);
}

TEST(BuildReportTest, EmptyRunHasNoRate) {
  OpenLoopRun run;
  run.records.resize(3);
  const BenchReport report = BuildReport(Settings(), Environment(), Bound(), run);
  EXPECT_EQ(report.unsent, 3u);
  EXPECT_EQ(report.achieved_rate, 0);
  EXPECT_EQ(report.latency.count, 0u);
}

TEST(ReportToJsonTest, HasEveryResult) {
  const BenchReport report = BuildReport(Settings(), Environment(), Bound(), SampleRun());
  const boost::json::object json = ReportToJson(report);

  EXPECT_EQ(json.at("workload").as_string(), "validate");
  EXPECT_EQ(json.at("server").as_string(), "https://127.0.0.1:8443");
  EXPECT_EQ(json.at("requests").at("ok").as_uint64(), 7u);
  EXPECT_EQ(json.at("requests").at("unsent").as_uint64(), 1u);
  EXPECT_EQ(json.at("outcomes").at("validate:server_timeout").as_uint64(), 1u);
  EXPECT_DOUBLE_EQ(json.at("achieved_rate").as_double(), 3.5);
  EXPECT_DOUBLE_EQ(json.at("latency_ms").at("request").at("max").as_double(), 40);
  EXPECT_DOUBLE_EQ(json.at("latency_ms").at("validate").at("max").as_double(), 39);
  EXPECT_TRUE(json.at("latency_ms").at("challenge").is_object());
  EXPECT_TRUE(json.at("latency_ms").at("start_delay").is_object());
  EXPECT_DOUBLE_EQ(json.at("crypto_bound").at("cpu_ms_per_request").as_double(), 0.25);
  EXPECT_EQ(json.at("crypto_bound").at("operations").as_array().size(), 2u);
  EXPECT_DOUBLE_EQ(json.at("crypto_bound").at("max_rate").as_double(), 8000);
  EXPECT_EQ(json.at("tls").at("group").as_string(), "X25519MLKEM768");
  EXPECT_EQ(json.at("machine").at("cores").as_uint64(), 2u);
  EXPECT_TRUE(json.at("machine").at("server_on_this_machine").as_bool());
  EXPECT_DOUBLE_EQ(json.at("load_average").at("after").as_array()[0].as_double(), 1.5);
  EXPECT_DOUBLE_EQ(json.at("cpu_seconds").at("load_generator").as_double(), 0.07);
  EXPECT_TRUE(json.at("cpu_seconds").at("server").is_null());
  EXPECT_DOUBLE_EQ(json.at("cpu_ms_per_ok_request").at("load_generator").as_double(), 10);
}

TEST(ReportToJsonTest, ServerCpuWhenMeasured) {
  BenchEnvironment environment = Environment();
  environment.server_cpu = milliseconds(140);
  const BenchReport report = BuildReport(Settings(), environment, Bound(), SampleRun());
  const boost::json::object json = ReportToJson(report);
  EXPECT_DOUBLE_EQ(json.at("cpu_seconds").at("server").as_double(), 0.14);
  EXPECT_DOUBLE_EQ(json.at("cpu_ms_per_ok_request").at("server").as_double(), 20);
}

TEST(ReportToJsonTest, RegisterNamesItsOperation) {
  BenchSettings settings = Settings();
  settings.workload = Workload::kRegister;
  const boost::json::object json =
      ReportToJson(BuildReport(settings, Environment(), Bound(), SampleRun()));
  EXPECT_EQ(json.at("workload").as_string(), "register");
  EXPECT_TRUE(json.at("latency_ms").as_object().contains("register"));
  EXPECT_FALSE(json.at("latency_ms").as_object().contains("validate"));
}

TEST(FormatReportSummaryTest, NamesResultsAndWarnsOnOverload) {
  const std::string summary =
      FormatReportSummary(BuildReport(Settings(), Environment(), Bound(), SampleRun()));
  EXPECT_NE(summary.find("10 scheduled, 9 completed, 7 ok, 2 failed, 1 not sent"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("achieved: 3.5 validations/s (9.0 HTTP requests/s)"), std::string::npos)
      << summary;
  EXPECT_NE(summary.find("failures: decision:denied:nonce_expired 1, validate:server_timeout 1"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("2 cores / 0.250 ms CPU per validation = 8000/s"), std::string::npos)
      << summary;
  EXPECT_NE(summary.find("shares the cores"), std::string::npos) << summary;
  EXPECT_NE(summary.find("warning: the offered rate was not sustained"), std::string::npos)
      << summary;
  EXPECT_TRUE(summary.ends_with("\n"));
}

TEST(FormatReportSummaryTest, NoWarningWhenRateHeld) {
  OpenLoopRun run;
  for (int i = 0; i < 10; ++i) {
    run.records.push_back(Sent(true, "trusted", milliseconds(2), milliseconds(200 * (i + 1))));
  }
  run.elapsed = milliseconds(2000);
  const std::string summary =
      FormatReportSummary(BuildReport(Settings(), Environment(), Bound(), run));
  EXPECT_EQ(summary.find("warning"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("failures"), std::string::npos) << summary;
}

}  // namespace
}  // namespace devtrust::loadgen
