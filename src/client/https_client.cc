#include "client/https_client.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cctype>
#include <cstring>
#include <string>
#include <utility>

#include "base/build_info.h"

namespace devtrust::client {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

struct HttpsClient::Impl {
  net::io_context io_context;
  net::ssl::context ssl_context{net::ssl::context::tls_client};
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;

  // Runs the io_context until the operation just started has completed.
  void RunUntilDone() {
    io_context.restart();
    io_context.run();
  }

  // Closes the socket without a TLS close_notify, for a connection that is
  // broken or that the server is closing anyway.
  void Drop() {
    if (stream) {
      error_code ignored;
      beast::get_lowest_layer(*stream).socket().close(ignored);
      stream.reset();
    }
    buffer.clear();
  }
};

namespace {

// The request header may not exceed what the server accepts (8 KiB by
// default); the fixed fields stay far below it.
constexpr std::size_t kMaxResponseHeaderBytes = 16 * 1024;
constexpr std::chrono::milliseconds kCloseNotifyTimeout{1'000};

// Keeps CR, LF, spaces and other separators out of the Authorization
// header; ValidateApiKey checks the full RFC 6750 token form.
bool IsTokenCharacter(std::uint8_t c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
         c == '/' || c == '=';
}

Status CheckRequestParts(std::string_view method, std::string_view target,
                         const crypto::SecretBytes* bearer_token) {
  if (method.empty() ||
      !std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return MakeError(StatusCode::kInvalidArgument, "http_request_invalid",
                     "HTTP method \"" + std::string(method) + "\" is not an uppercase token");
  }
  if (target.empty() || target.front() != '/' ||
      !std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return MakeError(StatusCode::kInvalidArgument, "http_request_invalid",
                     "request target \"" + std::string(target) +
                         "\" must start with '/' and contain only visible ASCII characters");
  }
  if (bearer_token != nullptr) {
    const ByteView token = bearer_token->view();
    if (token.empty() || !std::all_of(token.begin(), token.end(), IsTokenCharacter)) {
      return MakeError(StatusCode::kInvalidArgument, "http_request_invalid",
                       "the API key contains characters that a bearer token may not contain "
                       "(RFC 6750 section 2.1 allows A-Z a-z 0-9 - . _ ~ + / and trailing =)");
    }
  }
  return {};
}

// Assembles the whole request in one wiping buffer, so that the API key and
// any secret in the body are not left behind in freed memory.
crypto::SecretBytes BuildRequest(std::string_view method, std::string_view target,
                                 std::string_view authority, ByteView body,
                                 const crypto::SecretBytes* bearer_token) {
  std::string head = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
  head += "Host: " + std::string(authority) + "\r\n";
  head += "User-Agent: devtrust/" + std::string(BuildVersion()) + "\r\n";
  head += "Accept: application/json\r\n";
  if (!body.empty() || method == "POST") {
    head += "Content-Type: application/json\r\n";
    head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  constexpr std::string_view kAuthorization = "Authorization: Bearer ";
  constexpr std::string_view kLineEnd = "\r\n";

  std::size_t size = head.size() + kLineEnd.size() + body.size();
  if (bearer_token != nullptr) {
    size += kAuthorization.size() + bearer_token->size() + kLineEnd.size();
  }
  crypto::SecretBytes request(size);
  std::uint8_t* out = request.data();
  const auto append = [&out](ByteView part) {
    if (!part.empty()) {
      std::memcpy(out, part.data(), part.size());
      out += part.size();
    }
  };
  append(AsBytes(head));
  if (bearer_token != nullptr) {
    append(AsBytes(kAuthorization));
    append(bearer_token->view());
    append(AsBytes(kLineEnd));
  }
  append(AsBytes(kLineEnd));
  append(body);
  return request;
}

std::string Milliseconds(std::chrono::milliseconds value) {
  return std::to_string(value.count()) + " ms";
}

}  // namespace

HttpsClient::HttpsClient(HttpsClientOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}

HttpsClient::~HttpsClient() { Close(); }

Result<std::unique_ptr<HttpsClient>> HttpsClient::Create(HttpsClientOptions options) {
  if (options.ca_file.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "ca_file_missing",
                     "no CA file was given for " + options.server.ToString() +
                         "; pass the PEM file with the devtrust server's root certificates "
                         "(--ca-file)");
  }
  std::unique_ptr<HttpsClient> client(new HttpsClient(std::move(options)));
  const HttpsClientOptions& settings = client->options_;
  if (Status configured =
          crypto::ConfigureTlsClientContext(client->impl_->ssl_context.native_handle(),
                                            {.ca_file = settings.ca_file,
                                             .signature_algorithms = settings.signature_algorithms,
                                             .groups = settings.groups});
      !configured) {
    return std::unexpected(configured.error());
  }
  return client;
}

Status HttpsClient::Connect() {
  Impl& impl = *impl_;
  impl.Drop();
  const std::string address = options_.server.Authority();

  error_code error;
  net::ip::tcp::resolver resolver(impl.io_context);
  const net::ip::tcp::resolver::results_type endpoints =
      resolver.resolve(options_.server.host, std::to_string(options_.server.port), error);
  if (error) {
    return MakeError(StatusCode::kUnavailable, "server_unreachable",
                     "resolving " + options_.server.host + " failed: " + error.message() +
                         "; check the host in the server URL");
  }

  impl.stream.emplace(impl.io_context, impl.ssl_context);
  if (Status named =
          crypto::ConfigureTlsClientConnection(impl.stream->native_handle(), options_.server.host);
      !named) {
    impl.Drop();
    return named;
  }

  beast::tcp_stream& tcp = beast::get_lowest_layer(*impl.stream);
  tcp.expires_after(options_.connect_timeout);
  tcp.async_connect(endpoints,
                    [&error](error_code result, const net::ip::tcp::endpoint&) { error = result; });
  impl.RunUntilDone();
  if (error == beast::error::timeout) {
    impl.Drop();
    return MakeError(
        StatusCode::kDeadlineExceeded, "server_timeout",
        "connecting to " + address + " timed out after " + Milliseconds(options_.connect_timeout));
  }
  if (error) {
    impl.Drop();
    return MakeError(StatusCode::kUnavailable, "server_unreachable",
                     "connecting to " + address + " failed: " + error.message() +
                         "; check that the devtrust server runs and listens there");
  }

  tcp.expires_after(options_.connect_timeout);
  impl.stream->async_handshake(net::ssl::stream_base::client,
                               [&error](error_code result) { error = result; });
  impl.RunUntilDone();
  if (error == beast::error::timeout) {
    impl.Drop();
    return MakeError(StatusCode::kDeadlineExceeded, "server_timeout",
                     "the TLS handshake with " + address + " timed out after " +
                         Milliseconds(options_.connect_timeout));
  }
  if (error) {
    impl.Drop();
    return MakeError(StatusCode::kUnavailable, "tls_handshake_failed",
                     "the TLS 1.3 handshake with " + address + " failed: " + error.message() +
                         "; check that " + options_.ca_file +
                         " holds the root certificates of the devtrust CA that issued the "
                         "server's certificate, and that the server name is in that "
                         "certificate");
  }

  Result<crypto::TlsSessionInfo> session = crypto::DescribeTlsSession(impl.stream->native_handle());
  if (!session) {
    impl.Drop();
    return std::unexpected(session.error());
  }
  tls_session_ = std::move(*session);
  ++connections_opened_;
  return {};
}

Result<HttpResponse> HttpsClient::Exchange(const crypto::SecretBytes& request,
                                           bool* nothing_received) {
  Impl& impl = *impl_;
  const std::string address = options_.server.Authority();
  *nothing_received = true;

  error_code error;
  beast::get_lowest_layer(*impl.stream).expires_after(options_.request_timeout);
  net::async_write(*impl.stream, net::buffer(request.data(), request.size()),
                   [&error](error_code result, std::size_t) { error = result; });
  impl.RunUntilDone();
  if (error == beast::error::timeout) {
    return MakeError(StatusCode::kDeadlineExceeded, "server_timeout",
                     "sending a request to " + address + " timed out after " +
                         Milliseconds(options_.request_timeout));
  }
  if (error) {
    return MakeError(StatusCode::kUnavailable, "server_connection_failed",
                     "sending a request to " + address + " failed: " + error.message());
  }

  http::response_parser<http::string_body> parser;
  parser.header_limit(kMaxResponseHeaderBytes);
  parser.body_limit(options_.max_response_bytes);
  http::async_read(*impl.stream, impl.buffer, parser,
                   [&error](error_code result, std::size_t) { error = result; });
  impl.RunUntilDone();
  *nothing_received = !parser.got_some() && impl.buffer.size() == 0;
  if (error == beast::error::timeout) {
    return MakeError(StatusCode::kDeadlineExceeded, "server_timeout",
                     "waiting for the response from " + address + " timed out after " +
                         Milliseconds(options_.request_timeout));
  }
  if (error == http::error::body_limit) {
    return MakeError(StatusCode::kResourceExhausted, "response_too_large",
                     "the response from " + address + " is larger than " +
                         std::to_string(options_.max_response_bytes) + " bytes");
  }
  if (error) {
    return MakeError(StatusCode::kUnavailable, "server_connection_failed",
                     "reading the response from " + address + " failed: " + error.message());
  }

  http::response<http::string_body> message = parser.release();
  HttpResponse response;
  response.status = message.result_int();
  response.content_type = std::string(message[http::field::content_type]);
  response.trace_id = std::string(message["X-Trace-Id"]);
  response.body = std::move(message.body());
  if (!message.keep_alive()) {
    impl.Drop();
  }
  return response;
}

Result<HttpResponse> HttpsClient::Send(std::string_view method, std::string_view target,
                                       ByteView body, const crypto::SecretBytes* bearer_token) {
  if (Status checked = CheckRequestParts(method, target, bearer_token); !checked) {
    return std::unexpected(checked.error());
  }
  const crypto::SecretBytes request =
      BuildRequest(method, target, options_.server.Authority(), body, bearer_token);

  const auto now = std::chrono::steady_clock::now();
  if (impl_->stream && now - last_used_ > options_.max_idle) {
    Close();
  }

  const bool reused = impl_->stream.has_value();
  if (!reused) {
    if (Status connected = Connect(); !connected) {
      return std::unexpected(connected.error());
    }
  }

  bool nothing_received = false;
  Result<HttpResponse> response = Exchange(request, &nothing_received);
  if (!response && reused && nothing_received &&
      response.error().reason() == "server_connection_failed") {
    // A reused connection that returns no response bytes almost always means
    // that the server closed it as idle before reading the request.
    // NOTE: if the server read the request and failed before answering, the
    // request is applied twice; a repeated login proof then gets nonce_reused.
    impl_->Drop();
    if (Status connected = Connect(); !connected) {
      return std::unexpected(connected.error());
    }
    response = Exchange(request, &nothing_received);
  }
  if (!response) {
    impl_->Drop();
  }
  last_used_ = std::chrono::steady_clock::now();
  return response;
}

void HttpsClient::Close() {
  Impl& impl = *impl_;
  if (!impl.stream) {
    return;
  }
  // close_notify signals that the connection ends on purpose. The server's
  // reply is waited for only briefly.
  error_code ignored;
  beast::get_lowest_layer(*impl.stream).expires_after(kCloseNotifyTimeout);
  impl.stream->async_shutdown([&ignored](error_code result) { ignored = result; });
  impl.RunUntilDone();
  impl.Drop();
}

}  // namespace devtrust::client
