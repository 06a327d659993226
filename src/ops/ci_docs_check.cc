#include "ops/ci_docs_check.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

#include "ops/subprocess.h"

namespace devtrust::ops {
namespace {

constexpr std::size_t kMaxConfigBytes = std::size_t{64} * 1024;
constexpr std::size_t kMaxTrustPaths = 256;
constexpr std::size_t kMaxGitStderrShown = 500;

// The service and API layers run the flows and turn decisions into
// responses, so a change there can alter a decision as much as one in trust.
constexpr std::string_view kDefaultTrustPaths[] = {
    "src/crypto/**", "src/pki/**", "src/trust/**", "src/server/**", "src/service/**", "src/api/**"};

std::unexpected<Error> ConfigError(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "docs_config_invalid", std::move(message));
}

// Git's stderr, trimmed and cut, for error messages.
std::string GitMessage(const SubprocessResult& result) {
  std::string text = result.stderr_text;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.size() > kMaxGitStderrShown) {
    text.resize(kMaxGitStderrShown);
    text += "...";
  }
  return text.empty() ? fmt::format("exit status {}", result.exit_code) : text;
}

std::string TrimNewline(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

// Runs git against one repository with a predictable environment: variables
// that would point git at another repository or index are dropped, messages
// are in the C locale, and git never prompts for credentials.
class Git {
 public:
  Git(std::filesystem::path repository, std::chrono::milliseconds timeout)
      : repository_(std::move(repository)), timeout_(timeout) {}

  Result<SubprocessResult> Run(std::vector<std::string> arguments) const {
    std::vector<std::string> argv = {"git", "-C", repository_.string()};
    std::move(arguments.begin(), arguments.end(), std::back_inserter(argv));

    SubprocessOptions options;
    options.timeout = timeout_;
    options.set_environment = {"LC_ALL=C", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0"};
    options.unset_environment = {"GIT_DIR",
                                 "GIT_WORK_TREE",
                                 "GIT_INDEX_FILE",
                                 "GIT_OBJECT_DIRECTORY",
                                 "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                                 "GIT_NAMESPACE",
                                 "GIT_EXTERNAL_DIFF"};
    return RunSubprocess(argv, options);
  }

  // Runs git and fails with "git_failed" unless it exits 0.
  Result<std::string> Output(std::vector<std::string> arguments, std::string_view purpose) const {
    Result<SubprocessResult> result = Run(std::move(arguments));
    if (!result) {
      return std::unexpected(result.error());
    }
    if (result->exit_code != 0) {
      return MakeError(StatusCode::kFailedPrecondition, "git_failed",
                       fmt::format("git failed to {} in {}: {}", purpose, repository_.string(),
                                   GitMessage(*result)));
    }
    return std::move(result->stdout_text);
  }

  const std::filesystem::path& repository() const { return repository_; }

 private:
  std::filesystem::path repository_;
  std::chrono::milliseconds timeout_;
};

// Resolves a revision to the full SHA of a commit. --end-of-options keeps a
// revision from being read as an option even if validation missed one.
Result<std::string> ResolveCommit(const Git& git, std::string_view revision,
                                  std::string_view role) {
  Result<SubprocessResult> result = git.Run({"rev-parse", "--verify", "--quiet", "--end-of-options",
                                             std::string(revision) + "^{commit}"});
  if (!result) {
    return std::unexpected(result.error());
  }
  // rev-parse --verify --quiet exits 1 without a message for an unknown
  // revision; other failures (not a repository) exit 128 with one.
  if (result->exit_code == 1) {
    return MakeError(StatusCode::kNotFound, "git_revision_not_found",
                     fmt::format("the {} revision \"{}\" is not a commit in {}; fetch it (for a "
                                 "pull request, check out with fetch-depth: 0) or fix the name",
                                 role, revision, git.repository().string()));
  }
  if (result->exit_code != 0) {
    return MakeError(StatusCode::kFailedPrecondition, "git_failed",
                     fmt::format("git failed to resolve the {} revision \"{}\" in {}: {}", role,
                                 revision, git.repository().string(), GitMessage(*result)));
  }
  return TrimNewline(std::move(result->stdout_text));
}

Result<std::string> FindMergeBase(const Git& git, const std::string& base_commit,
                                  const std::string& head_commit) {
  Result<SubprocessResult> result = git.Run({"merge-base", base_commit, head_commit});
  if (!result) {
    return std::unexpected(result.error());
  }
  if (result->exit_code == 0) {
    return TrimNewline(std::move(result->stdout_text));
  }
  if (result->exit_code != 1) {
    return MakeError(StatusCode::kFailedPrecondition, "git_failed",
                     fmt::format("git merge-base {} {} failed in {}: {}", base_commit, head_commit,
                                 git.repository().string(), GitMessage(*result)));
  }

  // Exit status 1 without output: no common ancestor. In a shallow clone the
  // branch point may simply not have been fetched, which needs another fix.
  Result<std::string> shallow =
      git.Output({"rev-parse", "--is-shallow-repository"}, "check for a shallow clone");
  if (shallow && TrimNewline(*shallow) == "true") {
    return MakeError(StatusCode::kFailedPrecondition, "git_no_merge_base",
                     fmt::format("base {} and head {} have no merge base in the shallow clone {}; "
                                 "fetch the full history (git fetch --unshallow, or "
                                 "actions/checkout with fetch-depth: 0)",
                                 base_commit, head_commit, git.repository().string()));
  }
  return MakeError(StatusCode::kFailedPrecondition, "git_no_merge_base",
                   fmt::format("base {} and head {} have no merge base (unrelated histories); "
                               "pass a base revision from the branch the change is based on",
                               base_commit, head_commit));
}

// Splits NUL-terminated records such as `git ls-tree -z` and `git diff -z`
// print.
std::vector<std::string_view> SplitNul(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\0', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    fields.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return fields;
}

// The required documents that the head commit's root tree lacks as files.
Result<std::vector<std::string>> FindMissingDocs(const Git& git, const std::string& head_commit) {
  std::vector<std::string> arguments = {"ls-tree", "-z", "--full-tree", head_commit, "--"};
  for (std::string_view doc : kRequiredDocs) {
    arguments.emplace_back(doc);
  }
  Result<std::string> listing =
      git.Output(std::move(arguments), "list the documents in the head commit");
  if (!listing) {
    return std::unexpected(listing.error());
  }

  // Each entry is "<mode> SP <type> SP <object> TAB <path>". A directory of
  // the same name is a tree, not a document.
  std::vector<std::string> present;
  for (std::string_view entry : SplitNul(*listing)) {
    std::size_t tab = entry.find('\t');
    if (tab == std::string_view::npos) {
      continue;
    }
    std::string_view header = entry.substr(0, tab);
    if (header.find(" blob ") != std::string_view::npos) {
      present.emplace_back(entry.substr(tab + 1));
    }
  }

  std::vector<std::string> missing;
  for (std::string_view doc : kRequiredDocs) {
    if (std::find(present.begin(), present.end(), doc) == present.end()) {
      missing.emplace_back(doc);
    }
  }
  return missing;
}

// Parses `git diff --name-status -z` output: a status field ("M", "R087")
// followed by one path, or by the old and the new path for a rename or copy.
Result<std::vector<ChangedPath>> ParseNameStatus(std::string_view output) {
  std::vector<std::string_view> fields = SplitNul(output);
  std::vector<ChangedPath> changes;
  std::size_t i = 0;
  while (i < fields.size()) {
    std::string_view status = fields[i++];
    if (status.empty()) {
      return MakeError(StatusCode::kInternal, "git_failed",
                       "git diff --name-status printed an empty status field");
    }
    ChangedPath change;
    change.status = status.front();
    std::size_t path_count = (change.status == 'R' || change.status == 'C') ? 2 : 1;
    if (i + path_count > fields.size()) {
      return MakeError(
          StatusCode::kInternal, "git_failed",
          fmt::format("git diff --name-status printed status {} without its path", status));
    }
    if (path_count == 2) {
      change.old_path = fields[i++];
    }
    change.path = fields[i++];
    changes.push_back(std::move(change));
  }
  return changes;
}

Result<std::vector<ChangedPath>> ListChanges(const Git& git, const std::string& from_commit,
                                             const std::string& to_commit) {
  // -M detects renames so that a moved trust file still counts; external diff
  // drivers and textconv filters are off because only names are needed.
  Result<std::string> output =
      git.Output({"diff", "--no-color", "--no-ext-diff", "--no-textconv", "--name-status", "-z",
                  "-M", from_commit, to_commit, "--"},
                 "list the changed files");
  if (!output) {
    return std::unexpected(output.error());
  }
  return ParseNameStatus(*output);
}

bool MatchesAny(const std::vector<PathGlob>& globs, std::string_view path) {
  return std::any_of(globs.begin(), globs.end(),
                     [path](const PathGlob& glob) { return glob.Matches(path); });
}

bool IsTrustDoc(std::string_view path) {
  return std::find(std::begin(kTrustDocs), std::end(kTrustDocs), path) != std::end(kTrustDocs);
}

}  // namespace

DocsCheckConfig DocsCheckConfig::Defaults() {
  DocsCheckConfig config;
  for (std::string_view pattern : kDefaultTrustPaths) {
    // The defaults are constants that parse; a failure is a bug here.
    config.trust_paths.push_back(PathGlob::Parse(pattern).value());
  }
  return config;
}

Result<DocsCheckConfig> ParseDocsCheckConfig(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& error) {
    return ConfigError(
        fmt::format("the docs check configuration is not valid YAML: {}", error.what()));
  }
  if (!root.IsMap()) {
    return ConfigError("the docs check configuration must be a mapping with the key trust_paths");
  }

  std::optional<YAML::Node> trust_paths;
  for (const auto& entry : root) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("(not a string)");
    if (key != "trust_paths") {
      return ConfigError(fmt::format(
          "unknown key \"{}\" in the docs check configuration; the only key is trust_paths", key));
    }
    trust_paths = entry.second;
  }
  if (!trust_paths || !trust_paths->IsSequence() || trust_paths->size() == 0) {
    return ConfigError("trust_paths must be a non-empty list of path globs such as src/crypto/**");
  }
  if (trust_paths->size() > kMaxTrustPaths) {
    return ConfigError(fmt::format("trust_paths has {} entries, more than the maximum of {}",
                                   trust_paths->size(), kMaxTrustPaths));
  }

  DocsCheckConfig config;
  for (const YAML::Node& item : *trust_paths) {
    if (!item.IsScalar()) {
      return ConfigError("every trust_paths entry must be a string such as src/crypto/**");
    }
    Result<PathGlob> glob = PathGlob::Parse(item.Scalar());
    if (!glob) {
      return std::unexpected(glob.error());
    }
    config.trust_paths.push_back(std::move(*glob));
  }
  return config;
}

Result<DocsCheckConfig> LoadDocsCheckConfig(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return MakeError(
        StatusCode::kNotFound, "docs_config_unreadable",
        fmt::format("cannot read the docs check configuration {}; check the path", path.string()));
  }
  std::string text;
  text.resize(kMaxConfigBytes + 1);
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > kMaxConfigBytes) {
    return ConfigError(fmt::format("the docs check configuration {} is larger than {} bytes",
                                   path.string(), kMaxConfigBytes));
  }
  return ParseDocsCheckConfig(text);
}

Status ValidateRevision(std::string_view revision) {
  auto invalid = [&](std::string_view problem) {
    return MakeError(
        StatusCode::kInvalidArgument, "revision_invalid",
        fmt::format("invalid revision argument: {}; pass a commit SHA, branch or tag", problem));
  };
  if (revision.empty()) {
    return invalid("it is empty");
  }
  if (revision.size() > kMaxRevisionBytes) {
    return invalid(fmt::format("it is {} bytes long, more than the maximum of {}", revision.size(),
                               kMaxRevisionBytes));
  }
  if (revision.front() == '-') {
    return invalid(fmt::format("\"{}\" starts with '-' and would be read as an option", revision));
  }
  for (char c : revision) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return invalid("it contains whitespace or a control character");
    }
  }
  if (revision.find("..") != std::string_view::npos) {
    return invalid(fmt::format("\"{}\" is a range; pass --base and --head separately", revision));
  }
  return {};
}

Result<DocsCheckReport> RunDocsCheck(const DocsCheckRequest& request) {
  if (Status valid = ValidateRevision(request.base_revision); !valid) {
    return std::unexpected(valid.error());
  }
  if (Status valid = ValidateRevision(request.head_revision); !valid) {
    return std::unexpected(valid.error());
  }

  Git git(request.repository, request.git_timeout);
  DocsCheckReport report;
  for (const PathGlob& glob : request.config.trust_paths) {
    report.trust_path_patterns.push_back(glob.pattern());
  }

  // Resolve both revisions to commits, then the branch point between them.
  Result<std::string> base_commit = ResolveCommit(git, request.base_revision, "base");
  if (!base_commit) {
    return std::unexpected(base_commit.error());
  }
  report.base_commit = std::move(*base_commit);
  Result<std::string> head_commit = ResolveCommit(git, request.head_revision, "head");
  if (!head_commit) {
    return std::unexpected(head_commit.error());
  }
  report.head_commit = std::move(*head_commit);
  Result<std::string> merge_base = FindMergeBase(git, report.base_commit, report.head_commit);
  if (!merge_base) {
    return std::unexpected(merge_base.error());
  }
  report.merge_base = std::move(*merge_base);

  // Rule 1: the required documents exist in the head commit.
  Result<std::vector<std::string>> missing = FindMissingDocs(git, report.head_commit);
  if (!missing) {
    return std::unexpected(missing.error());
  }
  report.missing_docs = std::move(*missing);

  // Rule 2: trust pipeline changes come with a documentation update. A rename
  // counts under its old and its new path, so moving a file out of a trust
  // directory is a trust change too.
  Result<std::vector<ChangedPath>> changes =
      ListChanges(git, report.merge_base, report.head_commit);
  if (!changes) {
    return std::unexpected(changes.error());
  }
  report.changed_path_count = changes->size();
  for (ChangedPath& change : *changes) {
    if (IsTrustDoc(change.path) || IsTrustDoc(change.old_path)) {
      std::string doc = IsTrustDoc(change.path) ? change.path : change.old_path;
      if (std::find(report.updated_docs.begin(), report.updated_docs.end(), doc) ==
          report.updated_docs.end()) {
        report.updated_docs.push_back(std::move(doc));
      }
    }
    bool old_path_counts =
        change.status == 'R' && MatchesAny(request.config.trust_paths, change.old_path);
    if (MatchesAny(request.config.trust_paths, change.path) || old_path_counts) {
      report.trust_changes.push_back(std::move(change));
    }
  }
  return report;
}

}  // namespace devtrust::ops
