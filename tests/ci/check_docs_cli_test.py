#!/usr/bin/env python3
"""End-to-end tests of `devtrust ci check-docs`: exit codes, the comment file
and the help text, on real git repositories built in temporary directories.

The rules themselves are covered case by case in src/ops/ci_docs_check_test.cc;
these tests check the exit codes and output that a pipeline gets from the binary.

Usage: check_docs_cli_test.py --devtrust PATH [unittest arguments]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import unittest

DEVTRUST = None  # set in main()

# A fixed identity, date and configuration, so every run builds the same commits.
GIT_ENVIRONMENT = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "devtrust test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_AUTHOR_DATE": "2025-07-01T12:00:00Z",
    "GIT_COMMITTER_NAME": "devtrust test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_DATE": "2025-07-01T12:00:00Z",
}


class GitFixture:
    """A git repository in a temporary directory."""

    def __init__(self, root):
        self.root = root
        os.makedirs(root)
        self.git("init", "-q", "-b", "main")

    def git(self, *arguments):
        result = subprocess.run(["git", "-C", self.root, *arguments], capture_output=True,
                                text=True, timeout=60, env={**os.environ, **GIT_ENVIRONMENT},
                                check=True)
        return result.stdout.strip()

    def write(self, path, content):
        full_path = os.path.join(self.root, path)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        with open(full_path, "w", encoding="utf-8") as file:
            file.write(content)

    def commit(self, message):
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def commit_baseline(self):
        for doc in ("DEVICE_TRUST.md", "SECURITY.md", "PR_SECURITY_CHECKLIST.md"):
            self.write(doc, f"# {doc}\n")
        self.write("src/crypto/aead.cc", "// aead\n")
        self.write("README.md", "devtrust\n")
        return self.commit("baseline")


class CheckDocsCommandTest(unittest.TestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory(prefix="devtrust-check-docs-")
        self.addCleanup(directory.cleanup)
        self.directory = directory.name
        self.repo = GitFixture(os.path.join(self.directory, "repo"))
        self.comment_file = os.path.join(self.directory, "comment.md")

    def check_docs(self, *arguments):
        return subprocess.run([DEVTRUST, "ci", "check-docs", "--repo", self.repo.root, *arguments],
                              capture_output=True, text=True, timeout=120)

    def read_comment(self):
        with open(self.comment_file, encoding="utf-8") as comment:
            return comment.read()

    def test_pass_exits_zero_with_passing_note(self):
        base = self.repo.commit_baseline()
        self.repo.write("src/crypto/aead.cc", "// aead v2\n")
        self.repo.write("SECURITY.md", "# SECURITY.md\nAEAD v2.\n")
        head = self.repo.commit("aead v2 with docs")

        result = self.check_docs("--base", base, "--head", head, "--comment-file",
                                 self.comment_file)

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "")
        comment = self.read_comment()
        self.assertTrue(comment.startswith("<!-- devtrust-check-docs -->\n"), comment)
        self.assertIn("### devtrust documentation check: passed", comment)
        self.assertIn("1 trust pipeline file changed, and `SECURITY.md` was updated.", comment)

    def test_undocumented_trust_change_exits_one(self):
        base = self.repo.commit_baseline()
        self.repo.write("src/server/limits.cc", "// limits\n")
        head = self.repo.commit("limits without docs")

        result = self.check_docs("--base", base, "--head", head)

        self.assertEqual(result.returncode, 1, result.stderr)
        # Without --comment-file the comment goes to stdout.
        self.assertTrue(result.stdout.startswith("<!-- devtrust-check-docs -->\n"))
        self.assertIn("### devtrust documentation check: failed", result.stdout)
        self.assertIn("  - `src/server/limits.cc` (added)\n", result.stdout)
        self.assertIn("1 undocumented trust pipeline changes", result.stderr)

    def test_missing_checklist_exits_one(self):
        base = self.repo.commit_baseline()
        self.repo.git("rm", "-q", "PR_SECURITY_CHECKLIST.md")
        head = self.repo.commit("drop the checklist")

        result = self.check_docs("--base", base, "--head", head, "--comment-file",
                                 self.comment_file)

        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("**Required documents are missing** at the head commit",
                      self.read_comment())
        self.assertIn("`PR_SECURITY_CHECKLIST.md`.", self.read_comment())

    def test_branch_names_work_as_revisions(self):
        self.repo.commit_baseline()
        self.repo.git("checkout", "-q", "-b", "feature")
        self.repo.write("docs/guide.md", "guide\n")
        self.repo.commit("guide")

        result = self.check_docs("--base", "main", "--head", "feature")

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("No trust pipeline files changed.", result.stdout)

    def test_custom_config(self):
        base = self.repo.commit_baseline()
        self.repo.write("lib/attestation/verify.cc", "// verify\n")
        head = self.repo.commit("attestation")
        config = os.path.join(self.directory, "docs-check.yaml")
        with open(config, "w", encoding="utf-8") as file:
            file.write("trust_paths:\n  - lib/attestation/**\n")

        default_result = self.check_docs("--base", base, "--head", head)
        custom_result = self.check_docs("--base", base, "--head", head, "--config", config)

        self.assertEqual(default_result.returncode, 0, default_result.stderr)
        self.assertEqual(custom_result.returncode, 1, custom_result.stderr)
        self.assertIn("`lib/attestation/verify.cc` (added)", custom_result.stdout)

    def test_unrelated_histories_exit_two(self):
        base = self.repo.commit_baseline()
        self.repo.git("checkout", "-q", "--orphan", "other")
        self.repo.write("other.txt", "other\n")
        head = self.repo.commit("unrelated")

        result = self.check_docs("--base", base, "--head", head, "--comment-file",
                                 self.comment_file)

        self.assertEqual(result.returncode, 2)
        self.assertIn("git_no_merge_base", result.stderr)
        self.assertFalse(os.path.exists(self.comment_file))

    def test_bad_revisions_exit_two(self):
        base = self.repo.commit_baseline()
        for head, reason in [("--output=/tmp/devtrust-x", "revision_invalid"),
                             ("main..HEAD", "revision_invalid"),
                             ("x" * 300, "revision_invalid"),
                             ("no-such-branch", "git_revision_not_found")]:
            with self.subTest(head=head[:40]):
                result = self.check_docs("--base", base, f"--head={head}")
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(reason, result.stderr)

    def test_usage_errors_exit_two(self):
        self.repo.commit_baseline()
        for arguments, message in [(["--head", "main"], "--base is required"),
                                   (["--base", "main"], "--head is required"),
                                   (["--base", "main", "--head", "main", "extra"],
                                    "unexpected argument \"extra\"")]:
            with self.subTest(arguments=arguments):
                result = self.check_docs(*arguments)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(message, result.stderr)

    def test_not_a_repository_exits_two(self):
        result = subprocess.run([DEVTRUST, "ci", "check-docs", "--repo", self.directory,
                                 "--base", "main", "--head", "main"],
                                capture_output=True, text=True, timeout=60)

        self.assertEqual(result.returncode, 2)
        self.assertIn("git_failed", result.stderr)

    def test_help_documents_exit_codes(self):
        result = subprocess.run([DEVTRUST, "ci", "check-docs", "--help"], capture_output=True,
                                text=True, timeout=60)

        self.assertEqual(result.returncode, 0)
        self.assertIn("0  the documentation rules pass", result.stdout)
        self.assertIn("1  documentation is missing", result.stdout)
        self.assertIn("2  usage or git error", result.stdout)


def main():
    global DEVTRUST
    parser = argparse.ArgumentParser()
    parser.add_argument("--devtrust", required=True)
    arguments, rest = parser.parse_known_args()
    DEVTRUST = os.path.abspath(arguments.devtrust)
    unittest.main(argv=[sys.argv[0], "-v", *rest])


if __name__ == "__main__":
    main()
