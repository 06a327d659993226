// A blocking HTTPS client for tests, built on Beast and the devtrust client TLS
// context (ConfigureTlsClientContext), with a timeout on every operation.
#ifndef DEVTRUST_SERVER_TESTING_TEST_CLIENT_H_
#define DEVTRUST_SERVER_TESTING_TEST_CLIENT_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "crypto/tls_context.h"
#include "server/http_types.h"

namespace devtrust::server::testing {

struct TestClientOptions {
  std::string ca_file;
  // The address to connect to and the name to verify and send as SNI.
  std::string address = "127.0.0.1";
  std::string server_name = "127.0.0.1";
  std::string groups = std::string(crypto::kClientTlsGroups);
  std::string signature_algorithms = "mldsa65:ecdsa_secp256r1_sha256";
  // The limit for each connect, handshake, write and read.
  std::chrono::milliseconds timeout{10'000};
};

class TestClient {
 public:
  // Connects and completes the TLS handshake. Errors: "client_io_failed".
  static Result<std::unique_ptr<TestClient>> Connect(std::uint16_t port, TestClientOptions options);

  // Writes `request` and reads one response.
  Result<Response> RoundTrip(Request request);
  // Writes bytes as they are, for malformed or slow requests.
  Status WriteRaw(std::string_view bytes);
  // Reads one response.
  Result<Response> ReadResponse();
  // Reads until the server closes the connection or `wait` runs out, and
  // returns whether it closed. Data that arrives first, such as an error
  // response, is discarded.
  bool WaitForClose(std::chrono::milliseconds wait);

  const crypto::TlsSessionInfo& session() const { return session_; }

 private:
  explicit TestClient(TestClientOptions options);

  // Runs the io_context until the started operation completes.
  void RunUntilDone();

  TestClientOptions options_;
  boost::asio::io_context io_context_;
  boost::asio::ssl::context ssl_context_;
  // Created after the context is configured, since the SSL object copies its
  // settings from the context.
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> stream_;
  boost::beast::flat_buffer buffer_;
  crypto::TlsSessionInfo session_;
};

// A request with Host set, and the body with Content-Type when `body` is not
// empty.
Request MakeRequest(http::verb method, std::string_view target, std::string body = "",
                    std::string_view content_type = "application/json");

}  // namespace devtrust::server::testing

#endif  // DEVTRUST_SERVER_TESTING_TEST_CLIENT_H_
