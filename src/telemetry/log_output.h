// LogOutput: the file descriptor that JSON log lines go to, shared by the trust
// log and the operational logger.
//
// Each line is passed to write(2) whole, under a mutex, so lines from
// concurrent threads never interleave. In a file opened with O_APPEND every
// write also lands at the current end, so lines from other processes that
// append to the same file do not overwrite them.
#ifndef DEVTRUST_TELEMETRY_LOG_OUTPUT_H_
#define DEVTRUST_TELEMETRY_LOG_OUTPUT_H_

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/error.h"

namespace devtrust::telemetry {

class LogOutput {
 public:
  // Writes to standard output (file descriptor 1), the default for a service
  // whose supervisor collects its output.
  static std::shared_ptr<LogOutput> Stdout();

  // Writes to `fd`, which the caller keeps open for the output's lifetime and
  // closes afterwards.
  static std::shared_ptr<LogOutput> ForFileDescriptor(int fd);

  // Writes to the descriptor underneath `file`, which must not be null. Pending
  // stdio output of `file` is flushed first, and later lines bypass its
  // buffer. The caller keeps `file` open for the output's lifetime.
  static std::shared_ptr<LogOutput> ForFile(std::FILE* file);

  // Opens `path` for appending, creating it with mode 0640 (minus the umask)
  // when it does not exist. The mode of an existing file is left unchanged.
  // Errors: kUnavailable, reason "log_open_failed", when open(2) fails.
  static Result<std::shared_ptr<LogOutput>> OpenFile(const std::string& path);

  ~LogOutput();
  LogOutput(const LogOutput&) = delete;
  LogOutput& operator=(const LogOutput&) = delete;

  // Writes `line` with one write(2) call, or more only when the kernel accepts
  // part of it, all under the output's mutex. `line` must end with '\n'.
  // Errors: kInvalidArgument, reason "log_line_invalid", when `line` is empty or
  // does not end with '\n'; kUnavailable, reason "log_write_failed", when
  // write(2) fails or the descriptor stays unwritable for a second.
  Status WriteLine(std::string_view line);

  // The path or descriptor for messages, such as "/var/log/devtrust.log" or
  // "fd 1".
  const std::string& description() const { return description_; }

 private:
  LogOutput(int fd, bool owns_fd, std::string description);

  Status WriteAll(std::string_view line);

  const int fd_;
  const bool owns_fd_;
  const std::string description_;
  std::mutex mutex_;
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_LOG_OUTPUT_H_
