// The devtrust command: one binary whose subcommands run the service, the
// device side, the operations tools and the benchmarks.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"devtrust: post-quantum device trust service with its operations built in"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Print help for every subcommand");

  devtrust::cli::AddVersionCommand(app);
  devtrust::cli::AddCiCommand(app);
  devtrust::cli::AddDeviceCommand(app);
  devtrust::cli::AddReplayLoginsCommand(app);
  devtrust::cli::AddServeCommand(app);
  devtrust::cli::AddBenchCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // app.exit prints help or the parse error; every parse error is a usage
    // error, exit code 2 as in every devtrust subcommand.
    return app.exit(error) == 0 ? 0 : 2;
  }
  return devtrust::cli::ExitCode();
}
