#include "ops/ci_docs_check_comment.h"

#include <fmt/format.h>

#include <algorithm>

namespace devtrust::ops {
namespace {

constexpr std::size_t kShortShaLength = 12;

std::string ShortSha(const std::string& sha) { return sha.substr(0, kShortShaLength); }

// A Markdown code span for an untrusted path. Control characters become C
// escapes so a path cannot break the list, and the span uses one more
// backtick than the longest run inside, with padding spaces where the path
// begins or ends with a backtick (CommonMark 0.30, section 6.1).
std::string CodeSpan(std::string_view text) {
  std::string escaped;
  std::size_t longest_run = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = (c == '`') ? run + 1 : 0;
    longest_run = std::max(longest_run, run);
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      escaped += fmt::format("\\x{:02x}", byte);
    } else {
      escaped += c;
    }
  }
  std::string fence(longest_run + 1, '`');
  bool pad = !escaped.empty() && (escaped.front() == '`' || escaped.back() == '`');
  std::string padding = pad ? " " : "";
  return fence + padding + escaped + padding + fence;
}

std::string JoinCodeSpans(const std::vector<std::string>& items) {
  std::string joined;
  for (std::size_t i = 0; i < items.size(); ++i) {
    bool last = i + 1 == items.size();
    if (i > 0 && !last) {
      joined += ", ";
    } else if (i > 0 && items.size() == 2) {
      joined += " and ";
    } else if (i > 0) {
      joined += ", and ";
    }
    joined += CodeSpan(items[i]);
  }
  return joined;
}

std::string DescribeChange(const ChangedPath& change) {
  switch (change.status) {
    case 'A':
      return CodeSpan(change.path) + " (added)";
    case 'D':
      return CodeSpan(change.path) + " (deleted)";
    case 'R':
      return CodeSpan(change.old_path) + " renamed to " + CodeSpan(change.path);
    case 'C':
      return CodeSpan(change.path) + " (copied from " + CodeSpan(change.old_path) + ")";
    default:
      return CodeSpan(change.path) + " (modified)";
  }
}

void AppendMissingDocs(const DocsCheckReport& report, std::string& out) {
  out += fmt::format("- **Required documents are missing** at the head commit `{}`: {}.\n",
                     ShortSha(report.head_commit), JoinCodeSpans(report.missing_docs));
  out +=
      "  Every commit must contain DEVICE_TRUST.md (how a trust decision is made), SECURITY.md "
      "(threat model and key handling) and PR_SECURITY_CHECKLIST.md (the review checklist) at "
      "the repository root. Restore or add the missing files in this pull request.\n";
}

void AppendUndocumentedChanges(const DocsCheckReport& report, std::string& out) {
  out += fmt::format(
      "- **Trust pipeline code changed without a documentation update.** This pull request "
      "changes {} trust pipeline {}:\n",
      report.trust_changes.size(), report.trust_changes.size() == 1 ? "file" : "files");
  std::size_t listed = std::min(report.trust_changes.size(), kMaxListedChanges);
  for (std::size_t i = 0; i < listed; ++i) {
    out += "  - " + DescribeChange(report.trust_changes[i]) + "\n";
  }
  if (report.trust_changes.size() > listed) {
    out += fmt::format("  - and {} more\n", report.trust_changes.size() - listed);
  }
  out +=
      "\n  Update DEVICE_TRUST.md or SECURITY.md in this pull request to describe what the "
      "change does to device trust decisions, keys or the threat model, and tick the matching "
      "items of PR_SECURITY_CHECKLIST.md.\n";
}

}  // namespace

std::string RenderDocsCheckComment(const DocsCheckReport& report) {
  std::string out(kDocsCheckCommentMarker);
  out += "\n";

  if (report.passed()) {
    out += "### devtrust documentation check: passed\n\n";
    out += fmt::format(
        "DEVICE_TRUST.md, SECURITY.md and PR_SECURITY_CHECKLIST.md are present at the head "
        "commit `{}`. ",
        ShortSha(report.head_commit));
    if (report.trust_changes.empty()) {
      out += "No trust pipeline files changed.\n";
    } else {
      out += fmt::format(
          "{} trust pipeline {} changed, and {} {} updated.\n", report.trust_changes.size(),
          report.trust_changes.size() == 1 ? "file" : "files", JoinCodeSpans(report.updated_docs),
          report.updated_docs.size() == 1 ? "was" : "were");
    }
    return out;
  }

  std::size_t problems = 0;
  problems += report.docs_missing() ? 1u : 0u;
  problems += report.trust_change_undocumented() ? 1u : 0u;
  out += "### devtrust documentation check: failed\n\n";
  out += fmt::format("{} found in the changes from the merge base `{}` to the head `{}`:\n\n",
                     problems == 1 ? "1 problem" : fmt::format("{} problems", problems),
                     ShortSha(report.merge_base), ShortSha(report.head_commit));
  if (report.docs_missing()) {
    AppendMissingDocs(report, out);
  }
  if (report.trust_change_undocumented()) {
    AppendUndocumentedChanges(report, out);
  }

  out += "\nTrust pipeline paths: " + JoinCodeSpans(report.trust_path_patterns) +
         ". Push a fix to this branch and the check runs again.\n";
  return out;
}

}  // namespace devtrust::ops
