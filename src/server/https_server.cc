#include "server/https_server.h"

#include <boost/asio/ip/v6_only.hpp>
#include <csignal>
#include <string>
#include <utility>

#include "server/builtin_endpoints.h"
#include "server/internal/server_core.h"
#include "telemetry/log_output.h"

namespace devtrust::server {
namespace internal {
namespace {

using boost::system::error_code;

// How often a graceful shutdown checks whether the last connection closed.
constexpr std::chrono::milliseconds kDrainPollInterval{25};
// How long the accept loop pauses after an error such as EMFILE.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
// At most one accept error is logged per interval, and the rest are dropped.
constexpr std::chrono::seconds kAcceptErrorLogInterval{10};

std::string DescribeEndpoint(const tcp::endpoint& endpoint) {
  const std::string address = endpoint.address().to_string();
  const std::string port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + address + "]:" + port : address + ":" + port;
}

Error ListenError(const std::string& where, const error_code& error) {
  std::string advice = "; check listen.addresses and listen.port";
  if (error == net::error::address_in_use) {
    advice = "; choose a free port or stop the process using it";
  } else if (error == boost::system::errc::address_not_available) {
    advice = "; the address belongs to no interface of this machine, so listen on one that does";
  } else if (error == net::error::access_denied) {
    advice = "; ports below 1024 need privileges, so choose a higher port";
  }
  return Error(StatusCode::kUnavailable, "listen_failed",
               "listening on " + where + " failed: " + error.message() + advice);
}

}  // namespace

ServerCore::ServerCore(HttpsServerOptions server_options,
                       std::shared_ptr<telemetry::Logger> server_logger)
    : options(std::move(server_options)),
      logger(std::move(server_logger)),
      work_guard(net::make_work_guard(io_context)),
      control(net::make_strand(io_context)),
      drain_timer(control),
      workers(options.worker_threads) {}

Result<std::uint16_t> ServerCore::Listen() {
  std::uint16_t port = options.port;

  for (const std::string& address_text : options.listen_addresses) {
    error_code error;
    const net::ip::address address = net::ip::make_address(address_text, error);
    if (error) {
      return MakeError(
          StatusCode::kInvalidArgument, "invalid_server_config",
          "listen address '" + address_text + "' is not an IPv4 or IPv6 address literal");
    }
    const tcp::endpoint endpoint(address, port);
    const std::string where = DescribeEndpoint(endpoint);

    auto listener = std::make_unique<Listener>(io_context);
    tcp::acceptor& acceptor = listener->acceptor;
    if (acceptor.open(endpoint.protocol(), error); error) {
      return std::unexpected(ListenError(where, error));
    }
    if (acceptor.set_option(net::socket_base::reuse_address(true), error); error) {
      return std::unexpected(ListenError(where, error));
    }
    if (address.is_v6()) {
      if (acceptor.set_option(net::ip::v6_only(true), error); error) {
        return std::unexpected(ListenError(where, error));
      }
    }
    if (acceptor.bind(endpoint, error); error) {
      return std::unexpected(ListenError(where, error));
    }
    if (acceptor.listen(net::socket_base::max_listen_connections, error); error) {
      return std::unexpected(ListenError(where, error));
    }

    // With port 0 the first socket picks the port and the others reuse it.
    port = acceptor.local_endpoint(error).port();
    listener->description = DescribeEndpoint(tcp::endpoint(address, port));
    listeners.push_back(std::move(listener));
  }
  return port;
}

void ServerCore::Run() {
  if (options.handle_signals) {
    // SIGHUP arrives when a controlling terminal closes, and many process
    // managers send it to ask for a reload. Its default action would end the
    // process without a graceful shutdown, so it is caught and logged.
    signals.emplace(io_context, SIGTERM, SIGINT, SIGHUP);
    WaitForSignal();
  }
  for (const auto& listener : listeners) {
    net::post(listener->acceptor.get_executor(), [this, l = listener.get()] { Accept(*l); });
  }

  std::size_t thread_count = options.io_threads;
  if (thread_count == 0) {
    thread_count = std::max(1u, std::thread::hardware_concurrency());
  }
  for (std::size_t i = 0; i < thread_count; ++i) {
    io_threads.emplace_back([this] { io_context.run(); });
  }

  std::string addresses;
  for (const auto& listener : listeners) {
    addresses += addresses.empty() ? listener->description : ", " + listener->description;
  }
  logger->Info({{"io_threads", thread_count}, {"worker_threads", options.worker_threads}},
               "HTTPS server listening on {}", addresses);
}

void ServerCore::Accept(Listener& listener) {
  listener.acceptor.async_accept(net::make_strand(io_context),
                                 [this, &listener](error_code error, tcp::socket socket) {
                                   OnAccept(listener, error, std::move(socket));
                                 });
}

void ServerCore::OnAccept(Listener& listener, error_code error, tcp::socket socket) {
  if (error == net::error::operation_aborted || !listener.acceptor.is_open()) {
    return;
  }

  if (error) {
    // Typically EMFILE or ENFILE: pause instead of spinning, log rarely.
    const std::int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
    std::int64_t last = last_accept_error_log.load(std::memory_order_relaxed);
    const auto interval =
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(kAcceptErrorLogInterval);
    if (now - last >= interval.count() &&
        last_accept_error_log.compare_exchange_strong(last, now)) {
      logger->Warn({{"listener", listener.description}},
                   "accepting a connection failed: {}; retrying in {} ms", error.message(),
                   kAcceptRetryDelay.count());
    }
    listener.retry_timer.expires_after(kAcceptRetryDelay);
    listener.retry_timer.async_wait([this, &listener](error_code wait_error) {
      if (!wait_error) {
        Accept(listener);
      }
    });
    return;
  }

  counters.connections_accepted.fetch_add(1, std::memory_order_relaxed);
  const std::uint64_t open = counters.connections_open.fetch_add(1, std::memory_order_relaxed);
  if (open >= options.max_connections || draining.load(std::memory_order_relaxed)) {
    counters.connections_open.fetch_sub(1, std::memory_order_relaxed);
    counters.connections_rejected.fetch_add(1, std::memory_order_relaxed);
    error_code ignored;
    socket.close(ignored);
  } else {
    std::make_shared<HttpsConnection>(std::move(socket), *this)->Start();
  }
  Accept(listener);
}

void ServerCore::WaitForSignal() {
  signals->async_wait([this](error_code error, int signal_number) {
    if (error) {
      return;
    }
    if (signal_number == SIGHUP) {
      logger->Warn(
          "received SIGHUP; devtrust does not reload its configuration, so it keeps running "
          "with the current one (restart it to apply changes, SIGTERM stops it gracefully)");
      WaitForSignal();
      return;
    }
    if (!shutdown_started.load()) {
      logger->Info("received signal {}; shutting down gracefully, send it again to force",
                   signal_number);
      Shutdown();
      WaitForSignal();
      return;
    }
    logger->Warn("received signal {} again; stopping without waiting for requests", signal_number);
    ForceStop();
  });
}

void ServerCore::Shutdown() {
  if (shutdown_started.exchange(true)) {
    return;
  }
  draining.store(true);
  logger->Info({{"connections_open", counters.connections_open.load()}},
               "graceful shutdown: refusing new connections, waiting up to {} ms for requests "
               "in flight",
               options.shutdown_grace.count());

  CloseListeners();
  DrainConnections();
  net::post(control, [this] {
    drain_deadline = std::chrono::steady_clock::now() + options.shutdown_grace;
    PollDrain();
  });
}

void ServerCore::ForceStop() {
  shutdown_started.store(true);
  draining.store(true);
  CloseListeners();
  Finish();
}

void ServerCore::CloseListeners() {
  for (const auto& listener : listeners) {
    net::post(listener->acceptor.get_executor(), [l = listener.get()] {
      error_code ignored;
      l->acceptor.close(ignored);
      l->retry_timer.cancel();
    });
  }
}

void ServerCore::DrainConnections() {
  std::vector<std::shared_ptr<HttpsConnection>> open;
  {
    std::lock_guard lock(registry_mutex);
    for (const std::weak_ptr<HttpsConnection>& weak : registry) {
      if (std::shared_ptr<HttpsConnection> connection = weak.lock()) {
        open.push_back(std::move(connection));
      }
    }
  }
  for (std::shared_ptr<HttpsConnection>& connection : open) {
    net::post(connection->strand(), [connection] { connection->Drain(); });
  }
}

void ServerCore::PollDrain() {
  const std::uint64_t open = counters.connections_open.load();
  if (open == 0) {
    logger->Info("graceful shutdown: all connections closed");
    Finish();
    return;
  }
  if (std::chrono::steady_clock::now() >= drain_deadline) {
    logger->Warn({{"connections_open", open}},
                 "graceful shutdown: grace period of {} ms is over; dropping {} connections",
                 options.shutdown_grace.count(), open);
    Finish();
    return;
  }
  drain_timer.expires_after(kDrainPollInterval);
  drain_timer.async_wait([this](error_code error) {
    if (!error) {
      PollDrain();
    }
  });
}

void ServerCore::Finish() {
  if (stopped.exchange(true)) {
    return;
  }
  work_guard.reset();
  io_context.stop();
  // Queued jobs are dropped, because their connections close with the I/O
  // threads. A handler that is running finishes, and Wait() joins it.
  workers.stop();
}

void ServerCore::Wait() {
  std::lock_guard lock(wait_mutex);
  if (joined) {
    return;
  }
  for (std::thread& thread : io_threads) {
    thread.join();
  }
  workers.join();

  // The I/O threads are gone, so the sockets can be closed from here. A
  // forced stop may not have run the posted closes.
  for (const auto& listener : listeners) {
    error_code ignored;
    listener->acceptor.close(ignored);
  }
  joined = true;
  logger->Info({{"requests", counters.requests.load()}}, "HTTPS server stopped");
}

ServerCore::Registration ServerCore::Register(std::weak_ptr<HttpsConnection> connection) {
  std::lock_guard lock(registry_mutex);
  registry.push_front(std::move(connection));
  return registry.begin();
}

void ServerCore::Unregister(Registration registration) {
  std::lock_guard lock(registry_mutex);
  registry.erase(registration);
}

}  // namespace internal

namespace {

Status ValidateOptions(const HttpsServerOptions& options) {
  auto invalid = [](std::string message) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_server_config", std::move(message));
  };
  if (options.listen_addresses.empty()) {
    return invalid("no listen address is configured; add one such as 127.0.0.1");
  }
  if (options.worker_threads == 0) {
    return invalid("worker_threads is 0; handlers need at least one worker thread");
  }
  if (options.max_connections == 0) {
    return invalid("max_connections is 0; allow at least one connection");
  }
  if (options.max_header_bytes == 0 || options.max_header_bytes > 1024 * 1024) {
    return invalid("max_header_bytes must be between 1 and 1048576");
  }
  if (options.max_body_bytes == 0) {
    return invalid("max_body_bytes is 0; allow at least one byte");
  }
  for (const auto timeout : {options.handshake_timeout, options.header_timeout,
                             options.body_timeout, options.idle_timeout, options.write_timeout}) {
    if (timeout <= std::chrono::milliseconds::zero()) {
      return invalid("every timeout must be positive");
    }
  }
  if (options.shutdown_grace < std::chrono::milliseconds::zero()) {
    return invalid("shutdown_grace must not be negative");
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<HttpsServer>> HttpsServer::Start(HttpsServerOptions options, Router router,
                                                        ApiKeyAuthenticator authenticator) {
  if (Status valid = ValidateOptions(options); !valid.has_value()) {
    return std::unexpected(valid.error());
  }
  std::shared_ptr<telemetry::Logger> logger = options.logger;
  if (logger == nullptr) {
    logger = std::make_shared<telemetry::Logger>(telemetry::LogOutput::Stdout(), "devtrust");
  }

  auto core = std::make_unique<internal::ServerCore>(std::move(options), logger);

  // 1. TLS.
  if (Status configured =
          crypto::ConfigureTlsServerContext(core->ssl_context.native_handle(), core->options.tls);
      !configured.has_value()) {
    return std::unexpected(configured.error());
  }

  // 2. Built-in endpoints, then the dispatcher that owns the routes.
  internal::ServerCore* core_pointer = core.get();
  BuiltinEndpoints builtins{
      .readiness_check = core->options.readiness_check,
      .metrics_text = core->options.metrics_text,
      .metrics_access = core->options.metrics_access,
      .is_draining = [core_pointer] { return core_pointer->draining.load(); },
      .logger = logger,
  };
  if (Status added = AddBuiltinEndpoints(router, std::move(builtins)); !added.has_value()) {
    return std::unexpected(added.error());
  }
  core->dispatcher =
      std::make_unique<RequestDispatcher>(std::move(router), std::move(authenticator), logger);

  // 3. Sockets, then threads.
  Result<std::uint16_t> port = core->Listen();
  if (!port.has_value()) {
    return std::unexpected(port.error());
  }
  core->Run();
  return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(core), *port));
}

HttpsServer::HttpsServer(std::unique_ptr<internal::ServerCore> core, std::uint16_t port)
    : core_(std::move(core)), port_(port) {}

HttpsServer::~HttpsServer() {
  core_->ForceStop();
  core_->Wait();
}

void HttpsServer::Shutdown() { core_->Shutdown(); }

void HttpsServer::ForceStop() { core_->ForceStop(); }

void HttpsServer::Wait() { core_->Wait(); }

ServerStats HttpsServer::Stats() const { return core_->counters.Snapshot(); }

}  // namespace devtrust::server
