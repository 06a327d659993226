// Registration of the devtrust subcommands. Each Add*Command function adds one
// subcommand to the application and stores its exit code through SetExitCode
// when it runs.
#ifndef DEVTRUST_CLI_COMMANDS_H_
#define DEVTRUST_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

namespace devtrust::cli {

void AddVersionCommand(CLI::App& app);
void AddCiCommand(CLI::App& app);
// `devtrust device enroll|verify|login`.
void AddDeviceCommand(CLI::App& app);
// `devtrust replay-logins`.
void AddReplayLoginsCommand(CLI::App& app);
// `devtrust serve`.
void AddServeCommand(CLI::App& app);
// `devtrust bench validate|register`.
void AddBenchCommand(CLI::App& app);

// The exit code of the subcommand that ran; 0 until one sets another.
int ExitCode();
void SetExitCode(int code);

}  // namespace devtrust::cli

#endif  // DEVTRUST_CLI_COMMANDS_H_
