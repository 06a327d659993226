#include "ops/subprocess.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>

extern char** environ;

namespace devtrust::ops {
namespace {

using Clock = std::chrono::steady_clock;

// The text for an errno value. GNU strerror_r is used because strerror may
// share one buffer between threads.
std::string ErrnoText(int error) {
  std::array<char, 256> buffer{};
  return ::strerror_r(error, buffer.data(), buffer.size());
}

// Closes a file descriptor once, when the owner goes out of scope.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { Close(); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_ = -1;
};

std::string_view VariableName(std::string_view entry) { return entry.substr(0, entry.find('=')); }

bool ContainsName(const std::vector<std::string>& names, std::string_view name) {
  for (const std::string& candidate : names) {
    if (VariableName(candidate) == name) {
      return true;
    }
  }
  return false;
}

// The inherited environment with the requested variables removed and the
// overrides appended.
std::vector<std::string> BuildEnvironment(const SubprocessOptions& options) {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view name = VariableName(*entry);
    if (ContainsName(options.unset_environment, name) ||
        ContainsName(options.set_environment, name)) {
      continue;
    }
    entries.emplace_back(*entry);
  }
  for (const std::string& entry : options.set_environment) {
    entries.push_back(entry);
  }
  return entries;
}

std::vector<char*> PointerArray(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& text : strings) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

int ExitCodeFromWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) {
    return WEXITSTATUS(wait_status);
  }
  if (WIFSIGNALED(wait_status)) {
    return 128 + WTERMSIG(wait_status);
  }
  return 128;
}

int WaitBlocking(pid_t pid) {
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  return wait_status;
}

void KillGroupAndReap(pid_t pid) {
  // The child was spawned as the leader of its own process group, so the
  // negative pid reaches every program it started as well.
  ::kill(-pid, SIGKILL);
  WaitBlocking(pid);
}

// Owns the posix_spawn attribute and file-action objects for one spawn.
class SpawnSetup {
 public:
  SpawnSetup() {
    ::posix_spawnattr_init(&attributes_);
    ::posix_spawn_file_actions_init(&actions_);
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions_);
    ::posix_spawnattr_destroy(&attributes_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // Puts the child in a new process group, restores default SIGPIPE and
  // SIGINT handling and an empty signal mask whatever the parent has set, and
  // connects stdin to /dev/null and stdout/stderr to the pipes.
  int Prepare(int stdout_fd, int stderr_fd) {
    sigset_t empty_mask;
    sigemptyset(&empty_mask);
    sigset_t default_signals;
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    sigaddset(&default_signals, SIGINT);
    sigaddset(&default_signals, SIGTERM);

    int flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    int error = ::posix_spawnattr_setflags(&attributes_, static_cast<short>(flags));
    if (error == 0) error = ::posix_spawnattr_setpgroup(&attributes_, 0);
    if (error == 0) error = ::posix_spawnattr_setsigmask(&attributes_, &empty_mask);
    if (error == 0) error = ::posix_spawnattr_setsigdefault(&attributes_, &default_signals);
    if (error == 0) {
      error = ::posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    if (error == 0) error = ::posix_spawn_file_actions_adddup2(&actions_, stdout_fd, STDOUT_FILENO);
    if (error == 0) error = ::posix_spawn_file_actions_adddup2(&actions_, stderr_fd, STDERR_FILENO);
    return error;
  }

  const posix_spawnattr_t* attributes() const { return &attributes_; }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }

 private:
  posix_spawnattr_t attributes_{};
  posix_spawn_file_actions_t actions_{};
};

Status ValidateArgv(std::span<const std::string> argv) {
  if (argv.empty() || argv[0].empty()) {
    return MakeError(StatusCode::kInvalidArgument, "subprocess_argv_invalid",
                     "the argument vector is empty; pass the program name as argv[0]");
  }
  for (const std::string& argument : argv) {
    if (argument.find('\0') != std::string::npos) {
      return MakeError(StatusCode::kInvalidArgument, "subprocess_argv_invalid",
                       fmt::format("an argument to {} contains a NUL byte", argv[0]));
    }
  }
  return {};
}

}  // namespace

Result<SubprocessResult> RunSubprocess(std::span<const std::string> argv,
                                       const SubprocessOptions& options) {
  if (Status valid = ValidateArgv(argv); !valid) {
    return std::unexpected(valid.error());
  }

  // Pipes for stdout and stderr. O_CLOEXEC keeps the parent's ends out of the
  // child; dup2 in the file actions gives the child its ends without the flag.
  std::array<int, 2> out_pipe{-1, -1};
  std::array<int, 2> err_pipe{-1, -1};
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0) {
    return MakeError(StatusCode::kInternal, "subprocess_spawn_failed",
                     fmt::format("pipe() failed: {}", ErrnoText(errno)));
  }
  FileDescriptor out_read(out_pipe[0]);
  FileDescriptor out_write(out_pipe[1]);
  if (::pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
    return MakeError(StatusCode::kInternal, "subprocess_spawn_failed",
                     fmt::format("pipe() failed: {}", ErrnoText(errno)));
  }
  FileDescriptor err_read(err_pipe[0]);
  FileDescriptor err_write(err_pipe[1]);

  SpawnSetup setup;
  if (int error = setup.Prepare(out_write.get(), err_write.get()); error != 0) {
    return MakeError(StatusCode::kInternal, "subprocess_spawn_failed",
                     fmt::format("preparing to run {} failed: {}", argv[0], ErrnoText(error)));
  }

  // Spawn. glibc reports a failed exec (such as ENOENT) as the return value.
  std::vector<std::string> argument_copies(argv.begin(), argv.end());
  std::vector<char*> argument_pointers = PointerArray(argument_copies);
  std::vector<std::string> environment = BuildEnvironment(options);
  std::vector<char*> environment_pointers = PointerArray(environment);
  pid_t pid = 0;
  int spawn_error = ::posix_spawnp(&pid, argv[0].c_str(), setup.actions(), setup.attributes(),
                                   argument_pointers.data(), environment_pointers.data());
  if (spawn_error == ENOENT) {
    return MakeError(StatusCode::kNotFound, "subprocess_not_found",
                     fmt::format("{} was not found on PATH; install it or fix PATH", argv[0]));
  }
  if (spawn_error != 0) {
    return MakeError(StatusCode::kInternal, "subprocess_spawn_failed",
                     fmt::format("starting {} failed: {}", argv[0], ErrnoText(spawn_error)));
  }
  out_write.Close();
  err_write.Close();

  // Read both pipes until the child closes them or the deadline passes.
  const Clock::time_point deadline = Clock::now() + options.timeout;
  SubprocessResult result;
  std::array<pollfd, 2> poll_fds{pollfd{out_read.get(), POLLIN, 0},
                                 pollfd{err_read.get(), POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.stdout_text, &result.stderr_text};
  int open_pipes = 2;
  std::array<char, 16384> buffer{};
  while (open_pipes > 0) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (remaining.count() <= 0) {
      KillGroupAndReap(pid);
      return MakeError(StatusCode::kDeadlineExceeded, "subprocess_timeout",
                       fmt::format("{} did not finish within {} ms and was killed", argv[0],
                                   options.timeout.count()));
    }
    int ready = ::poll(poll_fds.data(), poll_fds.size(), static_cast<int>(remaining.count()));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready < 0) {
      int poll_errno = errno;
      KillGroupAndReap(pid);
      return MakeError(
          StatusCode::kInternal, "subprocess_spawn_failed",
          fmt::format("poll() on the output of {} failed: {}", argv[0], ErrnoText(poll_errno)));
    }
    for (std::size_t i = 0; i < poll_fds.size(); ++i) {
      if (poll_fds[i].fd < 0 || poll_fds[i].revents == 0) {
        continue;
      }
      ssize_t count = ::read(poll_fds[i].fd, buffer.data(), buffer.size());
      if (count < 0 && (errno == EINTR || errno == EAGAIN)) {
        continue;
      }
      if (count <= 0) {
        poll_fds[i].fd = -1;  // poll() skips negative descriptors.
        --open_pipes;
        continue;
      }
      if (sinks[i]->size() + static_cast<std::size_t>(count) > options.max_output_bytes) {
        KillGroupAndReap(pid);
        return MakeError(StatusCode::kResourceExhausted, "subprocess_output_too_large",
                         fmt::format("{} wrote more than {} bytes to {} and was killed", argv[0],
                                     options.max_output_bytes, i == 0 ? "stdout" : "stderr"));
      }
      sinks[i]->append(buffer.data(), static_cast<std::size_t>(count));
    }
  }

  // Both pipes are closed, but the child may still run; wait for it until
  // the same deadline.
  while (true) {
    int wait_status = 0;
    pid_t waited = ::waitpid(pid, &wait_status, WNOHANG);
    if (waited == pid) {
      result.exit_code = ExitCodeFromWaitStatus(wait_status);
      return result;
    }
    if (waited < 0 && errno != EINTR) {
      return MakeError(StatusCode::kInternal, "subprocess_spawn_failed",
                       fmt::format("waitpid() for {} failed: {}", argv[0], ErrnoText(errno)));
    }
    if (Clock::now() >= deadline) {
      KillGroupAndReap(pid);
      return MakeError(StatusCode::kDeadlineExceeded, "subprocess_timeout",
                       fmt::format("{} did not finish within {} ms and was killed", argv[0],
                                   options.timeout.count()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace devtrust::ops
