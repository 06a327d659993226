// Tests of the whole server. Each test starts a real HttpsServer on 127.0.0.1
// (and ::1) with an ephemeral port and test certificates from the OpenSSL 3.5
// command line. The clients are real too: the devtrust TLS client,
// `openssl s_client` 3.5, the system curl (linked to Debian's OpenSSL 3.0) and
// raw sockets.
#include "server/https_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "crypto/secret_bytes.h"
#include "server/error_mapping.h"
#include "server/json_body.h"
#include "server/response.h"
#include "server/testing/test_client.h"
#include "server/testing/test_pki.h"
#include "telemetry/log_output.h"

namespace devtrust::server {
namespace {

using testing::MakeRequest;
using testing::RunCommand;
using testing::TestClient;
using testing::TestClientOptions;
using testing::TestPki;

constexpr std::string_view kRelyingPartyKey = "rp-key-0123456789abcdefghijklmnopqrstuv";
constexpr std::string_view kAdminKey = "admin-key-0123456789abcdefghijklmnopqrstu";

// A plain TCP connection to 127.0.0.1, closed on destruction.
class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ =
        fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }

  // Whether the peer has closed: a read within `wait` returns end of file or
  // a reset.
  bool ClosedByPeer(std::chrono::milliseconds wait) const {
    pollfd entry{fd_, POLLIN, 0};
    if (poll(&entry, 1, static_cast<int>(wait.count())) <= 0) {
      return false;
    }
    char byte = 0;
    return recv(fd_, &byte, 1, MSG_DONTWAIT) <= 0;
  }

 private:
  int fd_;
  bool connected_ = false;
};

// Polls `condition` every 10 ms for up to `limit`; returns its last value.
template <typename Condition>
bool Eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

boost::json::value JsonOf(const Response& response) { return boost::json::parse(response.body()); }

std::string ErrorCode(const Response& response) {
  return std::string(JsonOf(response).at("error").at("code").as_string());
}

// The JSON object at the end of a command's output, such as the body of an
// HTTP response printed by s_client or curl.
boost::json::value TrailingJson(const std::string& output) {
  const std::size_t start = output.rfind("\n{");
  const std::string json = output.substr(start == std::string::npos ? 0 : start + 1);
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(json, error);
  return error ? boost::json::value() : value;
}

class HttpsServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::unique_ptr<TestPki>> pki = TestPki::Create();
    ASSERT_TRUE(pki.has_value()) << pki.error().ToString();
    pki_ = pki->release();

    // A CA file with both roots, for clients that may get either certificate.
    std::ofstream both(pki_->File("both_ca.pem"));
    both << std::ifstream(pki_->MlDsaCaFile()).rdbuf()
         << std::ifstream(pki_->EcdsaCaFile()).rdbuf();
  }

  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  void SetUp() override {
    Result<std::shared_ptr<telemetry::LogOutput>> output =
        telemetry::LogOutput::OpenFile(pki_->File("server_" + std::to_string(getpid()) + ".log"));
    ASSERT_TRUE(output.has_value());
    logger_ = std::make_shared<telemetry::Logger>(*output, "test");

    options_.listen_addresses = {"127.0.0.1"};
    options_.port = 0;
    options_.tls = pki_->ServerConfig();
    options_.io_threads = 2;
    options_.worker_threads = 4;
    options_.handle_signals = false;
    options_.logger = logger_;
  }

  void TearDown() override { server_.reset(); }

  // The routes every test server has.
  Router MakeRouter() {
    Router router;
    // Reports what the server saw of the connection.
    EXPECT_TRUE(router.Add(http::verb::get, "/v1/tls", Access::kPublic,
                           [](const Request&, RequestContext& context) {
                             boost::json::object body;
                             body["group"] = context.tls.group;
                             body["hybrid"] = context.tls.hybrid_group();
                             body["signature"] = context.tls.server_signature_algorithm;
                             body["certificate"] = context.tls.server_certificate_type;
                             body["protocol"] = context.tls.protocol;
                             body["remote_address"] = context.remote_address;
                             body["trace_id"] = context.trace_id;
                             return MakeJsonResponse(http::status::ok, body);
                           }));
    // Reads a body shaped like a small registration request.
    EXPECT_TRUE(router.Add(http::verb::post, "/v1/echo", Access::kRelyingParty,
                           [](const Request& request, RequestContext& context) {
                             Result<JsonBody> body = ReadJsonBody(request);
                             if (!body) {
                               return MakeErrorResponse(body.error(), context.trace_id);
                             }
                             JsonObjectReader fields = body->Root();
                             Result<std::string_view> user_id =
                                 fields.RequiredString("user_id", 32);
                             if (!user_id) {
                               return MakeErrorResponse(user_id.error(), context.trace_id);
                             }
                             Result<std::int64_t> count = fields.RequiredInt("count", 0, 100);
                             if (!count) {
                               return MakeErrorResponse(count.error(), context.trace_id);
                             }
                             Result<Bytes> nonce = fields.RequiredBase64Url("nonce", 32);
                             if (!nonce) {
                               return MakeErrorResponse(nonce.error(), context.trace_id);
                             }
                             Result<std::optional<bool>> flag = fields.OptionalBool("flag");
                             if (!flag) {
                               return MakeErrorResponse(flag.error(), context.trace_id);
                             }
                             if (Status done = fields.Finish(); !done) {
                               return MakeErrorResponse(done.error(), context.trace_id);
                             }
                             boost::json::object echo;
                             echo["user_id"] = *user_id;
                             echo["count"] = *count;
                             echo["nonce_bytes"] = nonce->size();
                             return MakeJsonResponse(http::status::ok, echo);
                           }));
    EXPECT_TRUE(router.Add(http::verb::get, "/v1/admin", Access::kAdmin,
                           [](const Request&, RequestContext&) {
                             return MakeJsonResponse(http::status::ok, boost::json::object());
                           }));
    EXPECT_TRUE(router.Add(http::verb::get, "/v1/throw", Access::kPublic,
                           [](const Request&, RequestContext&) -> Response {
                             throw std::runtime_error("handler bug");
                           }));
    // Signals that it started, then waits for the test to release it.
    EXPECT_TRUE(router.Add(http::verb::get, "/v1/slow", Access::kPublic,
                           [this](const Request&, RequestContext&) {
                             slow_started_.set_value();
                             slow_release_.wait();
                             return MakeJsonResponse(http::status::ok, boost::json::object());
                           }));
    return router;
  }

  static ApiKeyAuthenticator MakeAuthenticator() {
    ApiKeyAuthenticator authenticator;
    EXPECT_TRUE(authenticator.AddKey("shop", Role::kRelyingParty,
                                     crypto::SecretBytes(AsBytes(kRelyingPartyKey))));
    EXPECT_TRUE(authenticator.AddKey("ops", Role::kAdmin, crypto::SecretBytes(AsBytes(kAdminKey))));
    return authenticator;
  }

  void StartServer() {
    Result<std::unique_ptr<HttpsServer>> server =
        HttpsServer::Start(options_, MakeRouter(), MakeAuthenticator());
    ASSERT_TRUE(server.has_value()) << server.error().ToString();
    server_ = std::move(*server);
  }

  std::unique_ptr<TestClient> Connect(TestClientOptions client_options = {}) {
    if (client_options.ca_file.empty()) {
      client_options.ca_file = pki_->MlDsaCaFile();
    }
    Result<std::unique_ptr<TestClient>> client =
        TestClient::Connect(server_->port(), std::move(client_options));
    EXPECT_TRUE(client.has_value()) << client.error().ToString();
    return client.has_value() ? std::move(*client) : nullptr;
  }

  // Sends one request on a new connection.
  Response Fetch(Request request) {
    std::unique_ptr<TestClient> client = Connect();
    if (client == nullptr) {
      return Response();
    }
    Result<Response> response = client->RoundTrip(std::move(request));
    EXPECT_TRUE(response.has_value()) << response.error().ToString();
    return response.has_value() ? std::move(*response) : Response();
  }

  static Request Authorized(Request request, std::string_view key) {
    request.set(http::field::authorization, "Bearer " + std::string(key));
    return request;
  }

  // Runs the OpenSSL 3.5 s_client with `arguments`, sends GET /v1/tls and
  // returns everything it printed.
  Result<std::string> RunSClient(const std::string& arguments) {
    const std::string command =
        "printf 'GET /v1/tls HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' | "
        "timeout 20 " DEVTRUST_OPENSSL_BIN " s_client -connect 127.0.0.1:" +
        std::to_string(server_->port()) + " -servername localhost -verify_return_error -quiet " +
        arguments + " 2>&1";
    return RunCommand(command);
  }

  static inline TestPki* pki_ = nullptr;
  std::shared_ptr<telemetry::Logger> logger_;
  HttpsServerOptions options_;
  std::unique_ptr<HttpsServer> server_;
  std::promise<void> slow_started_;
  std::shared_future<void> slow_release_;
};

TEST_F(HttpsServerTest, ServesHealthAndReadiness) {
  std::atomic<bool> ready{true};
  options_.readiness_check = [&ready]() -> Status {
    if (!ready) {
      return MakeError(StatusCode::kUnavailable, "store_down", "SQLite at /var/x is locked");
    }
    return {};
  };
  StartServer();

  const Response health = Fetch(MakeRequest(http::verb::get, "/healthz"));
  EXPECT_EQ(health.result(), http::status::ok);
  EXPECT_EQ(health.body(), R"({"status":"ok"})");
  EXPECT_EQ(health[http::field::cache_control], "no-store");
  EXPECT_EQ(health["X-Trace-Id"].size(), 32u);

  EXPECT_EQ(Fetch(MakeRequest(http::verb::get, "/readyz")).result(), http::status::ok);

  ready = false;
  const Response not_ready = Fetch(MakeRequest(http::verb::get, "/readyz"));
  EXPECT_EQ(not_ready.result(), http::status::service_unavailable);
  EXPECT_EQ(ErrorCode(not_ready), "unavailable");
  EXPECT_EQ(not_ready.body().find("/var/x"), std::string::npos);
}

TEST_F(HttpsServerTest, ServesMetricsToLoopbackWithoutKey) {
  options_.metrics_text = [] { return std::string("# TYPE up gauge\nup 1\n"); };
  StartServer();

  const Response metrics = Fetch(MakeRequest(http::verb::get, "/metrics"));
  EXPECT_EQ(metrics.result(), http::status::ok);
  EXPECT_EQ(metrics[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metrics.body(), "# TYPE up gauge\nup 1\n");

  // A wrong key is still rejected on loopback.
  EXPECT_EQ(Fetch(Authorized(MakeRequest(http::verb::get, "/metrics"),
                             "wrong-key-0123456789abcdefghijklmn"))
                .result(),
            http::status::unauthorized);
}

TEST_F(HttpsServerTest, MetricsAbsentWithoutCallback) {
  StartServer();
  EXPECT_EQ(Fetch(MakeRequest(http::verb::get, "/metrics")).result(), http::status::not_found);
}

TEST_F(HttpsServerTest, RoutesAndChecksAccess) {
  StartServer();

  const Response not_found = Fetch(MakeRequest(http::verb::get, "/v1/unknown"));
  EXPECT_EQ(not_found.result(), http::status::not_found);
  EXPECT_EQ(ErrorCode(not_found), "not_found");

  const Response wrong_method = Fetch(MakeRequest(http::verb::put, "/v1/echo"));
  EXPECT_EQ(wrong_method.result(), http::status::method_not_allowed);
  EXPECT_EQ(wrong_method[http::field::allow], "POST");

  const Response no_key = Fetch(MakeRequest(http::verb::get, "/v1/admin"));
  EXPECT_EQ(no_key.result(), http::status::unauthorized);
  EXPECT_EQ(no_key.body(), kUnauthenticatedBody);

  const Response wrong_key =
      Fetch(Authorized(MakeRequest(http::verb::get, "/v1/admin"), "x" + std::string(kAdminKey)));
  EXPECT_EQ(wrong_key.result(), http::status::unauthorized);
  EXPECT_EQ(wrong_key.body(), kUnauthenticatedBody);

  const Response forbidden =
      Fetch(Authorized(MakeRequest(http::verb::get, "/v1/admin"), kRelyingPartyKey));
  EXPECT_EQ(forbidden.result(), http::status::forbidden);
  EXPECT_EQ(ErrorCode(forbidden), "permission_denied");

  EXPECT_EQ(Fetch(Authorized(MakeRequest(http::verb::get, "/v1/admin"), kAdminKey)).result(),
            http::status::ok);
}

TEST_F(HttpsServerTest, RejectsBadJsonAndKeepsServing) {
  StartServer();
  std::unique_ptr<TestClient> client = Connect();
  ASSERT_NE(client, nullptr);

  struct Case {
    std::string body;
    std::string content_type;
    http::status status;
    std::string code;
  };
  const std::string deep = std::string(20, '[') + std::string(20, ']');
  const std::vector<Case> cases = {
      {R"({"user_id":"a","count":1,"nonce":"AQID")", "application/json", http::status::bad_request,
       "invalid_json"},
      {R"({"user_id":"a" "count":1})", "application/json", http::status::bad_request,
       "invalid_json"},
      {R"({"user_id":"a","count":1,"nonce":"AQID"}])", "application/json",
       http::status::bad_request, "invalid_json"},
      {R"(["not","an","object"])", "application/json", http::status::bad_request, "invalid_json"},
      {R"({"user_id":7,"count":1,"nonce":"AQID"})", "application/json", http::status::bad_request,
       "invalid_field_type"},
      {R"({"user_id":"a","count":"1","nonce":"AQID"})", "application/json",
       http::status::bad_request, "invalid_field_type"},
      {R"({"count":1,"nonce":"AQID"})", "application/json", http::status::bad_request,
       "missing_field"},
      {R"({"user_id":"a","count":1,"nonce":"AQID","role":"admin"})", "application/json",
       http::status::bad_request, "unknown_field"},
      {R"({"user_id":")" + std::string(33, 'a') + R"(","count":1,"nonce":"AQID"})",
       "application/json", http::status::bad_request, "field_too_long"},
      {R"({"user_id":"a","count":1,"nonce":"AQ+/"})", "application/json", http::status::bad_request,
       "invalid_base64"},
      {R"({"user_id":"a","count":101,"nonce":"AQID"})", "application/json",
       http::status::bad_request, "field_out_of_range"},
      {R"({"user_id":"a","user_id":"b","count":1,"nonce":"AQID"})", "application/json",
       http::status::bad_request, "duplicate_field"},
      {R"({"user_id":"a","count":1,"nonce":"AQID","x":)" + deep + "}", "application/json",
       http::status::bad_request, "json_too_deep"},
      {R"({"user_id":"a","count":1,"nonce":"AQID"})", "text/plain",
       http::status::unsupported_media_type, "unsupported_media_type"},
      {R"({"user_id":"a","count":1,"nonce":"AQID"})", "application/x-www-form-urlencoded",
       http::status::unsupported_media_type, "unsupported_media_type"},
  };

  // All on one keep-alive connection: a 4xx from a handler does not close it.
  for (const Case& test_case : cases) {
    Result<Response> response = client->RoundTrip(Authorized(
        MakeRequest(http::verb::post, "/v1/echo", test_case.body, test_case.content_type),
        kRelyingPartyKey));
    ASSERT_TRUE(response.has_value()) << test_case.body << ": " << response.error().ToString();
    EXPECT_EQ(response->result(), test_case.status) << test_case.body;
    EXPECT_EQ(ErrorCode(*response), test_case.code) << test_case.body;
    EXPECT_EQ(JsonOf(*response).at("trace_id").as_string(), (*response)["X-Trace-Id"]);
  }

  Result<Response> good = client->RoundTrip(
      Authorized(MakeRequest(http::verb::post, "/v1/echo",
                             R"({"user_id":"alice","count":3,"nonce":"AQID","flag":false})"),
                 kRelyingPartyKey));
  ASSERT_TRUE(good.has_value()) << good.error().ToString();
  EXPECT_EQ(good->result(), http::status::ok);
  EXPECT_EQ(good->body(), R"({"user_id":"alice","count":3,"nonce_bytes":3})");
}

TEST_F(HttpsServerTest, OversizedBodyGets413AndCloses) {
  StartServer();

  std::unique_ptr<TestClient> client = Connect();
  ASSERT_NE(client, nullptr);
  Request large = Authorized(MakeRequest(http::verb::post, "/v1/echo", std::string(70 * 1024, 'x')),
                             kRelyingPartyKey);
  Result<Response> response = client->RoundTrip(std::move(large));
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->result(), http::status::payload_too_large);
  EXPECT_EQ(ErrorCode(*response), "body_too_large");
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client->WaitForClose(std::chrono::seconds(5)));

  // A chunked body is counted as it arrives.
  std::unique_ptr<TestClient> chunked = Connect();
  ASSERT_NE(chunked, nullptr);
  std::string raw =
      "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 70; ++i) {
    raw += "400\r\n" + std::string(1024, 'x') + "\r\n";
  }
  raw += "0\r\n\r\n";
  ASSERT_TRUE(chunked->WriteRaw(raw));
  Result<Response> chunked_response = chunked->ReadResponse();
  ASSERT_TRUE(chunked_response.has_value()) << chunked_response.error().ToString();
  EXPECT_EQ(chunked_response->result(), http::status::payload_too_large);

  EXPECT_EQ(server_->Stats().bodies_too_large, 2u);
  EXPECT_EQ(Fetch(MakeRequest(http::verb::get, "/healthz")).result(), http::status::ok);
}

TEST_F(HttpsServerTest, OversizedHeaderGets431AndCloses) {
  StartServer();

  std::unique_ptr<TestClient> client = Connect();
  ASSERT_NE(client, nullptr);
  Request request = MakeRequest(http::verb::get, "/healthz");
  request.set("X-Padding", std::string(9 * 1024, 'p'));
  Result<Response> response = client->RoundTrip(std::move(request));
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->result(), http::status::request_header_fields_too_large);
  EXPECT_EQ(ErrorCode(*response), "header_too_large");
  EXPECT_TRUE(client->WaitForClose(std::chrono::seconds(5)));

  EXPECT_EQ(server_->Stats().headers_too_large, 1u);
  EXPECT_EQ(Fetch(MakeRequest(http::verb::get, "/healthz")).result(), http::status::ok);
}

TEST_F(HttpsServerTest, MalformedRequestsGet400) {
  StartServer();

  for (const char* raw : {"NOT HTTP AT ALL\r\n\r\n", "GET /healthz HTTP/1.1\r\n\r\n",
                          "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n",
                          "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                          "GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n"}) {
    std::unique_ptr<TestClient> client = Connect();
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->WriteRaw(raw));
    Result<Response> response = client->ReadResponse();
    ASSERT_TRUE(response.has_value()) << raw << ": " << response.error().ToString();
    EXPECT_EQ(response->result(), http::status::bad_request) << raw;
    EXPECT_EQ(ErrorCode(*response), "invalid_request") << raw;
    EXPECT_TRUE(client->WaitForClose(std::chrono::seconds(5))) << raw;
  }
  EXPECT_EQ(Fetch(MakeRequest(http::verb::get, "/healthz")).result(), http::status::ok);
}

TEST_F(HttpsServerTest, HandlerExceptionIs500AndServerContinues) {
  StartServer();
  const Response response = Fetch(MakeRequest(http::verb::get, "/v1/throw"));
  EXPECT_EQ(response.result(), http::status::internal_server_error);
  EXPECT_EQ(response.body().find("handler bug"), std::string::npos);
  EXPECT_EQ(Fetch(MakeRequest(http::verb::get, "/healthz")).result(), http::status::ok);
  EXPECT_EQ(server_->Stats().responses_by_class[5], 1u);
}

TEST_F(HttpsServerTest, KeepsAliveAndServesPipelining) {
  StartServer();
  std::unique_ptr<TestClient> client = Connect();
  ASSERT_NE(client, nullptr);

  for (int i = 0; i < 3; ++i) {
    Result<Response> response = client->RoundTrip(MakeRequest(http::verb::get, "/healthz"));
    ASSERT_TRUE(response.has_value()) << response.error().ToString();
    EXPECT_EQ(response->result(), http::status::ok);
    EXPECT_TRUE(response->keep_alive());
  }

  ASSERT_TRUE(client->WriteRaw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n"));
  Result<Response> first = client->ReadResponse();
  Result<Response> second = client->ReadResponse();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->result(), http::status::ok);
  EXPECT_EQ(second->result(), http::status::not_found);
  EXPECT_EQ(server_->Stats().connections_accepted, 1u);
}

TEST_F(HttpsServerTest, SendsContinueForExpect) {
  StartServer();
  std::unique_ptr<TestClient> client = Connect();
  ASSERT_NE(client, nullptr);

  const std::string body = R"({"user_id":"a","count":1,"nonce":"AQID"})";
  ASSERT_TRUE(client->WriteRaw("POST /v1/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                               std::string(kRelyingPartyKey) +
                               "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                               "Content-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n"));
  Result<Response> interim = client->ReadResponse();
  ASSERT_TRUE(interim.has_value()) << interim.error().ToString();
  EXPECT_EQ(interim->result(), http::status::continue_);

  ASSERT_TRUE(client->WriteRaw(body));
  Result<Response> final_response = client->ReadResponse();
  ASSERT_TRUE(final_response.has_value()) << final_response.error().ToString();
  EXPECT_EQ(final_response->result(), http::status::ok);
}

TEST_F(HttpsServerTest, UsesTraceparentTraceId) {
  StartServer();
  Request request = MakeRequest(http::verb::get, "/v1/tls");
  request.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  const Response response = Fetch(std::move(request));
  EXPECT_EQ(response["X-Trace-Id"], "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(JsonOf(response).at("trace_id").as_string(), "0af7651916cd43dd8448eb211c80319c");

  Request invalid = MakeRequest(http::verb::get, "/v1/tls");
  invalid.set("traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01");
  const Response fresh = Fetch(std::move(invalid));
  EXPECT_EQ(fresh["X-Trace-Id"].size(), 32u);
  EXPECT_NE(fresh["X-Trace-Id"], "00000000000000000000000000000000");
}

TEST_F(HttpsServerTest, DevtrustClientGetsHybridAndMlDsa) {
  StartServer();
  std::unique_ptr<TestClient> client = Connect();
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->session().group, "X25519MLKEM768");
  EXPECT_EQ(client->session().server_certificate_type, "ML-DSA-65");

  Result<Response> response = client->RoundTrip(MakeRequest(http::verb::get, "/v1/tls"));
  ASSERT_TRUE(response.has_value());
  const boost::json::value seen = JsonOf(*response);
  EXPECT_EQ(seen.at("group").as_string(), "X25519MLKEM768");
  EXPECT_EQ(seen.at("hybrid").as_bool(), true);
  EXPECT_EQ(seen.at("signature").as_string(), "mldsa65");
  EXPECT_EQ(seen.at("certificate").as_string(), "ML-DSA-65");
  EXPECT_EQ(seen.at("protocol").as_string(), "TLSv1.3");
  EXPECT_EQ(seen.at("remote_address").as_string(), "127.0.0.1");
}

TEST_F(HttpsServerTest, SClientNegotiatesHybridGroup) {
  StartServer();
  const Result<std::string> output = RunSClient("-CAfile " + pki_->File("both_ca.pem"));
  ASSERT_TRUE(output.has_value()) << output.error().message();

  const boost::json::value seen = TrailingJson(*output);
  ASSERT_TRUE(seen.is_object()) << *output;
  EXPECT_EQ(seen.at("group").as_string(), "X25519MLKEM768");
  EXPECT_EQ(seen.at("hybrid").as_bool(), true);
}

TEST_F(HttpsServerTest, SClientMlDsaSigalgsGetsMlDsa) {
  StartServer();
  const Result<std::string> output = RunSClient("-sigalgs mldsa65 -CAfile " + pki_->MlDsaCaFile());
  ASSERT_TRUE(output.has_value()) << output.error().message();

  const boost::json::value seen = TrailingJson(*output);
  ASSERT_TRUE(seen.is_object()) << *output;
  EXPECT_EQ(seen.at("certificate").as_string(), "ML-DSA-65");
  EXPECT_EQ(seen.at("signature").as_string(), "mldsa65");
}

TEST_F(HttpsServerTest, SClientX25519IsNotHybrid) {
  StartServer();
  const Result<std::string> output =
      RunSClient("-groups X25519 -CAfile " + pki_->File("both_ca.pem"));
  ASSERT_TRUE(output.has_value()) << output.error().message();

  const boost::json::value seen = TrailingJson(*output);
  ASSERT_TRUE(seen.is_object()) << *output;
  EXPECT_EQ(seen.at("group").as_string(), "x25519");
  EXPECT_EQ(seen.at("hybrid").as_bool(), false);
}

TEST_F(HttpsServerTest, RejectsTls12) {
  StartServer();
  const Result<std::string> output = RunSClient("-tls1_2 -CAfile " + pki_->File("both_ca.pem"));
  ASSERT_FALSE(output.has_value());
  EXPECT_EQ(output.error().message().find("\"group\""), std::string::npos);
  EXPECT_TRUE(Eventually([&] { return server_->Stats().handshake_failures == 1; }));
}

TEST_F(HttpsServerTest, SystemCurlGetsEcdsaWithX25519) {
  StartServer();
  const Result<std::string> output =
      RunCommand("timeout 20 /usr/bin/curl -sS --max-time 10 --cacert " + pki_->EcdsaCaFile() +
                 " https://127.0.0.1:" + std::to_string(server_->port()) + "/v1/tls 2>&1");
  ASSERT_TRUE(output.has_value()) << output.error().message();

  const boost::json::value seen = TrailingJson(*output);
  ASSERT_TRUE(seen.is_object()) << *output;
  EXPECT_EQ(seen.at("certificate").as_string(), "EC");
  EXPECT_EQ(seen.at("signature").as_string(), "ecdsa_secp256r1_sha256");
  EXPECT_EQ(seen.at("group").as_string(), "x25519");
  EXPECT_EQ(seen.at("hybrid").as_bool(), false);
}

TEST_F(HttpsServerTest, ListensOnIpv6Too) {
  options_.listen_addresses = {"127.0.0.1", "::1"};
  StartServer();

  std::unique_ptr<TestClient> client =
      Connect({.ca_file = pki_->MlDsaCaFile(), .address = "::1", .server_name = "::1"});
  ASSERT_NE(client, nullptr);
  Result<Response> response = client->RoundTrip(MakeRequest(http::verb::get, "/v1/tls"));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(JsonOf(*response).at("remote_address").as_string(), "::1");
  EXPECT_EQ(Fetch(MakeRequest(http::verb::get, "/healthz")).result(), http::status::ok);
}

TEST_F(HttpsServerTest, ReportsPortInUse) {
  StartServer();
  options_.port = server_->port();
  Result<std::unique_ptr<HttpsServer>> second =
      HttpsServer::Start(options_, Router(), ApiKeyAuthenticator());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().reason(), "listen_failed");
  EXPECT_NE(second.error().message().find("choose a free port"), std::string::npos)
      << second.error().message();
}

// Binding fails before any packet is sent: 192.0.2.1 (RFC 5737 TEST-NET-1)
// is on no interface of this machine.
TEST_F(HttpsServerTest, ReportsAddressNotOnMachine) {
  options_.listen_addresses = {"192.0.2.1"};
  Result<std::unique_ptr<HttpsServer>> server =
      HttpsServer::Start(options_, Router(), ApiKeyAuthenticator());
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().reason(), "listen_failed");
  EXPECT_NE(server.error().message().find("belongs to no interface"), std::string::npos)
      << server.error().message();
}

TEST_F(HttpsServerTest, RejectsInvalidOptions) {
  options_.listen_addresses = {"localhost"};
  Result<std::unique_ptr<HttpsServer>> named =
      HttpsServer::Start(options_, Router(), ApiKeyAuthenticator());
  ASSERT_FALSE(named.has_value());
  EXPECT_EQ(named.error().reason(), "invalid_server_config");

  options_.listen_addresses = {"127.0.0.1"};
  options_.worker_threads = 0;
  EXPECT_FALSE(HttpsServer::Start(options_, Router(), ApiKeyAuthenticator()).has_value());

  options_.worker_threads = 1;
  options_.tls.ecdsa.private_key_file = pki_->File("absent.key");
  Result<std::unique_ptr<HttpsServer>> no_key =
      HttpsServer::Start(options_, Router(), ApiKeyAuthenticator());
  ASSERT_FALSE(no_key.has_value());
  EXPECT_EQ(no_key.error().reason(), "tls_credential_invalid");

  options_.tls = pki_->ServerConfig();
  Router clashing;
  ASSERT_TRUE(clashing.Add(http::verb::get, "/healthz", Access::kPublic,
                           [](const Request&, RequestContext&) { return Response(); }));
  Result<std::unique_ptr<HttpsServer>> duplicate =
      HttpsServer::Start(options_, std::move(clashing), ApiKeyAuthenticator());
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().reason(), "duplicate_route");
}

TEST_F(HttpsServerTest, HeaderTimeoutCutsOffSlowClient) {
  options_.header_timeout = std::chrono::seconds(2);
  StartServer();
  std::unique_ptr<TestClient> client = Connect();
  ASSERT_NE(client, nullptr);

  // One byte per second; the header would take 37 seconds to complete.
  const std::string header = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  bool closed = false;
  for (std::size_t sent = 0; sent < header.size() && !closed; ++sent) {
    if (!client->WriteRaw(header.substr(sent, 1))) {
      closed = true;
      break;
    }
    closed = client->WaitForClose(std::chrono::seconds(1));
  }
  EXPECT_TRUE(closed);
  EXPECT_TRUE(Eventually([&] { return server_->Stats().header_timeouts == 1; }));
  EXPECT_EQ(server_->Stats().requests, 0u);
}

TEST_F(HttpsServerTest, HandshakeAndIdleTimeoutsCloseConnections) {
  options_.handshake_timeout = std::chrono::seconds(1);
  options_.idle_timeout = std::chrono::seconds(1);
  StartServer();

  // A TCP client that never starts TLS.
  RawSocket silent(server_->port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.ClosedByPeer(std::chrono::seconds(10)));
  EXPECT_TRUE(Eventually([&] { return server_->Stats().handshake_timeouts == 1; }));

  // A keep-alive client that sends nothing after its first request.
  std::unique_ptr<TestClient> client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->RoundTrip(MakeRequest(http::verb::get, "/healthz")).has_value());
  EXPECT_TRUE(client->WaitForClose(std::chrono::seconds(10)));
  EXPECT_TRUE(Eventually([&] { return server_->Stats().idle_timeouts == 1; }));
}

TEST_F(HttpsServerTest, RefusesConnectionsOverLimitAndStaysUp) {
  constexpr std::size_t kLimit = 50;
  constexpr std::size_t kClients = 500;
  options_.max_connections = kLimit;
  StartServer();

  std::vector<std::unique_ptr<RawSocket>> sockets;
  for (std::size_t i = 0; i < kClients; ++i) {
    sockets.push_back(std::make_unique<RawSocket>(server_->port()));
    ASSERT_TRUE(sockets.back()->connected()) << i;
  }
  ASSERT_TRUE(Eventually([&] { return server_->Stats().connections_accepted == kClients; }));
  EXPECT_EQ(server_->Stats().connections_rejected, kClients - kLimit);
  EXPECT_EQ(server_->Stats().connections_open, kLimit);

  // The server closed every refused connection and kept the others open.
  std::size_t closed = 0;
  for (const auto& socket : sockets) {
    if (socket->ClosedByPeer(std::chrono::milliseconds(20))) {
      ++closed;
    }
  }
  EXPECT_EQ(closed, kClients - kLimit);

  sockets.clear();
  ASSERT_TRUE(Eventually([&] { return server_->Stats().connections_open == 0; }));
  EXPECT_EQ(Fetch(MakeRequest(http::verb::get, "/healthz")).result(), http::status::ok);
}

TEST_F(HttpsServerTest, SigtermDrainsRequestsInFlight) {
  options_.handle_signals = true;
  std::promise<void> release;
  slow_release_ = release.get_future().share();
  StartServer();

  // An idle keep-alive connection, and a request in flight.
  std::unique_ptr<TestClient> idle = Connect();
  ASSERT_NE(idle, nullptr);
  ASSERT_TRUE(idle->RoundTrip(MakeRequest(http::verb::get, "/healthz")).has_value());
  std::unique_ptr<TestClient> busy = Connect();
  ASSERT_NE(busy, nullptr);
  std::future<Result<Response>> in_flight = std::async(std::launch::async, [&busy] {
    return busy->RoundTrip(MakeRequest(http::verb::get, "/v1/slow"));
  });
  slow_started_.get_future().wait();

  ASSERT_EQ(std::raise(SIGTERM), 0);

  // The idle connection is closed; new connections are refused.
  EXPECT_TRUE(idle->WaitForClose(std::chrono::seconds(10)));
  EXPECT_TRUE(Eventually([&] { return !RawSocket(server_->port()).connected(); }));

  // The request in flight completes, with Connection: close.
  release.set_value();
  Result<Response> response = in_flight.get();
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->result(), http::status::ok);
  EXPECT_FALSE(response->keep_alive());

  server_->Wait();
  EXPECT_EQ(server_->Stats().connections_open, 0u);
}

TEST_F(HttpsServerTest, SighupKeepsServing) {
  options_.handle_signals = true;
  StartServer();

  // Without a handler SIGHUP would end this test process.
  ASSERT_EQ(std::raise(SIGHUP), 0);

  std::unique_ptr<TestClient> client = Connect();
  ASSERT_NE(client, nullptr);
  Result<Response> response = client->RoundTrip(MakeRequest(http::verb::get, "/healthz"));
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->result(), http::status::ok);
}

TEST_F(HttpsServerTest, SecondSigtermForcesStop) {
  options_.handle_signals = true;
  options_.shutdown_grace = std::chrono::seconds(60);
  std::promise<void> release;
  slow_release_ = release.get_future().share();
  StartServer();

  std::unique_ptr<TestClient> busy = Connect();
  ASSERT_NE(busy, nullptr);
  std::future<Result<Response>> in_flight = std::async(std::launch::async, [&busy] {
    return busy->RoundTrip(MakeRequest(http::verb::get, "/v1/slow"));
  });
  slow_started_.get_future().wait();

  ASSERT_EQ(std::raise(SIGTERM), 0);
  ASSERT_TRUE(Eventually([&] { return !RawSocket(server_->port()).connected(); }));
  ASSERT_EQ(std::raise(SIGTERM), 0);

  // The forced stop does not wait for the grace period; the worker finishes
  // when the handler returns, and its response is dropped.
  std::thread releaser([&release] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    release.set_value();
  });
  server_->Wait();
  releaser.join();
  server_.reset();

  Result<Response> response = in_flight.get();
  EXPECT_FALSE(response.has_value());
}

}  // namespace
}  // namespace devtrust::server
