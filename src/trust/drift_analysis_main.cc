// devtrust_drift_analysis: replays login records the way the service would
// and prints, per scenario, how the drift scores and verdicts fall.
//
// Usage: devtrust_drift_analysis [--details] [--policy drift.yaml] logins.csv
//
// Each account's first record is its enrolled baseline, and every later
// record is compared three ways. The first compares with the baseline alone.
// The second decides as the service does, with the baseline and the last
// login that matched. The third also counts soft challenges as accepted, as
// if the user passed each one. The scenario is the account name without its
// numeric suffix ("browser-change-03" belongs to "browser-change").
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trust/drift.h"
#include "trust/drift_policy.h"
#include "trust/fingerprint.h"
#include "trust/login_records.h"

namespace devtrust::trust {
namespace {

struct Options {
  bool details = false;
  std::string policy_path;
  std::string records_path;
};

struct ScenarioStats {
  std::vector<double> baseline_scores;
  std::array<int, 3> baseline_verdicts{};
  std::array<int, 3> replay_verdicts{};
  std::array<int, 3> soft_passed_verdicts{};
};

std::string ScenarioOf(std::string_view user) {
  const std::size_t dash = user.rfind('-');
  if (dash == std::string_view::npos || dash + 1 == user.size()) {
    return std::string(user);
  }
  const std::string_view suffix = user.substr(dash + 1);
  const bool numeric =
      std::all_of(suffix.begin(), suffix.end(), [](char c) { return c >= '0' && c <= '9'; });
  return std::string(numeric ? user.substr(0, dash) : user);
}

// The nearest-rank percentile of sorted values.
double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) {
    return 0.0;
  }
  const auto rank =
      static_cast<std::size_t>(fraction * static_cast<double>(sorted.size()) + 0.999999);
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

std::string Counts(const std::array<int, 3>& verdicts) {
  return fmt::format("{}/{}/{}", verdicts[0], verdicts[1], verdicts[2]);
}

std::string DescribeChanges(const FingerprintComparison& comparison) {
  std::string text;
  for (const ChangedAttribute& change : comparison.changes) {
    text += fmt::format("{}{} {} {:.2f}", text.empty() ? "" : ", ", change.name,
                        AttributeChangeName(change.change), change.weight);
  }
  if (comparison.categorical != CategoricalChange::kNone) {
    text += fmt::format(" [categorical: {}]", CategoricalChangeName(comparison.categorical));
  }
  return text;
}

// Reads a whole file; nullopt when it cannot be opened or read.
std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    return std::nullopt;
  }
  const std::streamoff size = file.tellg();
  if (size < 0) {
    return std::nullopt;
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  file.seekg(0);
  if (!file.read(text.data(), size)) {
    return std::nullopt;
  }
  return text;
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--details") {
      options.details = true;
    } else if (argument == "--policy" && i + 1 < argc) {
      options.policy_path = argv[++i];
    } else if (!argument.starts_with("--") && options.records_path.empty()) {
      options.records_path = std::string(argument);
    } else {
      return std::nullopt;
    }
  }
  if (options.records_path.empty()) {
    return std::nullopt;
  }
  return options;
}

std::optional<DriftPolicy> LoadPolicy(const std::string& path) {
  if (path.empty()) {
    return DriftPolicy{};
  }
  YAML::Node node;
  try {
    node = YAML::LoadFile(path);
  } catch (const YAML::Exception& exception) {
    fmt::print(stderr, "reading the drift policy {} failed: {}\n", path, exception.what());
    return std::nullopt;
  }
  Result<DriftPolicy> policy = DriftPolicy::FromYaml(node);
  if (!policy) {
    fmt::print(stderr, "drift policy {} is invalid: {}\n", path, policy.error().ToString());
    return std::nullopt;
  }
  return *policy;
}

int Run(const Options& options) {
  const std::optional<DriftPolicy> policy = LoadPolicy(options.policy_path);
  if (!policy) {
    return 1;
  }

  const std::optional<std::string> text = ReadFile(options.records_path);
  if (!text) {
    fmt::print(stderr, "cannot read {}; pass the path of a login records CSV file\n",
               options.records_path);
    return 1;
  }
  const Result<std::vector<LoginRecord>> records = ParseLoginRecords(*text);
  if (!records) {
    fmt::print(stderr, "{}: {}\n", options.records_path, records.error().ToString());
    return 1;
  }

  struct AccountState {
    std::optional<Fingerprint> baseline;
    std::optional<Fingerprint> last_match;
    std::optional<Fingerprint> last_match_or_soft;
  };
  std::map<std::string, AccountState> accounts;
  std::map<std::string, ScenarioStats> scenarios;

  for (const LoginRecord& record : *records) {
    Result<Fingerprint> presented = FingerprintOf(record);
    if (!presented) {
      fmt::print(stderr, "{}: {}\n", options.records_path, presented.error().ToString());
      return 1;
    }
    AccountState& account = accounts[record.user];
    if (!account.baseline) {
      account.baseline = *presented;
      continue;
    }

    const FingerprintComparison alone = CompareFingerprints(*account.baseline, *presented, *policy);
    const DriftAssessment replay =
        AssessDrift(*account.baseline, account.last_match ? &*account.last_match : nullptr,
                    *presented, *policy);
    if (replay.verdict == DriftVerdict::kMatch) {
      account.last_match = *presented;
    }
    const DriftAssessment soft_passed = AssessDrift(
        *account.baseline, account.last_match_or_soft ? &*account.last_match_or_soft : nullptr,
        *presented, *policy);
    if (soft_passed.verdict != DriftVerdict::kHardChallenge) {
      account.last_match_or_soft = *presented;
    }

    ScenarioStats& stats = scenarios[ScenarioOf(record.user)];
    stats.baseline_scores.push_back(alone.score);
    ++stats.baseline_verdicts[static_cast<std::size_t>(alone.verdict)];
    ++stats.replay_verdicts[static_cast<std::size_t>(replay.verdict)];
    ++stats.soft_passed_verdicts[static_cast<std::size_t>(soft_passed.verdict)];

    if (options.details && alone.verdict != DriftVerdict::kMatch) {
      fmt::print("{} login {} line {}: {:.2f} {} ({})\n", record.user, record.login_id, record.line,
                 alone.score, DriftVerdictName(alone.verdict), DescribeChanges(alone));
    }
  }

  fmt::print("{} records, {} accounts; soft threshold {}, hard threshold {}\n", records->size(),
             accounts.size(), policy->soft_threshold, policy->hard_threshold);
  fmt::print("Scores of each later login against the account's first login:\n");
  fmt::print("{:<18} {:>6}  {:>5} {:>5} {:>5} {:>5}  {:>14}  {:>12}  {:>16}\n", "scenario",
             "logins", "min", "p50", "p90", "max", "baseline m/s/h", "replay m/s/h",
             "soft passed m/s/h");
  for (auto& [scenario, stats] : scenarios) {
    std::sort(stats.baseline_scores.begin(), stats.baseline_scores.end());
    fmt::print("{:<18} {:>6}  {:>5.2f} {:>5.2f} {:>5.2f} {:>5.2f}  {:>14}  {:>12}  {:>16}\n",
               scenario, stats.baseline_scores.size(), stats.baseline_scores.front(),
               Percentile(stats.baseline_scores, 0.5), Percentile(stats.baseline_scores, 0.9),
               stats.baseline_scores.back(), Counts(stats.baseline_verdicts),
               Counts(stats.replay_verdicts), Counts(stats.soft_passed_verdicts));
  }
  fmt::print(
      "m/s/h: match / soft challenge / hard challenge. replay: against the baseline and "
      "the last match. soft passed: against the baseline and the last login that was not "
      "a hard challenge.\n");
  return 0;
}

}  // namespace
}  // namespace devtrust::trust

int main(int argc, char** argv) {
  const std::optional<devtrust::trust::Options> options = devtrust::trust::ParseOptions(argc, argv);
  if (!options) {
    fmt::print(stderr,
               "usage: devtrust_drift_analysis [--details] [--policy drift.yaml] logins.csv\n");
    return 2;
  }
  return devtrust::trust::Run(*options);
}
