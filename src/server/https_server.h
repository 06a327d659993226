// The devtrust HTTPS server: HTTP/1.1 over TLS 1.3 with Boost.Beast and Asio.
//
// Usage:
//
//   Router router;
//   router.Add(http::verb::post, "/v1/challenges", Access::kRelyingParty, HandleChallenge);
//   ApiKeyAuthenticator keys;
//   keys.AddKeyDigest("shop-backend", Role::kRelyingParty, digest_hex);
//   HttpsServerOptions options;
//   options.tls = {...};
//   Result<std::unique_ptr<HttpsServer>> server =
//       HttpsServer::Start(std::move(options), std::move(router), std::move(keys));
//   (*server)->Wait();  // returns after SIGTERM or SIGINT and a graceful stop
//
// Threading model
//   - io_threads threads run one boost::asio::io_context. They accept, run
//     TLS handshakes, read and parse requests and write responses, and never
//     run handler code or block.
//   - Each connection has its own strand, so its steps never run
//     concurrently even though any I/O thread may run them.
//   - A complete request is posted to a pool of worker_threads threads, where
//     the router, authentication and the handler run. Handlers may block on
//     the database. The response is posted back to the connection's strand
//     and written from there.
//   - A connection reads its next request only after the response to the
//     previous one is written. So the worker queue contains at most one
//     request per connection, and never more than max_connections.
//
// Limits, each with its default:
//   max_connections     1024 open connections. Connections over the limit
//                       are accepted and closed at once, before TLS, and
//                       counted in ServerStats::connections_rejected.
//   handshake_timeout   10 s for the TLS handshake.
//   header_timeout      10 s until the end of the header, counted from the
//                       end of the TLS handshake for the first request and
//                       from the first byte for later ones. A client that
//                       trickles a header (slowloris) is cut off when it runs
//                       out.
//   body_timeout        30 s to receive the whole body after the header.
//   idle_timeout        60 s between a response and the next request's first
//                       byte on a keep-alive connection.
//   write_timeout       30 s to write a response.
//   max_header_bytes    8 KiB for the request line and header fields; larger
//                       gets 431 and the connection closes.
//   max_body_bytes      64 KiB; a larger Content-Length or chunked body gets
//                       413 and the connection closes.
//   shutdown_grace      15 s for requests in flight after a stop request.
//   closing             2 s to exchange close_notify, then up to 2 s (and
//                       1 MiB) of reading and discarding what the client
//                       still sends, so that a refused body does not turn the
//                       close into a reset before the client reads the
//                       response (RFC 9112 section 9.6).
// A timed-out connection is closed without a response.
//
// With handle_signals, SIGHUP is logged and ignored, because there is no
// configuration reload.
// Shutdown starts with the first SIGTERM or SIGINT (when handle_signals is
// set) or a call to Shutdown(). The server closes the listening sockets, so
// new connections are refused, and /readyz returns 503. Idle keep-alive
// connections close, and requests in flight finish, each response with
// `Connection: close`. When the last connection closes or shutdown_grace runs
// out, the I/O threads stop and the remaining connections are dropped. A
// second signal, or ForceStop(), skips the wait. Wait() then joins the
// threads.
// NOTE: a handler that never returns keeps Wait() from returning, because
// its worker thread cannot be interrupted.
//
// Every response gets an `X-Trace-Id` header with the request's trace id.
#ifndef DEVTRUST_SERVER_HTTPS_SERVER_H_
#define DEVTRUST_SERVER_HTTPS_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "crypto/tls_context.h"
#include "server/auth.h"
#include "server/request_context.h"
#include "server/role.h"
#include "server/router.h"
#include "server/server_stats.h"
#include "telemetry/logger.h"

namespace devtrust::server {

struct HttpsServerOptions {
  // IPv4 or IPv6 address literals to listen on, each with its own socket.
  // IPv6 sockets accept IPv6 only, so "::" and "0.0.0.0" can be listed
  // together.
  std::vector<std::string> listen_addresses = {"127.0.0.1"};
  // The TCP port for every address. 0 picks a free port for the first address
  // and uses the same port for the others. port() returns it.
  std::uint16_t port = 8443;

  crypto::TlsServerConfig tls;

  // Threads for network I/O. 0 means one per online CPU.
  std::size_t io_threads = 0;
  // Threads that run handlers. Handlers block on the store, so this bounds
  // how many requests wait for it at once.
  std::size_t worker_threads = 16;

  // Keep it below the file descriptor limit (ulimit -n) minus what the store
  // and logs need, or accepts fail with EMFILE and are retried every 100 ms.
  std::size_t max_connections = 1024;
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{15'000};
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;

  // Installs SIGTERM and SIGINT handlers that start a graceful shutdown, and
  // force the stop on the second signal.
  bool handle_signals = true;

  // The built-in endpoints (see builtin_endpoints.h). /metrics is served only
  // when metrics_text is set.
  std::function<Status()> readiness_check;
  std::function<std::string()> metrics_text;
  Access metrics_access = Access::kLoopbackOrAdmin;

  // Receives start, stop, accept and handler errors. Null logs to stdout.
  std::shared_ptr<telemetry::Logger> logger;

  // Called on the worker thread after each dispatched request with its
  // context, response status and the time from the end of reading the
  // request to the response being ready. Meant for metrics, so it must not
  // block.
  std::function<void(const RequestContext& context, unsigned status,
                     std::chrono::nanoseconds latency)>
      on_request_completed;
};

namespace internal {
struct ServerCore;
}  // namespace internal

class HttpsServer {
 public:
  // Configures TLS, adds the built-in endpoints to `router`, binds every
  // address and starts the threads. Errors: "invalid_server_config" for
  // option values out of range; the TLS errors of
  // ConfigureTlsServerContext; "duplicate_route" when `router` already has a
  // built-in path; "listen_failed" (kUnavailable) when an address cannot be
  // bound, such as one in use.
  static Result<std::unique_ptr<HttpsServer>> Start(HttpsServerOptions options, Router router,
                                                    ApiKeyAuthenticator authenticator);

  // Forces a stop if still running and joins every thread.
  ~HttpsServer();

  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // The bound port, useful when options.port was 0.
  std::uint16_t port() const { return port_; }

  // Starts a graceful shutdown and returns at once. Safe from any thread;
  // later calls do nothing.
  void Shutdown();

  // Stops at once, dropping open connections. Safe from any thread.
  void ForceStop();

  // Blocks until the server has stopped and all its threads have finished.
  void Wait();

  ServerStats Stats() const;

 private:
  HttpsServer(std::unique_ptr<internal::ServerCore> core, std::uint16_t port);

  std::unique_ptr<internal::ServerCore> core_;
  std::uint16_t port_;
};

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_HTTPS_SERVER_H_
