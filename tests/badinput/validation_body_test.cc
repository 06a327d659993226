// Bad logins against the real `devtrust serve`: truncated, bit-flipped,
// oversized and foreign certificates, bad signatures, nonces and ids.
//
// POST /v1/trust/validate answers a well-formed request with a decision and
// status 200, also when the device is denied; only a malformed request gets a
// 4xx (docs/openapi.yaml). So each case here expects either a 4xx with its
// code or a decision with its reason codes. The validation pipeline consumes
// the login nonce at replay_check, after the certificate steps and before
// pop_signature (trust/validation_pipeline.h): a request rejected before
// replay_check leaves the nonce usable, and one rejected after it burns the
// nonce. Both are checked.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <string>
#include <vector>

#include "bad_input_fixture.h"
#include "base/encoding.h"
#include "client/api_messages.h"
#include "crypto/x509.h"

namespace devtrust::hardening {
namespace {

constexpr std::string_view kUser = "victor";

// A login body and the answer it must get: a 4xx with `code`, or status 200
// with `trust_result` and `reasons`.
struct LoginCase {
  std::string name;
  std::string body;
  unsigned status = 200;
  std::string code;
  std::string trust_result;
  std::vector<std::string> reasons;
};

LoginCase Malformed(std::string name, std::string body, std::string code) {
  return LoginCase{std::move(name), std::move(body), 400, std::move(code), "", {}};
}

LoginCase Decided(std::string name, std::string body, std::string trust_result,
                  std::vector<std::string> reasons) {
  return LoginCase{std::move(name),         std::move(body),   200, "",
                   std::move(trust_result), std::move(reasons)};
}

std::vector<std::string> ReasonsOf(const boost::json::value& result) {
  std::vector<std::string> reasons;
  for (const boost::json::value& reason : result.at("reasons").as_array()) {
    reasons.emplace_back(reason.as_string());
  }
  return reasons;
}

class ValidationBodyTest : public BadInputTest {
 protected:
  void SetUp() override {
    BadInputTest::SetUp();
    if (HasFatalFailure()) return;

    Result<EnrolledDevice> device = EnrollTrustedDevice(*client_, harness_->receiver(), kUser);
    ASSERT_TRUE(device.has_value()) << device.error().ToString();
    device_.emplace(*std::move(device));
    Result<EnrolledDevice> sibling = EnrollTrustedDevice(*client_, harness_->receiver(), kUser);
    ASSERT_TRUE(sibling.has_value()) << sibling.error().ToString();
    sibling_.emplace(*std::move(sibling));
    Result<EnrolledDevice> stranger =
        EnrollTrustedDevice(*client_, harness_->receiver(), "stranger");
    ASSERT_TRUE(stranger.has_value()) << stranger.error().ToString();
    stranger_.emplace(*std::move(stranger));
  }

  // The body of a correctly signed login of `device_` over a new nonce,
  // without the ECDSA twin, so that certificate failures are not turned into
  // the classical fallback.
  boost::json::object NewLoginBody() {
    Result<client::ValidationRequest> login = NewSignedLogin(*client_, *device_);
    EXPECT_TRUE(login.has_value()) << login.error().ToString();
    boost::json::object body = ParseObject(client::EncodeValidationRequest(*login));
    body.erase("classical_certificate");
    body.erase("classical_signature");
    return body;
  }

  static std::string With(boost::json::object body, std::string_view name,
                          boost::json::value value) {
    body[name] = std::move(value);
    return boost::json::serialize(body);
  }

  static std::string WithBytes(const boost::json::object& body, std::string_view name,
                               ByteView bytes) {
    return With(body, name, boost::json::value(Base64UrlEncode(bytes)));
  }

  static std::string Without(boost::json::object body, std::string_view name) {
    body.erase(name);
    return boost::json::serialize(body);
  }

  static Bytes BytesOf(const boost::json::object& body, std::string_view name) {
    Result<Bytes> bytes = Base64UrlDecode(body.at(name).as_string(), 1 << 20);
    if (!bytes) std::abort();
    return *std::move(bytes);
  }

  void ExpectAnswers(const std::vector<LoginCase>& cases) {
    for (const LoginCase& login : cases) {
      SCOPED_TRACE("case: " + login.name);
      ExpectAnswer(login);
    }
  }

  void ExpectAnswer(const LoginCase& login) {
    const client::HttpResponse response = Post("/v1/trust/validate", login.body);
    ASSERT_EQ(response.status, login.status) << response.body;
    if (login.status != 200) {
      EXPECT_EQ(ErrorCodeOf(response.body), login.code) << response.body;
      return;
    }
    const boost::json::value result = boost::json::parse(response.body);
    EXPECT_EQ(result.at("trust_result").as_string(), login.trust_result) << response.body;
    EXPECT_EQ(ReasonsOf(result), login.reasons) << response.body;
    EXPECT_FALSE(result.as_object().contains("session")) << response.body;
  }

  // Posts `body` and returns the decision's reasons, or {} after a failure.
  std::vector<std::string> Reasons(const std::string& body) {
    const client::HttpResponse response = Post("/v1/trust/validate", body);
    EXPECT_EQ(response.status, 200u) << response.body;
    if (response.status != 200) return {};
    return ReasonsOf(boost::json::parse(response.body));
  }

  std::optional<EnrolledDevice> device_;
  std::optional<EnrolledDevice> sibling_;   // the same user's second device
  std::optional<EnrolledDevice> stranger_;  // another user's device
};

TEST_F(ValidationBodyTest, RejectionsBeforeReplayCheckKeepTheNonce) {
  const boost::json::object base = NewLoginBody();
  const Bytes certificate = BytesOf(base, "certificate");
  const Bytes signature = BytesOf(base, "signature");
  const std::string nonce_text(base.at("nonce").as_string());

  Result<client::CaCertificates> roots = client_->GetCaCertificates();
  ASSERT_TRUE(roots.has_value()) << roots.error().ToString();
  Result<crypto::Certificate> root = crypto::Certificate::FromPem(roots->ml_dsa_65);
  ASSERT_TRUE(root.has_value());

  const std::vector<LoginCase> cases = {
      // Certificates.
      Decided("certificate truncated", WithBytes(base, "certificate", Truncated(certificate, 100)),
              "challenge_hard", {"certificate_malformed"}),
      Decided("certificate one byte short",
              WithBytes(base, "certificate", Truncated(certificate, certificate.size() - 1)),
              "challenge_hard", {"certificate_malformed"}),
      Decided("certificate trailing byte", WithBytes(base, "certificate", Appended(certificate, 1)),
              "challenge_hard", {"certificate_malformed"}),
      Decided("certificate random bytes",
              WithBytes(base, "certificate", RandomData(certificate.size())), "challenge_hard",
              {"certificate_malformed"}),
      Decided("certificate signature bit flipped",
              WithBytes(base, "certificate", FlipBit(certificate, certificate.size() - 1)),
              "challenge_hard", {"certificate_signature_invalid"}),
      Decided("certificate public key bit flipped",
              WithBytes(base, "certificate", FlipBit(certificate, 1000)), "challenge_hard",
              {"certificate_signature_invalid"}),
      Decided("certificate is the ECDSA twin",
              WithBytes(base, "certificate", device_->ecdsa_certificate), "challenge_hard",
              {"certificate_foreign_issuer"}),
      // The root chains to itself but is no device certificate, which the CA
      // check reports as an invalid signature (service/crypto_ports.cc).
      Decided("certificate is the CA root", WithBytes(base, "certificate", root->ToDer()),
              "challenge_hard", {"certificate_signature_invalid"}),
      Decided("certificate of the user's other device",
              WithBytes(base, "certificate", sibling_->ml_dsa_certificate), "denied",
              {"certificate_unknown"}),
      Decided("certificate of another user's device",
              WithBytes(base, "certificate", stranger_->ml_dsa_certificate), "denied",
              {"certificate_unknown"}),
      Malformed("certificate over 16 KiB", WithBytes(base, "certificate", RandomData(16385)),
                "field_too_long"),
      Malformed("certificate padded",
                With(base, "certificate",
                     boost::json::value(Base64UrlEncode(Truncated(certificate, 100)) + "=")),
                "invalid_base64"),
      Malformed("certificate in standard base64",
                With(base, "certificate", boost::json::value(Base64Encode(certificate))),
                "invalid_base64"),
      Malformed("certificate number", With(base, "certificate", boost::json::value(1)),
                "invalid_field_type"),
      // Missing credentials are a decision, not a malformed request.
      Decided("certificate missing", Without(base, "certificate"), "challenge_hard",
              {"device_token_missing"}),
      Decided("certificate empty", WithBytes(base, "certificate", Bytes()), "challenge_hard",
              {"device_token_missing"}),
      Decided("signature missing", Without(base, "signature"), "challenge_hard",
              {"device_token_missing"}),
      Decided("nonce missing", Without(base, "nonce"), "challenge_hard", {"device_token_missing"}),
      // Ids.
      Decided("device of another user",
              With(base, "device_id", boost::json::value(stranger_->device_id)), "denied",
              {"device_unknown"}),
      Decided("device id never issued",
              With(base, "device_id", boost::json::value("dev_aaaaaaaaaaaaaaaaaaaaaaaaaa")),
              "denied", {"device_unknown"}),
      Decided("user id of another user", With(base, "user_id", boost::json::value("stranger")),
              "denied", {"device_unknown"}),
      Malformed("device id upper case",
                With(base, "device_id", boost::json::value("dev_AAAAAAAAAAAAAAAAAAAAAAAAAA")),
                "invalid_device_id"),
      Malformed("device id path traversal",
                With(base, "device_id", boost::json::value("../../devices/dev_aaaa")),
                "invalid_device_id"),
      Malformed("device id control character",
                With(base, "device_id", boost::json::value("dev_\raaaaaaaaaaaaaaaaaaaaaaaaa")),
                "invalid_device_id"),
      Malformed("device id 65 bytes",
                With(base, "device_id", boost::json::value(Repeated(65, 'd'))), "field_too_long"),
      Malformed("user id control character",
                With(base, "user_id", boost::json::value("vic\x7ftor")), "invalid_user_id"),
      // Other fields.
      Malformed("nonce 31 bytes", WithBytes(base, "nonce", RandomData(31)), "invalid_nonce"),
      Malformed("nonce padded", With(base, "nonce", boost::json::value(nonce_text + "=")),
                "invalid_base64"),
      Malformed("signature over 3309 bytes", WithBytes(base, "signature", Appended(signature, 1)),
                "field_too_long"),
      Malformed("classical signature over 72 bytes",
                WithBytes(base, "classical_signature", RandomData(73)), "field_too_long"),
      Malformed("fingerprint missing", Without(base, "fingerprint"), "missing_field"),
      Malformed("fingerprint array", With(base, "fingerprint", boost::json::array{"Linux"}),
                "fingerprint_invalid"),
      Malformed("unknown member", With(base, "session_key", boost::json::value("AAAA")),
                "unknown_field"),
      Malformed("duplicate certificate",
                "{\"certificate\":\"AAAA\"," + boost::json::serialize(base).substr(1),
                "duplicate_field"),
  };
  ExpectAnswers(cases);

  // None of them reached replay_check, so the nonce still works, once.
  const std::string body = boost::json::serialize(base);
  EXPECT_EQ(Reasons(body), std::vector<std::string>{"ok"});
  EXPECT_EQ(Reasons(body), std::vector<std::string>{"nonce_reused"});

  // A broken ML-DSA certificate next to the ECDSA twin asks for the classical
  // certificate fallback, which the default policy forbids.
  Result<client::ValidationRequest> signed_login = NewSignedLogin(*client_, *device_);
  ASSERT_TRUE(signed_login.has_value());
  const boost::json::object with_twin = ParseObject(client::EncodeValidationRequest(*signed_login));
  ASSERT_TRUE(with_twin.contains("classical_certificate"));
  ExpectAnswer(Decided("broken certificate with the ECDSA twin",
                       WithBytes(with_twin, "certificate", Truncated(certificate, 100)), "denied",
                       {"fallback_not_allowed", "certificate_malformed"}));

  // The devices are as enrolled: nothing was added, and the attacked one is
  // still trusted.
  EXPECT_EQ(DeviceIdsOf(kUser).size(), 2u);
  Result<client::DeviceRecord> record = client_->GetDevice(device_->device_id);
  ASSERT_TRUE(record.has_value()) << record.error().ToString();
  EXPECT_EQ(record->status, "trusted");

  ExpectServerStillServes();
}

TEST_F(ValidationBodyTest, RejectionsAfterReplayCheckBurnTheNonce) {
  // Each alteration gets a login of its own, so that its nonce shows whether
  // the failed attempt consumed it.
  using Alteration = std::function<std::string(const boost::json::object&)>;
  const std::vector<std::pair<std::string, Alteration>> alterations = {
      {"signature one byte short",
       [](const boost::json::object& body) {
         const Bytes signature = BytesOf(body, "signature");
         return WithBytes(body, "signature", Truncated(signature, signature.size() - 1));
       }},
      {"signature first bit flipped",
       [](const boost::json::object& body) {
         return WithBytes(body, "signature", FlipBit(BytesOf(body, "signature"), 0));
       }},
      {"signature last bit flipped",
       [](const boost::json::object& body) {
         const Bytes signature = BytesOf(body, "signature");
         return WithBytes(body, "signature", FlipBit(signature, signature.size() - 1));
       }},
      {"signature all zero",
       [](const boost::json::object& body) {
         return WithBytes(body, "signature", Bytes(BytesOf(body, "signature").size(), 0));
       }},
      {"signature of the user's other device",
       [this](const boost::json::object& body) {
         Result<client::ValidationRequest> forged =
             SignLogin(*sibling_, BytesOf(body, "nonce"), LaptopFingerprint());
         EXPECT_TRUE(forged.has_value());
         return WithBytes(body, "signature", forged->signatures.ml_dsa);
       }},
      {"fingerprint changed after signing",
       [](boost::json::object body) {
         body["fingerprint"].as_object()["screen_width"] = "1280";
         return boost::json::serialize(body);
       }},
  };

  for (const auto& [name, alter] : alterations) {
    SCOPED_TRACE("case: " + name);
    const boost::json::object base = NewLoginBody();
    ExpectAnswer(Decided(name, alter(base), "challenge_hard", {"pop_signature_invalid"}));
    EXPECT_EQ(Reasons(boost::json::serialize(base)), std::vector<std::string>{"nonce_reused"});
  }

  // A nonce never issued is reported, and a nonce issued for the user's other
  // device is a mismatch that leaves the nonce to its own device.
  const boost::json::object base = NewLoginBody();
  Result<client::ValidationRequest> unknown =
      SignLogin(*device_, RandomData(32), LaptopFingerprint());
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(Reasons(client::EncodeValidationRequest(*unknown)),
            std::vector<std::string>{"nonce_unknown"});

  Result<client::Challenge> sibling_nonce =
      client_->CreateLoginChallenge(kUser, sibling_->device_id);
  ASSERT_TRUE(sibling_nonce.has_value()) << sibling_nonce.error().ToString();
  Result<client::ValidationRequest> borrowed =
      SignLogin(*device_, sibling_nonce->nonce, LaptopFingerprint());
  ASSERT_TRUE(borrowed.has_value());
  EXPECT_EQ(Reasons(client::EncodeValidationRequest(*borrowed)),
            std::vector<std::string>{"nonce_mismatch"});
  Result<client::ValidationRequest> own =
      SignLogin(*sibling_, sibling_nonce->nonce, LaptopFingerprint());
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(Reasons(client::EncodeValidationRequest(*own)), std::vector<std::string>{"ok"});

  // The device under attack still logs in.
  EXPECT_EQ(Reasons(boost::json::serialize(base)), std::vector<std::string>{"ok"});
  EXPECT_EQ(DeviceIdsOf(kUser).size(), 2u);
  ExpectServerStillServes();
}

}  // namespace
}  // namespace devtrust::hardening
