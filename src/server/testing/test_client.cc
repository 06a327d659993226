#include "server/testing/test_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <utility>

namespace devtrust::server::testing {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using boost::system::error_code;

Error IoError(std::string_view step, const error_code& error) {
  return Error(StatusCode::kUnavailable, "client_io_failed",
               std::string(step) + " failed: " + error.message());
}

}  // namespace

TestClient::TestClient(TestClientOptions options)
    : options_(std::move(options)), ssl_context_(net::ssl::context::tls_client) {}

void TestClient::RunUntilDone() {
  io_context_.restart();
  io_context_.run();
}

Result<std::unique_ptr<TestClient>> TestClient::Connect(std::uint16_t port,
                                                        TestClientOptions options) {
  std::unique_ptr<TestClient> client(new TestClient(std::move(options)));
  const TestClientOptions& settings = client->options_;

  if (Status configured =
          crypto::ConfigureTlsClientContext(client->ssl_context_.native_handle(),
                                            {.ca_file = settings.ca_file,
                                             .signature_algorithms = settings.signature_algorithms,
                                             .groups = settings.groups});
      !configured) {
    return std::unexpected(configured.error());
  }
  client->stream_.emplace(client->io_context_, client->ssl_context_);
  if (Status named = crypto::ConfigureTlsClientConnection(client->stream_->native_handle(),
                                                          settings.server_name);
      !named) {
    return std::unexpected(named.error());
  }

  error_code error;
  const net::ip::tcp::endpoint endpoint(net::ip::make_address(settings.address), port);
  beast::tcp_stream& tcp = beast::get_lowest_layer(*client->stream_);
  tcp.expires_after(settings.timeout);
  tcp.async_connect(endpoint, [&error](error_code result) { error = result; });
  client->RunUntilDone();
  if (error) {
    return std::unexpected(IoError("connect", error));
  }

  tcp.expires_after(settings.timeout);
  client->stream_->async_handshake(net::ssl::stream_base::client,
                                   [&error](error_code result) { error = result; });
  client->RunUntilDone();
  if (error) {
    return std::unexpected(IoError("TLS handshake", error));
  }

  Result<crypto::TlsSessionInfo> session =
      crypto::DescribeTlsSession(client->stream_->native_handle());
  if (!session) {
    return std::unexpected(session.error());
  }
  client->session_ = std::move(*session);
  return client;
}

Status TestClient::WriteRaw(std::string_view bytes) {
  error_code error;
  beast::get_lowest_layer(*stream_).expires_after(options_.timeout);
  net::async_write(*stream_, net::buffer(bytes.data(), bytes.size()),
                   [&error](error_code result, std::size_t) { error = result; });
  RunUntilDone();
  if (error) {
    return std::unexpected(IoError("write", error));
  }
  return {};
}

Result<Response> TestClient::ReadResponse() {
  error_code error;
  Response response;
  beast::get_lowest_layer(*stream_).expires_after(options_.timeout);
  beast::http::async_read(*stream_, buffer_, response,
                          [&error](error_code result, std::size_t) { error = result; });
  RunUntilDone();
  if (error) {
    return std::unexpected(IoError("read", error));
  }
  return response;
}

Result<Response> TestClient::RoundTrip(Request request) {
  request.prepare_payload();
  error_code error;
  beast::get_lowest_layer(*stream_).expires_after(options_.timeout);
  beast::http::async_write(*stream_, request,
                           [&error](error_code result, std::size_t) { error = result; });
  RunUntilDone();
  if (error) {
    return std::unexpected(IoError("write", error));
  }
  return ReadResponse();
}

bool TestClient::WaitForClose(std::chrono::milliseconds wait) {
  // The tcp_stream timeout would close the socket itself, so a separate timer
  // cancels the read instead and leaves the connection open.
  beast::tcp_stream& transport = beast::get_lowest_layer(*stream_);
  transport.expires_never();
  bool timed_out = false;
  net::steady_timer timer(io_context_);
  timer.expires_after(wait);
  timer.async_wait([&timed_out, &transport](error_code error) {
    if (!error) {
      timed_out = true;
      transport.socket().cancel();
    }
  });

  io_context_.restart();
  while (true) {
    error_code error;
    bool done = false;
    char discard[1024];
    stream_->async_read_some(net::buffer(discard), [&](error_code result, std::size_t) {
      error = result;
      done = true;
    });
    while (!done && io_context_.run_one() > 0) {
    }
    if (error) {
      break;
    }
  }

  timer.cancel();
  io_context_.run();
  return !timed_out;
}

Request MakeRequest(http::verb method, std::string_view target, std::string body,
                    std::string_view content_type) {
  Request request(method, target, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!body.empty()) {
    request.set(http::field::content_type, content_type);
    request.body() = std::move(body);
  }
  request.prepare_payload();
  return request;
}

}  // namespace devtrust::server::testing
