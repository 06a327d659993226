#include "cli/replay_result.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace devtrust::cli {
namespace {

namespace json = boost::json;

TEST(ScenarioOf, DropsTrailingNumber) {
  EXPECT_EQ(ScenarioOf("browser-change-03"), "browser-change");
  EXPECT_EQ(ScenarioOf("general-12"), "general");
  EXPECT_EQ(ScenarioOf("ip-geo-mismatch-08"), "ip-geo-mismatch");
}

TEST(ScenarioOf, KeepsNamesWithoutNumber) {
  EXPECT_EQ(ScenarioOf("routine"), "routine");
  EXPECT_EQ(ScenarioOf("home-and-work"), "home-and-work");
  EXPECT_EQ(ScenarioOf("trailing-"), "trailing-");
  EXPECT_EQ(ScenarioOf("alice"), "alice");
}

TEST(ReplayResultJson, LoginWithEveryField) {
  ReplayResult result;
  result.login_id = 42;
  result.user = "browser-change-03";
  result.scenario = "browser-change";
  result.timestamp = "2025-01-02T03:04:05Z";
  result.action = ReplayAction::kLogin;
  result.decision = "challenge";
  result.trust_result = "challenge_soft";
  result.reasons = {"fingerprint_drift"};
  result.drift = client::DriftReport{.score = 0.45, .changed = {"user_agent.browser"}};
  result.session_mode = "hybrid";
  result.session_key_agreed = true;
  result.challenge =
      client::ChallengeRef{.challenge_id = "chl_1", .kind = "soft", .expires_at = "x"};
  result.challenge_completed = true;
  result.latency_us = 1234;
  result.trace_id = "abc";
  result.device_id = "dev_x";

  const json::value line = json::parse(ToJsonLine(result));
  EXPECT_EQ(line.at("login_id").to_number<std::uint64_t>(), 42u);
  EXPECT_EQ(line.at("scenario").as_string(), "browser-change");
  EXPECT_EQ(line.at("action").as_string(), "login");
  EXPECT_EQ(line.at("decision").as_string(), "challenge");
  EXPECT_EQ(line.at("trust_result").as_string(), "challenge_soft");
  EXPECT_EQ(line.at("reasons").as_array().size(), 1u);
  EXPECT_DOUBLE_EQ(line.at("drift").at("score").as_double(), 0.45);
  EXPECT_EQ(line.at("drift").at("changed").at(0).as_string(), "user_agent.browser");
  EXPECT_EQ(line.at("session_mode").as_string(), "hybrid");
  EXPECT_TRUE(line.at("session_key_agreed").as_bool());
  EXPECT_EQ(line.at("challenge").at("kind").as_string(), "soft");
  EXPECT_TRUE(line.at("challenge").at("completed").as_bool());
  EXPECT_EQ(line.at("latency_us").as_int64(), 1234);
  EXPECT_EQ(line.at("trace_id").as_string(), "abc");
  EXPECT_TRUE(line.at("error").is_null());
  EXPECT_TRUE(line.at("fallback").is_null());
}

TEST(ReplayResultJson, EnrollmentLeavesLoginFieldsNull) {
  ReplayResult result;
  result.action = ReplayAction::kEnroll;
  result.decision = "enrolled";
  const json::value line = json::parse(ToJsonLine(result));
  EXPECT_EQ(line.at("action").as_string(), "enroll");
  EXPECT_TRUE(line.at("trust_result").is_null());
  EXPECT_TRUE(line.at("drift").is_null());
  EXPECT_TRUE(line.at("session_mode").is_null());
  EXPECT_TRUE(line.at("session_key_agreed").is_null());
  EXPECT_TRUE(line.at("challenge").is_null());
}

TEST(ReplayResultJson, OneLineEvenWithNewlinesInError) {
  ReplayResult result;
  result.decision = "error";
  result.error = "server_timeout: line one\nline two";
  const std::string line = ToJsonLine(result);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(json::parse(line).at("error").as_string(), "server_timeout: line one\nline two");
}

}  // namespace
}  // namespace devtrust::cli
