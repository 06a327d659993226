#include "ops/ci_docs_check.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ops/ci_docs_check_comment.h"
#include "ops/subprocess.h"

namespace devtrust::ops {
namespace {

namespace fs = std::filesystem;

// A real git repository in a temporary directory, with a fixed author, date
// and configuration so that every run builds the same history.
class GitRepo {
 public:
  GitRepo() {
    std::string pattern = (fs::temp_directory_path() / "devtrust-docs-check-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed for " << pattern;
    }
    root_ = pattern;
    Git({"init", "-q", "-b", "main"});
  }
  ~GitRepo() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  GitRepo(const GitRepo&) = delete;
  GitRepo& operator=(const GitRepo&) = delete;

  const fs::path& root() const { return root_; }

  std::string Git(std::vector<std::string> arguments) {
    std::vector<std::string> argv = {"git", "-C", root_.string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    SubprocessOptions options;
    options.set_environment = {"GIT_CONFIG_GLOBAL=/dev/null",
                               "GIT_CONFIG_NOSYSTEM=1",
                               "GIT_AUTHOR_NAME=devtrust test",
                               "GIT_AUTHOR_EMAIL=test@example.invalid",
                               "GIT_AUTHOR_DATE=2025-07-01T12:00:00Z",
                               "GIT_COMMITTER_NAME=devtrust test",
                               "GIT_COMMITTER_EMAIL=test@example.invalid",
                               "GIT_COMMITTER_DATE=2025-07-01T12:00:00Z"};
    Result<SubprocessResult> result = RunSubprocess(argv, options);
    if (!result.has_value()) {
      ADD_FAILURE() << "git " << arguments.front() << ": " << result.error().ToString();
      return "";
    }
    EXPECT_EQ(result->exit_code, 0) << "git " << arguments.front() << ": " << result->stderr_text;
    std::string output = result->stdout_text;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
  }

  void Write(const std::string& path, const std::string& content) {
    fs::path file = root_ / path;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
  }

  void Remove(const std::string& path) { Git({"rm", "-q", "-r", path}); }

  // git mv needs the destination directory to exist.
  void Move(const std::string& from, const std::string& to) {
    fs::create_directories((root_ / to).parent_path());
    Git({"mv", from, to});
  }

  // Stages everything and commits; returns the new commit's SHA.
  std::string Commit(const std::string& message) {
    Git({"add", "-A"});
    Git({"commit", "-q", "--allow-empty", "-m", message});
    return Git({"rev-parse", "HEAD"});
  }

  // The state most tests start from: all three documents and some code.
  std::string CommitBaseline() {
    Write("DEVICE_TRUST.md", "# Device trust\n");
    Write("SECURITY.md", "# Security\n");
    Write("PR_SECURITY_CHECKLIST.md", "- [ ] keys\n");
    Write("README.md", "devtrust\n");
    Write("src/crypto/aead.cc", "// aead\n");
    Write("src/crypto/old_name.cc", "// a file with enough content to be detected as renamed\n");
    Write("src/cli/main.cc", "// main\n");
    return Commit("baseline");
  }

 private:
  fs::path root_;
};

DocsCheckRequest Request(const GitRepo& repo, std::string base, std::string head) {
  DocsCheckRequest request;
  request.repository = repo.root();
  request.base_revision = std::move(base);
  request.head_revision = std::move(head);
  return request;
}

std::vector<std::string> ChangedPaths(const DocsCheckReport& report) {
  std::vector<std::string> paths;
  paths.reserve(report.trust_changes.size());
  for (const ChangedPath& change : report.trust_changes) {
    paths.push_back(change.path);
  }
  return paths;
}

TEST(DocsCheckTest, TrustChangeWithDeviceTrustUpdatePasses) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Write("src/crypto/aead.cc", "// aead, now with a new nonce rule\n");
  repo.Write("DEVICE_TRUST.md", "# Device trust\nNonces are now 96 bits.\n");
  std::string head = repo.Commit("change aead and document it");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_TRUE(report->passed());
  EXPECT_EQ(report->base_commit, base);
  EXPECT_EQ(report->head_commit, head);
  EXPECT_EQ(report->merge_base, base);
  EXPECT_TRUE(report->missing_docs.empty());
  EXPECT_EQ(ChangedPaths(*report), std::vector<std::string>{"src/crypto/aead.cc"});
  EXPECT_EQ(report->updated_docs, std::vector<std::string>{"DEVICE_TRUST.md"});

  std::string comment = RenderDocsCheckComment(*report);
  EXPECT_TRUE(comment.starts_with("<!-- devtrust-check-docs -->\n")) << comment;
  EXPECT_NE(comment.find("### devtrust documentation check: passed"), std::string::npos) << comment;
  EXPECT_NE(comment.find("1 trust pipeline file changed, and `DEVICE_TRUST.md` was updated."),
            std::string::npos)
      << comment;
}

TEST(DocsCheckTest, TrustChangeWithoutDocsFails) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Write("src/crypto/aead.cc", "// changed\n");
  repo.Write("src/pki/ca.cc", "// new CA code\n");
  repo.Write("README.md", "devtrust, changed\n");
  std::string head = repo.Commit("change crypto without docs");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_FALSE(report->passed());
  EXPECT_TRUE(report->trust_change_undocumented());
  EXPECT_FALSE(report->docs_missing());
  EXPECT_EQ(ChangedPaths(*report),
            (std::vector<std::string>{"src/crypto/aead.cc", "src/pki/ca.cc"}));
  EXPECT_EQ(report->changed_path_count, 3u);

  std::string comment = RenderDocsCheckComment(*report);
  EXPECT_TRUE(comment.starts_with("<!-- devtrust-check-docs -->\n")) << comment;
  EXPECT_NE(comment.find("### devtrust documentation check: failed"), std::string::npos) << comment;
  EXPECT_NE(comment.find("**Trust pipeline code changed without a documentation update.** "
                         "This pull request changes 2 trust pipeline files:"),
            std::string::npos)
      << comment;
  EXPECT_NE(comment.find("  - `src/crypto/aead.cc` (modified)\n"), std::string::npos) << comment;
  EXPECT_NE(comment.find("  - `src/pki/ca.cc` (added)\n"), std::string::npos) << comment;
  EXPECT_NE(comment.find("Update DEVICE_TRUST.md or SECURITY.md in this pull request"),
            std::string::npos)
      << comment;
  EXPECT_EQ(comment.find("README.md"), std::string::npos) << comment;
}

TEST(DocsCheckTest, SecurityUpdateAlsoCounts) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Write("src/server/router.cc", "// router\n");
  repo.Write("SECURITY.md", "# Security\nThe router now limits bodies.\n");
  std::string head = repo.Commit("router with security note");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_TRUE(report->passed());
  EXPECT_EQ(report->updated_docs, std::vector<std::string>{"SECURITY.md"});
}

TEST(DocsCheckTest, MissingChecklistFails) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Remove("PR_SECURITY_CHECKLIST.md");
  std::string head = repo.Commit("drop the checklist");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_FALSE(report->passed());
  EXPECT_EQ(report->missing_docs, std::vector<std::string>{"PR_SECURITY_CHECKLIST.md"});
  EXPECT_FALSE(report->trust_change_undocumented());

  std::string comment = RenderDocsCheckComment(*report);
  EXPECT_NE(comment.find("1 problem found"), std::string::npos) << comment;
  EXPECT_NE(comment.find("**Required documents are missing** at the head commit `" +
                         head.substr(0, 12) + "`: `PR_SECURITY_CHECKLIST.md`."),
            std::string::npos)
      << comment;
}

TEST(DocsCheckTest, ReadsHeadCommitNotWorkingTree) {
  GitRepo repo;
  repo.Write("DEVICE_TRUST.md", "x\n");
  repo.Write("README.md", "x\n");
  std::string base = repo.Commit("only one document");
  // Present in the working directory but never committed.
  repo.Write("SECURITY.md", "x\n");
  repo.Write("PR_SECURITY_CHECKLIST.md", "x\n");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, base));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->missing_docs,
            (std::vector<std::string>{"SECURITY.md", "PR_SECURITY_CHECKLIST.md"}));
  std::string comment = RenderDocsCheckComment(*report);
  EXPECT_NE(comment.find("`SECURITY.md` and `PR_SECURITY_CHECKLIST.md`"), std::string::npos)
      << comment;
}

TEST(DocsCheckTest, DirectoryNamedLikeDocIsMissing) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Remove("SECURITY.md");
  repo.Write("SECURITY.md/README", "a directory, not the document\n");
  std::string head = repo.Commit("replace SECURITY.md with a directory");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->missing_docs, std::vector<std::string>{"SECURITY.md"});
}

TEST(DocsCheckTest, BothProblemsAreReported) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Remove("DEVICE_TRUST.md");
  repo.Write("src/trust/policy.cc", "// policy\n");
  std::string head = repo.Commit("policy without docs, and a lost document");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->missing_docs, std::vector<std::string>{"DEVICE_TRUST.md"});
  // Deleting DEVICE_TRUST.md is a change to it, but the missing document
  // already fails the check.
  EXPECT_FALSE(report->passed());
  std::string comment = RenderDocsCheckComment(*report);
  EXPECT_NE(comment.find("Required documents are missing"), std::string::npos) << comment;
}

TEST(DocsCheckTest, NonTrustChangePasses) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Write("README.md", "devtrust, better intro\n");
  repo.Write("src/cli/main.cc", "// main, changed\n");
  std::string head = repo.Commit("docs and cli only");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_TRUE(report->passed());
  EXPECT_TRUE(report->trust_changes.empty());
  EXPECT_EQ(report->changed_path_count, 2u);
  std::string comment = RenderDocsCheckComment(*report);
  EXPECT_NE(comment.find("No trust pipeline files changed."), std::string::npos) << comment;
}

TEST(DocsCheckTest, RenameOutOfTrustPathCounts) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Move("src/crypto/old_name.cc", "src/util/new_name.cc");
  std::string head = repo.Commit("move a crypto file out");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_FALSE(report->passed());
  ASSERT_EQ(report->trust_changes.size(), 1u);
  EXPECT_EQ(report->trust_changes[0].status, 'R');
  EXPECT_EQ(report->trust_changes[0].old_path, "src/crypto/old_name.cc");
  EXPECT_EQ(report->trust_changes[0].path, "src/util/new_name.cc");
  std::string comment = RenderDocsCheckComment(*report);
  EXPECT_NE(comment.find("  - `src/crypto/old_name.cc` renamed to `src/util/new_name.cc`\n"),
            std::string::npos)
      << comment;
}

TEST(DocsCheckTest, RenameIntoTrustPathCounts) {
  GitRepo repo;
  repo.CommitBaseline();
  repo.Write("src/util/helper.cc", "// a helper with enough content for rename detection\n");
  std::string base = repo.Commit("add helper");
  repo.Move("src/util/helper.cc", "src/pki/helper.cc");
  std::string head = repo.Commit("move the helper into pki");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_FALSE(report->passed());
  ASSERT_EQ(report->trust_changes.size(), 1u);
  EXPECT_EQ(report->trust_changes[0].path, "src/pki/helper.cc");
}

TEST(DocsCheckTest, MergeCommitInPullRequest) {
  GitRepo repo;
  std::string base_start = repo.CommitBaseline();
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Write("src/cli/ci_command.cc", "// feature work\n");
  repo.Commit("feature work");

  // main gets a trust change (documented there) that the feature merges in.
  repo.Git({"checkout", "-q", "main"});
  repo.Write("src/crypto/hkdf.cc", "// hkdf\n");
  repo.Write("SECURITY.md", "# Security\nHKDF added.\n");
  std::string main_tip = repo.Commit("hkdf on main");
  repo.Git({"checkout", "-q", "feature"});
  repo.Git({"merge", "-q", "--no-ff", "--no-edit", "main"});
  std::string head = repo.Git({"rev-parse", "HEAD"});

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, "main", "feature"));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_NE(head, base_start);
  EXPECT_EQ(report->merge_base, main_tip);
  EXPECT_TRUE(report->trust_changes.empty());
  EXPECT_TRUE(report->passed());
}

TEST(DocsCheckTest, MergeCommitDoesNotHideUndocumentedChange) {
  GitRepo repo;
  repo.CommitBaseline();
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Write("src/trust/drift.cc", "// drift\n");
  repo.Commit("drift without docs");
  repo.Git({"checkout", "-q", "main"});
  repo.Write("README.md", "devtrust, main moved\n");
  repo.Commit("main moves");
  repo.Git({"checkout", "-q", "feature"});
  repo.Git({"merge", "-q", "--no-ff", "--no-edit", "main"});

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, "main", "feature"));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_FALSE(report->passed());
  EXPECT_EQ(ChangedPaths(*report), std::vector<std::string>{"src/trust/drift.cc"});
}

TEST(DocsCheckTest, BaseThatMovedOnIsNotBlamed) {
  GitRepo repo;
  std::string branch_point = repo.CommitBaseline();
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Write("README.md", "devtrust, feature docs\n");
  repo.Commit("feature: readme only");

  // After the branch point, main changes crypto code and its docs.
  repo.Git({"checkout", "-q", "main"});
  repo.Write("src/crypto/aead.cc", "// main changed aead\n");
  repo.Write("DEVICE_TRUST.md", "# Device trust\nupdated on main\n");
  std::string main_tip = repo.Commit("main: aead");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, main_tip, "feature"));

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->merge_base, branch_point);
  // A two-dot diff main..feature would list aead.cc (reverted on the branch)
  // without a DEVICE_TRUST.md update; the merge base keeps it out.
  EXPECT_TRUE(report->trust_changes.empty());
  EXPECT_EQ(report->changed_path_count, 1u);
  EXPECT_TRUE(report->passed());
}

TEST(DocsCheckTest, UnrelatedHistoriesAreAnError) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Git({"checkout", "-q", "--orphan", "unrelated"});
  repo.Write("other.txt", "another project\n");
  std::string head = repo.Commit("unrelated root");

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, head));

  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().reason(), "git_no_merge_base");
  EXPECT_EQ(report.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(report.error().message().find("unrelated histories"), std::string::npos)
      << report.error().message();
}

TEST(DocsCheckTest, UnknownRevisionIsNotFound) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, "no-such-branch"));

  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().reason(), "git_revision_not_found");
  EXPECT_NE(report.error().message().find("\"no-such-branch\""), std::string::npos)
      << report.error().message();
}

TEST(DocsCheckTest, TreeRevisionIsNotACommit) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  std::string tree = repo.Git({"rev-parse", "HEAD^{tree}"});

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, tree));

  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().reason(), "git_revision_not_found");
}

TEST(DocsCheckTest, OptionLikeRevisionIsRejected) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();

  Result<DocsCheckReport> report = RunDocsCheck(Request(repo, base, "--output=/tmp/x"));

  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().reason(), "revision_invalid");
}

TEST(DocsCheckTest, NotARepositoryIsGitFailure) {
  std::string pattern = (fs::temp_directory_path() / "devtrust-not-a-repo-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  DocsCheckRequest request;
  request.repository = pattern;
  request.base_revision = "main";
  request.head_revision = "feature";

  Result<DocsCheckReport> report = RunDocsCheck(request);
  fs::remove_all(pattern);

  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().reason(), "git_failed");
  EXPECT_NE(report.error().message().find("not a git repository"), std::string::npos)
      << report.error().message();
}

TEST(DocsCheckTest, CustomGlobsFromConfigFile) {
  GitRepo repo;
  std::string base = repo.CommitBaseline();
  repo.Write("lib/attestation/verify.cc", "// verify\n");
  repo.Write("src/crypto/aead.cc", "// not a trust path under this configuration\n");
  std::string head = repo.Commit("attestation without docs");
  fs::path config_path = repo.root() / "docs-check.yaml";
  std::ofstream(config_path) << "# Trust paths of this repository\ntrust_paths:\n"
                                "  - lib/attestation/**\n  - \"**/*.proto\"\n";

  Result<DocsCheckConfig> config = LoadDocsCheckConfig(config_path);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  DocsCheckRequest request = Request(repo, base, head);
  request.config = std::move(*config);
  Result<DocsCheckReport> report = RunDocsCheck(request);

  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_FALSE(report->passed());
  EXPECT_EQ(ChangedPaths(*report), std::vector<std::string>{"lib/attestation/verify.cc"});
  EXPECT_EQ(report->trust_path_patterns,
            (std::vector<std::string>{"lib/attestation/**", "**/*.proto"}));
  std::string comment = RenderDocsCheckComment(*report);
  EXPECT_NE(comment.find("Trust pipeline paths: `lib/attestation/**` and `**/*.proto`."),
            std::string::npos)
      << comment;
}

TEST(DocsCheckTest, DefaultConfigCoversTrustPipeline) {
  DocsCheckConfig config = DocsCheckConfig::Defaults();
  std::vector<std::string> patterns;
  patterns.reserve(config.trust_paths.size());
  for (const PathGlob& glob : config.trust_paths) {
    patterns.push_back(glob.pattern());
  }

  EXPECT_EQ(patterns, (std::vector<std::string>{"src/crypto/**", "src/pki/**", "src/trust/**",
                                                "src/server/**", "src/service/**", "src/api/**"}));
}

TEST(DocsCheckConfigTest, RejectsInvalidConfigurations) {
  struct Case {
    std::string_view yaml;
    std::string_view reason;
  };
  for (const Case& c : {
           Case{"trust_paths: [src/**", "docs_config_invalid"},  // YAML syntax error
           Case{"- src/**", "docs_config_invalid"},              // not a mapping
           Case{"trust_path: [src/**]", "docs_config_invalid"},  // unknown key (typo)
           Case{"trust_paths: src/**", "docs_config_invalid"},   // not a list
           Case{"trust_paths: []", "docs_config_invalid"},       // empty
           Case{"trust_paths: [[a]]", "docs_config_invalid"},    // entry not a string
           Case{"trust_paths: [/src/**]", "glob_invalid"},
       }) {
    Result<DocsCheckConfig> config = ParseDocsCheckConfig(c.yaml);
    ASSERT_FALSE(config.has_value()) << c.yaml;
    EXPECT_EQ(config.error().reason(), c.reason) << c.yaml;
  }
}

TEST(DocsCheckConfigTest, MissingFileIsNotFound) {
  Result<DocsCheckConfig> config = LoadDocsCheckConfig("/nonexistent/devtrust/docs-check.yaml");

  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().reason(), "docs_config_unreadable");
}

TEST(ValidateRevisionTest, AcceptsShaBranchAndTag) {
  EXPECT_TRUE(ValidateRevision("0123456789abcdef0123456789abcdef01234567").has_value());
  EXPECT_TRUE(ValidateRevision("origin/main").has_value());
  EXPECT_TRUE(ValidateRevision("v1.2.3").has_value());
  EXPECT_TRUE(ValidateRevision("HEAD~2").has_value());
}

TEST(ValidateRevisionTest, RejectsUnsafeRevisions) {
  for (std::string_view revision :
       {"", "-n", "--output=/tmp/x", "main..feature", "main...feature", "a b", "a\nb", "a\tb"}) {
    Status status = ValidateRevision(revision);
    ASSERT_FALSE(status.has_value()) << revision;
    EXPECT_EQ(status.error().reason(), "revision_invalid") << revision;
  }
  EXPECT_FALSE(ValidateRevision(std::string(kMaxRevisionBytes + 1, 'a')).has_value());
  EXPECT_TRUE(ValidateRevision(std::string(kMaxRevisionBytes, 'a')).has_value());
}

TEST(DocsCheckCommentTest, EscapesHostilePaths) {
  DocsCheckReport report;
  report.head_commit = std::string(40, 'b');
  report.merge_base = std::string(40, 'a');
  report.trust_path_patterns = {"src/**"};
  report.trust_changes = {ChangedPath{'M', "src/a`b.cc", ""},
                          ChangedPath{'A', "src/line\nbreak <img src=x>.cc", ""}};

  std::string comment = RenderDocsCheckComment(report);

  EXPECT_NE(comment.find("  - ``src/a`b.cc`` (modified)\n"), std::string::npos) << comment;
  EXPECT_NE(comment.find("  - `src/line\\x0abreak <img src=x>.cc` (added)\n"), std::string::npos)
      << comment;
}

TEST(DocsCheckCommentTest, ListsAtMostFiftyChanges) {
  DocsCheckReport report;
  report.head_commit = std::string(40, 'b');
  report.merge_base = std::string(40, 'a');
  report.trust_path_patterns = {"src/**"};
  for (int i = 0; i < 60; ++i) {
    report.trust_changes.push_back(ChangedPath{'M', "src/file" + std::to_string(i) + ".cc", ""});
  }

  std::string comment = RenderDocsCheckComment(report);

  EXPECT_NE(comment.find("`src/file49.cc`"), std::string::npos);
  EXPECT_EQ(comment.find("`src/file50.cc`"), std::string::npos);
  EXPECT_NE(comment.find("  - and 10 more\n"), std::string::npos) << comment;
  EXPECT_NE(comment.find("changes 60 trust pipeline files"), std::string::npos) << comment;
}

}  // namespace
}  // namespace devtrust::ops
