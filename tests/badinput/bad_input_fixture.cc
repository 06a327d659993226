#include "bad_input_fixture.h"

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "crypto/random.h"
#include "ops/subprocess.h"

namespace devtrust::hardening {

void BadInputTest::SetUp() {
  Result<std::unique_ptr<ServeHarness>> harness = ServeHarness::Start(Options());
  ASSERT_TRUE(harness.has_value()) << harness.error().ToString();
  harness_ = *std::move(harness);

  Result<std::unique_ptr<client::DeviceTrustClient>> device_client = harness_->NewDeviceClient();
  ASSERT_TRUE(device_client.has_value()) << device_client.error().ToString();
  client_ = *std::move(device_client);
  Result<std::unique_ptr<client::HttpsClient>> https = harness_->NewHttpsClient();
  ASSERT_TRUE(https.has_value()) << https.error().ToString();
  https_ = *std::move(https);
  relying_party_key_ = crypto::SecretBytes(AsBytes(harness_->relying_party_key()));
  admin_key_ = crypto::SecretBytes(AsBytes(harness_->admin_key()));
}

void BadInputTest::TearDown() {
  client_.reset();
  https_.reset();
  if (harness_ != nullptr && harness_->running()) {
    // A server that survived every bad request still stops cleanly.
    EXPECT_EQ(harness_->StopGracefully(), 0);
  }
  harness_.reset();
}

client::HttpResponse BadInputTest::Send(std::string_view method, std::string_view target,
                                        std::string_view body, const crypto::SecretBytes* key) {
  Result<client::HttpResponse> response = https_->Send(method, target, AsBytes(body), key);
  EXPECT_TRUE(response.has_value())
      << method << " " << target << ": " << response.error().ToString();
  return response.value_or(client::HttpResponse{});
}

client::HttpResponse BadInputTest::Post(std::string_view target, std::string_view body) {
  return Send("POST", target, body, &relying_party_key_);
}

client::HttpResponse BadInputTest::Get(std::string_view target) {
  return Send("GET", target, "", &relying_party_key_);
}

void BadInputTest::ExpectRejected(std::string_view target, const std::vector<BodyCase>& cases) {
  for (const BodyCase& bad : cases) {
    SCOPED_TRACE("case: " + bad.name);
    const client::HttpResponse response = Post(target, bad.body);
    EXPECT_EQ(response.status, bad.status) << response.body;
    EXPECT_EQ(ErrorCodeOf(response.body), bad.code) << response.body;
  }
}

std::vector<std::string> BadInputTest::DeviceIdsOf(std::string_view user_id) {
  const client::HttpResponse response = Get("/v1/users/" + std::string(user_id) + "/devices");
  EXPECT_EQ(response.status, 200u) << response.body;
  std::vector<std::string> ids;
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(response.body, error);
  if (error || !value.is_object() || !value.as_object().contains("devices")) {
    ADD_FAILURE() << "the device list is not the documented shape: " << response.body;
    return ids;
  }
  for (const boost::json::value& device : value.at("devices").as_array()) {
    ids.emplace_back(device.at("device_id").as_string());
  }
  return ids;
}

void BadInputTest::ExpectServerStillServes() {
  // A new connection, so that a connection the bad requests left behind
  // cannot hide a server that stopped accepting.
  Result<std::unique_ptr<client::HttpsClient>> fresh = harness_->NewHttpsClient();
  ASSERT_TRUE(fresh.has_value()) << fresh.error().ToString();
  for (const std::string_view path : {"/healthz", "/readyz"}) {
    Result<client::HttpResponse> health = (*fresh)->Send("GET", path, {});
    ASSERT_TRUE(health.has_value()) << path << ": " << health.error().ToString();
    EXPECT_EQ(health->status, 200u) << path << ": " << health->body;
  }

  Result<std::unique_ptr<client::DeviceTrustClient>> device_client = harness_->NewDeviceClient();
  ASSERT_TRUE(device_client.has_value()) << device_client.error().ToString();
  Result<EnrolledDevice> device =
      EnrollTrustedDevice(**device_client, harness_->receiver(), "after-bad-input");
  ASSERT_TRUE(device.has_value()) << device.error().ToString();
  Result<client::ValidationRequest> login = NewSignedLogin(**device_client, *device);
  ASSERT_TRUE(login.has_value()) << login.error().ToString();
  Result<client::ValidationResult> result = (*device_client)->Validate(*login);
  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(result->decision, "trusted");
  EXPECT_EQ(result->reasons, std::vector<std::string>{"ok"});
}

Bytes BadInputTest::OpenSslPublicKey(const std::vector<std::string>& genpkey_arguments) {
  ++openssl_keys_;
  const std::filesystem::path private_key =
      harness_->directory() / ("openssl-" + std::to_string(openssl_keys_) + ".pem");
  const std::filesystem::path public_key =
      harness_->directory() / ("openssl-" + std::to_string(openssl_keys_) + ".der");

  std::vector<std::string> generate = {DEVTRUST_OPENSSL_BIN, "genpkey"};
  generate.insert(generate.end(), genpkey_arguments.begin(), genpkey_arguments.end());
  generate.insert(generate.end(), {"-out", private_key.string()});
  Result<ops::SubprocessResult> generated = ops::RunSubprocess(generate);
  EXPECT_TRUE(generated.has_value() && generated->exit_code == 0)
      << "openssl genpkey failed: " << (generated ? generated->stderr_text : "");

  const std::vector<std::string> extract = {
      DEVTRUST_OPENSSL_BIN, "pkey", "-in",  private_key.string(), "-pubout",
      "-outform",           "DER",  "-out", public_key.string()};
  Result<ops::SubprocessResult> extracted = ops::RunSubprocess(extract);
  EXPECT_TRUE(extracted.has_value() && extracted->exit_code == 0)
      << "openssl pkey failed: " << (extracted ? extracted->stderr_text : "");

  std::ifstream in(public_key, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Bytes FlipBit(ByteView bytes, std::size_t byte_index) {
  Bytes flipped(bytes.begin(), bytes.end());
  flipped.at(byte_index) ^= 0x01;
  return flipped;
}

Bytes Truncated(ByteView bytes, std::size_t size) {
  return Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
}

Bytes Appended(ByteView bytes, std::size_t extra_bytes) {
  Bytes longer(bytes.begin(), bytes.end());
  longer.resize(bytes.size() + extra_bytes, 0x00);
  return longer;
}

Bytes RandomData(std::size_t size) {
  Result<Bytes> bytes = crypto::RandomBytes(size);
  if (!bytes) std::abort();
  return *std::move(bytes);
}

std::string Repeated(std::size_t size, char value) { return std::string(size, value); }

}  // namespace devtrust::hardening
