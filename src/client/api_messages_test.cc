#include "client/api_messages.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/encoding.h"

namespace devtrust::client {
namespace {

namespace json = boost::json;

trust::Fingerprint SampleFingerprint() {
  const std::vector<std::pair<std::string_view, std::string_view>> attributes = {
      {"platform", "Win32"}, {"screen_width", "1536"}, {"language", "en-US"}};
  Result<trust::Fingerprint> fingerprint = trust::Fingerprint::FromAttributes(attributes);
  EXPECT_TRUE(fingerprint.has_value());
  return *fingerprint;
}

TEST(ApiMessages, EncodesChallengeRequests) {
  EXPECT_EQ(EncodeChallengeRequest("register", "alice", ""),
            R"({"purpose":"register","user_id":"alice"})");
  EXPECT_EQ(
      EncodeChallengeRequest("login", "alice", "dev_abcdefghijklmnopqrstuvwxyz"),
      R"({"purpose":"login","user_id":"alice","device_id":"dev_abcdefghijklmnopqrstuvwxyz"})");
}

TEST(ApiMessages, EncodesRegistrationRequest) {
  RegistrationRequest request{
      .user_id = "alice",
      .nonce = Bytes(32, 1),
      .public_keys = {.ml_dsa = {1}, .ecdsa = {2}, .ml_kem = {3}, .x25519 = {4}},
      .fingerprint = SampleFingerprint(),
      .signatures = {.ml_dsa = {5}, .ecdsa = {6}}};
  const json::value body = json::parse(EncodeRegistrationRequest(request));
  EXPECT_EQ(body.at("user_id").as_string(), "alice");
  EXPECT_EQ(body.at("nonce").as_string(), Base64UrlEncode(Bytes(32, 1)));
  EXPECT_EQ(body.at("public_keys").at("ml_dsa_65").as_string(), "AQ");
  EXPECT_EQ(body.at("public_keys").at("ml_kem_768").as_string(), "Aw");
  EXPECT_EQ(body.at("signatures").at("ecdsa_p256").as_string(), "Bg");
  EXPECT_EQ(body.at("fingerprint").at("screen_width").as_string(), "1536");
}

TEST(ApiMessages, RegistrationWithoutMlKemOmitsKey) {
  RegistrationRequest request{
      .user_id = "alice",
      .nonce = Bytes(32, 1),
      .public_keys = {.ml_dsa = {1}, .ecdsa = {2}, .ml_kem = {}, .x25519 = {4}},
      .fingerprint = SampleFingerprint(),
      .signatures = {.ml_dsa = {5}, .ecdsa = {6}}};
  const json::value body = json::parse(EncodeRegistrationRequest(request));
  EXPECT_FALSE(body.at("public_keys").as_object().contains("ml_kem_768"));
}

TEST(ApiMessages, EncodesValidationRequestWithClassicalPair) {
  ValidationRequest request{.user_id = "alice",
                            .device_id = "dev_abcdefghijklmnopqrstuvwxyz",
                            .nonce = Bytes(32, 2),
                            .certificate = {7},
                            .classical_certificate = {8},
                            .fingerprint = SampleFingerprint(),
                            .signatures = {.ml_dsa = {9}, .ecdsa = {10}}};
  const json::value body = json::parse(EncodeValidationRequest(request));
  EXPECT_EQ(body.at("certificate").as_string(), "Bw");
  EXPECT_EQ(body.at("signature").as_string(), "CQ");
  EXPECT_EQ(body.at("classical_certificate").as_string(), "CA");
  EXPECT_EQ(body.at("classical_signature").as_string(), "Cg");
  EXPECT_EQ(body.at("fingerprint").at("platform").as_string(), "Win32");
}

TEST(ApiMessages, EncodesVerifyRequest) {
  const crypto::SecretBytes body =
      EncodeVerifyRequest("chl_1", crypto::SecretBytes(AsBytes("123456")));
  EXPECT_EQ(body.AsStringView(), R"({"challenge_id":"chl_1","code":"123456"})");
}

TEST(ApiMessages, DecodesChallenge) {
  Result<Challenge> challenge = DecodeChallenge(
      R"({"nonce":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE","purpose":"login",)"
      R"("user_id":"alice","device_id":"dev_x","expires_at":"2030-01-01T00:00:00Z","new":1})");
  ASSERT_TRUE(challenge.has_value()) << challenge.error().ToString();
  EXPECT_EQ(challenge->nonce, Bytes(32, 1));
  EXPECT_EQ(challenge->device_id, "dev_x");
}

TEST(ApiMessages, ChallengeErrorsNameTheField) {
  Result<Challenge> missing =
      DecodeChallenge(R"({"purpose":"login","user_id":"a","expires_at":"x"})");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().reason(), "response_invalid");
  EXPECT_NE(missing.error().message().find("\"nonce\""), std::string::npos);
  EXPECT_NE(missing.error().message().find("POST /v1/challenges"), std::string::npos);

  Result<Challenge> padded =
      DecodeChallenge(R"({"nonce":"AQ==","purpose":"login","user_id":"a","expires_at":"x"})");
  ASSERT_FALSE(padded.has_value());
  EXPECT_NE(padded.error().message().find("base64url"), std::string::npos);

  Result<Challenge> not_json = DecodeChallenge("<html>");
  ASSERT_FALSE(not_json.has_value());
  EXPECT_EQ(not_json.error().reason(), "response_invalid");
}

TEST(ApiMessages, DecodesRegistration) {
  Result<Registration> registration =
      DecodeRegistration(R"({"device_id":"dev_x","user_id":"alice","status":"pending",)"
                         R"("certificates":{"ml_dsa_65":"AQ","ecdsa_p256":"Ag"},)"
                         R"("verification":{"challenge_id":"chl_1","kind":"registration",)"
                         R"("expires_at":"2030-01-01T00:00:00Z"},"trace_id":"t1"})");
  ASSERT_TRUE(registration.has_value()) << registration.error().ToString();
  EXPECT_EQ(registration->ml_dsa_certificate, Bytes{1});
  EXPECT_EQ(registration->ecdsa_certificate, Bytes{2});
  EXPECT_EQ(registration->verification.challenge_id, "chl_1");
  EXPECT_EQ(registration->verification.kind, "registration");
}

TEST(ApiMessages, DecodesFullValidationResult) {
  Result<ValidationResult> result = DecodeValidationResult(
      R"({"decision":"challenge","trust_result":"challenge_soft",)"
      R"("reasons":["fingerprint_drift","classical_fallback"],"trace_id":"t2",)"
      R"("challenge":{"challenge_id":"chl_2","kind":"soft","expires_at":"x"},)"
      R"("drift":{"score":0.45,"changed":["user_agent","user_agent.browser"]},)"
      R"("session":{"mode":"classical","algorithm":"X25519","server_public_key":"AQ",)"
      R"("key":"AgI"},)"
      R"("fallback":{"algorithm":"X25519","requested_algorithm":"ML-KEM-768",)"
      R"("reason":"device_without_ml_kem","flow_origin":"session_kem"}})");
  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(result->decision, "challenge");
  EXPECT_EQ(result->trust_result, "challenge_soft");
  EXPECT_EQ(result->reasons, (std::vector<std::string>{"fingerprint_drift", "classical_fallback"}));
  ASSERT_TRUE(result->challenge.has_value());
  EXPECT_EQ(result->challenge->kind, "soft");
  ASSERT_TRUE(result->drift.has_value());
  EXPECT_DOUBLE_EQ(result->drift->score, 0.45);
  EXPECT_EQ(result->drift->changed.size(), 2u);
  ASSERT_TRUE(result->session.has_value());
  EXPECT_EQ(result->session->mode, "classical");
  EXPECT_TRUE(result->session->ciphertext.empty());
  EXPECT_TRUE(result->session->key.ConstantTimeEquals(Bytes{2, 2}));
  ASSERT_TRUE(result->fallback.has_value());
  EXPECT_EQ(result->fallback->flow_origin, "session_kem");
}

TEST(ApiMessages, DecodesMinimalValidationResult) {
  Result<ValidationResult> result = DecodeValidationResult(
      R"({"decision":"denied","trust_result":"denied","reasons":["nonce_reused"],)"
      R"("trace_id":"t3"})");
  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_FALSE(result->challenge.has_value());
  EXPECT_FALSE(result->session.has_value());
}

TEST(ApiMessages, RejectsMalformedValidationResult) {
  for (std::string_view body :
       {R"({"trust_result":"denied","reasons":[],"trace_id":"t"})",
        R"({"decision":"denied","trust_result":"denied","reasons":"x","trace_id":"t"})",
        R"({"decision":"denied","trust_result":"denied","reasons":[1],"trace_id":"t"})",
        R"({"decision":"trusted","trust_result":"trusted","reasons":[],"trace_id":"t",)"
        R"("session":{"mode":"other","server_public_key":"AQ","key":"AQ"}})",
        R"({"decision":"trusted","trust_result":"trusted","reasons":[],"trace_id":"t",)"
        R"("drift":{"score":"high"}})",
        "[]"}) {
    Result<ValidationResult> result = DecodeValidationResult(body);
    ASSERT_FALSE(result.has_value()) << body;
    EXPECT_EQ(result.error().reason(), "response_invalid") << body;
  }
}

TEST(ApiMessages, DecodesDocumentedErrorShape) {
  const Error error = DecodeErrorResponse(
      "POST /v1/devices", 409,
      R"({"error":{"code":"nonce_reused","message":"the nonce was used"},"trace_id":"abc"})", "");
  EXPECT_EQ(error.reason(), "nonce_reused");
  EXPECT_EQ(error.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(error.message().find("POST /v1/devices failed with HTTP 409 nonce_reused"),
            std::string::npos)
      << error.message();
  EXPECT_NE(error.message().find("trace id abc"), std::string::npos);
  EXPECT_NE(error.message().find("request a new challenge"), std::string::npos);
}

TEST(ApiMessages, ErrorWithoutJsonBody) {
  const Error error = DecodeErrorResponse("GET /v1/x", 502, "<html>bad gateway</html>", "t9");
  EXPECT_EQ(error.reason(), "http_502");
  EXPECT_EQ(error.code(), StatusCode::kUnavailable);
  EXPECT_NE(error.message().find("trace id t9"), std::string::npos);
}

TEST(ApiMessages, ErrorKeepsUnsafeServerTextOut) {
  const Error error = DecodeErrorResponse(
      "GET /v1/x", 400, R"({"error":{"code":"Bad Code\n","message":"line1\nline2\u0007"}})", "");
  EXPECT_EQ(error.reason(), "http_400");
  EXPECT_EQ(error.message().find('\n'), std::string::npos);
  EXPECT_EQ(error.message().find('\a'), std::string::npos);
}

TEST(ApiMessages, DecodesCaCertificates) {
  Result<CaCertificates> roots =
      DecodeCaCertificates(R"({"ml_dsa_65":"-----BEGIN A","ecdsa_p256":"-----BEGIN B"})");
  ASSERT_TRUE(roots.has_value());
  EXPECT_EQ(roots->ml_dsa_65, "-----BEGIN A");
  EXPECT_FALSE(DecodeCaCertificates(R"({"ml_dsa_65":"x"})").has_value());
}

}  // namespace
}  // namespace devtrust::client
