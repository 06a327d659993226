#include "cli/replay_result.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

namespace devtrust::cli {
namespace {

namespace json = boost::json;

json::value StringOrNull(const std::string& value) {
  return value.empty() ? json::value(nullptr) : json::value(value);
}

json::array StringArray(const std::vector<std::string>& values) {
  json::array array;
  for (const std::string& value : values) {
    array.emplace_back(value);
  }
  return array;
}

}  // namespace

std::string ScenarioOf(std::string_view user) {
  const std::size_t dash = user.rfind('-');
  if (dash == std::string_view::npos || dash + 1 == user.size()) {
    return std::string(user);
  }
  const std::string_view suffix = user.substr(dash + 1);
  const bool numbered = std::all_of(suffix.begin(), suffix.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
  return std::string(numbered ? user.substr(0, dash) : user);
}

std::string ToJsonLine(const ReplayResult& result) {
  json::object line;
  line["login_id"] = result.login_id;
  line["user"] = result.user;
  line["scenario"] = result.scenario;
  line["timestamp"] = result.timestamp;
  line["action"] = result.action == ReplayAction::kEnroll ? "enroll" : "login";
  line["decision"] = result.decision;
  line["trust_result"] = StringOrNull(result.trust_result);
  line["reasons"] = StringArray(result.reasons);

  if (result.drift) {
    json::object drift;
    drift["score"] = result.drift->score;
    drift["changed"] = StringArray(result.drift->changed);
    line["drift"] = std::move(drift);
  } else {
    line["drift"] = nullptr;
  }

  line["session_mode"] = StringOrNull(result.session_mode);
  if (result.session_key_agreed) {
    line["session_key_agreed"] = *result.session_key_agreed;
  } else {
    line["session_key_agreed"] = nullptr;
  }

  if (result.fallback) {
    json::object fallback;
    fallback["algorithm"] = result.fallback->algorithm;
    fallback["requested_algorithm"] = result.fallback->requested_algorithm;
    fallback["reason"] = result.fallback->reason;
    fallback["flow_origin"] = result.fallback->flow_origin;
    line["fallback"] = std::move(fallback);
  } else {
    line["fallback"] = nullptr;
  }

  if (result.challenge) {
    json::object challenge;
    challenge["challenge_id"] = result.challenge->challenge_id;
    challenge["kind"] = result.challenge->kind;
    challenge["completed"] = result.challenge_completed;
    line["challenge"] = std::move(challenge);
  } else {
    line["challenge"] = nullptr;
  }

  line["latency_us"] = result.latency_us;
  line["trace_id"] = StringOrNull(result.trace_id);
  line["device_id"] = StringOrNull(result.device_id);
  line["error"] = StringOrNull(result.error);
  return json::serialize(line);
}

}  // namespace devtrust::cli
