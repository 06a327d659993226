#include "cli/replay_summary.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace devtrust::cli {
namespace {

TEST(Percentile, NearestRank) {
  const std::vector<std::int64_t> values = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
  EXPECT_EQ(Percentile(values, 50), 5);
  EXPECT_EQ(Percentile(values, 90), 9);
  EXPECT_EQ(Percentile(values, 99), 10);
  EXPECT_EQ(Percentile(values, 100), 10);
  EXPECT_EQ(Percentile(values, 1), 1);
}

TEST(Percentile, EmptyAndSingle) {
  EXPECT_EQ(Percentile({}, 50), 0);
  EXPECT_EQ(Percentile({7}, 99), 7);
}

ReplayResult Login(std::string user, std::string trust_result, std::vector<std::string> reasons,
                   std::int64_t latency_us) {
  ReplayResult result;
  result.user = user;
  result.scenario = ScenarioOf(user);
  result.action = ReplayAction::kLogin;
  result.trust_result = trust_result;
  result.decision = trust_result.starts_with("challenge") ? "challenge" : trust_result;
  result.reasons = std::move(reasons);
  result.latency_us = latency_us;
  result.session_mode = "hybrid";
  result.session_key_agreed = true;
  return result;
}

ReplayResult Enrollment(std::string user) {
  ReplayResult result;
  result.user = user;
  result.scenario = ScenarioOf(user);
  result.action = ReplayAction::kEnroll;
  result.decision = "enrolled";
  result.latency_us = 3000;
  return result;
}

TEST(CountFailures, CountsErrorsSkipsAndNotes) {
  std::vector<ReplayResult> results = {Enrollment("routine-01"),
                                       Login("routine-01", "trusted", {"ok"}, 1000)};
  EXPECT_EQ(CountFailures(results), 0u);
  results.push_back(Login("routine-01", "denied", {"nonce_reused"}, 1000));
  EXPECT_EQ(CountFailures(results), 0u);

  ReplayResult error;
  error.decision = "error";
  error.error = "server_timeout: x";
  results.push_back(error);
  ReplayResult skipped;
  skipped.decision = "skipped";
  skipped.error = "account_not_enrolled: x";
  results.push_back(skipped);
  ReplayResult noted = Login("routine-01", "trusted", {"ok"}, 1000);
  noted.error = "challenge_completion_failed: code_timeout: x";
  results.push_back(noted);
  EXPECT_EQ(CountFailures(results), 3u);
}

TEST(FormatReplaySummary, CountsPerScenario) {
  std::vector<ReplayResult> results = {
      Enrollment("routine-01"),
      Login("routine-01", "trusted", {"ok"}, 1000),
      Login("routine-01", "trusted", {"ok"}, 2000),
      Enrollment("browser-change-02"),
      Login("browser-change-02", "challenge_soft", {"fingerprint_drift"}, 3000),
      Enrollment("headless-07"),
      Login("headless-07", "challenge_hard", {"headless_browser"}, 4000),
  };
  results[4].drift = client::DriftReport{.score = 0.45, .changed = {"user_agent.browser"}};
  results[4].challenge =
      client::ChallengeRef{.challenge_id = "c1", .kind = "soft", .expires_at = ""};
  results[4].challenge_completed = true;
  results[6].challenge =
      client::ChallengeRef{.challenge_id = "c2", .kind = "hard", .expires_at = ""};

  ReplaySummaryInput input;
  input.records_file = "logins.csv";
  input.server_url = "https://127.0.0.1:8443";
  input.concurrency = 2;
  input.completion = "soft";
  input.results = &results;
  input.elapsed = std::chrono::seconds(2);
  input.notifications.accepted = 4;
  input.notifications.by_kind["device_verification"] = 4;
  const std::string summary = FormatReplaySummary(input);

  EXPECT_NE(summary.find("Replayed 7 records of 3 accounts from logins.csv in 2.0 s"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("3 devices enrolled"), std::string::npos);
  EXPECT_NE(summary.find("routine                   1      2       2     0     0      0      0"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("browser-change     fingerprint_drift 1"), std::string::npos) << summary;
  EXPECT_NE(summary.find("soft drift flags (fingerprint_drift): 1"), std::string::npos);
  EXPECT_NE(summary.find("headless_browser 1"), std::string::npos);
  EXPECT_NE(summary.find("user_agent.browser 1"), std::string::npos);
  EXPECT_NE(summary.find("soft: 1 raised, 1 completed"), std::string::npos);
  EXPECT_NE(summary.find("hard: 1 raised, 0 completed"), std::string::npos);
  EXPECT_NE(summary.find("hybrid 4, classical 0; agreed 4, mismatched 0"), std::string::npos)
      << summary;
  EXPECT_NE(summary.find("p50 2.00 ms, p99 4.00 ms, max 4.00 ms"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Failures: 0"), std::string::npos);
}

}  // namespace
}  // namespace devtrust::cli
