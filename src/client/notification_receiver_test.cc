// Tests of the webhook receiver. Deliveries come from devtrust's real
// webhook client (src/ops, libcurl) over loopback, as the server sends them.
#include "client/notification_receiver.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "ops/notifier.h"
#include "ops/notifier_signature.h"
#include "ops/notifier_webhook.h"
#include "ops/webhook_client.h"

namespace devtrust::client {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

crypto::SecretBytes Secret(std::string_view text) { return crypto::SecretBytes(AsBytes(text)); }

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

// The notifier requires a secret of at least 32 bytes.
constexpr std::string_view kNotifierSecret = "whsec-receiver-test-0123456789abcdef";

constexpr std::string_view kBody =
    R"({"notification_id":"ntf_1","kind":"device_verification","user_id":"alice",)"
    R"("device_id":"dev_abcdefghijklmnopqrstuvwxyz","challenge_id":"chl_1","code":"123456",)"
    R"("expires_at":"2030-01-01T00:00:00Z","created_at":"2030-01-01T00:00:00Z","reason":"registration"})";

// The header devtrust's notifier sends with `body`.
Result<std::string> Sign(std::string_view body, const crypto::SecretBytes& secret,
                         std::int64_t unix_seconds) {
  return ops::SignNotificationBody(AsBytes(body), secret, unix_seconds);
}

// A webhook client that makes one attempt, so that a rejection shows at once.
ops::WebhookClient SingleAttemptClient() {
  ops::WebhookClientOptions options;
  options.max_attempts = 1;
  return ops::WebhookClient(std::move(options));
}

TEST(NotificationSignature, AcceptsNotifierSignature) {
  const crypto::SecretBytes secret = Secret("whsec-test");
  Result<std::string> header = Sign(kBody, secret, NowSeconds());
  ASSERT_TRUE(header.has_value());
  EXPECT_TRUE(header->starts_with("t="));
  EXPECT_NE(header->find(",v1="), std::string::npos);
  EXPECT_TRUE(VerifyNotificationSignature(*header, kBody, secret, system_clock::now(), seconds(300))
                  .has_value());
}

TEST(NotificationSignature, KnownAnswer) {
  // HMAC-SHA256("key", "1.{}"), computed independently with
  // `printf '1.{}' | openssl dgst -sha256 -hmac key`.
  Result<std::string> header = Sign("{}", Secret("key"), 1);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(*header, "t=1,v1=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224");
}

TEST(NotificationSignature, RejectsTamperedBody) {
  const crypto::SecretBytes secret = Secret("whsec-test");
  Result<std::string> header = Sign(kBody, secret, NowSeconds());
  ASSERT_TRUE(header.has_value());
  std::string tampered(kBody);
  tampered.replace(tampered.find("123456"), 6, "654321");
  Status verified =
      VerifyNotificationSignature(*header, tampered, secret, system_clock::now(), seconds(300));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "signature_invalid");
}

TEST(NotificationSignature, RejectsWrongSecret) {
  Result<std::string> header = Sign(kBody, Secret("whsec-one"), NowSeconds());
  ASSERT_TRUE(header.has_value());
  Status verified = VerifyNotificationSignature(*header, kBody, Secret("whsec-two"),
                                                system_clock::now(), seconds(300));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "signature_invalid");
}

TEST(NotificationSignature, RejectsOldTimestamp) {
  const crypto::SecretBytes secret = Secret("whsec-test");
  Result<std::string> header = Sign(kBody, secret, NowSeconds() - 301);
  ASSERT_TRUE(header.has_value());
  Status verified =
      VerifyNotificationSignature(*header, kBody, secret, system_clock::now(), seconds(300));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "signature_expired");
}

TEST(NotificationSignature, RejectsFutureTimestamp) {
  const crypto::SecretBytes secret = Secret("whsec-test");
  Result<std::string> header = Sign(kBody, secret, NowSeconds() + 600);
  ASSERT_TRUE(header.has_value());
  Status verified =
      VerifyNotificationSignature(*header, kBody, secret, system_clock::now(), seconds(300));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "signature_expired");
}

TEST(NotificationSignature, ChangedTimestampBreaksSignature) {
  const crypto::SecretBytes secret = Secret("whsec-test");
  const std::int64_t now = NowSeconds();
  Result<std::string> header = Sign(kBody, secret, now);
  ASSERT_TRUE(header.has_value());
  std::string moved = *header;
  moved.replace(2, std::to_string(now).size(), std::to_string(now + 1));
  Status verified =
      VerifyNotificationSignature(moved, kBody, secret, system_clock::now(), seconds(300));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().reason(), "signature_invalid");
}

TEST(NotificationSignature, AcceptsAnyMatchingV1Entry) {
  const crypto::SecretBytes secret = Secret("whsec-new");
  const std::int64_t now = NowSeconds();
  Result<std::string> old_header = Sign(kBody, Secret("whsec-old"), now);
  Result<std::string> new_header = Sign(kBody, secret, now);
  ASSERT_TRUE(old_header.has_value());
  ASSERT_TRUE(new_header.has_value());
  const std::string both = *old_header + ", " + new_header->substr(new_header->find("v1="));
  EXPECT_TRUE(VerifyNotificationSignature(both, kBody, secret, system_clock::now(), seconds(300))
                  .has_value());
}

TEST(NotificationSignature, RejectsMalformedHeaders) {
  const crypto::SecretBytes secret = Secret("whsec-test");
  const auto reason = [&](std::string_view header) {
    Status verified =
        VerifyNotificationSignature(header, kBody, secret, system_clock::now(), seconds(300));
    return verified ? std::string("accepted") : verified.error().reason();
  };
  EXPECT_EQ(reason(""), "signature_missing");
  EXPECT_EQ(reason("t=1"), "signature_missing");
  EXPECT_EQ(reason("v1=00"), "signature_missing");
  EXPECT_EQ(reason("t=abc,v1=00"), "signature_invalid");
  EXPECT_EQ(reason("t=-5,v1=00"), "signature_invalid");
  EXPECT_EQ(reason("garbage"), "signature_invalid");
  EXPECT_EQ(reason("t=1,v1=not-hex"), "signature_invalid");
}

TEST(LoopbackListenAddress, AcceptsLoopbackOnly) {
  Result<ListenAddress> v4 = ParseLoopbackListenAddress("127.0.0.1:8780");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->address, "127.0.0.1");
  EXPECT_EQ(v4->port, 8780);
  Result<ListenAddress> v6 = ParseLoopbackListenAddress("[::1]:0");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->address, "::1");

  for (std::string_view bad : {"0.0.0.0:8780", "192.168.1.5:8780", "[::]:8780", "localhost:8780",
                               "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:x"}) {
    Result<ListenAddress> parsed = ParseLoopbackListenAddress(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().reason(), "listen_address_invalid") << bad;
  }
}

class NotificationReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NotificationReceiverOptions options;
    options.signing_secret = Secret(kNotifierSecret);
    options.on_rejected = [this](const Error& error) {
      std::lock_guard lock(mutex_);
      rejections_.push_back(error.reason());
    };
    Result<std::unique_ptr<NotificationReceiver>> receiver =
        NotificationReceiver::Start(std::move(options));
    ASSERT_TRUE(receiver.has_value()) << receiver.error().ToString();
    receiver_ = std::move(*receiver);
    url_ = "http://127.0.0.1:" + std::to_string(receiver_->port()) + "/notify";
  }

  // Posts `body` with the real webhook client, signed with `secret`.
  Result<ops::WebhookResponse> Post(std::string_view body, std::string_view secret) {
    Result<std::string> header = Sign(body, Secret(secret), NowSeconds());
    EXPECT_TRUE(header.has_value());
    const ops::HttpHeader headers[] = {{std::string(ops::kNotificationSignatureHeader), *header}};
    return SingleAttemptClient().PostJson(url_, body, headers);
  }

  std::vector<std::string> Rejections() {
    std::lock_guard lock(mutex_);
    return rejections_;
  }

  std::unique_ptr<NotificationReceiver> receiver_;
  std::string url_;
  std::mutex mutex_;
  std::vector<std::string> rejections_;
};

TEST_F(NotificationReceiverTest, DeliversCodeByChallenge) {
  Result<ops::WebhookResponse> response = Post(kBody, kNotifierSecret);
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 204);

  Result<crypto::SecretBytes> code = receiver_->TakeCode("chl_1", std::chrono::seconds(5));
  ASSERT_TRUE(code.has_value()) << code.error().ToString();
  EXPECT_EQ(code->AsStringView(), "123456");

  const NotificationReceiverStats stats = receiver_->Stats();
  EXPECT_EQ(stats.accepted, 1u);
  EXPECT_EQ(stats.by_kind.at("device_verification"), 1u);
}

TEST_F(NotificationReceiverTest, ReceivesFromWebhookNotifier) {
  // devtrust's own notifier, as the server's dispatcher uses it.
  ops::WebhookNotifierOptions options;
  options.url = Secret(url_);
  options.signing_secret = Secret(kNotifierSecret);
  Result<std::unique_ptr<ops::WebhookNotifier>> notifier =
      ops::WebhookNotifier::Create(std::move(options));
  ASSERT_TRUE(notifier.has_value()) << notifier.error().ToString();

  ops::NotificationMessage message;
  message.notification_id = "ntf_77";
  message.kind = "drift_challenge";
  message.user_id = "alice";
  message.device_id = "dev_abcdefghijklmnopqrstuvwxyz";
  message.challenge_id = "chl_77";
  message.code = Secret("8675309");
  message.expires_at = "2030-01-01T00:02:00Z";
  message.created_at = "2030-01-01T00:00:00Z";
  message.reason = "fingerprint_drift";
  Status sent = (*notifier)->Send(message);
  ASSERT_TRUE(sent.has_value()) << sent.error().ToString();

  Result<crypto::SecretBytes> code = receiver_->TakeCode("chl_77", std::chrono::seconds(5));
  ASSERT_TRUE(code.has_value()) << code.error().ToString();
  EXPECT_EQ(code->AsStringView(), "8675309");
  EXPECT_EQ(receiver_->Stats().by_kind.at("drift_challenge"), 1u);
}

TEST_F(NotificationReceiverTest, TakeCodeWaitsForLateDelivery) {
  std::thread sender([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(Post(kBody, kNotifierSecret).has_value());
  });
  Result<crypto::SecretBytes> code = receiver_->TakeCode("chl_1", std::chrono::seconds(10));
  sender.join();
  ASSERT_TRUE(code.has_value()) << code.error().ToString();
  EXPECT_EQ(code->AsStringView(), "123456");
}

TEST_F(NotificationReceiverTest, CodeIsTakenOnce) {
  ASSERT_TRUE(Post(kBody, kNotifierSecret).has_value());
  ASSERT_TRUE(receiver_->TakeCode("chl_1", std::chrono::seconds(5)).has_value());
  Result<crypto::SecretBytes> again = receiver_->TakeCode("chl_1", std::chrono::milliseconds(50));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().reason(), "code_timeout");
  EXPECT_NE(again.error().message().find("webhook URL"), std::string::npos);
}

TEST_F(NotificationReceiverTest, RejectsWrongSignature) {
  Result<ops::WebhookResponse> response = Post(kBody, "whsec-attacker");
  ASSERT_FALSE(response.has_value());
  EXPECT_NE(response.error().message().find("401"), std::string::npos)
      << response.error().message();

  EXPECT_FALSE(receiver_->TakeCode("chl_1", std::chrono::milliseconds(50)).has_value());
  EXPECT_EQ(receiver_->Stats().rejected_signature, 1u);
  EXPECT_EQ(receiver_->Stats().accepted, 0u);
  EXPECT_EQ(Rejections(), std::vector<std::string>{"signature_invalid"});
}

TEST_F(NotificationReceiverTest, RejectsUnsignedPost) {
  Result<ops::WebhookResponse> response = SingleAttemptClient().PostJson(url_, kBody);
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(receiver_->Stats().rejected_signature, 1u);
  EXPECT_EQ(Rejections(), std::vector<std::string>{"signature_missing"});
}

TEST_F(NotificationReceiverTest, RejectsSignedGarbage) {
  for (std::string_view body :
       {std::string_view("not json"), std::string_view("[1]"), std::string_view(R"({"kind":"x"})"),
        std::string_view(R"({"notification_id":"n","kind":"k",)"
                         R"("code":"123456"})"),
        std::string_view(R"({"notification_id":"n","kind":"k",)"
                         R"("challenge_id":"c","code":"12ab56"})")}) {
    Result<ops::WebhookResponse> response = Post(body, kNotifierSecret);
    EXPECT_FALSE(response.has_value()) << body;
  }
  EXPECT_EQ(receiver_->Stats().rejected_invalid, 5u);
  EXPECT_EQ(receiver_->Stats().accepted, 0u);
}

TEST_F(NotificationReceiverTest, CountsRepeatedDeliveryOnce) {
  ASSERT_TRUE(Post(kBody, kNotifierSecret).has_value());
  ASSERT_TRUE(Post(kBody, kNotifierSecret).has_value());
  const NotificationReceiverStats stats = receiver_->Stats();
  EXPECT_EQ(stats.accepted, 1u);
  EXPECT_EQ(stats.duplicates, 1u);
  EXPECT_EQ(stats.by_kind.at("device_verification"), 1u);
}

TEST_F(NotificationReceiverTest, AcceptsNoticeWithoutCode) {
  const std::string notice =
      R"({"notification_id":"ntf_9","kind":"security_notice","user_id":"alice",)"
      R"("reason":"nonce_reused"})";
  Result<ops::WebhookResponse> response = Post(notice, kNotifierSecret);
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(receiver_->Stats().by_kind.at("security_notice"), 1u);
}

TEST_F(NotificationReceiverTest, StopEndsWaiting) {
  std::thread stopper([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    receiver_->Stop();
  });
  Result<crypto::SecretBytes> code = receiver_->TakeCode("chl_never", std::chrono::seconds(30));
  stopper.join();
  ASSERT_FALSE(code.has_value());
  EXPECT_EQ(code.error().reason(), "receiver_stopped");
}

TEST(NotificationReceiverStart, RejectsNonLoopbackAndEmptySecret) {
  NotificationReceiverOptions public_address;
  public_address.listen_address = "0.0.0.0:0";
  public_address.signing_secret = Secret("s");
  Result<std::unique_ptr<NotificationReceiver>> rejected =
      NotificationReceiver::Start(std::move(public_address));
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().reason(), "listen_address_invalid");

  NotificationReceiverOptions no_secret;
  Result<std::unique_ptr<NotificationReceiver>> unsigned_receiver =
      NotificationReceiver::Start(std::move(no_secret));
  ASSERT_FALSE(unsigned_receiver.has_value());
  EXPECT_EQ(unsigned_receiver.error().reason(), "webhook_secret_invalid");
}

TEST(NotificationReceiverStart, ReportsPortInUse) {
  NotificationReceiverOptions first;
  first.signing_secret = Secret("s");
  Result<std::unique_ptr<NotificationReceiver>> running =
      NotificationReceiver::Start(std::move(first));
  ASSERT_TRUE(running.has_value());

  NotificationReceiverOptions second;
  second.signing_secret = Secret("s");
  second.listen_address = "127.0.0.1:" + std::to_string((*running)->port());
  Result<std::unique_ptr<NotificationReceiver>> clash =
      NotificationReceiver::Start(std::move(second));
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().reason(), "listen_failed");
}

}  // namespace
}  // namespace devtrust::client
