// One replayed login record's outcome, and its JSON line in the results file
// of `devtrust replay-logins`.
#ifndef DEVTRUST_CLI_REPLAY_RESULT_H_
#define DEVTRUST_CLI_REPLAY_RESULT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/api_messages.h"

namespace devtrust::cli {

enum class ReplayAction {
  kEnroll,  // the account's first record: register and verify the device
  kLogin,   // every later record: validate
};

struct ReplayResult {
  std::uint64_t login_id = 0;
  std::string user;
  std::string scenario;
  std::string timestamp;  // the record's, not the replay's
  ReplayAction action = ReplayAction::kLogin;
  // One of:
  //   "enrolled"  a verified enrollment;
  //   "trusted", "challenge", "denied"  the server's decision for a login;
  //   "error"     a request failed;
  //   "skipped"   a login of an account whose enrollment failed.
  std::string decision;
  std::string trust_result;  // logins only
  std::vector<std::string> reasons;
  std::optional<client::DriftReport> drift;
  std::string session_mode;  // "hybrid", "classical", or empty without a session
  std::optional<bool> session_key_agreed;
  std::optional<client::FallbackReport> fallback;
  std::optional<client::ChallengeRef> challenge;
  bool challenge_completed = false;
  // The round trip of the validation (logins) or registration (enrollment).
  std::int64_t latency_us = 0;
  std::string trace_id;
  std::string device_id;
  // "reason: message" of a failed request; empty otherwise.
  std::string error;
};

// The scenario an account pseudonym names: the name without its trailing
// "-<number>", such as "browser-change" for "browser-change-03".
std::string ScenarioOf(std::string_view user);

// The result as one compact JSON object (without a newline):
//   {"login_id","user","scenario","timestamp","action","decision",
//    "trust_result","reasons","drift":{"score","changed"},"session_mode",
//    "session_key_agreed","fallback","challenge":{"challenge_id","kind",
//    "completed"},"latency_us","trace_id","device_id","error"}
// Absent values are null.
std::string ToJsonLine(const ReplayResult& result);

}  // namespace devtrust::cli

#endif  // DEVTRUST_CLI_REPLAY_RESULT_H_
