#include "serve_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace devtrust::e2e {
namespace {

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The port of the ready line in the JSON log, or 0 while there is none.
std::uint16_t ReadyPort(const std::filesystem::path& log_file) {
  std::istringstream lines(ReadText(log_file));
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code error;
    const boost::json::value value = boost::json::parse(line, error);
    if (error || !value.is_object()) continue;
    const boost::json::object& object = value.as_object();
    const boost::json::value* message = object.if_contains("msg");
    const boost::json::value* port = object.if_contains("port");
    if (message != nullptr && message->is_string() && message->as_string().starts_with("ready:") &&
        port != nullptr && port->is_int64()) {
      return static_cast<std::uint16_t>(port->as_int64());
    }
  }
  return 0;
}

std::unexpected<Error> ServeFailed(std::string message, const std::filesystem::path& error_file) {
  return MakeError(StatusCode::kUnavailable, "serve_failed",
                   std::move(message) + "; its standard error: " + ReadText(error_file));
}

}  // namespace

Result<ServeProcess> ServeProcess::Start(const std::filesystem::path& binary,
                                         const std::filesystem::path& config_file,
                                         const std::filesystem::path& log_file,
                                         const std::filesystem::path& error_file,
                                         const std::vector<std::string>& environment,
                                         std::chrono::milliseconds ready_timeout) {
  // Everything the child needs is prepared before fork, because between fork
  // and exec only async-signal-safe calls are allowed.
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) env_strings.emplace_back(*entry);
  env_strings.insert(env_strings.end(), environment.begin(), environment.end());
  std::vector<char*> envp;
  for (std::string& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string binary_text = binary.string();
  std::string serve = "serve";
  std::string config_flag = "--config";
  std::string config_text = config_file.string();
  char* argv[] = {binary_text.data(), serve.data(), config_flag.data(), config_text.data(),
                  nullptr};

  const int out = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err = ::open(error_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0 || err < 0) {
    return MakeError(StatusCode::kInternal, "serve_failed", "cannot create the log files");
  }

  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out);
    ::close(err);
    return MakeError(StatusCode::kInternal, "serve_failed", "fork failed");
  }
  if (pid == 0) {
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  ::close(out);
  ::close(err);

  ServeProcess process(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      process.pid_ = -1;
      return ServeFailed("devtrust serve exited before it was ready", error_file);
    }
    if (const std::uint16_t port = ReadyPort(log_file); port != 0) {
      process.port_ = port;
      return process;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ServeFailed("devtrust serve wrote no ready line in time", error_file);
}

ServeProcess::ServeProcess(ServeProcess&& other) noexcept : pid_(other.pid_), port_(other.port_) {
  other.pid_ = -1;
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

int ServeProcess::Stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

}  // namespace devtrust::e2e
