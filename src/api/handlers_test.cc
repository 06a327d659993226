// The API handlers behind the real router, authenticator and dispatcher, over
// the real services (SQLite in a temporary directory, the CA, real keys).
// Requests go to RequestDispatcher::Dispatch directly; the HTTPS transport is
// covered by the server's tests and the end-to-end test.
#include "api/handlers.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "api/routes.h"
#include "base/encoding.h"
#include "crypto/crl.h"
#include "server/auth.h"
#include "server/dispatcher.h"
#include "server/router.h"
#include "service/identifiers.h"
#include "service/service_test_support.h"

namespace devtrust::api {
namespace {

namespace http = server::http;
using service::testing::Enrollment;
using service::testing::ServiceFixture;
using service::testing::TestDevice;
using service::testing::WindowsChrome;

const std::string kRelyingPartyKey = "rp-key-0123456789abcdefghijklmnopqrstuvwxyz";
const std::string kAdminKey = "admin-key-0123456789abcdefghijklmnopqrstuvwxyz";

struct Reply {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  boost::json::value json;

  std::string Code() const {
    if (!json.is_object()) return "";
    const boost::json::value* error = json.as_object().if_contains("error");
    if (error == nullptr) return "";
    return std::string(error->as_object().at("code").as_string());
  }
  const boost::json::object& Object() const { return json.as_object(); }
};

std::string KeysJson(const service::SubmittedKeys& keys) {
  boost::json::object json{{"ml_dsa_65", Base64UrlEncode(keys.ml_dsa)},
                           {"ecdsa_p256", Base64UrlEncode(keys.ecdsa)},
                           {"x25519", Base64UrlEncode(keys.x25519)}};
  if (!keys.ml_kem.empty()) json["ml_kem_768"] = Base64UrlEncode(keys.ml_kem);
  return boost::json::serialize(json);
}

boost::json::value FingerprintJson(const trust::Fingerprint& fingerprint) {
  return boost::json::parse(fingerprint.CanonicalJson());
}

class HandlersTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    server::Router router;
    const ApiServices services{*challenges_, *registrations_, *verifications_, *validations_,
                               *devices_,    *reviews_,       *ca_service_,    logger_};
    ASSERT_TRUE(AddApiRoutes(router, services).has_value());
    server::ApiKeyAuthenticator keys;
    ASSERT_TRUE(keys.AddKey("relying-party", server::Role::kRelyingParty,
                            crypto::SecretBytes(AsBytes(kRelyingPartyKey)))
                    .has_value());
    ASSERT_TRUE(keys.AddKey("admin", server::Role::kAdmin, crypto::SecretBytes(AsBytes(kAdminKey)))
                    .has_value());
    dispatcher_ =
        std::make_unique<server::RequestDispatcher>(std::move(router), std::move(keys), logger_);
  }

  Reply Call(http::verb method, std::string_view target, std::string body = "",
             std::string_view key = kRelyingPartyKey, bool hybrid_tls = true,
             std::string_view content_type = "application/json") {
    server::Request request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    if (!key.empty()) request.set(http::field::authorization, "Bearer " + std::string(key));
    if (!body.empty() || method == http::verb::post) {
      request.set(http::field::content_type, content_type);
      request.body() = std::move(body);
      request.prepare_payload();
    }
    server::RequestContext context;
    context.trace_id = Facts().trace_id;
    context.remote_address = "127.0.0.1";
    context.remote_is_loopback = true;
    context.tls.protocol = "TLSv1.3";
    context.tls.group = hybrid_tls ? "X25519MLKEM768" : "x25519";
    context.tls.key_exchange =
        hybrid_tls ? crypto::TlsKeyExchange::kHybridMlKem : crypto::TlsKeyExchange::kClassical;

    const server::Response response = dispatcher_->Dispatch(request, context);
    Reply reply;
    reply.status = response.result_int();
    reply.content_type = std::string(response[http::field::content_type]);
    reply.body = response.body();
    boost::system::error_code error;
    reply.json = boost::json::parse(reply.body, error);
    return reply;
  }

  Reply Post(std::string_view target, const boost::json::object& body,
             std::string_view key = kRelyingPartyKey) {
    return Call(http::verb::post, target, boost::json::serialize(body), key);
  }

  std::string NewNonce(std::string_view purpose, std::string_view device_id = "") {
    boost::json::object body{{"purpose", purpose}, {"user_id", "alice"}};
    if (!device_id.empty()) body["device_id"] = device_id;
    const Reply reply = Post("/v1/challenges", body);
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.status == 201 ? std::string(reply.Object().at("nonce").as_string()) : "";
  }

  boost::json::object RegistrationBody(const TestDevice& device, std::string_view nonce_text) {
    const Bytes nonce = *Base64UrlDecode(nonce_text, 64);
    const service::RegistrationRequest request =
        device.Registration("alice", nonce, WindowsChrome());
    return boost::json::object{
        {"user_id", "alice"},
        {"nonce", nonce_text},
        {"public_keys", boost::json::parse(KeysJson(request.public_keys))},
        {"fingerprint", FingerprintJson(WindowsChrome())},
        {"signatures",
         boost::json::object{{"ml_dsa_65", Base64UrlEncode(request.ml_dsa_signature)},
                             {"ecdsa_p256", Base64UrlEncode(request.ecdsa_signature)}}}};
  }

  boost::json::object LoginBody(const Enrollment& enrollment,
                                const trust::Fingerprint& fingerprint) {
    const std::string& device_id = enrollment.result.device.device_id;
    const Bytes nonce = *Base64UrlDecode(NewNonce("login", device_id), 64);
    const service::ValidationRequest login = enrollment.device.Login(
        "alice", device_id, nonce, fingerprint, enrollment.result.ml_dsa_certificate,
        enrollment.result.ecdsa_certificate);
    return boost::json::object{{"user_id", "alice"},
                               {"device_id", device_id},
                               {"nonce", Base64UrlEncode(login.nonce)},
                               {"certificate", Base64UrlEncode(login.certificate)},
                               {"signature", Base64UrlEncode(login.signature)},
                               {"fingerprint", FingerprintJson(fingerprint)}};
  }

  std::unique_ptr<server::RequestDispatcher> dispatcher_;
};

// --- POST /v1/challenges ---

TEST_F(HandlersTest, ChallengeIsCreated) {
  const Reply reply = Post("/v1/challenges", {{"purpose", "register"}, {"user_id", "alice"}});

  ASSERT_EQ(reply.status, 201u) << reply.body;
  EXPECT_EQ(reply.content_type, "application/json");
  EXPECT_EQ(Base64UrlDecode(reply.Object().at("nonce").as_string(), 64)->size(), 32u);
  EXPECT_EQ(reply.Object().at("purpose").as_string(), "register");
  EXPECT_EQ(reply.Object().at("user_id").as_string(), "alice");
  EXPECT_TRUE(reply.Object().at("expires_at").as_string().ends_with("Z"));
  EXPECT_FALSE(reply.Object().contains("device_id"));
}

TEST_F(HandlersTest, ChallengeRequestErrors) {
  EXPECT_EQ(Call(http::verb::post, "/v1/challenges", "{").Code(), "invalid_json");
  EXPECT_EQ(Post("/v1/challenges", {{"user_id", "alice"}}).Code(), "missing_field");
  EXPECT_EQ(
      Post("/v1/challenges", {{"purpose", "register"}, {"user_id", "alice"}, {"x", 1}}).Code(),
      "unknown_field");
  EXPECT_EQ(Post("/v1/challenges", {{"purpose", "logout"}, {"user_id", "alice"}}).Code(),
            "invalid_field");
  EXPECT_EQ(Post("/v1/challenges", {{"purpose", 1}, {"user_id", "alice"}}).Code(),
            "invalid_field_type");
  EXPECT_EQ(Post("/v1/challenges", {{"purpose", "register"}, {"user_id", "a b"}}).Code(),
            "invalid_user_id");
  EXPECT_EQ(Call(http::verb::post, "/v1/challenges",
                 R"({"purpose":"register","purpose":"login","user_id":"alice"})")
                .Code(),
            "duplicate_field");
  const Reply unknown = Post("/v1/challenges", {{"purpose", "login"},
                                                {"user_id", "alice"},
                                                {"device_id", "dev_aaaaaaaaaaaaaaaaaaaaaaaaaa"}});
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.Code(), "device_not_found");
}

TEST_F(HandlersTest, StatusCodesOfRequestErrors) {
  EXPECT_EQ(Call(http::verb::post, "/v1/challenges", "{").status, 400u);
  EXPECT_EQ(
      Call(http::verb::post, "/v1/challenges", "{}", kRelyingPartyKey, true, "text/plain").status,
      415u);
  EXPECT_EQ(Call(http::verb::post, "/v1/challenges", "{}", "").status, 401u);
  EXPECT_EQ(
      Call(http::verb::post, "/v1/challenges", "{}", "wrong-key-0123456789abcdefghijklmnop").status,
      401u);
  EXPECT_EQ(Call(http::verb::get, "/v1/challenges").status, 405u);
  EXPECT_EQ(Call(http::verb::get, "/v1/nothing").status, 404u);
  const std::string large = R"({"purpose":")" + std::string(70'000, 'x') + R"("})";
  EXPECT_EQ(Call(http::verb::post, "/v1/challenges", large).status, 413u);
}

TEST_F(HandlersTest, ErrorBodyHasStableShape) {
  const Reply reply = Post("/v1/challenges", {{"user_id", "alice"}});

  ASSERT_EQ(reply.status, 400u);
  const boost::json::object& error = reply.Object().at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "missing_field");
  EXPECT_NE(error.at("message").as_string().find("purpose"), std::string::npos);
  EXPECT_EQ(reply.Object().at("trace_id").as_string().size(), 32u);
}

TEST_F(HandlersTest, ClassicalTlsForbiddenIs403) {
  context_->fallback_policy.allow_tls_without_hybrid_group = false;

  const Reply reply = Call(http::verb::post, "/v1/challenges",
                           R"({"purpose":"register","user_id":"alice"})", kRelyingPartyKey,
                           /*hybrid_tls=*/false);

  EXPECT_EQ(reply.status, 403u);
  EXPECT_EQ(reply.Code(), "fallback_not_allowed");
}

// --- POST /v1/devices ---

TEST_F(HandlersTest, RegistrationIsCreated) {
  const TestDevice device = TestDevice::Generate();

  const Reply reply = Post("/v1/devices", RegistrationBody(device, NewNonce("register")));

  ASSERT_EQ(reply.status, 201u) << reply.body;
  const boost::json::object& body = reply.Object();
  EXPECT_TRUE(service::ValidateDeviceId(body.at("device_id").as_string()).has_value());
  EXPECT_EQ(body.at("user_id").as_string(), "alice");
  EXPECT_EQ(body.at("status").as_string(), "pending");
  const boost::json::object& certificates = body.at("certificates").as_object();
  EXPECT_TRUE(Base64UrlDecode(certificates.at("ml_dsa_65").as_string(), 16384).has_value());
  EXPECT_TRUE(Base64UrlDecode(certificates.at("ecdsa_p256").as_string(), 16384).has_value());
  const boost::json::object& verification = body.at("verification").as_object();
  EXPECT_EQ(verification.at("kind").as_string(), "registration");
  EXPECT_TRUE(verification.at("challenge_id").as_string().starts_with("chl_"));
  EXPECT_EQ(body.at("trace_id").as_string().size(), 32u);
}

TEST_F(HandlersTest, RegistrationErrors) {
  const TestDevice device = TestDevice::Generate();
  const std::string nonce = NewNonce("register");

  boost::json::object no_keys = RegistrationBody(device, nonce);
  no_keys.erase("public_keys");
  EXPECT_EQ(Post("/v1/devices", no_keys).Code(), "missing_field");

  boost::json::object extra = RegistrationBody(device, nonce);
  extra["public_keys"].as_object()["rsa"] = "AAAA";
  EXPECT_EQ(Post("/v1/devices", extra).Code(), "unknown_field");

  boost::json::object bad_base64 = RegistrationBody(device, nonce);
  bad_base64["signatures"].as_object()["ecdsa_p256"] = "not base64!";
  EXPECT_EQ(Post("/v1/devices", bad_base64).Code(), "invalid_base64");

  boost::json::object long_key = RegistrationBody(device, nonce);
  long_key["public_keys"].as_object()["x25519"] = Base64UrlEncode(Bytes(100, 1));
  EXPECT_EQ(Post("/v1/devices", long_key).Code(), "field_too_long");

  boost::json::object bad_fingerprint = RegistrationBody(device, nonce);
  bad_fingerprint["fingerprint"] = boost::json::object{{"Platform", "Win32"}};
  EXPECT_EQ(Post("/v1/devices", bad_fingerprint).Code(), "fingerprint_invalid");

  boost::json::object wrong_key = RegistrationBody(device, nonce);
  wrong_key["public_keys"].as_object()["ecdsa_p256"] = Base64UrlEncode(device.PublicKeys().x25519);
  const Reply invalid_key = Post("/v1/devices", wrong_key);
  EXPECT_EQ(invalid_key.status, 400u);
  EXPECT_EQ(invalid_key.Code(), "invalid_key");
}

TEST_F(HandlersTest, ReusedRegistrationNonceIs409) {
  const TestDevice device = TestDevice::Generate();
  const boost::json::object body = RegistrationBody(device, NewNonce("register"));
  ASSERT_EQ(Post("/v1/devices", body).status, 201u);

  const Reply again = Post("/v1/devices", body);

  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.Code(), "nonce_reused");
}

// --- POST /v1/devices/{id}/verify ---

TEST_F(HandlersTest, VerifyTrustsDevice) {
  const Enrollment enrollment = Register("alice", WindowsChrome());
  const std::string& device_id = enrollment.result.device.device_id;
  const crypto::SecretBytes code = CodeFor(enrollment.result.challenge_id);

  const Reply reply =
      Post("/v1/devices/" + device_id + "/verify",
           {{"challenge_id", enrollment.result.challenge_id}, {"code", code.AsStringView()}});

  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Object().at("status").as_string(), "trusted");
  EXPECT_EQ(reply.Object().at("device_id").as_string(), device_id);
  EXPECT_TRUE(reply.Object().contains("verified_at"));
  EXPECT_TRUE(reply.Object().at("has_ml_kem").as_bool());
}

TEST_F(HandlersTest, VerifyErrors) {
  const Enrollment enrollment = Register("alice", WindowsChrome());
  const std::string target = "/v1/devices/" + enrollment.result.device.device_id + "/verify";
  const std::string& challenge_id = enrollment.result.challenge_id;
  std::string wrong(CodeFor(challenge_id).AsStringView());
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);

  const Reply wrong_code = Post(target, {{"challenge_id", challenge_id}, {"code", wrong}});
  EXPECT_EQ(wrong_code.status, 409u);
  EXPECT_EQ(wrong_code.Code(), "verification_code_invalid");
  EXPECT_EQ(Post(target, {{"challenge_id", challenge_id}, {"code", "12ab56"}}).Code(),
            "invalid_code");
  EXPECT_EQ(Post(target, {{"challenge_id", challenge_id}, {"code", "123456789"}}).Code(),
            "field_too_long");
  const Reply missing =
      Post(target, {{"challenge_id", "chl_aaaaaaaaaaaaaaaaaaaaaaaaaa"}, {"code", "123456"}});
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.Code(), "challenge_not_found");
  EXPECT_EQ(
      Post("/v1/devices/not-a-device/verify", {{"challenge_id", challenge_id}, {"code", "123456"}})
          .status,
      404u);
}

// --- POST /v1/trust/validate ---

TEST_F(HandlersTest, ValidationTrustedHasSession) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());

  const Reply reply = Post("/v1/trust/validate", LoginBody(enrollment, WindowsChrome()));

  ASSERT_EQ(reply.status, 200u) << reply.body;
  const boost::json::object& body = reply.Object();
  EXPECT_EQ(body.at("decision").as_string(), "trusted");
  EXPECT_EQ(body.at("trust_result").as_string(), "trusted");
  EXPECT_EQ(body.at("reasons").as_array(), boost::json::array{"ok"});
  EXPECT_EQ(body.at("trace_id").as_string().size(), 32u);
  const boost::json::object& session = body.at("session").as_object();
  EXPECT_EQ(session.at("mode").as_string(), "hybrid");
  EXPECT_EQ(session.at("algorithm").as_string(), "ML-KEM-768+X25519");
  EXPECT_EQ(Base64UrlDecode(session.at("ciphertext").as_string(), 2048)->size(), 1088u);
  EXPECT_EQ(Base64UrlDecode(session.at("server_public_key").as_string(), 64)->size(), 32u);
  EXPECT_EQ(Base64UrlDecode(session.at("key").as_string(), 64)->size(), 32u);
  EXPECT_EQ(body.at("drift").as_object().at("score").as_double(), 0.0);
  EXPECT_FALSE(body.contains("fallback"));
  EXPECT_FALSE(body.contains("challenge"));
}

TEST_F(HandlersTest, ValidationReplayIsDeniedWith200) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  const boost::json::object body = LoginBody(enrollment, WindowsChrome());
  ASSERT_EQ(Post("/v1/trust/validate", body).status, 200u);

  const Reply replay = Post("/v1/trust/validate", body);

  ASSERT_EQ(replay.status, 200u);
  EXPECT_EQ(replay.Object().at("decision").as_string(), "denied");
  EXPECT_EQ(replay.Object().at("reasons").as_array(), boost::json::array{"nonce_reused"});
  EXPECT_FALSE(replay.Object().contains("session"));
}

TEST_F(HandlersTest, ValidationSoftDriftHasChallengeAndDrift) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());

  const Reply reply = Post("/v1/trust/validate",
                           LoginBody(enrollment, WindowsChrome("2560", "1440", "Asia/Tokyo")));

  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.Object().at("decision").as_string(), "challenge");
  EXPECT_EQ(reply.Object().at("trust_result").as_string(), "challenge_soft");
  EXPECT_EQ(reply.Object().at("challenge").as_object().at("kind").as_string(), "soft");
  const boost::json::object& drift = reply.Object().at("drift").as_object();
  EXPECT_GE(drift.at("score").as_double(), 0.3);
  EXPECT_FALSE(drift.at("changed").as_array().empty());
}

TEST_F(HandlersTest, ValidationMissingTokenIsHardChallenge) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  boost::json::object body = LoginBody(enrollment, WindowsChrome());
  body.erase("certificate");

  const Reply reply = Post("/v1/trust/validate", body);

  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.Object().at("trust_result").as_string(), "challenge_hard");
  EXPECT_EQ(reply.Object().at("reasons").as_array(), boost::json::array{"device_token_missing"});
  EXPECT_EQ(reply.Object().at("challenge").as_object().at("kind").as_string(), "hard");
}

TEST_F(HandlersTest, ValidationClassicalTlsReportsFallback) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());

  const Reply reply = Call(http::verb::post, "/v1/trust/validate",
                           boost::json::serialize(LoginBody(enrollment, WindowsChrome())),
                           kRelyingPartyKey, /*hybrid_tls=*/false);

  ASSERT_EQ(reply.status, 200u);
  const boost::json::object& fallback = reply.Object().at("fallback").as_object();
  EXPECT_EQ(fallback.at("flow_origin").as_string(), "tls");
  EXPECT_EQ(fallback.at("algorithm").as_string(), "X25519");
  EXPECT_EQ(fallback.at("requested_algorithm").as_string(), "X25519MLKEM768");
  EXPECT_EQ(fallback.at("reason").as_string(), "tls_no_hybrid_group");
  EXPECT_EQ(reply.Object().at("fallbacks").as_array().size(), 1u);
}

TEST_F(HandlersTest, ValidationRequestErrors) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  const boost::json::object valid = LoginBody(enrollment, WindowsChrome());

  boost::json::object no_fingerprint = valid;
  no_fingerprint.erase("fingerprint");
  EXPECT_EQ(Post("/v1/trust/validate", no_fingerprint).Code(), "missing_field");

  boost::json::object bad_device = valid;
  bad_device["device_id"] = "dev_!";
  EXPECT_EQ(Post("/v1/trust/validate", bad_device).Code(), "invalid_device_id");

  boost::json::object short_nonce = valid;
  short_nonce["nonce"] = Base64UrlEncode(Bytes(16, 1));
  EXPECT_EQ(Post("/v1/trust/validate", short_nonce).Code(), "invalid_nonce");

  boost::json::object number = valid;
  number["signature"] = 5;
  EXPECT_EQ(Post("/v1/trust/validate", number).Code(), "invalid_field_type");

  boost::json::object nested = valid;
  nested["fingerprint"] = boost::json::object{{"platform", boost::json::object{}}};
  EXPECT_EQ(Post("/v1/trust/validate", nested).Code(), "fingerprint_invalid");
}

// --- devices ---

TEST_F(HandlersTest, GetDeviceAndList) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  const std::string& device_id = enrollment.result.device.device_id;

  const Reply device = Call(http::verb::get, "/v1/devices/" + device_id);
  const Reply list = Call(http::verb::get, "/v1/users/alice/devices");

  ASSERT_EQ(device.status, 200u);
  EXPECT_EQ(device.Object().at("status").as_string(), "trusted");
  EXPECT_FALSE(device.Object().at("flagged_for_review").as_bool());
  ASSERT_EQ(list.status, 200u);
  ASSERT_EQ(list.Object().at("devices").as_array().size(), 1u);
  EXPECT_EQ(list.Object().at("devices").as_array()[0].at("device_id").as_string(), device_id);
}

TEST_F(HandlersTest, DeviceLookupErrors) {
  EXPECT_EQ(Call(http::verb::get, "/v1/devices/dev_aaaaaaaaaaaaaaaaaaaaaaaaaa").status, 404u);
  const Reply malformed = Call(http::verb::get, "/v1/devices/..%2F..");
  EXPECT_EQ(malformed.status, 404u);
  EXPECT_EQ(malformed.body.find("..%2F"), std::string::npos);
  EXPECT_EQ(Call(http::verb::get, "/v1/users/a%40b/devices").Code(), "invalid_user_id");
  EXPECT_EQ(
      Call(http::verb::get, "/v1/users/nobody/devices").Object().at("devices").as_array().size(),
      0u);
}

TEST_F(HandlersTest, RevokeDevice) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  const std::string target = "/v1/devices/" + enrollment.result.device.device_id + "/revoke";

  const Reply reply = Post(target, {{"reason", "key_compromise"}});

  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Object().at("status").as_string(), "revoked");
  EXPECT_TRUE(reply.Object().contains("revoked_at"));
  EXPECT_EQ(Call(http::verb::post, target, "").status, 200u);
  EXPECT_EQ(Post(target, {{"reason", "Lost!"}}).Code(), "invalid_revocation_reason");
  EXPECT_EQ(Post(target, {{"why", "x"}}).Code(), "unknown_field");
}

// --- review ---

TEST_F(HandlersTest, ReviewNeedsAdmin) {
  const Reply reply = Call(http::verb::get, "/v1/review");

  EXPECT_EQ(reply.status, 403u);
}

TEST_F(HandlersTest, ReviewListAndResolve) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  ASSERT_EQ(
      Post("/v1/trust/validate", LoginBody(enrollment, WindowsChrome("2560", "1440", "Asia/Tokyo")))
          .status,
      200u);

  const Reply list = Call(http::verb::get, "/v1/review?status=open&limit=10", "", kAdminKey);
  ASSERT_EQ(list.status, 200u) << list.body;
  const boost::json::array& items = list.Object().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  const boost::json::object& item = items[0].as_object();
  EXPECT_EQ(item.at("reason").as_string(), "drift");
  EXPECT_EQ(item.at("status").as_string(), "open");
  EXPECT_TRUE(item.at("details").is_object());
  const std::string review_id(item.at("review_id").as_string());

  const Reply resolved = Post("/v1/review/" + review_id + "/resolve",
                              {{"resolution", "benign"}, {"note", "new monitor"}}, kAdminKey);
  ASSERT_EQ(resolved.status, 200u) << resolved.body;
  EXPECT_EQ(resolved.Object().at("status").as_string(), "resolved");
  EXPECT_EQ(resolved.Object().at("resolution").as_string(), "benign");
  EXPECT_EQ(resolved.Object().at("resolved_by").as_string(), "admin");

  const Reply twice =
      Post("/v1/review/" + review_id + "/resolve", {{"resolution", "benign"}}, kAdminKey);
  EXPECT_EQ(twice.status, 409u);
  EXPECT_EQ(twice.Code(), "review_item_resolved");
}

TEST_F(HandlersTest, ReviewErrors) {
  EXPECT_EQ(Call(http::verb::get, "/v1/review?status=closed", "", kAdminKey).Code(),
            "invalid_status");
  EXPECT_EQ(Call(http::verb::get, "/v1/review?limit=0", "", kAdminKey).Code(), "invalid_limit");
  EXPECT_EQ(Call(http::verb::get, "/v1/review?limit=ten", "", kAdminKey).Code(), "invalid_limit");
  EXPECT_EQ(Call(http::verb::get, "/v1/review?after=x", "", kAdminKey).Code(), "invalid_cursor");
  EXPECT_EQ(Post("/v1/review/rev_aaaaaaaaaaaaaaaaaaaaaaaaaa/resolve", {{"resolution", "benign"}},
                 kAdminKey)
                .status,
            404u);
  EXPECT_EQ(Post("/v1/review/bad/resolve", {{"resolution", "benign"}}, kAdminKey).status, 404u);
  EXPECT_EQ(Post("/v1/review/rev_aaaaaaaaaaaaaaaaaaaaaaaaaa/resolve", {{"resolution", "ignore"}},
                 kAdminKey)
                .Code(),
            "invalid_field");
}

// --- CA ---

TEST_F(HandlersTest, CaCertificatesArePublic) {
  const Reply reply = Call(http::verb::get, "/v1/ca/certificates", "", "");

  ASSERT_EQ(reply.status, 200u);
  EXPECT_TRUE(
      reply.Object().at("ml_dsa_65").as_string().starts_with("-----BEGIN CERTIFICATE-----"));
  EXPECT_TRUE(
      reply.Object().at("ecdsa_p256").as_string().starts_with("-----BEGIN CERTIFICATE-----"));
}

TEST_F(HandlersTest, CrlIsDerOfRequestedKind) {
  const Reply ml_dsa = Call(http::verb::get, "/v1/ca/crl", "", "");
  const Reply ecdsa = Call(http::verb::get, "/v1/ca/crl?kind=ecdsa_p256", "", "");

  ASSERT_EQ(ml_dsa.status, 200u);
  EXPECT_EQ(ml_dsa.content_type, "application/pkix-crl");
  Result<crypto::Crl> ml_dsa_crl = crypto::Crl::FromDer(AsBytes(ml_dsa.body));
  Result<crypto::Crl> ecdsa_crl = crypto::Crl::FromDer(AsBytes(ecdsa.body));
  ASSERT_TRUE(ml_dsa_crl.has_value());
  ASSERT_TRUE(ecdsa_crl.has_value());
  EXPECT_EQ(ml_dsa_crl->signature_algorithm(), crypto::SignatureAlgorithm::kMlDsa65);
  EXPECT_EQ(ecdsa_crl->signature_algorithm(), crypto::SignatureAlgorithm::kEcdsaP256Sha256);
  EXPECT_EQ(Call(http::verb::get, "/v1/ca/crl?kind=rsa", "", "").Code(), "invalid_kind");
}

TEST(RouteTemplatesTest, ListsEveryRouteOnce) {
  const std::vector<std::string> templates = ApiRouteTemplates();

  for (const std::string_view route :
       {"/v1/challenges", "/v1/devices", "/v1/devices/{device_id}",
        "/v1/devices/{device_id}/verify", "/v1/devices/{device_id}/revoke",
        "/v1/users/{user_id}/devices", "/v1/trust/validate", "/v1/review",
        "/v1/review/{review_id}/resolve", "/v1/ca/certificates", "/v1/ca/crl", "/healthz",
        "/readyz", "/metrics"}) {
    EXPECT_EQ(std::count(templates.begin(), templates.end(), route), 1) << route;
  }
  EXPECT_EQ(templates.size(), 14u);
}

}  // namespace
}  // namespace devtrust::api
