// A `devtrust serve` child process for the end-to-end test: started with a
// configuration file and environment, its standard output (the JSON log)
// captured in a file, stopped with SIGTERM.
#ifndef DEVTRUST_TESTS_E2E_SERVE_PROCESS_H_
#define DEVTRUST_TESTS_E2E_SERVE_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"

namespace devtrust::e2e {

class ServeProcess {
 public:
  // Runs `binary serve --config config_file` with `environment` ("NAME=value")
  // added to this process's environment, and waits up to `ready_timeout` for
  // the log line that starts with "ready:". Errors: "serve_failed" with the
  // captured standard error when the process exits or stays silent.
  static Result<ServeProcess> Start(const std::filesystem::path& binary,
                                    const std::filesystem::path& config_file,
                                    const std::filesystem::path& log_file,
                                    const std::filesystem::path& error_file,
                                    const std::vector<std::string>& environment,
                                    std::chrono::milliseconds ready_timeout);

  ServeProcess(ServeProcess&& other) noexcept;
  ServeProcess& operator=(ServeProcess&&) = delete;
  // Kills the process if it still runs, so a failed test leaves nothing behind.
  ~ServeProcess();

  // The port from the ready line.
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Sends SIGTERM and waits up to `timeout` for the exit. Returns the exit
  // status, or -1 after killing a process that did not stop in time.
  int Stop(std::chrono::milliseconds timeout);

 private:
  ServeProcess(pid_t pid, std::uint16_t port) : pid_(pid), port_(port) {}

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace devtrust::e2e

#endif  // DEVTRUST_TESTS_E2E_SERVE_PROCESS_H_
