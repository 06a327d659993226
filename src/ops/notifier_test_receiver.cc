#include "ops/notifier_test_receiver.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>

namespace devtrust::ops::testing {

namespace net = boost::asio;
namespace http = boost::beast::http;

struct TestReceiver::Impl {
  net::io_context io_context;
  net::ip::tcp::acceptor acceptor{io_context};
};

TestReceiver::TestReceiver() : impl_(std::make_unique<Impl>()) {
  const net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  thread_ = std::thread([this] { Serve(); });
}

TestReceiver::~TestReceiver() {
  boost::system::error_code ignored;
  // shutdown() wakes the blocking accept(); close() alone may not.
  impl_->acceptor.cancel(ignored);
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  impl_->acceptor.close(ignored);
  if (thread_.joinable()) thread_.join();
}

void TestReceiver::QueueStatuses(std::vector<unsigned> statuses) {
  const std::lock_guard<std::mutex> lock(mutex_);
  statuses_.insert(statuses_.end(), statuses.begin(), statuses.end());
}

void TestReceiver::SetResponseBody(std::string body) {
  const std::lock_guard<std::mutex> lock(mutex_);
  response_body_ = std::move(body);
}

std::vector<ReceivedRequest> TestReceiver::Requests() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

void TestReceiver::Serve() {
  for (;;) {
    boost::system::error_code error;
    net::ip::tcp::socket socket(impl_->io_context);
    impl_->acceptor.accept(socket, error);
    if (error) return;

    // One request per connection, which is what the webhook client sends.
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(socket, buffer, request, error);
    if (error) continue;

    ReceivedRequest received;
    received.method = std::string(request.method_string());
    received.target = std::string(request.target());
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      received.headers[name] = std::string(field.value());
    }
    received.body = request.body();

    http::response<http::string_body> response;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(std::move(received));
      unsigned status = 204;
      if (!statuses_.empty()) {
        status = statuses_.front();
        statuses_.pop_front();
      }
      response.result(status);
      // 204 and 304 responses have no body (RFC 9110 section 6.4.1).
      if (status != 204 && status != 304) response.body() = response_body_;
    }
    response.version(11);
    response.keep_alive(false);
    response.prepare_payload();
    http::write(socket, response, error);
    socket.shutdown(net::ip::tcp::socket::shutdown_both, error);
  }
}

}  // namespace devtrust::ops::testing
