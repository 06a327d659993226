// `devtrust serve`: runs the devtrust service over HTTPS.
#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "api/routes.h"
#include "cli/commands.h"
#include "server/auth.h"
#include "server/https_server.h"
#include "server/router.h"
#include "service/config_loader.h"
#include "service/service_runtime.h"

namespace devtrust::cli {
namespace {

struct ServeArguments {
  std::string config_file;
  std::string data_dir;
};

// Exit codes: 0 after a graceful stop, 1 when the service cannot start or
// run, 2 for an invalid configuration (like a usage error).
constexpr int kExitFailure = 1;
constexpr int kExitConfig = 2;

server::HttpsServerOptions ServerOptions(service::ServiceRuntime& runtime) {
  const service::ListenConfig& listen = runtime.config().listen;
  server::HttpsServerOptions options;
  options.listen_addresses = listen.addresses;
  options.port = listen.port;
  options.tls = runtime.server_tls().files;
  options.io_threads = listen.io_threads;
  options.worker_threads = listen.worker_threads;
  options.max_connections = listen.max_connections;
  options.handshake_timeout = listen.handshake_timeout;
  options.header_timeout = listen.header_timeout;
  options.body_timeout = listen.body_timeout;
  options.idle_timeout = listen.idle_timeout;
  options.write_timeout = listen.write_timeout;
  options.shutdown_grace = listen.shutdown_grace;
  options.max_header_bytes = listen.max_header_bytes;
  options.max_body_bytes = listen.max_body_bytes;
  options.readiness_check = [&runtime] { return runtime.Ready(); };
  options.metrics_text = [&runtime] { return runtime.metrics().Serialize(); };
  options.logger = runtime.logger();
  options.on_request_completed = [&runtime](const server::RequestContext& context, unsigned status,
                                            std::chrono::nanoseconds) {
    runtime.metrics().RecordHttpRequest(context.route_template, static_cast<int>(status));
  };
  return options;
}

Result<server::ApiKeyAuthenticator> Authenticator(const service::ApiKeySet& keys) {
  server::ApiKeyAuthenticator authenticator;
  if (Status added = authenticator.AddKey(keys.relying_party_name, server::Role::kRelyingParty,
                                          keys.relying_party);
      !added) {
    return std::unexpected(added.error());
  }
  if (Status added = authenticator.AddKey(keys.admin_name, server::Role::kAdmin, keys.admin);
      !added) {
    return std::unexpected(added.error());
  }
  return authenticator;
}

int Fail(const Error& error, int exit_code) {
  std::cerr << "devtrust serve: " << error.ToString() << "\n";
  return exit_code;
}

int RunServe(const ServeArguments& arguments) {
  const auto started = std::chrono::steady_clock::now();

  Result<service::ServeConfig> config = arguments.config_file.empty()
                                            ? Result<service::ServeConfig>(service::ServeConfig())
                                            : service::LoadServeConfig(arguments.config_file);
  if (!config) return Fail(config.error(), kExitConfig);
  if (!arguments.data_dir.empty()) config->data_dir = arguments.data_dir;

  Result<std::unique_ptr<service::ServiceRuntime>> runtime = service::ServiceRuntime::Open(
      *std::move(config), service::ProcessEnvironment(), api::ApiRouteTemplates());
  if (!runtime) return Fail(runtime.error(), kExitFailure);
  std::shared_ptr<telemetry::Logger> logger = (*runtime)->logger();

  server::Router router;
  const api::ApiServices services{(*runtime)->challenges(),
                                  (*runtime)->registrations(),
                                  (*runtime)->verifications(),
                                  (*runtime)->validations(),
                                  (*runtime)->devices(),
                                  (*runtime)->reviews(),
                                  (*runtime)->ca(),
                                  logger};
  if (Status added = api::AddApiRoutes(router, services); !added) {
    return Fail(added.error(), kExitFailure);
  }
  Result<server::ApiKeyAuthenticator> authenticator = Authenticator((*runtime)->api_keys());
  if (!authenticator) return Fail(authenticator.error(), kExitFailure);

  Result<std::unique_ptr<server::HttpsServer>> server = server::HttpsServer::Start(
      ServerOptions(**runtime), std::move(router), *std::move(authenticator));
  if (!server) {
    logger->Error({{"error", server.error().reason()}}, "could not start the HTTPS server: {}",
                  server.error().message());
    return Fail(server.error(), kExitFailure);
  }
  (*runtime)->StartBackground();

  const service::ListenConfig& listen = (*runtime)->config().listen;
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  const std::string address = listen.addresses.front();
  const std::string authority =
      (address.find(':') != std::string::npos ? "[" + address + "]" : address) + ":" +
      std::to_string((*server)->port());
  logger->Info({{"listen", authority},
                {"port", (*server)->port()},
                {"startup_ms", elapsed.count()},
                {"data_dir", (*runtime)->data_directory().root().string()},
                {"ca_bundle", (*runtime)->data_directory().ca_bundle().string()}},
               "ready: serving https://{} after {} ms", authority, elapsed.count());

  (*server)->Wait();
  (*runtime)->StopBackground();
  logger->Info("stopped");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto arguments = std::make_shared<ServeArguments>();
  CLI::App* command = app.add_subcommand(
      "serve",
      "Run the devtrust service over HTTPS. Without a configuration it listens on "
      "127.0.0.1:8443 and keeps its database, CA keys and generated secrets in ./devtrust-data");
  command->add_option("--config", arguments->config_file,
                      "YAML configuration file (see config/devtrust.example.yaml)");
  command->add_option("--data-dir", arguments->data_dir,
                      "Data directory; overrides data_dir in the configuration");
  command->callback([arguments] { SetExitCode(RunServe(*arguments)); });
}

}  // namespace devtrust::cli
