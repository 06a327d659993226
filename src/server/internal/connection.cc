#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <string>
#include <utility>

#include "server/error_mapping.h"
#include "server/internal/server_core.h"

namespace devtrust::server::internal {
namespace {

namespace beast = boost::beast;
using boost::system::error_code;

// Time allowed to send close_notify and see the peer's, before the socket is
// closed anyway.
constexpr std::chrono::seconds kTlsShutdownTimeout{2};

// Time and bytes a closing connection reads and discards after close_notify.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kMaxLingerBytes = 1024 * 1024;

// Bytes requested by the read that waits for the start of a request.
constexpr std::size_t kFirstReadBytes = 4096;

bool IsHttpSyntaxError(const error_code& error) {
  return error.category() ==
         beast::http::make_error_code(beast::http::error::bad_target).category();
}

// Errors that mean the peer went away, which end the connection quietly.
bool IsPeerGone(const error_code& error) {
  return error == beast::http::error::end_of_stream ||
         error == beast::http::error::partial_message || error == net::error::eof ||
         error == net::ssl::error::stream_truncated || error == net::error::connection_reset ||
         error == net::error::broken_pipe;
}

Error HeaderTooLarge(std::size_t max_header_bytes) {
  return Error(StatusCode::kResourceExhausted, "header_too_large",
               "the request line and header exceed " + std::to_string(max_header_bytes) + " bytes");
}

std::chrono::nanoseconds ElapsedSince(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              since);
}

}  // namespace

HttpsConnection::HttpsConnection(tcp::socket socket, ServerCore& core)
    : core_(core), strand_(socket.get_executor()), stream_(std::move(socket), core.ssl_context) {
  error_code error;
  const tcp::endpoint remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(error);
  if (error) {
    return;
  }
  net::ip::address address = remote.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  remote_address_ = address.to_string();
  remote_port_ = remote.port();
  remote_is_loopback_ = address.is_loopback();
}

HttpsConnection::~HttpsConnection() {
  if (registration_.has_value()) {
    core_.Unregister(*registration_);
  }
  core_.counters.connections_open.fetch_sub(1, std::memory_order_relaxed);
}

void HttpsConnection::SetDeadline(std::chrono::steady_clock::duration timeout) {
  beast::get_lowest_layer(stream_).expires_after(timeout);
}

void HttpsConnection::Start() {
  registration_ = core_.Register(weak_from_this());
  net::dispatch(strand_, [self = shared_from_this()] {
    self->SetDeadline(self->core_.options.handshake_timeout);
    self->stream_.async_handshake(net::ssl::stream_base::server,
                                  beast::bind_front_handler(&HttpsConnection::OnHandshake, self));
  });
}

void HttpsConnection::Drain() {
  // Only a connection between requests closes at once. One with a request in
  // progress finishes it first.
  if (state_ == State::kAwaitingRequest) {
    beast::get_lowest_layer(stream_).cancel();
  }
}

void HttpsConnection::OnHandshake(error_code error) {
  if (error) {
    if (error == beast::error::timeout) {
      core_.counters.handshake_timeouts.fetch_add(1, std::memory_order_relaxed);
    } else {
      core_.counters.handshake_failures.fetch_add(1, std::memory_order_relaxed);
    }
    core_.logger->Debug({{"remote_address", remote_address_}}, "TLS handshake failed: {}",
                        error.message());
    return;
  }

  if (Result<crypto::TlsSessionInfo> info = crypto::DescribeTlsSession(stream_.native_handle());
      info.has_value()) {
    tls_ = std::move(*info);
  }
  AwaitRequest();
}

void HttpsConnection::AwaitRequest() {
  if (core_.draining.load(std::memory_order_relaxed)) {
    Close();
    return;
  }

  state_ = State::kAwaitingRequest;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(core_.options.max_header_bytes));
  parser_->body_limit(core_.options.max_body_bytes);

  // The first request's header must be complete within header_timeout of the
  // handshake, and later requests may wait idle_timeout for their first byte.
  if (first_request_) {
    SetDeadline(core_.options.header_timeout);
  } else {
    SetDeadline(core_.options.idle_timeout);
  }

  // A pipelined request may already be in the buffer.
  if (buffer_.size() > 0) {
    ReadHeader();
    return;
  }
  stream_.async_read_some(
      buffer_.prepare(kFirstReadBytes),
      beast::bind_front_handler(&HttpsConnection::OnFirstBytes, shared_from_this()));
}

void HttpsConnection::OnFirstBytes(error_code error, std::size_t bytes) {
  if (error == beast::error::timeout) {
    (first_request_ ? core_.counters.header_timeouts : core_.counters.idle_timeouts)
        .fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (error == net::error::operation_aborted) {
    Close();  // drained
    return;
  }
  if (error) {
    return;
  }

  buffer_.commit(bytes);
  ReadHeader();
}

void HttpsConnection::ReadHeader() {
  state_ = State::kReadingRequest;
  if (!first_request_) {
    SetDeadline(core_.options.header_timeout);
  }
  beast::http::async_read_header(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&HttpsConnection::OnHeader, shared_from_this()));
}

void HttpsConnection::OnHeader(error_code error, std::size_t bytes) {
  if (error) {
    OnReadError(error);
    return;
  }

  // Boost.Beast 1.81 applies header_limit to the part of the header that
  // each parse step sees, so a header that arrives in several reads can pass
  // it: 12000 bytes split into 4096 + 7904 passed a limit of 8192. `bytes` is
  // the whole header, so the limit is checked once more here.
  if (bytes > core_.options.max_header_bytes) {
    core_.counters.headers_too_large.fetch_add(1, std::memory_order_relaxed);
    RejectRequest(HeaderTooLarge(core_.options.max_header_bytes));
    return;
  }

  const auto& header = parser_->get();
  request_version_ = header.version();

  // 1. Only HTTP/1.0 and 1.1, and 1.1 needs Host (RFC 9112 section 3.2).
  if (request_version_ != 10 && request_version_ != 11) {
    request_version_ = 11;
    RejectRequest(Error(StatusCode::kInvalidArgument, "invalid_request",
                        "only HTTP/1.0 and HTTP/1.1 are supported"));
    return;
  }
  if (request_version_ == 11 && header.find(beast::http::field::host) == header.end()) {
    RejectRequest(Error(StatusCode::kInvalidArgument, "invalid_request",
                        "an HTTP/1.1 request needs a Host header"));
    return;
  }

  // 2. Expect: 100-continue gets its interim response before the body is read
  // (RFC 9110 section 10.1.1). No other expectation is supported.
  const auto expect = header.find(beast::http::field::expect);
  if (expect != header.end()) {
    if (!beast::iequals(expect->value(), "100-continue")) {
      RejectRequest(Error(StatusCode::kInvalidArgument, "invalid_request",
                          "only the Expect value 100-continue is supported"));
      return;
    }
    if (!parser_->is_done()) {
      continue_.emplace(beast::http::status::continue_, request_version_);
      SetDeadline(core_.options.write_timeout);
      beast::http::async_write(
          stream_, *continue_,
          beast::bind_front_handler(&HttpsConnection::OnContinueWritten, shared_from_this()));
      return;
    }
  }

  if (parser_->is_done()) {
    Dispatch();
    return;
  }
  ReadBody();
}

void HttpsConnection::OnContinueWritten(error_code error, std::size_t /*bytes*/) {
  continue_.reset();
  if (error) {
    if (error == beast::error::timeout) {
      core_.counters.write_timeouts.fetch_add(1, std::memory_order_relaxed);
    }
    return;
  }
  ReadBody();
}

void HttpsConnection::ReadBody() {
  SetDeadline(core_.options.body_timeout);
  beast::http::async_read(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpsConnection::OnBody, shared_from_this()));
}

void HttpsConnection::OnBody(error_code error, std::size_t /*bytes*/) {
  if (error) {
    OnReadError(error);
    return;
  }
  Dispatch();
}

void HttpsConnection::OnReadError(error_code error) {
  ServerCounters& counters = core_.counters;

  if (error == beast::error::timeout) {
    // Beast has closed the socket already.
    (parser_->is_header_done() ? counters.body_timeouts : counters.header_timeouts)
        .fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (error == beast::http::error::header_limit) {
    counters.headers_too_large.fetch_add(1, std::memory_order_relaxed);
    RejectRequest(HeaderTooLarge(core_.options.max_header_bytes));
    return;
  }
  if (error == beast::http::error::body_limit) {
    counters.bodies_too_large.fetch_add(1, std::memory_order_relaxed);
    RejectRequest(Error(
        StatusCode::kResourceExhausted, "body_too_large",
        "the request body exceeds " + std::to_string(core_.options.max_body_bytes) + " bytes"));
    return;
  }
  if (error == net::error::operation_aborted) {
    Close();
    return;
  }
  if (IsPeerGone(error)) {
    return;
  }
  if (IsHttpSyntaxError(error)) {
    counters.malformed_requests.fetch_add(1, std::memory_order_relaxed);
    RejectRequest(Error(StatusCode::kInvalidArgument, "invalid_request",
                        "the request is not valid HTTP/1.1 (RFC 9112)"));
    return;
  }
  core_.logger->Debug({{"remote_address", remote_address_}}, "reading a request failed: {}",
                      error.message());
}

void HttpsConnection::RejectRequest(const Error& error) {
  keep_alive_ = false;
  const std::string trace_id = GenerateTraceId();
  WriteResponse(MakeErrorResponse(error, trace_id), trace_id);
}

void HttpsConnection::Dispatch() {
  state_ = State::kHandling;
  first_request_ = false;
  Request request = parser_->release();
  keep_alive_ = request.keep_alive();

  RequestContext context;
  const auto traceparent = request.find("traceparent");
  std::optional<std::string> trace_id;
  if (traceparent != request.end()) {
    trace_id = TraceIdFromTraceparent(traceparent->value());
  }
  context.trace_id = trace_id.has_value() ? std::move(*trace_id) : GenerateTraceId();
  context.remote_address = remote_address_;
  context.remote_port = remote_port_;
  context.remote_is_loopback = remote_is_loopback_;
  context.tls = tls_;
  context.received_at = std::chrono::steady_clock::now();
  core_.counters.requests.fetch_add(1, std::memory_order_relaxed);

  // The handler may block, so it runs on a worker, and the response comes
  // back to this connection's strand.
  net::post(core_.workers, [self = shared_from_this(), request = std::move(request),
                            context = std::move(context)]() mutable {
    ServerCore& core = self->core_;
    Response response;
    try {
      response = core.dispatcher->Dispatch(request, context);
    } catch (const std::exception& exception) {
      // The dispatcher catches handler exceptions, so this is a failure in the
      // pipeline itself, such as memory running out.
      core.logger->Error({{"trace_id", context.trace_id}}, "dispatching a request failed: {}",
                         exception.what());
      response = MakeErrorResponse(Error(StatusCode::kInternal, "internal", "dispatch failed"),
                                   context.trace_id);
    }

    if (core.options.on_request_completed) {
      try {
        core.options.on_request_completed(context, response.result_int(),
                                          ElapsedSince(context.received_at));
      } catch (const std::exception& exception) {
        core.logger->Error({{"trace_id", context.trace_id}},
                           "the request completion callback threw: {}", exception.what());
      }
    }

    net::post(self->strand_, [self, response = std::move(response),
                              trace_id = std::move(context.trace_id)]() mutable {
      self->WriteResponse(std::move(response), trace_id);
    });
  });
}

void HttpsConnection::WriteResponse(Response response, const std::string& trace_id) {
  state_ = State::kWriting;
  keep_alive_ = keep_alive_ && !core_.draining.load(std::memory_order_relaxed);

  response.version(request_version_);
  response.keep_alive(keep_alive_);
  response.set("X-Trace-Id", trace_id);
  response.prepare_payload();
  core_.counters.CountResponse(response.result_int());

  response_ = std::move(response);
  SetDeadline(core_.options.write_timeout);
  beast::http::async_write(
      stream_, *response_,
      beast::bind_front_handler(&HttpsConnection::OnWrite, shared_from_this()));
}

void HttpsConnection::OnWrite(error_code error, std::size_t /*bytes*/) {
  response_.reset();
  if (error) {
    if (error == beast::error::timeout) {
      core_.counters.write_timeouts.fetch_add(1, std::memory_order_relaxed);
    }
    return;
  }
  if (!keep_alive_) {
    Close();
    return;
  }
  AwaitRequest();
}

void HttpsConnection::Close() {
  state_ = State::kClosing;
  SetDeadline(kTlsShutdownTimeout);
  stream_.async_shutdown([self = shared_from_this()](error_code /*error*/) { self->Linger(); });
}

void HttpsConnection::Linger() {
  // A client may still be sending a request body that was refused, such as
  // one over max_body_bytes. Closing a socket with unread data makes the
  // kernel send a reset, which can destroy the response before the client
  // reads it, so half-close and discard input for a while first (RFC 9112
  // section 9.6).
  error_code ignored;
  beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
  SetDeadline(kLingerTimeout);
  beast::get_lowest_layer(stream_).async_read_some(
      net::buffer(linger_buffer_),
      beast::bind_front_handler(&HttpsConnection::OnLinger, shared_from_this()));
}

void HttpsConnection::OnLinger(error_code error, std::size_t bytes) {
  lingered_bytes_ += bytes;
  if (error || lingered_bytes_ > kMaxLingerBytes) {
    return;  // the socket closes when the last handler releases the connection
  }
  beast::get_lowest_layer(stream_).async_read_some(
      net::buffer(linger_buffer_),
      beast::bind_front_handler(&HttpsConnection::OnLinger, shared_from_this()));
}

}  // namespace devtrust::server::internal
