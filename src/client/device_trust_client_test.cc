// Tests of the HTTPS transport and the API client against devtrust's real
// HTTPS server (src/server) with certificates from a real devtrust CA
// (src/pki). The routes here stand in for the service's handlers only as far
// as the transport needs: they return documented response shapes.
#include "client/device_trust_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "base/encoding.h"
#include "client/test_util.h"
#include "server/auth.h"
#include "server/error_mapping.h"
#include "server/https_server.h"
#include "server/response.h"
#include "server/router.h"
#include "telemetry/log_output.h"
#include "telemetry/logger.h"

namespace devtrust::client {
namespace {

using testing::TestCa;

constexpr std::string_view kApiKey = "rp-key-0123456789abcdefghijklmnopqrstuv";
constexpr std::string_view kDeviceId = "dev_abcdefghijklmnopqrstuvwxyz";

crypto::SecretBytes ApiKey(std::string_view key = kApiKey) {
  return crypto::SecretBytes(AsBytes(key));
}

class DeviceTrustClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::unique_ptr<TestCa>> ca = TestCa::Create();
    ASSERT_TRUE(ca.has_value()) << ca.error().ToString();
    ca_ = ca->release();
    Result<std::unique_ptr<TestCa>> other = TestCa::Create();
    ASSERT_TRUE(other.has_value()) << other.error().ToString();
    other_ca_ = other->release();
  }
  static void TearDownTestSuite() {
    delete ca_;
    delete other_ca_;
  }

  void StartServer(std::chrono::milliseconds idle_timeout = std::chrono::seconds(60)) {
    server::Router router;
    const auto add = [&router](server::http::verb method, std::string_view path,
                               server::Access access, server::Handler handler) {
      ASSERT_TRUE(router.Add(method, path, access, std::move(handler)).has_value()) << path;
    };

    add(server::http::verb::get, "/v1/ca/certificates", server::Access::kPublic,
        [](const server::Request&, server::RequestContext&) {
          boost::json::object body;
          body["ml_dsa_65"] =
              ca_->authority().root_certificate(pki::RootAlgorithm::kMlDsa65).ToPem();
          body["ecdsa_p256"] =
              ca_->authority().root_certificate(pki::RootAlgorithm::kEcdsaP256).ToPem();
          return server::MakeJsonResponse(server::http::status::ok, body);
        });

    add(server::http::verb::post, "/v1/challenges", server::Access::kRelyingParty,
        [this](const server::Request& request, server::RequestContext&) {
          ++challenge_requests_;
          const boost::json::object in = boost::json::parse(request.body()).as_object();
          boost::json::object body;
          body["nonce"] = Base64UrlEncode(Bytes(32, 7));
          body["purpose"] = in.at("purpose");
          body["user_id"] = in.at("user_id");
          if (in.contains("device_id")) {
            body["device_id"] = in.at("device_id");
          }
          body["expires_at"] = "2030-01-01T00:02:00Z";
          return server::MakeJsonResponse(server::http::status::created, body);
        });

    add(server::http::verb::get, "/v1/devices/{device_id}", server::Access::kRelyingParty,
        [](const server::Request&, server::RequestContext& context) {
          if (context.PathParameter("device_id") != kDeviceId) {
            return server::MakeErrorResponse(
                Error(StatusCode::kNotFound, "device_not_found", "no such device"),
                context.trace_id);
          }
          boost::json::object body;
          body["device_id"] = kDeviceId;
          body["user_id"] = "alice";
          body["status"] = "trusted";
          body["flagged_for_review"] = true;
          body["has_ml_kem"] = true;
          body["created_at"] = "2030-01-01T00:00:00Z";
          body["verified_at"] = "2030-01-01T00:01:00Z";
          return server::MakeJsonResponse(server::http::status::ok, body);
        });

    add(server::http::verb::post, "/v1/devices/{device_id}/verify", server::Access::kRelyingParty,
        [this](const server::Request& request, server::RequestContext& context) {
          last_verify_body_ = request.body();
          return server::MakeErrorResponse(
              Error(StatusCode::kFailedPrecondition, "verification_code_invalid",
                    "the code does not match"),
              context.trace_id);
        });

    add(server::http::verb::get, "/slow", server::Access::kPublic,
        [](const server::Request&, server::RequestContext&) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1500));
          return server::MakeTextResponse(server::http::status::ok, "late", "text/plain");
        });

    add(server::http::verb::get, "/large", server::Access::kPublic,
        [](const server::Request&, server::RequestContext&) {
          return server::MakeTextResponse(server::http::status::ok,
                                          std::string(2 * 1024 * 1024, 'x'), "text/plain");
        });

    server::ApiKeyAuthenticator authenticator;
    ASSERT_TRUE(authenticator.AddKey("test-rp", server::Role::kRelyingParty, ApiKey()).has_value());

    server::HttpsServerOptions options;
    // 127.0.0.2 is loopback too, but the server certificate does not name it.
    options.listen_addresses = {"127.0.0.1", "127.0.0.2"};
    options.port = 0;
    options.tls = ca_->ServerTlsConfig();
    options.io_threads = 1;
    options.worker_threads = 2;
    options.idle_timeout = idle_timeout;
    options.handle_signals = false;
    options.logger = std::make_shared<telemetry::Logger>(telemetry::LogOutput::Stdout(),
                                                         "client-test", telemetry::Level::kError);
    Result<std::unique_ptr<server::HttpsServer>> started =
        server::HttpsServer::Start(std::move(options), std::move(router), std::move(authenticator));
    ASSERT_TRUE(started.has_value()) << started.error().ToString();
    server_ = std::move(*started);
  }

  void TearDown() override {
    if (server_) {
      server_->Shutdown();
      server_->Wait();
    }
  }

  HttpsClientOptions ClientOptions() const {
    HttpsClientOptions options;
    options.server.host = "127.0.0.1";
    options.server.port = server_ ? server_->port() : std::uint16_t{1};
    options.ca_file = ca_->ca_file().string();
    return options;
  }

  std::unique_ptr<DeviceTrustClient> NewClient(HttpsClientOptions options,
                                               std::string_view key = kApiKey) {
    Result<std::unique_ptr<DeviceTrustClient>> client =
        DeviceTrustClient::Create(std::move(options), ApiKey(key));
    EXPECT_TRUE(client.has_value()) << client.error().ToString();
    return client ? std::move(*client) : nullptr;
  }

  static TestCa* ca_;
  static TestCa* other_ca_;
  std::unique_ptr<server::HttpsServer> server_;
  std::atomic<int> challenge_requests_{0};
  std::string last_verify_body_;
};

TestCa* DeviceTrustClientTest::ca_ = nullptr;
TestCa* DeviceTrustClientTest::other_ca_ = nullptr;

TEST_F(DeviceTrustClientTest, NegotiatesHybridGroupAndMlDsaCertificate) {
  StartServer();
  auto client = NewClient(ClientOptions());
  ASSERT_NE(client, nullptr);
  Result<CaCertificates> roots = client->GetCaCertificates();
  ASSERT_TRUE(roots.has_value()) << roots.error().ToString();
  EXPECT_NE(roots->ml_dsa_65.find("BEGIN CERTIFICATE"), std::string::npos);

  ASSERT_TRUE(client->tls_session().has_value());
  EXPECT_EQ(client->tls_session()->protocol, "TLSv1.3");
  EXPECT_EQ(client->tls_session()->group, "X25519MLKEM768");
  EXPECT_EQ(client->tls_session()->server_signature_algorithm, "mldsa65");
}

TEST_F(DeviceTrustClientTest, ReusesOneConnection) {
  StartServer();
  auto client = NewClient(ClientOptions());
  ASSERT_NE(client, nullptr);
  for (int i = 0; i < 5; ++i) {
    Result<Challenge> challenge = client->CreateRegistrationChallenge("alice");
    ASSERT_TRUE(challenge.has_value()) << challenge.error().ToString();
    EXPECT_EQ(challenge->nonce, Bytes(32, 7));
    EXPECT_EQ(challenge->purpose, "register");
  }
  EXPECT_EQ(client->connections_opened(), 1u);
  EXPECT_EQ(challenge_requests_.load(), 5);
}

TEST_F(DeviceTrustClientTest, ReconnectsAfterServerClosedIdleConnection) {
  StartServer(std::chrono::milliseconds(200));
  auto client = NewClient(ClientOptions());
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->CreateLoginChallenge("alice", kDeviceId).has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(600));

  Result<Challenge> second = client->CreateLoginChallenge("alice", kDeviceId);
  ASSERT_TRUE(second.has_value()) << second.error().ToString();
  EXPECT_EQ(second->device_id, kDeviceId);
  EXPECT_EQ(client->connections_opened(), 2u);
  EXPECT_EQ(challenge_requests_.load(), 2);
}

TEST_F(DeviceTrustClientTest, ReplacesConnectionIdleLongerThanMaxIdle) {
  StartServer();
  HttpsClientOptions options = ClientOptions();
  options.max_idle = std::chrono::milliseconds(50);
  auto client = NewClient(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->GetDevice(kDeviceId).has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_TRUE(client->GetDevice(kDeviceId).has_value());
  EXPECT_EQ(client->connections_opened(), 2u);
}

TEST_F(DeviceTrustClientTest, DecodesDevice) {
  StartServer();
  auto client = NewClient(ClientOptions());
  ASSERT_NE(client, nullptr);
  Result<DeviceRecord> device = client->GetDevice(kDeviceId);
  ASSERT_TRUE(device.has_value()) << device.error().ToString();
  EXPECT_EQ(device->status, "trusted");
  EXPECT_TRUE(device->flagged_for_review);
  EXPECT_EQ(device->has_ml_kem, true);
  EXPECT_EQ(device->verified_at, "2030-01-01T00:01:00Z");
  EXPECT_EQ(device->revoked_at, "");
}

TEST_F(DeviceTrustClientTest, ServerErrorKeepsCodeAndTraceId) {
  StartServer();
  auto client = NewClient(ClientOptions());
  ASSERT_NE(client, nullptr);
  Result<DeviceRecord> verified =
      client->VerifyDevice(kDeviceId, "chl_1", crypto::SecretBytes(AsBytes("123456")));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "verification_code_invalid");
  EXPECT_EQ(verified.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(verified.error().message().find("HTTP 409"), std::string::npos);
  EXPECT_NE(verified.error().message().find("trace id"), std::string::npos);
  EXPECT_NE(verified.error().message().find("check the code"), std::string::npos);
  EXPECT_EQ(last_verify_body_, R"({"challenge_id":"chl_1","code":"123456"})");
}

TEST_F(DeviceTrustClientTest, NotFoundIsError) {
  StartServer();
  auto client = NewClient(ClientOptions());
  ASSERT_NE(client, nullptr);
  Result<DeviceRecord> device = client->GetDevice("dev_zzzzzzzzzzzzzzzzzzzzzzzzzz");
  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().reason(), "device_not_found");
  EXPECT_EQ(device.error().code(), StatusCode::kNotFound);
}

TEST_F(DeviceTrustClientTest, WrongApiKeyIsUnauthenticated) {
  StartServer();
  auto client = NewClient(ClientOptions(), "wrong-key-0123456789abcdefghijklmnopqr");
  ASSERT_NE(client, nullptr);
  Result<Challenge> challenge = client->CreateRegistrationChallenge("alice");
  ASSERT_FALSE(challenge.has_value());
  EXPECT_EQ(challenge.error().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(challenge.error().message().find("DEVTRUST_RP_API_KEY"), std::string::npos);
  EXPECT_EQ(challenge.error().message().find("wrong-key"), std::string::npos);
}

TEST_F(DeviceTrustClientTest, RejectsServerOfAnotherCa) {
  StartServer();
  HttpsClientOptions options = ClientOptions();
  options.ca_file = other_ca_->ca_file().string();
  auto client = NewClient(options);
  ASSERT_NE(client, nullptr);
  Result<CaCertificates> roots = client->GetCaCertificates();
  ASSERT_FALSE(roots.has_value());
  EXPECT_EQ(roots.error().reason(), "tls_handshake_failed");
  EXPECT_NE(roots.error().message().find("certificate verify failed"), std::string::npos)
      << roots.error().message();
  EXPECT_NE(roots.error().message().find(options.ca_file), std::string::npos);
}

TEST_F(DeviceTrustClientTest, RejectsServerNameNotInCertificate) {
  StartServer();
  HttpsClientOptions options = ClientOptions();
  // The certificate covers localhost, 127.0.0.1 and ::1, not 127.0.0.2,
  // where the server also listens.
  options.server.host = "127.0.0.2";
  auto client = NewClient(options);
  ASSERT_NE(client, nullptr);
  Result<CaCertificates> roots = client->GetCaCertificates();
  ASSERT_FALSE(roots.has_value());
  EXPECT_EQ(roots.error().reason(), "tls_handshake_failed");
}

TEST_F(DeviceTrustClientTest, ConnectsByHostName) {
  StartServer();
  HttpsClientOptions options = ClientOptions();
  options.server.host = "localhost";
  auto client = NewClient(options);
  ASSERT_NE(client, nullptr);
  Result<CaCertificates> roots = client->GetCaCertificates();
  EXPECT_TRUE(roots.has_value()) << roots.error().ToString();
}

TEST_F(DeviceTrustClientTest, ClassicalOnlyClientGetsEcdsaCertificate) {
  StartServer();
  HttpsClientOptions options = ClientOptions();
  options.groups = "X25519";
  options.signature_algorithms = "ecdsa_secp256r1_sha256";
  auto client = NewClient(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->GetCaCertificates().has_value());
  EXPECT_EQ(client->tls_session()->group, "x25519");
  EXPECT_EQ(client->tls_session()->server_signature_algorithm, "ecdsa_secp256r1_sha256");
}

TEST_F(DeviceTrustClientTest, TimesOutSlowResponse) {
  StartServer();
  HttpsClientOptions options = ClientOptions();
  options.request_timeout = std::chrono::milliseconds(300);
  Result<std::unique_ptr<HttpsClient>> client = HttpsClient::Create(options);
  ASSERT_TRUE(client.has_value());
  Result<HttpResponse> response = (*client)->Send("GET", "/slow", {});
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().reason(), "server_timeout");
  EXPECT_EQ(response.error().code(), StatusCode::kDeadlineExceeded);
}

TEST_F(DeviceTrustClientTest, RejectsOversizedResponse) {
  StartServer();
  Result<std::unique_ptr<HttpsClient>> client = HttpsClient::Create(ClientOptions());
  ASSERT_TRUE(client.has_value());
  Result<HttpResponse> response = (*client)->Send("GET", "/large", {});
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().reason(), "response_too_large");
}

TEST_F(DeviceTrustClientTest, RejectsUnsafeRequestParts) {
  StartServer();
  Result<std::unique_ptr<HttpsClient>> client = HttpsClient::Create(ClientOptions());
  ASSERT_TRUE(client.has_value());
  const crypto::SecretBytes injected(AsBytes("key\r\nX-Evil: 1"));
  for (const auto& [method, target, token] :
       {std::tuple{"get", "/", static_cast<const crypto::SecretBytes*>(nullptr)},
        std::tuple{"GET", "no-slash", static_cast<const crypto::SecretBytes*>(nullptr)},
        std::tuple{"GET", "/a b", static_cast<const crypto::SecretBytes*>(nullptr)},
        std::tuple{"GET", "/", &injected}}) {
    Result<HttpResponse> response = (*client)->Send(method, target, {}, token);
    ASSERT_FALSE(response.has_value()) << method << " " << target;
    EXPECT_EQ(response.error().reason(), "http_request_invalid");
  }
}

TEST_F(DeviceTrustClientTest, ReportsStoppedServer) {
  StartServer();
  HttpsClientOptions options = ClientOptions();
  server_->Shutdown();
  server_->Wait();
  server_.reset();
  auto client = NewClient(options);
  ASSERT_NE(client, nullptr);
  Result<CaCertificates> roots = client->GetCaCertificates();
  ASSERT_FALSE(roots.has_value());
  EXPECT_EQ(roots.error().reason(), "server_unreachable");
  EXPECT_NE(roots.error().message().find("127.0.0.1"), std::string::npos);
}

TEST_F(DeviceTrustClientTest, RequiresCaFile) {
  HttpsClientOptions options = ClientOptions();
  options.ca_file.clear();
  Result<std::unique_ptr<HttpsClient>> client = HttpsClient::Create(options);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().reason(), "ca_file_missing");

  options.ca_file = (ca_->directory() / "absent.pem").string();
  client = HttpsClient::Create(options);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().reason(), "tls_credential_invalid");
}

TEST_F(DeviceTrustClientTest, ChecksIdsBeforeSending) {
  StartServer();
  auto client = NewClient(ClientOptions());
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->GetDevice("../admin").error().reason(), "invalid_device_id");
  EXPECT_EQ(client->CreateRegistrationChallenge("bad user").error().reason(), "invalid_user_id");
  EXPECT_EQ(challenge_requests_.load(), 0);
}

}  // namespace
}  // namespace devtrust::client
