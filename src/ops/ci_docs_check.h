// The documentation rule for pull requests that touch the trust pipeline.
//
// A change passes when the head commit contains DEVICE_TRUST.md, SECURITY.md
// and PR_SECURITY_CHECKLIST.md at the repository root, and when every change
// to a trust pipeline path comes with an update of DEVICE_TRUST.md or
// SECURITY.md. The change is what a pull request shows: the diff from the
// merge base of base and head to head, so commits that landed on the base
// branch after the branch point are not blamed on the pull request.
//
// Git runs as a child process with an argument vector (no shell) and a time
// limit. The check reads commits and trees only, never the working directory.
#ifndef DEVTRUST_OPS_CI_DOCS_CHECK_H_
#define DEVTRUST_OPS_CI_DOCS_CHECK_H_

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "ops/path_glob.h"

namespace devtrust::ops {

// The documents every head commit must contain, at the repository root.
inline constexpr std::string_view kRequiredDocs[] = {"DEVICE_TRUST.md", "SECURITY.md",
                                                     "PR_SECURITY_CHECKLIST.md"};

// The documents of which at least one must change with trust pipeline code.
inline constexpr std::string_view kTrustDocs[] = {"DEVICE_TRUST.md", "SECURITY.md"};

inline constexpr std::size_t kMaxRevisionBytes = 256;

struct DocsCheckConfig {
  // Paths whose change needs a documentation update.
  std::vector<PathGlob> trust_paths;

  // src/crypto/**, src/pki/**, src/trust/**, src/server/**, src/service/**
  // and src/api/**.
  static DocsCheckConfig Defaults();
};

// Parses a YAML configuration of the form
//
//   trust_paths:
//     - src/crypto/**
//     - src/pki/**
//
// Errors:
// - kInvalidArgument "docs_config_invalid": the YAML does not parse, the top
//   level is not a mapping, a key other than trust_paths appears, trust_paths
//   is not a non-empty list of strings, or it has more than 256 patterns.
// - kInvalidArgument "glob_invalid": PathGlob::Parse rejects a pattern.
Result<DocsCheckConfig> ParseDocsCheckConfig(std::string_view yaml_text);

// Reads and parses a configuration file of at most 64 KiB. Errors: those of
// ParseDocsCheckConfig, and kNotFound "docs_config_unreadable" when the file
// cannot be read.
Result<DocsCheckConfig> LoadDocsCheckConfig(const std::filesystem::path& path);

// Checks that a revision argument cannot be taken for an option or a range:
// non-empty, at most kMaxRevisionBytes, no leading '-', no whitespace, control
// characters or "..". Errors: kInvalidArgument "revision_invalid".
Status ValidateRevision(std::string_view revision);

struct DocsCheckRequest {
  std::filesystem::path repository = ".";
  std::string base_revision;
  std::string head_revision;
  DocsCheckConfig config = DocsCheckConfig::Defaults();
  // Limit for each git command.
  std::chrono::milliseconds git_timeout{60'000};
};

// One entry of `git diff --name-status`. For a rename, old_path is the path
// before and path the path after; otherwise old_path is empty.
struct ChangedPath {
  char status = 'M';  // A, C, D, M, R, T, U or X, as git prints it
  std::string path;
  std::string old_path;
};

struct DocsCheckReport {
  std::string base_commit;  // full SHA of the base revision
  std::string head_commit;  // full SHA of the head revision
  std::string merge_base;   // full SHA of their merge base
  std::vector<std::string> trust_path_patterns;
  std::vector<std::string> missing_docs;   // from kRequiredDocs, absent at head
  std::vector<ChangedPath> trust_changes;  // changes that touch a trust path
  std::vector<std::string> updated_docs;   // from kTrustDocs, changed in the range
  std::size_t changed_path_count = 0;

  bool docs_missing() const { return !missing_docs.empty(); }
  bool trust_change_undocumented() const { return !trust_changes.empty() && updated_docs.empty(); }
  bool passed() const { return !docs_missing() && !trust_change_undocumented(); }
};

// Runs the check. A failed rule is a report with passed() false, not an error.
//
// Errors, which all mean that nothing was checked:
// - kInvalidArgument "revision_invalid": a revision argument is unsafe.
// - kNotFound "git_revision_not_found": a revision does not name a commit.
// - kFailedPrecondition "git_no_merge_base": base and head share no history
//   (unrelated histories, or a shallow clone that lacks the branch point).
// - kFailedPrecondition "git_failed": git exited non-zero for another reason,
//   such as a directory that is not a repository.
// - The RunSubprocess errors, for a missing git or a timeout.
Result<DocsCheckReport> RunDocsCheck(const DocsCheckRequest& request);

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_CI_DOCS_CHECK_H_
