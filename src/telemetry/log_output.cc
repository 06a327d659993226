#include "telemetry/log_output.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace devtrust::telemetry {
namespace {

// How long a write waits for a non-blocking descriptor that reports EAGAIN,
// such as a pipe whose reader stalled, before it gives up on the line.
constexpr int kWritableTimeoutMs = 1000;

std::string ErrnoText(int error_number) {
  // strerror is not thread-safe; the GNU strerror_r returns the text pointer.
  char buffer[128];
  return strerror_r(error_number, buffer, sizeof(buffer));
}

}  // namespace

std::shared_ptr<LogOutput> LogOutput::Stdout() { return ForFileDescriptor(STDOUT_FILENO); }

std::shared_ptr<LogOutput> LogOutput::ForFileDescriptor(int fd) {
  return std::shared_ptr<LogOutput>(new LogOutput(fd, false, fmt::format("fd {}", fd)));
}

std::shared_ptr<LogOutput> LogOutput::ForFile(std::FILE* file) {
  std::fflush(file);
  return ForFileDescriptor(fileno(file));
}

Result<std::shared_ptr<LogOutput>> LogOutput::OpenFile(const std::string& path) {
  // O_APPEND makes each write(2) land at the end of the file even when other
  // processes append to it too, such as a second node sharing a log volume.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    const int error_number = errno;
    return MakeError(StatusCode::kUnavailable, "log_open_failed",
                     fmt::format("cannot open log file {}: {}; check that the directory exists "
                                 "and that the service may write to it",
                                 path, ErrnoText(error_number)));
  }
  return std::shared_ptr<LogOutput>(new LogOutput(fd, true, path));
}

LogOutput::LogOutput(int fd, bool owns_fd, std::string description)
    : fd_(fd), owns_fd_(owns_fd), description_(std::move(description)) {}

LogOutput::~LogOutput() {
  if (owns_fd_) {
    close(fd_);
  }
}

Status LogOutput::WriteLine(std::string_view line) {
  if (line.empty() || line.back() != '\n') {
    return MakeError(StatusCode::kInvalidArgument, "log_line_invalid",
                     fmt::format("a log line for {} must end with a newline", description_));
  }

  const std::lock_guard<std::mutex> lock(mutex_);
  return WriteAll(line);
}

Status LogOutput::WriteAll(std::string_view line) {
  while (!line.empty()) {
    const ssize_t written = write(fd_, line.data(), line.size());
    if (written >= 0) {
      line.remove_prefix(static_cast<std::size_t>(written));
      continue;
    }

    const int error_number = errno;
    if (error_number == EINTR) {
      continue;
    }
    if (error_number == EAGAIN || error_number == EWOULDBLOCK) {
      pollfd writable = {.fd = fd_, .events = POLLOUT, .revents = 0};
      if (poll(&writable, 1, kWritableTimeoutMs) > 0) {
        continue;
      }
      return MakeError(StatusCode::kUnavailable, "log_write_failed",
                       fmt::format("log output {} stayed unwritable for {} ms; {} bytes of the "
                                   "line were dropped",
                                   description_, kWritableTimeoutMs, line.size()));
    }
    return MakeError(StatusCode::kUnavailable, "log_write_failed",
                     fmt::format("cannot write to log output {}: {}; {} bytes of the line were "
                                 "dropped",
                                 description_, ErrnoText(error_number), line.size()));
  }
  return {};
}

}  // namespace devtrust::telemetry
