#include "ops/notifier_webhook.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "crypto/hmac.h"
#include "ops/notifier_signature.h"
#include "ops/notifier_test_receiver.h"
#include "ops/subprocess.h"

namespace devtrust::ops {
namespace {

using testing::ReceivedRequest;
using testing::TestReceiver;

constexpr std::int64_t kSendTime = 1'767'225'600;  // 2026-01-01T00:00:00Z
const std::string kSecret(40, 's');

crypto::SecretBytes Secret(std::string_view text) { return crypto::SecretBytes(AsBytes(text)); }

NotificationMessage VerificationMessage() {
  NotificationMessage message;
  message.notification_id = "ntf_1";
  message.kind = "device_verification";
  message.user_id = "alice";
  message.device_id = "dev_aaaaaaaaaaaaaaaaaaaaaaaaaa";
  message.challenge_id = "chl_1";
  message.code = Secret("042917");
  message.expires_at = "2026-01-01T00:10:00.000Z";
  message.created_at = "2026-01-01T00:00:00.000Z";
  message.reason = "registration";
  return message;
}

NotificationMessage ReplayAlert() {
  NotificationMessage message = VerificationMessage();
  message.kind = "replay_alert";
  message.challenge_id.clear();
  message.code.Clear();
  message.expires_at.clear();
  message.reason = "nonce_reused";
  return message;
}

std::unique_ptr<WebhookNotifier> NotifierFor(const std::string& url) {
  WebhookNotifierOptions options;
  options.url = Secret(url);
  options.signing_secret = Secret(kSecret);
  options.client.attempt_timeout = std::chrono::milliseconds(5'000);
  options.clock = [] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(kSendTime));
  };
  Result<std::unique_ptr<WebhookNotifier>> notifier = WebhookNotifier::Create(std::move(options));
  EXPECT_TRUE(notifier.has_value()) << notifier.error().ToString();
  return notifier ? *std::move(notifier) : nullptr;
}

// A receiver's check of the signature header, written from
// docs/notifications.md: split t= and v1=, recompute the HMAC over
// "<t>.<body>" and compare in constant time.
bool ReceiverAccepts(std::string_view header, std::string_view body, std::string_view secret) {
  const std::size_t comma = header.find(',');
  if (!header.starts_with("t=") || comma == std::string_view::npos ||
      header.substr(comma + 1, 3) != "v1=") {
    return false;
  }
  const std::string_view timestamp = header.substr(2, comma - 2);
  Result<Bytes> tag = HexDecode(header.substr(comma + 4));
  if (!tag) return false;
  const std::string signed_text = std::string(timestamp) + "." + std::string(body);
  return crypto::VerifyHmacSha256(AsBytes(secret), AsBytes(signed_text), *tag).has_value();
}

TEST(NotificationBodyTest, VerificationHasEveryFieldInOrder) {
  Result<crypto::SecretBytes> body = NotificationBody(VerificationMessage());
  ASSERT_TRUE(body.has_value()) << body.error().ToString();

  EXPECT_EQ(body->AsStringView(),
            R"({"notification_id":"ntf_1","kind":"device_verification","user_id":"alice",)"
            R"("device_id":"dev_aaaaaaaaaaaaaaaaaaaaaaaaaa","challenge_id":"chl_1",)"
            R"("code":"042917","expires_at":"2026-01-01T00:10:00.000Z",)"
            R"("created_at":"2026-01-01T00:00:00.000Z","reason":"registration"})");
}

TEST(NotificationBodyTest, ReplayAlertHasNoCodeOrChallenge) {
  Result<crypto::SecretBytes> body = NotificationBody(ReplayAlert());
  ASSERT_TRUE(body.has_value()) << body.error().ToString();

  const boost::json::object object = boost::json::parse(body->AsStringView()).as_object();
  EXPECT_FALSE(object.contains("code"));
  EXPECT_FALSE(object.contains("challenge_id"));
  EXPECT_FALSE(object.contains("expires_at"));
  EXPECT_EQ(object.at("kind").as_string(), "replay_alert");
  EXPECT_EQ(object.at("reason").as_string(), "nonce_reused");
}

TEST(NotificationBodyTest, EscapesStrings) {
  NotificationMessage message = ReplayAlert();
  message.user_id = "a\"b\\c\n";

  Result<crypto::SecretBytes> body = NotificationBody(message);
  ASSERT_TRUE(body.has_value());

  EXPECT_EQ(boost::json::parse(body->AsStringView()).at("user_id").as_string(), "a\"b\\c\n");
}

TEST(NotificationBodyTest, RejectsMalformedCode) {
  for (const char* code : {"", "12345", "123456789", "12a456", "１２３４５６"}) {
    NotificationMessage message = VerificationMessage();
    message.code = Secret(code);

    Result<crypto::SecretBytes> body = NotificationBody(message);

    ASSERT_FALSE(body.has_value()) << code;
    EXPECT_EQ(body.error().reason(), "notification_invalid");
    if (std::string_view(code).size() >= 6) {
      EXPECT_EQ(body.error().message().find(code), std::string::npos);
    }
  }
}

TEST(NotificationBodyTest, RejectsCodeOnAlert) {
  NotificationMessage message = ReplayAlert();
  message.code = Secret("123456");

  Result<crypto::SecretBytes> body = NotificationBody(message);

  ASSERT_FALSE(body.has_value());
  EXPECT_EQ(body.error().reason(), "notification_invalid");
}

TEST(NotificationKindTest, VerificationKindsCarryCode) {
  EXPECT_TRUE(NotificationKindCarriesCode("device_verification"));
  EXPECT_TRUE(NotificationKindCarriesCode("drift_challenge"));
  EXPECT_TRUE(NotificationKindCarriesCode("verification_failure"));
  EXPECT_FALSE(NotificationKindCarriesCode("replay_alert"));
}

TEST(SignNotificationBodyTest, MatchesOpensslHmac) {
  const std::string body = R"({"notification_id":"ntf_1"})";
  Result<std::string> header = SignNotificationBody(AsBytes(body), Secret(kSecret), kSendTime);
  ASSERT_TRUE(header.has_value()) << header.error().ToString();

  // The openssl command line computes the same HMAC independently.
  const std::string signed_text = std::to_string(kSendTime) + "." + body;
  const std::string script =
      "printf '%s' '" + signed_text +
      "' | '" DEVTRUST_OPENSSL_BIN "' dgst -sha256 -mac HMAC -macopt key:" + kSecret + " -r";
  const std::vector<std::string> argv = {"/bin/sh", "-c", script};
  Result<SubprocessResult> openssl = RunSubprocess(argv);
  ASSERT_TRUE(openssl.has_value()) << openssl.error().ToString();
  ASSERT_EQ(openssl->exit_code, 0) << openssl->stderr_text;
  const std::string expected_tag = openssl->stdout_text.substr(0, 64);

  EXPECT_EQ(*header, "t=" + std::to_string(kSendTime) + ",v1=" + expected_tag);
}

TEST(SignNotificationBodyTest, RejectsEmptySecret) {
  Result<std::string> header = SignNotificationBody(AsBytes("{}"), crypto::SecretBytes(), 1);

  ASSERT_FALSE(header.has_value());
  EXPECT_EQ(header.error().reason(), "invalid_key");
}

TEST(WebhookNotifierTest, PostsSignedBody) {
  TestReceiver receiver;
  std::unique_ptr<WebhookNotifier> notifier = NotifierFor(receiver.Url());
  ASSERT_NE(notifier, nullptr);

  ASSERT_TRUE(notifier->Send(VerificationMessage()).has_value());

  const std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hook");
  EXPECT_EQ(requests[0].headers.at("content-type"), "application/json");
  const std::string& header = requests[0].headers.at("x-devtrust-signature");
  EXPECT_TRUE(header.starts_with("t=" + std::to_string(kSendTime) + ",v1="));
  EXPECT_TRUE(ReceiverAccepts(header, requests[0].body, kSecret));
  EXPECT_EQ(boost::json::parse(requests[0].body).at("code").as_string(), "042917");
}

TEST(WebhookNotifierTest, ReceiverRejectsTamperedBody) {
  TestReceiver receiver;
  std::unique_ptr<WebhookNotifier> notifier = NotifierFor(receiver.Url());
  ASSERT_NE(notifier, nullptr);
  ASSERT_TRUE(notifier->Send(VerificationMessage()).has_value());
  const ReceivedRequest request = receiver.Requests().at(0);
  const std::string& header = request.headers.at("x-devtrust-signature");

  std::string tampered = request.body;
  tampered[tampered.find("042917")] = '9';

  EXPECT_FALSE(ReceiverAccepts(header, tampered, kSecret));
  EXPECT_FALSE(ReceiverAccepts(header, request.body, std::string(40, 'x')));
}

TEST(WebhookNotifierTest, ErrorOmitsUrlCodeAndResponse) {
  TestReceiver receiver;
  receiver.QueueStatuses({500});
  receiver.SetResponseBody("echo: 042917");
  std::unique_ptr<WebhookNotifier> notifier = NotifierFor(receiver.Url() + "?token=hunter2");
  ASSERT_NE(notifier, nullptr);

  Status sent = notifier->Send(VerificationMessage());

  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(sent.error().reason(), "webhook_http_error");
  EXPECT_NE(sent.error().message().find("HTTP 500"), std::string::npos);
  EXPECT_EQ(sent.error().message().find("042917"), std::string::npos);
  EXPECT_EQ(sent.error().message().find("hunter2"), std::string::npos);
  EXPECT_EQ(sent.error().message().find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(receiver.Requests().size(), 1u);
}

TEST(WebhookNotifierTest, SendsOnceAndLeavesRetriesToDispatcher) {
  TestReceiver receiver;
  receiver.QueueStatuses({503, 503});
  std::unique_ptr<WebhookNotifier> notifier = NotifierFor(receiver.Url());
  ASSERT_NE(notifier, nullptr);

  EXPECT_FALSE(notifier->Send(ReplayAlert()).has_value());

  EXPECT_EQ(receiver.Requests().size(), 1u);
}

TEST(WebhookNotifierTest, CreateRejectsEmptyUrl) {
  WebhookNotifierOptions options;
  options.signing_secret = Secret(kSecret);

  Result<std::unique_ptr<WebhookNotifier>> notifier = WebhookNotifier::Create(std::move(options));

  ASSERT_FALSE(notifier.has_value());
  EXPECT_EQ(notifier.error().reason(), "notifier_config_invalid");
}

// A URL that no delivery could use is rejected when the notifier is built,
// so `devtrust serve` fails at start-up instead of retrying forever.
TEST(WebhookNotifierTest, CreateRejectsUnusableUrl) {
  for (const std::string url : {"ftp://127.0.0.1:1/hook", "http://10.0.0.1/hook",
                                "http://example.test/hook", "not a url", "/relative/path"}) {
    SCOPED_TRACE(url);
    WebhookNotifierOptions options;
    options.url = Secret(url);
    options.signing_secret = Secret(kSecret);

    Result<std::unique_ptr<WebhookNotifier>> notifier = WebhookNotifier::Create(std::move(options));

    ASSERT_FALSE(notifier.has_value());
    EXPECT_EQ(notifier.error().reason(), "webhook_url_invalid");
    EXPECT_EQ(notifier.error().message().find(url), std::string::npos);
  }
}

TEST(WebhookNotifierTest, CreateRejectsShortSecret) {
  WebhookNotifierOptions options;
  options.url = Secret("http://127.0.0.1:1/hook");
  options.signing_secret = Secret(std::string(31, 's'));

  Result<std::unique_ptr<WebhookNotifier>> notifier = WebhookNotifier::Create(std::move(options));

  ASSERT_FALSE(notifier.has_value());
  EXPECT_EQ(notifier.error().reason(), "notifier_config_invalid");
}

}  // namespace
}  // namespace devtrust::ops
