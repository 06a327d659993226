#include <iostream>

#include "base/build_info.h"
#include "cli/commands.h"
#include "crypto/library_info.h"

namespace devtrust::cli {
namespace {

int exit_code = 0;

}  // namespace

int ExitCode() { return exit_code; }
void SetExitCode(int code) { exit_code = code; }

void AddVersionCommand(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "version", "Print the version, git commit, build type and OpenSSL version");
  command->callback([] {
    std::cout << "devtrust " << BuildVersion() << "\n"
              << "commit: " << BuildCommit() << "\n"
              << "build: " << BuildType() << "\n"
              << "openssl: " << crypto::OpenSslVersionText() << "\n";
  });
}

}  // namespace devtrust::cli
