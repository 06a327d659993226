#include "ops/subprocess.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace devtrust::ops {
namespace {

TEST(RunSubprocessTest, CollectsStdoutStderrAndExitCode) {
  std::vector<std::string> argv = {"sh", "-c", "printf out; printf err >&2; exit 3"};

  Result<SubprocessResult> result = RunSubprocess(argv);

  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_EQ(result->stdout_text, "out");
  EXPECT_EQ(result->stderr_text, "err");
}

TEST(RunSubprocessTest, PassesArgumentsWithoutAShell) {
  // A shell would expand these; an argument vector passes them as they are.
  std::vector<std::string> argv = {"printf", "%s|%s", "$(echo injected); *", "a b"};

  Result<SubprocessResult> result = RunSubprocess(argv);

  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(result->stdout_text, "$(echo injected); *|a b");
}

TEST(RunSubprocessTest, StdinIsEmpty) {
  std::vector<std::string> argv = {"cat"};

  Result<SubprocessResult> result = RunSubprocess(argv);

  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_EQ(result->stdout_text, "");
}

TEST(RunSubprocessTest, SetsAndUnsetsEnvironment) {
  // setenv is not thread-safe, but this test starts no threads.
  ::setenv("DEVTRUST_SUBPROCESS_TEST_DROPPED", "inherited", 1);  // NOLINT(concurrency-mt-unsafe)
  std::vector<std::string> argv = {"sh", "-c",
                                   "printf '%s,%s' \"$DEVTRUST_SUBPROCESS_TEST_SET\" "
                                   "\"${DEVTRUST_SUBPROCESS_TEST_DROPPED-unset}\""};
  SubprocessOptions options;
  options.set_environment = {"DEVTRUST_SUBPROCESS_TEST_SET=value with spaces"};
  options.unset_environment = {"DEVTRUST_SUBPROCESS_TEST_DROPPED"};

  Result<SubprocessResult> result = RunSubprocess(argv, options);
  ::unsetenv("DEVTRUST_SUBPROCESS_TEST_DROPPED");  // NOLINT(concurrency-mt-unsafe)

  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(result->stdout_text, "value with spaces,unset");
}

TEST(RunSubprocessTest, ReportsSignalAsExitCode) {
  std::vector<std::string> argv = {"sh", "-c", "kill -TERM $$"};

  Result<SubprocessResult> result = RunSubprocess(argv);

  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(result->exit_code, 128 + 15);
}

TEST(RunSubprocessTest, KillsProcessGroupOnTimeout) {
  // The shell's child keeps the pipe open too; only killing the whole group
  // lets the call return.
  std::vector<std::string> argv = {"sh", "-c", "sleep 30 & sleep 30; wait"};
  SubprocessOptions options;
  options.timeout = std::chrono::milliseconds(200);

  Result<SubprocessResult> result = RunSubprocess(argv, options);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(result.error().reason(), "subprocess_timeout");
}

TEST(RunSubprocessTest, RejectsOutputOverLimit) {
  std::vector<std::string> argv = {"sh", "-c", "head -c 100000 /dev/zero"};
  SubprocessOptions options;
  options.max_output_bytes = 1000;

  Result<SubprocessResult> result = RunSubprocess(argv, options);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "subprocess_output_too_large");
}

TEST(RunSubprocessTest, MissingProgramIsNotFound) {
  std::vector<std::string> argv = {"devtrust-no-such-program-4f1c"};

  Result<SubprocessResult> result = RunSubprocess(argv);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(result.error().reason(), "subprocess_not_found");
}

TEST(RunSubprocessTest, RejectsEmptyArgv) {
  std::vector<std::string> argv;

  Result<SubprocessResult> result = RunSubprocess(argv);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "subprocess_argv_invalid");
}

TEST(RunSubprocessTest, RejectsNulInArgument) {
  std::vector<std::string> argv = {"printf", std::string("a\0b", 3)};

  Result<SubprocessResult> result = RunSubprocess(argv);

  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason(), "subprocess_argv_invalid");
}

}  // namespace
}  // namespace devtrust::ops
