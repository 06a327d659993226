#include "ops/webhook_client.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
// GCC 12 at -O2 reports -Wnull-dereference inside Asio's io_context and
// scheduler once they are inlined here; the warning is about Boost's code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ops/subprocess.h"

namespace devtrust::ops {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

struct ScriptedResponse {
  unsigned status = 200;
  std::string body = "ok";
  std::vector<HttpHeader> headers;
  milliseconds delay{0};  // wait before responding, to exercise timeouts
};

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::string content_type;
  std::string custom_header;
  std::string body;
};

// An HTTP/1.1 server on 127.0.0.1 and an ephemeral port that responds to each
// connection with the next scripted response (the last one repeats) and
// records what it received.
class ScriptedHttpServer {
 public:
  explicit ScriptedHttpServer(std::vector<ScriptedResponse> script)
      : script_(std::move(script)),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedHttpServer() {
    stopping_ = true;
    // A connection of our own wakes the blocking accept().
    boost::system::error_code ignored;
    tcp::socket waker(io_);
    // An error means the server thread has already stopped, which is fine.
    [[maybe_unused]] boost::system::error_code connect_error =
        waker.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ignored);
    thread_.join();
  }

  std::string Url(std::string_view path = "/services/T000/B000/secret") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

  std::vector<ReceivedRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void Serve() {
    for (std::size_t index = 0;; ++index) {
      boost::system::error_code error;
      tcp::socket socket(io_);
      if (acceptor_.accept(socket, error) || stopping_) {
        return;
      }
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, error);
      if (error) {
        continue;
      }
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(
            ReceivedRequest{std::string(request.method_string()), std::string(request.target()),
                            std::string(request[http::field::content_type]),
                            std::string(request["X-Devtrust-Test"]), request.body()});
      }
      const ScriptedResponse& scripted = script_[std::min(index, script_.size() - 1)];
      std::this_thread::sleep_for(scripted.delay);
      http::response<http::string_body> response{static_cast<http::status>(scripted.status), 11};
      for (const auto& [name, value] : scripted.headers) {
        response.set(name, value);
      }
      response.set(http::field::connection, "close");
      response.body() = scripted.body;
      response.prepare_payload();
      http::write(socket, response, error);
      if (socket.shutdown(tcp::socket::shutdown_both, error)) {
        continue;  // the client has closed already
      }
    }
  }

  std::vector<ScriptedResponse> script_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
};

// Options that record the waits instead of sleeping and take the top of the
// jitter range, so that delays are predictable.
struct RecordingOptions {
  std::vector<milliseconds> sleeps;
  std::vector<WebhookRetryNotice> notices;

  WebhookClientOptions Make() {
    WebhookClientOptions options;
    options.connect_timeout = milliseconds(2'000);
    options.attempt_timeout = milliseconds(5'000);
    options.sleep = [this](milliseconds delay) { sleeps.push_back(delay); };
    options.random_unit = [] { return 0.999999; };
    options.on_retry = [this](const WebhookRetryNotice& notice) { notices.push_back(notice); };
    return options;
  }
};

TEST(WebhookClientTest, PostsJsonWithHeaders) {
  ScriptedHttpServer server({ScriptedResponse{200, "ok", {}, {}}});
  RecordingOptions recording;
  WebhookClient client(recording.Make());
  std::vector<HttpHeader> headers = {{"X-Devtrust-Test", "value 1"}};

  Result<WebhookResponse> response =
      client.PostJson(server.Url("/hook?x=1"), R"({"text":"hi"})", headers);

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");
  EXPECT_EQ(response->attempts, 1);
  EXPECT_FALSE(response->body_truncated);
  std::vector<ReceivedRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hook?x=1");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].custom_header, "value 1");
  EXPECT_EQ(requests[0].body, R"({"text":"hi"})");
  EXPECT_TRUE(recording.sleeps.empty());
}

TEST(WebhookClientTest, RetriesServerErrorsWithExponentialBackoff) {
  ScriptedHttpServer server(
      {ScriptedResponse{500, "boom", {}, {}}, ScriptedResponse{502, "bad gateway", {}, {}},
       ScriptedResponse{503, "unavailable", {}, {}}, ScriptedResponse{200, "ok", {}, {}}});
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.max_attempts = 4;
  options.initial_backoff = milliseconds(100);
  options.max_backoff = milliseconds(10'000);
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->attempts, 4);
  EXPECT_EQ(server.requests().size(), 4u);
  // Jitter at the top of its range: 100, 200 and 400 ms (less a rounding
  // millisecond).
  ASSERT_EQ(recording.sleeps.size(), 3u);
  EXPECT_EQ(recording.sleeps[0], milliseconds(99));
  EXPECT_EQ(recording.sleeps[1], milliseconds(199));
  EXPECT_EQ(recording.sleeps[2], milliseconds(399));
  ASSERT_EQ(recording.notices.size(), 3u);
  EXPECT_EQ(recording.notices[0].reason, "HTTP 500");
  EXPECT_EQ(recording.notices[0].attempt, 1);
  EXPECT_EQ(recording.notices[2].reason, "HTTP 503");
  EXPECT_FALSE(recording.notices[2].from_retry_after);
}

TEST(WebhookClientTest, JitterStaysInUpperHalf) {
  ScriptedHttpServer server({ScriptedResponse{500, "", {}, {}}, ScriptedResponse{200, "", {}, {}}});
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.initial_backoff = milliseconds(1000);
  options.random_unit = [] { return 0.0; };
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  ASSERT_EQ(recording.sleeps.size(), 1u);
  EXPECT_EQ(recording.sleeps[0], milliseconds(500));
}

TEST(WebhookClientTest, BackoffIsCappedAtMaximum) {
  ScriptedHttpServer server({ScriptedResponse{500, "", {}, {}}});
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.max_attempts = 6;
  options.initial_backoff = milliseconds(1000);
  options.max_backoff = milliseconds(3000);
  options.random_unit = [] { return 0.5; };
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(recording.sleeps,
            (std::vector<milliseconds>{milliseconds(750), milliseconds(1500), milliseconds(2250),
                                       milliseconds(2250), milliseconds(2250)}));
}

TEST(WebhookClientTest, GivesUpAfterMaxAttempts) {
  ScriptedHttpServer server({ScriptedResponse{500, "internal error", {}, {}}});
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.max_attempts = 3;
  WebhookClient client(options);
  std::string url = server.Url("/services/T000/B000/do-not-print-me");

  Result<WebhookResponse> response = client.PostJson(url, "{}");

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(response.error().reason(), "webhook_http_error");
  EXPECT_EQ(response.error().message(),
            "webhook POST failed after 3 attempts: HTTP 500 (response: \"internal error\")");
  EXPECT_EQ(response.error().ToString().find("do-not-print-me"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(WebhookClientTest, DoesNotRetryClientErrors) {
  ScriptedHttpServer server({ScriptedResponse{400, "invalid_payload", {}, {}}});
  RecordingOptions recording;
  WebhookClient client(recording.Make());

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().message(),
            "webhook POST failed after 1 attempt: HTTP 400, which is not retried "
            "(response: \"invalid_payload\")");
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_TRUE(recording.sleeps.empty());
}

TEST(WebhookClientTest, DoesNotFollowRedirects) {
  ScriptedHttpServer server(
      {ScriptedResponse{302, "", {{"Location", "http://127.0.0.1:1/elsewhere"}}, {}}});
  RecordingOptions recording;
  WebhookClient client(recording.Make());

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().message(),
            "webhook POST failed after 1 attempt: HTTP 302, which is not retried");
}

TEST(WebhookClientTest, HonoursRetryAfterSecondsOn429) {
  ScriptedHttpServer server({ScriptedResponse{429, "rate_limited", {{"Retry-After", "7"}}, {}},
                             ScriptedResponse{200, "ok", {}, {}}});
  RecordingOptions recording;
  WebhookClient client(recording.Make());

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->attempts, 2);
  ASSERT_EQ(recording.sleeps.size(), 1u);
  EXPECT_EQ(recording.sleeps[0], milliseconds(7'000));
  ASSERT_EQ(recording.notices.size(), 1u);
  EXPECT_TRUE(recording.notices[0].from_retry_after);
  EXPECT_EQ(recording.notices[0].reason, "HTTP 429");
}

TEST(WebhookClientTest, HonoursRetryAfterDateOn503) {
  // An HTTP-date about 20 s ahead; the wait is whatever remains of it.
  auto later = std::chrono::system_clock::now() + std::chrono::seconds(20);
  std::time_t later_time = std::chrono::system_clock::to_time_t(later);
  std::tm later_utc{};
  ASSERT_NE(::gmtime_r(&later_time, &later_utc), nullptr);
  char date[64];
  ASSERT_GT(std::strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &later_utc), 0u);
  ScriptedHttpServer server({ScriptedResponse{503, "", {{"Retry-After", date}}, {}},
                             ScriptedResponse{200, "ok", {}, {}}});
  RecordingOptions recording;
  WebhookClient client(recording.Make());

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  ASSERT_EQ(recording.sleeps.size(), 1u);
  EXPECT_GT(recording.sleeps[0], milliseconds(10'000));
  EXPECT_LE(recording.sleeps[0], milliseconds(21'000));
  EXPECT_TRUE(recording.notices[0].from_retry_after);
}

TEST(WebhookClientTest, CapsLongRetryAfter) {
  ScriptedHttpServer server({ScriptedResponse{429, "", {{"Retry-After", "86400"}}, {}},
                             ScriptedResponse{200, "ok", {}, {}}});
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.max_retry_after = milliseconds(30'000);
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  ASSERT_EQ(recording.sleeps.size(), 1u);
  EXPECT_EQ(recording.sleeps[0], milliseconds(30'000));
}

TEST(WebhookClientTest, IgnoresRetryAfterOn500) {
  ScriptedHttpServer server({ScriptedResponse{500, "", {{"Retry-After", "40"}}, {}},
                             ScriptedResponse{200, "ok", {}, {}}});
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.initial_backoff = milliseconds(100);
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  ASSERT_EQ(recording.sleeps.size(), 1u);
  EXPECT_EQ(recording.sleeps[0], milliseconds(99));
  EXPECT_FALSE(recording.notices[0].from_retry_after);
}

TEST(WebhookClientTest, InvalidRetryAfterFallsBackToBackoff) {
  ScriptedHttpServer server({ScriptedResponse{429, "", {{"Retry-After", "soon"}}, {}},
                             ScriptedResponse{200, "ok", {}, {}}});
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.initial_backoff = milliseconds(100);
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  ASSERT_EQ(recording.sleeps.size(), 1u);
  EXPECT_EQ(recording.sleeps[0], milliseconds(99));
}

TEST(WebhookClientTest, RealRetryAfterOneSecond) {
  // End to end with the default sleep: the client really waits for the
  // one second that the server requests.
  ScriptedHttpServer server({ScriptedResponse{429, "rate_limited", {{"Retry-After", "1"}}, {}},
                             ScriptedResponse{200, "ok", {}, {}}});
  std::vector<WebhookRetryNotice> notices;
  WebhookClientOptions options;
  options.on_retry = [&notices](const WebhookRetryNotice& notice) { notices.push_back(notice); };
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->attempts, 2);
  EXPECT_EQ(server.requests().size(), 2u);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].delay, milliseconds(1'000));
  EXPECT_TRUE(notices[0].from_retry_after);
}

TEST(WebhookClientTest, CutsLargeResponses) {
  ScriptedHttpServer server({ScriptedResponse{200, std::string(1 << 20, 'x'), {}, {}}});
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.max_response_bytes = 1024;
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body.size(), 1024u);
  EXPECT_TRUE(response->body_truncated);
}

TEST(WebhookClientTest, RetriesTimeouts) {
  ScriptedHttpServer server({ScriptedResponse{200, "late", {}, milliseconds(600)}});
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.attempt_timeout = milliseconds(100);
  options.max_attempts = 2;
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().reason(), "webhook_transport_error");
  EXPECT_EQ(response.error().message(),
            "webhook POST failed after 2 attempts: Timeout was reached");
}

TEST(WebhookClientTest, RetriesRefusedConnections) {
  // Bind and close a socket so that nothing listens on its port.
  unsigned short port = 0;
  {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = acceptor.local_endpoint().port();
  }
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.max_attempts = 3;
  WebhookClient client(options);

  Result<WebhookResponse> response =
      client.PostJson("http://127.0.0.1:" + std::to_string(port) + "/hook", "{}");

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().reason(), "webhook_transport_error");
  EXPECT_EQ(response.error().message(),
            "webhook POST failed after 3 attempts: Couldn't connect to server");
  EXPECT_EQ(recording.sleeps.size(), 2u);
}

TEST(WebhookClientTest, RejectsPlainHttpToRemoteHost) {
  WebhookClient client;

  Result<WebhookResponse> response =
      client.PostJson("http://hooks.example.invalid/services/secret-path", "{}");

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().reason(), "webhook_url_invalid");
  EXPECT_EQ(response.error().message().find("secret-path"), std::string::npos);
  EXPECT_EQ(response.error().message().find("example.invalid"), std::string::npos);
}

TEST(WebhookClientTest, RejectsOtherSchemesAndGarbage) {
  WebhookClient client;
  for (std::string_view url : {"ftp://127.0.0.1/x", "file:///etc/passwd", "not a url", ""}) {
    Result<WebhookResponse> response = client.PostJson(url, "{}");
    ASSERT_FALSE(response.has_value()) << url;
    EXPECT_EQ(response.error().reason(), "webhook_url_invalid") << url;
  }
}

TEST(WebhookClientTest, RejectsHeaderInjection) {
  WebhookClient client;
  std::vector<std::vector<HttpHeader>> cases = {
      {{"X-Test", "a\r\nInjected: yes"}}, {{"X Test", "a"}}, {{"X-Test:", "a"}}, {{"", "a"}}};
  for (const auto& headers : cases) {
    Result<WebhookResponse> response = client.PostJson("http://127.0.0.1:9/hook", "{}", headers);
    ASSERT_FALSE(response.has_value());
    EXPECT_EQ(response.error().reason(), "webhook_header_invalid");
  }
}

TEST(ParseRetryAfterTest, ParsesSecondsAndDates) {
  auto now = std::chrono::system_clock::from_time_t(1'751'371'200);  // 2025-07-01T12:00:00Z

  EXPECT_EQ(ParseRetryAfter("120", now), milliseconds(120'000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("Tue, 01 Jul 2025 12:00:30 GMT", now), milliseconds(30'000));
  EXPECT_EQ(ParseRetryAfter("Tuesday, 01-Jul-25 12:01:00 GMT", now), milliseconds(60'000));
  EXPECT_EQ(ParseRetryAfter("Tue Jul  1 12:00:05 2025", now), milliseconds(5'000));
  EXPECT_EQ(ParseRetryAfter("Tue, 01 Jul 2025 11:00:00 GMT", now), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999", now), milliseconds(1'000'000'000'000));
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
}

// openssl s_server with a self-signed certificate for 127.0.0.1, the real TLS
// peer for the verification tests.
class TlsServer {
 public:
  TlsServer() {
    std::string pattern = (std::filesystem::temp_directory_path() / "devtrust-tls-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
      return;
    }
    dir_ = pattern;
    cert_ = (dir_ / "cert.pem").string();
    std::string key = (dir_ / "key.pem").string();
    std::vector<std::string> request = {DEVTRUST_OPENSSL_BIN,
                                        "req",
                                        "-x509",
                                        "-newkey",
                                        "ec",
                                        "-pkeyopt",
                                        "ec_paramgen_curve:P-256",
                                        "-nodes",
                                        "-keyout",
                                        key,
                                        "-out",
                                        cert_,
                                        "-days",
                                        "1",
                                        "-subj",
                                        "/CN=127.0.0.1",
                                        "-addext",
                                        "subjectAltName=IP:127.0.0.1"};
    Result<SubprocessResult> generated = RunSubprocess(request);
    if (!generated.has_value() || generated->exit_code != 0) {
      ADD_FAILURE() << "openssl req failed";
      return;
    }

    // Start s_server in the background and read the port from its
    // "ACCEPT 127.0.0.1:PORT" line.
    int out[2];
    if (::pipe(out) != 0) {
      ADD_FAILURE() << "pipe failed";
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> args = {DEVTRUST_OPENSSL_BIN,
                                     "s_server",
                                     "-accept",
                                     "127.0.0.1:0",
                                     "-cert",
                                     cert_,
                                     "-key",
                                     key,
                                     "-www"};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) {
      ::close(out[0]);
      ADD_FAILURE() << "cannot start openssl s_server";
      return;
    }
    // The read end stays open until the destructor, so that s_server does not
    // get SIGPIPE when it logs a connection.
    output_fd_ = out[0];
    std::string output;
    pollfd poll_fd{out[0], POLLIN, 0};
    while (output.find('\n', output.find("ACCEPT")) == std::string::npos &&
           ::poll(&poll_fd, 1, 10'000) > 0) {
      char buffer[256];
      ssize_t count = ::read(out[0], buffer, sizeof(buffer));
      if (count <= 0) break;
      output.append(buffer, static_cast<std::size_t>(count));
    }
    std::size_t colon = output.rfind(':', output.find('\n', output.find("ACCEPT")));
    if (output.find("ACCEPT") == std::string::npos || colon == std::string::npos) {
      ADD_FAILURE() << "s_server did not report its port: " << output;
      return;
    }
    port_ = std::stoi(output.substr(colon + 1));
  }
  ~TlsServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (output_fd_ >= 0) {
      ::close(output_fd_);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string Url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  const std::string& cert() const { return cert_; }

 private:
  std::filesystem::path dir_;
  std::string cert_;
  pid_t pid_ = -1;
  int output_fd_ = -1;
  int port_ = 0;
};

TEST(WebhookClientTlsTest, RejectsUntrustedCertificateWithoutRetry) {
  TlsServer server;
  RecordingOptions recording;
  WebhookClient client(recording.Make());

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().reason(), "webhook_transport_error");
  EXPECT_NE(response.error().message().find("failed after 1 attempt: SSL peer certificate"),
            std::string::npos)
      << response.error().message();
  EXPECT_TRUE(recording.sleeps.empty());
}

TEST(WebhookClientTlsTest, TrustsConfiguredCaFile) {
  // s_server -www responds only to GET, so with the certificate trusted the
  // POST gets through the handshake and then times out waiting for a response,
  // which is a different failure from the verification error above.
  TlsServer server;
  RecordingOptions recording;
  WebhookClientOptions options = recording.Make();
  options.ca_file = server.cert();
  options.attempt_timeout = milliseconds(500);
  options.max_attempts = 1;
  WebhookClient client(options);

  Result<WebhookResponse> response = client.PostJson(server.Url(), "{}");

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().message(), "webhook POST failed after 1 attempt: Timeout was reached");
}

}  // namespace
}  // namespace devtrust::ops
