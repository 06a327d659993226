// Runs a program with an argument vector, never through a shell, and collects
// its output under a time limit and a size limit.
#ifndef DEVTRUST_OPS_SUBPROCESS_H_
#define DEVTRUST_OPS_SUBPROCESS_H_

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"

namespace devtrust::ops {

struct SubprocessOptions {
  // Time from the spawn until the whole process group is killed with SIGKILL.
  std::chrono::milliseconds timeout{60'000};
  // Maximum bytes kept from stdout and from stderr each; more fails the run.
  std::size_t max_output_bytes = std::size_t{64} * 1024 * 1024;
  // "NAME=value" entries added to the inherited environment, replacing any
  // inherited variable of the same name.
  std::vector<std::string> set_environment;
  // Names of inherited variables that the child must not see.
  std::vector<std::string> unset_environment;
};

struct SubprocessResult {
  // The exit status when the child exited, or 128 + the signal number when a
  // signal ended it (the shell's convention).
  int exit_code = 0;
  std::string stdout_text;
  std::string stderr_text;
};

// Runs argv[0], looked up on PATH like execvp, with argv as its arguments.
// stdin is /dev/null. The child runs in its own process group, so that a
// timeout also ends the programs it started.
//
// A non-zero exit status is not an error; the caller reads exit_code.
// Errors:
// - kInvalidArgument "subprocess_argv_invalid": argv is empty, or an argument
//   contains a NUL byte.
// - kNotFound "subprocess_not_found": the program is not on PATH.
// - kDeadlineExceeded "subprocess_timeout": the timeout ran out.
// - kResourceExhausted "subprocess_output_too_large": stdout or stderr
//   exceeded max_output_bytes.
// - kInternal "subprocess_spawn_failed": another spawn or pipe failure.
Result<SubprocessResult> RunSubprocess(std::span<const std::string> argv,
                                       const SubprocessOptions& options = {});

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_SUBPROCESS_H_
