// Slow and numerous clients against the real `devtrust serve`: a header
// written byte by byte, a body that never finishes, connections that never
// start TLS or never send a request, plain HTTP on the TLS port, and more
// connections than listen.max_connections. The server must cut each slow
// client off at its timeout, keep serving others meanwhile, and close
// connections over the limit at once. The timeouts are set to 2 s here so
// that the tests wait seconds, not the defaults' minutes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bad_input_fixture.h"

namespace devtrust::hardening {
namespace {

using std::chrono::milliseconds;

// How long a test waits for the server to close a connection: well over the
// 2 s timeouts configured below, so that a slow machine does not fail it.
constexpr milliseconds kCloseWait{15'000};

// A plain TCP connection to 127.0.0.1, for clients that never start TLS.
class TcpConnection {
 public:
  static std::optional<TcpConnection> Open(std::uint16_t port) {
    const int socket_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (socket_fd < 0) return std::nullopt;
    TcpConnection connection(socket_fd);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(socket_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      return std::nullopt;
    }
    return connection;
  }

  TcpConnection(TcpConnection&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  TcpConnection& operator=(TcpConnection&&) = delete;
  ~TcpConnection() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool Send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Reads and discards until the peer closes, and returns whether it closed
  // within `wait`.
  bool WaitForClose(milliseconds wait) {
    timeval timeout{};
    timeout.tv_sec = static_cast<time_t>(wait.count() / 1000);
    timeout.tv_usec = static_cast<suseconds_t>(wait.count() % 1000 * 1000);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    const auto deadline = std::chrono::steady_clock::now() + wait;
    char discard[1024];
    while (std::chrono::steady_clock::now() < deadline) {
      const ssize_t got = ::recv(fd_, discard, sizeof(discard), 0);
      if (got == 0) return true;
      if (got < 0) return errno == ECONNRESET;
    }
    return false;
  }

 private:
  explicit TcpConnection(int fd) : fd_(fd) {}
  int fd_ = -1;
};

class SlowClientTest : public BadInputTest {
 protected:
  ServeHarnessOptions Options() const override {
    ServeHarnessOptions options;
    options.listen_settings =
        "handshake_timeout: 2s, header_timeout: 2s, body_timeout: 2s, idle_timeout: 2s";
    return options;
  }

  // Checks /healthz on a new connection.
  void ExpectHealthy() {
    Result<std::unique_ptr<client::HttpsClient>> fresh = harness_->NewHttpsClient();
    ASSERT_TRUE(fresh.has_value());
    Result<client::HttpResponse> health = (*fresh)->Send("GET", "/healthz", {});
    ASSERT_TRUE(health.has_value()) << health.error().ToString();
    EXPECT_EQ(health->status, 200u);
  }
};

TEST_F(SlowClientTest, HeaderWrittenByteByByteIsCutOff) {
  // 42 bytes at one per 150 ms take 6.3 s, three times the header timeout.
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  constexpr int kSlowClients = 3;
  std::vector<std::size_t> bytes_written(kSlowClients, 0);
  // char, not bool: each thread writes its own element.
  std::vector<char> closed(kSlowClients, 0);
  std::vector<std::thread> slow_clients;
  for (int i = 0; i < kSlowClients; ++i) {
    slow_clients.emplace_back([&, i] {
      Result<std::unique_ptr<server::testing::TestClient>> client = harness_->NewRawClient();
      if (!client) return;
      for (const char byte : request) {
        if (!(*client)->WriteRaw(std::string_view(&byte, 1))) break;
        ++bytes_written[static_cast<std::size_t>(i)];
        std::this_thread::sleep_for(milliseconds(150));
      }
      closed[static_cast<std::size_t>(i)] = (*client)->WaitForClose(kCloseWait) ? 1 : 0;
    });
  }

  // Other clients are served while the slow ones trickle.
  std::this_thread::sleep_for(milliseconds(500));
  ExpectHealthy();
  for (std::thread& thread : slow_clients) thread.join();

  for (int i = 0; i < kSlowClients; ++i) {
    SCOPED_TRACE("slow client " + std::to_string(i));
    // The server closed the connection before the header was complete, so
    // a later write failed.
    EXPECT_LT(bytes_written[static_cast<std::size_t>(i)], request.size());
    EXPECT_EQ(closed[static_cast<std::size_t>(i)], 1);
  }
  ExpectServerStillServes();
}

TEST_F(SlowClientTest, UnfinishedRequestsAreClosed) {
  const std::string post =
      "POST /v1/challenges HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
      "Bearer " +
      harness_->relying_party_key() + "\r\nContent-Type: application/json\r\n";
  const std::vector<std::pair<std::string, std::string>> unfinished = {
      {"nothing after the handshake", ""},
      {"header never ends", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"},
      {"body shorter than Content-Length", post + "Content-Length: 100\r\n\r\n{\"purpose\":"},
      {"chunked body without its last chunk",
       post + "Transfer-Encoding: chunked\r\n\r\nb\r\n{\"purpose\":\r\n"},
      {"chunk shorter than its size", post + "Transfer-Encoding: chunked\r\n\r\n40\r\n{\"pur"},
  };
  for (const auto& [name, bytes] : unfinished) {
    SCOPED_TRACE("case: " + name);
    Result<std::unique_ptr<server::testing::TestClient>> client = harness_->NewRawClient();
    ASSERT_TRUE(client.has_value()) << client.error().ToString();
    if (!bytes.empty()) {
      ASSERT_TRUE((*client)->WriteRaw(bytes).has_value());
    }
    EXPECT_TRUE((*client)->WaitForClose(kCloseWait));
  }
  ExpectServerStillServes();
}

TEST_F(SlowClientTest, ConnectionsWithoutTlsAreClosed) {
  // A TCP connection that never sends a ClientHello is cut at the handshake
  // timeout.
  std::optional<TcpConnection> silent = TcpConnection::Open(harness_->port());
  ASSERT_TRUE(silent.has_value());
  EXPECT_TRUE(silent->WaitForClose(kCloseWait));

  // Plain HTTP on the TLS port fails the handshake.
  std::optional<TcpConnection> plain = TcpConnection::Open(harness_->port());
  ASSERT_TRUE(plain.has_value());
  ASSERT_TRUE(plain->Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  EXPECT_TRUE(plain->WaitForClose(kCloseWait));

  // So does a ClientHello that breaks off after its record header.
  std::optional<TcpConnection> partial = TcpConnection::Open(harness_->port());
  ASSERT_TRUE(partial.has_value());
  ASSERT_TRUE(partial->Send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
  EXPECT_TRUE(partial->WaitForClose(kCloseWait));

  ExpectServerStillServes();
}

class ConnectionLimitTest : public BadInputTest {
 protected:
  static constexpr int kMaxConnections = 8;

  ServeHarnessOptions Options() const override {
    ServeHarnessOptions options;
    options.listen_settings = "max_connections: " + std::to_string(kMaxConnections);
    return options;
  }

  // Polls /healthz on new connections until one answers 200 or `wait` runs
  // out, because the server counts a closed connection only once it has
  // noticed the close.
  bool BecomesHealthy(milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      Result<std::unique_ptr<client::HttpsClient>> fresh = harness_->NewHttpsClient();
      if (fresh) {
        Result<client::HttpResponse> health = (*fresh)->Send("GET", "/healthz", {});
        if (health && health->status == 200) return true;
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
    return false;
  }
};

TEST_F(ConnectionLimitTest, ConnectionsOverTheLimitAreClosedAtOnce) {
  // The fixture's own clients hold no connection yet, so these fill the
  // limit. They never start TLS and stay open for the 10 s handshake timeout.
  std::vector<TcpConnection> holders;
  for (int i = 0; i < kMaxConnections; ++i) {
    std::optional<TcpConnection> holder = TcpConnection::Open(harness_->port());
    ASSERT_TRUE(holder.has_value());
    holders.push_back(*std::move(holder));
  }

  // The kernel still completes the TCP handshake, but the server closes the
  // connection before TLS, so the handshake fails and no request is served.
  std::optional<TcpConnection> over_the_limit = TcpConnection::Open(harness_->port());
  ASSERT_TRUE(over_the_limit.has_value());
  EXPECT_TRUE(over_the_limit->WaitForClose(milliseconds(5'000)));
  Result<std::unique_ptr<server::testing::TestClient>> tls_client =
      harness_->NewRawClient(milliseconds(5'000));
  EXPECT_FALSE(tls_client.has_value());

  // Once the holders leave, connections are served again.
  holders.clear();
  EXPECT_TRUE(BecomesHealthy(milliseconds(10'000)));
  ExpectServerStillServes();
}

TEST_F(ConnectionLimitTest, ManyConcurrentClientsGetAnswersOrClosedConnections) {
  constexpr int kClients = 4 * kMaxConnections;
  std::atomic<int> served{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      Result<std::unique_ptr<client::HttpsClient>> https = harness_->NewHttpsClient();
      if (!https) {
        ++other;
        return;
      }
      // A few requests each, so that connections overlap.
      for (int request = 0; request < 3; ++request) {
        Result<client::HttpResponse> health = (*https)->Send("GET", "/healthz", {});
        if (health && health->status == 200) {
          ++served;
        } else if (!health && (health.error().reason() == "tls_handshake_failed" ||
                               health.error().reason() == "server_connection_failed")) {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  for (std::thread& thread : clients) thread.join();

  // Every request was either served or refused by a closed connection.
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(served.load() + refused.load(), 3 * kClients);
  EXPECT_GT(served.load(), 0);
  EXPECT_TRUE(BecomesHealthy(milliseconds(10'000)));
  ExpectServerStillServes();
}

}  // namespace
}  // namespace devtrust::hardening
