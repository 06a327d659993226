// The state behind HttpsServer and the per-connection state machine.
//
// Internal to src/server.
#ifndef DEVTRUST_SERVER_INTERNAL_SERVER_CORE_H_
#define DEVTRUST_SERVER_INTERNAL_SERVER_CORE_H_

#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "crypto/tls_context.h"
#include "server/dispatcher.h"
#include "server/https_server.h"
#include "server/server_stats.h"
#include "telemetry/logger.h"

namespace devtrust::server::internal {

namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

class HttpsConnection;

// One listening socket with its accept loop.
struct Listener {
  explicit Listener(net::io_context& io_context)
      : acceptor(net::make_strand(io_context)), retry_timer(acceptor.get_executor()) {}

  tcp::acceptor acceptor;
  // Delays the next accept after an error such as EMFILE, so that the loop
  // does not spin while no descriptor is free.
  net::steady_timer retry_timer;
  std::string description;  // "127.0.0.1:8443", "[::1]:8443"
};

// Everything the server and its connections share. Member order matters:
// io_context is destroyed before the members above it and after those below,
// so that connections destroyed with its pending handlers can still reach the
// counters, the registry and the TLS context.
struct ServerCore {
  ServerCore(HttpsServerOptions server_options, std::shared_ptr<telemetry::Logger> server_logger);

  // Binds every listen address. Returns the bound port.
  Result<std::uint16_t> Listen();
  // Starts the accept loops, the signal handling and the I/O threads.
  void Run();

  void Shutdown();
  void ForceStop();
  void Wait();

  // Connection registry, used to close idle connections on shutdown.
  using Registration = std::list<std::weak_ptr<HttpsConnection>>::iterator;
  Registration Register(std::weak_ptr<HttpsConnection> connection);
  void Unregister(Registration registration);

  HttpsServerOptions options;
  std::shared_ptr<telemetry::Logger> logger;
  ServerCounters counters;
  std::atomic<bool> draining{false};
  net::ssl::context ssl_context{net::ssl::context::tls_server};
  std::unique_ptr<RequestDispatcher> dispatcher;

  std::mutex registry_mutex;
  std::list<std::weak_ptr<HttpsConnection>> registry;

  net::io_context io_context;
  net::executor_work_guard<net::io_context::executor_type> work_guard;
  net::strand<net::io_context::executor_type> control;
  net::steady_timer drain_timer;
  std::chrono::steady_clock::time_point drain_deadline;
  std::optional<net::signal_set> signals;
  std::vector<std::unique_ptr<Listener>> listeners;
  // Rate limit for accept error logs, in steady_clock ticks.
  std::atomic<std::int64_t> last_accept_error_log{0};

  net::thread_pool workers;
  std::vector<std::thread> io_threads;

  std::atomic<bool> shutdown_started{false};
  std::atomic<bool> stopped{false};
  std::mutex wait_mutex;
  bool joined = false;

 private:
  void Accept(Listener& listener);
  void OnAccept(Listener& listener, boost::system::error_code error, tcp::socket socket);
  void WaitForSignal();
  void CloseListeners();
  void DrainConnections();
  void PollDrain();
  void Finish();
};

// One client connection: TLS handshake, then requests and responses in turn
// until the client closes, a limit is hit or the server drains. Every member
// function runs on the connection's strand, except the constructor,
// destructor and the worker-side part of Dispatch.
class HttpsConnection : public std::enable_shared_from_this<HttpsConnection> {
 public:
  HttpsConnection(tcp::socket socket, ServerCore& core);
  ~HttpsConnection();

  // Registers the connection and begins the handshake.
  void Start();
  // Closes the connection if it is waiting for a request. Otherwise the
  // current request finishes and its response carries Connection: close.
  void Drain();

  // The connection's strand, for posting work back from other threads.
  const net::any_io_executor& strand() const { return strand_; }

 private:
  enum class State {
    kHandshake,
    kAwaitingRequest,  // no byte of the next request has arrived
    kReadingRequest,
    kHandling,
    kWriting,
    kClosing,
  };

  void OnHandshake(boost::system::error_code error);
  void AwaitRequest();
  void OnFirstBytes(boost::system::error_code error, std::size_t bytes);
  void ReadHeader();
  void OnHeader(boost::system::error_code error, std::size_t bytes);
  void OnContinueWritten(boost::system::error_code error, std::size_t bytes);
  void ReadBody();
  void OnBody(boost::system::error_code error, std::size_t bytes);
  void Dispatch();
  void WriteResponse(Response response, const std::string& trace_id);
  void OnWrite(boost::system::error_code error, std::size_t bytes);
  // Responds with `error` to a request that never reaches a handler, then
  // closes.
  void RejectRequest(const Error& error);
  // Sets the time limit of the next operations on the stream. When it runs
  // out, Beast closes the socket and the pending operation fails with
  // beast::error::timeout.
  void SetDeadline(std::chrono::steady_clock::duration timeout);
  // Counts a failed read and decides how to end the connection.
  void OnReadError(boost::system::error_code error);
  // Sends close_notify, waits up to kTlsShutdownTimeout for the peer's, then
  // lingers: half-closes TCP and discards input for up to kLingerTimeout.
  void Close();
  void Linger();
  void OnLinger(boost::system::error_code error, std::size_t bytes);

  ServerCore& core_;
  net::any_io_executor strand_;
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>> continue_;
  std::optional<Response> response_;
  std::array<char, 4096> linger_buffer_{};
  std::size_t lingered_bytes_ = 0;

  State state_ = State::kHandshake;
  bool first_request_ = true;
  bool keep_alive_ = false;
  unsigned request_version_ = 11;

  std::string remote_address_;
  std::uint16_t remote_port_ = 0;
  bool remote_is_loopback_ = false;
  crypto::TlsSessionInfo tls_;

  std::optional<ServerCore::Registration> registration_;
};

}  // namespace devtrust::server::internal

#endif  // DEVTRUST_SERVER_INTERNAL_SERVER_CORE_H_
