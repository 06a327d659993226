#include "cli/replay_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace devtrust::cli {
namespace {

struct ScenarioCounts {
  std::size_t accounts = 0;
  std::size_t logins = 0;
  std::size_t trusted = 0;
  std::size_t soft = 0;
  std::size_t hard = 0;
  std::size_t denied = 0;
  std::size_t failed = 0;  // error or skipped
  double max_score = 0.0;
  std::map<std::string, std::size_t> reasons;
};

std::string Milliseconds(std::int64_t microseconds) {
  return fmt::format("{:.2f} ms", static_cast<double>(microseconds) / 1000.0);
}

void AppendScenarioTable(std::string& out, const std::map<std::string, ScenarioCounts>& scenarios) {
  out += "Logins by scenario (decision, as trust_result)\n";
  out +=
      fmt::format("  {:<18} {:>8} {:>6} {:>7} {:>5} {:>5} {:>6} {:>6} {:>9}\n", "scenario",
                  "accounts", "logins", "trusted", "soft", "hard", "denied", "failed", "max drift");
  ScenarioCounts total;
  for (const auto& [scenario, counts] : scenarios) {
    out += fmt::format("  {:<18} {:>8} {:>6} {:>7} {:>5} {:>5} {:>6} {:>6} {:>9.2f}\n", scenario,
                       counts.accounts, counts.logins, counts.trusted, counts.soft, counts.hard,
                       counts.denied, counts.failed, counts.max_score);
    total.accounts += counts.accounts;
    total.logins += counts.logins;
    total.trusted += counts.trusted;
    total.soft += counts.soft;
    total.hard += counts.hard;
    total.denied += counts.denied;
    total.failed += counts.failed;
    total.max_score = std::max(total.max_score, counts.max_score);
  }
  out += fmt::format("  {:<18} {:>8} {:>6} {:>7} {:>5} {:>5} {:>6} {:>6} {:>9.2f}\n", "total",
                     total.accounts, total.logins, total.trusted, total.soft, total.hard,
                     total.denied, total.failed, total.max_score);
}

void AppendReasons(std::string& out, const std::map<std::string, ScenarioCounts>& scenarios) {
  out += "\nReasons per scenario (logins, most frequent first)\n";
  for (const auto& [scenario, counts] : scenarios) {
    std::vector<std::pair<std::string, std::size_t>> reasons(counts.reasons.begin(),
                                                             counts.reasons.end());
    std::stable_sort(reasons.begin(), reasons.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string line;
    for (const auto& [reason, count] : reasons) {
      line += fmt::format("{}{} {}", line.empty() ? "" : ", ", reason, count);
    }
    out += fmt::format("  {:<18} {}\n", scenario, line.empty() ? "-" : line);
  }
}

}  // namespace

std::int64_t Percentile(std::vector<std::int64_t> values, double p) {
  if (values.empty()) {
    return 0;
  }
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least p percent of the values
  // at or below it.
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const auto index = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
  return values[std::min(index, values.size() - 1)];
}

std::size_t CountFailures(const std::vector<ReplayResult>& results) {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const ReplayResult& result) {
        return result.decision == "error" || result.decision == "skipped" || !result.error.empty();
      }));
}

std::string FormatReplaySummary(const ReplaySummaryInput& input) {
  const std::vector<ReplayResult>& results = *input.results;

  std::map<std::string, ScenarioCounts> scenarios;
  std::set<std::string> accounts;
  std::size_t enrolled = 0;
  std::size_t enrollments_failed = 0;
  std::map<std::string, std::size_t> changed_attributes;
  std::map<std::string, std::size_t> raised;
  std::map<std::string, std::size_t> completed;
  std::map<std::string, std::size_t> fallbacks;
  std::map<std::string, std::size_t> sessions;
  std::size_t keys_agreed = 0;
  std::size_t keys_mismatched = 0;
  std::vector<std::int64_t> validation_latencies;
  std::vector<std::int64_t> registration_latencies;
  std::vector<std::string> failures;

  for (const ReplayResult& result : results) {
    ScenarioCounts& counts = scenarios[result.scenario];
    if (accounts.insert(result.user).second) {
      ++counts.accounts;
    }
    if (!result.error.empty() && failures.size() < 10) {
      failures.push_back(
          fmt::format("login {} ({}): {}", result.login_id, result.user, result.error));
    }

    if (result.action == ReplayAction::kEnroll) {
      if (result.decision == "enrolled") {
        ++enrolled;
        registration_latencies.push_back(result.latency_us);
      } else {
        ++enrollments_failed;
      }
      continue;
    }

    ++counts.logins;
    if (result.decision == "error" || result.decision == "skipped") {
      ++counts.failed;
      continue;
    }
    validation_latencies.push_back(result.latency_us);
    if (result.trust_result == "trusted") {
      ++counts.trusted;
    } else if (result.trust_result == "challenge_soft") {
      ++counts.soft;
    } else if (result.trust_result == "challenge_hard") {
      ++counts.hard;
    } else {
      ++counts.denied;
    }
    for (const std::string& reason : result.reasons) {
      ++counts.reasons[reason];
    }
    if (result.drift) {
      counts.max_score = std::max(counts.max_score, result.drift->score);
      if (result.trust_result == "challenge_soft" || result.trust_result == "challenge_hard") {
        for (const std::string& name : result.drift->changed) {
          ++changed_attributes[name];
        }
      }
    }
    if (result.challenge) {
      ++raised[result.challenge->kind];
      if (result.challenge_completed) {
        ++completed[result.challenge->kind];
      }
    }
    if (result.fallback) {
      ++fallbacks[fmt::format("{} instead of {}, reason {}, origin {}", result.fallback->algorithm,
                              result.fallback->requested_algorithm, result.fallback->reason,
                              result.fallback->flow_origin)];
    }
    if (!result.session_mode.empty()) {
      ++sessions[result.session_mode];
    }
    if (result.session_key_agreed) {
      ++(*result.session_key_agreed ? keys_agreed : keys_mismatched);
    }
  }

  std::string out;
  const double seconds = std::chrono::duration<double>(input.elapsed).count();
  out += fmt::format(
      "Replayed {} records of {} accounts from {} in {:.1f} s ({:.1f} records/s, "
      "concurrency {})\n",
      results.size(), accounts.size(), input.records_file, seconds,
      seconds > 0 ? static_cast<double>(results.size()) / seconds : 0.0, input.concurrency);
  out += fmt::format("Server {}", input.server_url);
  if (input.tls_session) {
    out +=
        fmt::format(", {} with key exchange {}, server signature {}", input.tls_session->protocol,
                    input.tls_session->group, input.tls_session->server_signature_algorithm);
  }
  out += fmt::format("; {} connections opened\n\n", input.connections_opened);

  out += fmt::format(
      "Enrollment: {} devices enrolled and verified with the webhook code, {} "
      "failed; registration round trip p50 {}, p99 {}\n\n",
      enrolled, enrollments_failed, Milliseconds(Percentile(registration_latencies, 50)),
      Milliseconds(Percentile(registration_latencies, 99)));

  AppendScenarioTable(out, scenarios);
  AppendReasons(out, scenarios);

  out += "\nDrift\n";
  std::size_t soft_flags = 0;
  std::size_t mismatches = 0;
  std::size_t headless = 0;
  for (const auto& [scenario, counts] : scenarios) {
    const auto count = [&counts](std::string_view reason) {
      const auto found = counts.reasons.find(std::string(reason));
      return found == counts.reasons.end() ? std::size_t{0} : found->second;
    };
    soft_flags += count("fingerprint_drift");
    mismatches += count("fingerprint_mismatch");
    headless += count("headless_browser");
  }
  out += fmt::format("  soft drift flags (fingerprint_drift): {}\n", soft_flags);
  out +=
      fmt::format("  hard: fingerprint_mismatch {}, headless_browser {}\n", mismatches, headless);
  std::vector<std::pair<std::string, std::size_t>> changed(changed_attributes.begin(),
                                                           changed_attributes.end());
  std::stable_sort(changed.begin(), changed.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string changed_line;
  for (const auto& [name, count] : changed) {
    changed_line += fmt::format("{}{} {}", changed_line.empty() ? "" : ", ", name, count);
  }
  out += fmt::format("  changed attributes in challenged logins: {}\n",
                     changed_line.empty() ? "-" : changed_line);

  out += fmt::format("\nChallenges (completing: {})\n", input.completion);
  for (const std::string kind : {"soft", "hard"}) {
    out += fmt::format("  {}: {} raised, {} completed\n", kind, raised[kind], completed[kind]);
  }

  out += "\nFallbacks\n";
  if (fallbacks.empty()) {
    out += "  none\n";
  }
  for (const auto& [description, count] : fallbacks) {
    out += fmt::format("  {}: {}\n", description, count);
  }

  out += "\nSession keys\n";
  out += fmt::format("  hybrid {}, classical {}; agreed {}, mismatched {}\n", sessions["hybrid"],
                     sessions["classical"], keys_agreed, keys_mismatched);

  out += fmt::format("\nValidation round trip ({} logins, client side, TLS connection reused)\n",
                     validation_latencies.size());
  out +=
      fmt::format("  p50 {}, p99 {}, max {}\n", Milliseconds(Percentile(validation_latencies, 50)),
                  Milliseconds(Percentile(validation_latencies, 99)),
                  Milliseconds(Percentile(validation_latencies, 100)));

  out += "\nNotifications received\n";
  std::string kinds;
  for (const auto& [kind, count] : input.notifications.by_kind) {
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", kind, count);
  }
  out += fmt::format("  {} ({}); {} repeated deliveries; rejected: {} bad signature, {} invalid\n",
                     input.notifications.accepted, kinds.empty() ? "-" : kinds,
                     input.notifications.duplicates, input.notifications.rejected_signature,
                     input.notifications.rejected_invalid);

  const std::size_t failed = CountFailures(results);
  out += fmt::format("\nFailures: {}\n", failed);
  for (const std::string& failure : failures) {
    out += "  " + failure + "\n";
  }
  if (failed > failures.size()) {
    out += fmt::format("  ... {} more in the results file\n", failed - failures.size());
  }
  if (!input.results_file.empty()) {
    out += fmt::format("\nResults: {} ({} lines)\n", input.results_file, results.size());
  }
  return out;
}

}  // namespace devtrust::cli
