#include "service/service_runtime.h"

#include <gtest/gtest.h>

#include <map>

#include "crypto/x509.h"
#include "pki/secure_file.h"
#include "service/service_test_support.h"
#include "telemetry/test_support.h"

namespace devtrust::service {
namespace {

using testing::FileMode;
using testing::TempDirectory;

EnvironmentLookup Table(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

class ServiceRuntimeTest : public ::testing::Test {
 protected:
  ServeConfig Config() const {
    ServeConfig config;
    config.data_dir = (directory_.path() / "data").string();
    config.log.file = (directory_.path() / "log.jsonl").string();
    config.store.synchronous = store::SqliteSynchronous::kNormal;
    return config;
  }

  std::unique_ptr<ServiceRuntime> OpenOrFail(const ServeConfig& config,
                                             const EnvironmentLookup& environment) {
    Result<std::unique_ptr<ServiceRuntime>> runtime =
        ServiceRuntime::Open(config, environment, {"/v1/challenges", "/healthz"});
    EXPECT_TRUE(runtime.has_value()) << runtime.error().ToString();
    return runtime ? *std::move(runtime) : nullptr;
  }

  std::string Log() const { return telemetry::testing::ReadFile(directory_.path() / "log.jsonl"); }

  TempDirectory directory_;
};

TEST_F(ServiceRuntimeTest, FirstStartCreatesDataDirectory) {
  std::unique_ptr<ServiceRuntime> runtime = OpenOrFail(Config(), Table({}));
  ASSERT_NE(runtime, nullptr);
  const DataDirectory& data = runtime->data_directory();

  EXPECT_EQ(FileMode(data.root()), 0700u);
  EXPECT_EQ(FileMode(data.root() / "devtrust.db"), 0600u);
  EXPECT_EQ(FileMode(data.api_keys()), 0600u);
  EXPECT_EQ(FileMode(data.webhook_secret()), 0600u);
  EXPECT_EQ(FileMode(data.service_key()), 0600u);
  EXPECT_EQ(FileMode(data.tls() / "server-ml-dsa-65.key.pem"), 0600u);
  EXPECT_EQ(FileMode(data.tls() / "server-ecdsa-p256.key.pem"), 0600u);
  EXPECT_TRUE(std::filesystem::exists(data.pki()));
  EXPECT_TRUE(runtime->server_tls().issued);
  EXPECT_TRUE(runtime->Ready().has_value());
}

TEST_F(ServiceRuntimeTest, LogNamesApiKeyFileNeverKeys) {
  std::unique_ptr<ServiceRuntime> runtime = OpenOrFail(Config(), Table({}));
  ASSERT_NE(runtime, nullptr);

  const std::string log = Log();
  EXPECT_NE(log.find(runtime->data_directory().api_keys().string()), std::string::npos);
  EXPECT_EQ(log.find(std::string(runtime->api_keys().relying_party.AsStringView())),
            std::string::npos);
  EXPECT_EQ(log.find(std::string(runtime->api_keys().admin.AsStringView())), std::string::npos);
}

TEST_F(ServiceRuntimeTest, SecondStartReusesKeysAndCertificates) {
  std::string relying_party;
  std::string certificate;
  {
    std::unique_ptr<ServiceRuntime> first = OpenOrFail(Config(), Table({}));
    ASSERT_NE(first, nullptr);
    relying_party = std::string(first->api_keys().relying_party.AsStringView());
    certificate =
        *pki::ReadPublicFile(first->server_tls().files.ml_dsa.certificate_chain_file, 100'000);
  }

  std::unique_ptr<ServiceRuntime> second = OpenOrFail(Config(), Table({}));
  ASSERT_NE(second, nullptr);

  EXPECT_EQ(second->api_keys().relying_party.AsStringView(), relying_party);
  EXPECT_FALSE(second->server_tls().issued);
  EXPECT_EQ(*pki::ReadPublicFile(second->server_tls().files.ml_dsa.certificate_chain_file, 100'000),
            certificate);
}

TEST_F(ServiceRuntimeTest, ChangedNamesReissueCertificates) {
  ASSERT_NE(OpenOrFail(Config(), Table({})), nullptr);
  ServeConfig config = Config();
  config.tls.dns_names = {"devtrust.test"};

  std::unique_ptr<ServiceRuntime> runtime = OpenOrFail(config, Table({}));

  ASSERT_NE(runtime, nullptr);
  EXPECT_TRUE(runtime->server_tls().issued);
  Result<crypto::Certificate> leaf = crypto::Certificate::FromPem(
      *pki::ReadPublicFile(runtime->server_tls().files.ecdsa.certificate_chain_file, 100'000));
  ASSERT_TRUE(leaf.has_value());
  EXPECT_EQ(leaf->san_dns_names(), std::vector<std::string>{"devtrust.test"});
}

TEST_F(ServiceRuntimeTest, ApiKeysFromEnvironment) {
  const std::string relying_party(40, 'r');
  const std::string admin(40, 'a');

  std::unique_ptr<ServiceRuntime> runtime = OpenOrFail(
      Config(), Table({{"DEVTRUST_RP_API_KEY", relying_party}, {"DEVTRUST_ADMIN_API_KEY", admin}}));

  ASSERT_NE(runtime, nullptr);
  EXPECT_EQ(runtime->api_keys().relying_party.AsStringView(), relying_party);
  EXPECT_EQ(runtime->api_keys().admin.AsStringView(), admin);
  EXPECT_FALSE(std::filesystem::exists(runtime->data_directory().api_keys()));
  EXPECT_NE(Log().find("environment DEVTRUST_RP_API_KEY"), std::string::npos);
}

TEST_F(ServiceRuntimeTest, ApiKeyFromFile) {
  testing::WriteFile(directory_.path() / "admin.key", std::string(40, 'z') + "\n", 0600);
  ServeConfig config = Config();
  config.auth.admin_api_key_file = (directory_.path() / "admin.key").string();

  std::unique_ptr<ServiceRuntime> runtime = OpenOrFail(config, Table({}));

  ASSERT_NE(runtime, nullptr);
  EXPECT_EQ(runtime->api_keys().admin.AsStringView(), std::string(40, 'z'));
}

TEST_F(ServiceRuntimeTest, UnreadableSecretFileStopsStart) {
  testing::WriteFile(directory_.path() / "admin.key", std::string(40, 'z'), 0644);
  ServeConfig config = Config();
  config.auth.admin_api_key_file = (directory_.path() / "admin.key").string();

  Result<std::unique_ptr<ServiceRuntime>> runtime = ServiceRuntime::Open(config, Table({}), {});

  ASSERT_FALSE(runtime.has_value());
  EXPECT_EQ(runtime.error().reason(), "key_file_permissions");
  EXPECT_TRUE(runtime.error().message().starts_with("auth.admin_api_key_file:"));
}

TEST_F(ServiceRuntimeTest, MetricsStartWithFallbackSeries) {
  std::unique_ptr<ServiceRuntime> runtime = OpenOrFail(Config(), Table({}));
  ASSERT_NE(runtime, nullptr);

  const std::string text = runtime->metrics().Serialize();

  EXPECT_EQ(telemetry::testing::SampleValue(
                text, R"(crypto_fallback_triggered_total{algorithm="X25519",)"
                      R"(flow_origin="session_kem",reason="mlkem_key_missing"})"),
            0.0);
  EXPECT_EQ(telemetry::testing::SampleValue(
                text, R"(crypto_fallback_triggered_total{algorithm="ECDSA-P256",)"
                      R"(flow_origin="certificate",reason="pqc_cert_invalid"})"),
            0.0);
  EXPECT_EQ(telemetry::testing::SampleValue(text, "devtrust_notifications_pending"), 0.0);
}

TEST_F(ServiceRuntimeTest, WithoutWebhookNoNotifier) {
  std::unique_ptr<ServiceRuntime> runtime = OpenOrFail(Config(), Table({}));
  ASSERT_NE(runtime, nullptr);

  runtime->StartBackground();
  runtime->StopBackground();

  EXPECT_FALSE(runtime->dispatcher().has_notifier());
  EXPECT_NE(Log().find("no notifications.webhook_url is configured"), std::string::npos);
}

}  // namespace
}  // namespace devtrust::service
