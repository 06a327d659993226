#include "service/config_loader.h"

#include <gtest/gtest.h>

#include <string>

#include "service/service_test_support.h"

namespace devtrust::service {
namespace {

using std::chrono::milliseconds;

TEST(ConfigLoaderTest, EmptyDocumentGivesDefaults) {
  Result<ServeConfig> config = ParseServeConfig("");

  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->data_dir, "./devtrust-data");
  EXPECT_EQ(config->listen.addresses, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(config->listen.port, 8443);
  EXPECT_EQ(config->listen.max_body_bytes, 65536u);
  EXPECT_EQ(config->store.path, "devtrust.db");
  EXPECT_EQ(config->store.synchronous, store::SqliteSynchronous::kFull);
  EXPECT_EQ(config->flows.nonce_ttl, std::chrono::seconds(120));
  EXPECT_EQ(config->flows.max_attempts, 5);
  EXPECT_EQ(config->flows.code_digits, 6);
  EXPECT_TRUE(config->notifications.webhook_url.empty());
  EXPECT_TRUE(config->trust.fallback.allow_classical_session_key);
  EXPECT_FALSE(config->trust.fallback.allow_ecdsa_certificate);
  EXPECT_TRUE(config->trust.fallback.allow_tls_without_hybrid_group);
  EXPECT_EQ(config->trust.drift.soft_threshold, 0.3);
  EXPECT_EQ(config->log.level, telemetry::Level::kInfo);
}

TEST(ConfigLoaderTest, ReadsEverySection) {
  Result<ServeConfig> config = ParseServeConfig(R"(
data_dir: /var/lib/devtrust
listen:
  addresses: ["127.0.0.1", "::1"]
  port: 0
  worker_threads: 4
  idle_timeout: 30s
tls:
  dns_names: [devtrust.internal]
  ip_addresses: []
  renew_before: 7d
store:
  path: /srv/devtrust.db
  synchronous: normal
  read_connections: 2
ca:
  organization: Example
  device_validity: 7d
auth:
  relying_party_api_key_file: /etc/devtrust/rp.key
  admin_key_name: ops
notifications:
  webhook_url: http://127.0.0.1:8780/hook
  max_backoff: 1h
flows:
  nonce_ttl: 60s
  verification_ttl: 5m
  max_attempts: 3
  code_digits: 8
  crl_validity: 12h
trust:
  drift:
    soft_threshold: 0.25
  fallback:
    ecdsa_certificate: true
log:
  level: debug
  node: node-a
maintenance:
  nonce_prune_interval: 5m
device_key_cache_capacity: 10
)");

  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->data_dir, "/var/lib/devtrust");
  EXPECT_EQ(config->listen.addresses, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(config->listen.port, 0);
  EXPECT_EQ(config->listen.worker_threads, 4u);
  EXPECT_EQ(config->listen.idle_timeout, milliseconds(30'000));
  EXPECT_EQ(config->tls.dns_names, std::vector<std::string>{"devtrust.internal"});
  EXPECT_TRUE(config->tls.ip_addresses.empty());
  EXPECT_EQ(config->tls.renew_before, std::chrono::days(7));
  EXPECT_EQ(config->store.synchronous, store::SqliteSynchronous::kNormal);
  EXPECT_EQ(config->ca.organization, "Example");
  EXPECT_EQ(config->ca.device_validity, std::chrono::days(7));
  EXPECT_EQ(config->auth.relying_party_api_key_file, "/etc/devtrust/rp.key");
  EXPECT_EQ(config->auth.admin_key_name, "ops");
  EXPECT_EQ(config->notifications.webhook_url, "http://127.0.0.1:8780/hook");
  EXPECT_EQ(config->notifications.max_backoff, std::chrono::hours(1));
  EXPECT_EQ(config->flows.nonce_ttl, std::chrono::seconds(60));
  EXPECT_EQ(config->flows.verification_ttl, std::chrono::minutes(5));
  EXPECT_EQ(config->flows.max_attempts, 3);
  EXPECT_EQ(config->flows.code_digits, 8);
  EXPECT_EQ(config->flows.crl_validity, std::chrono::hours(12));
  EXPECT_EQ(config->trust.drift.soft_threshold, 0.25);
  EXPECT_TRUE(config->trust.fallback.allow_ecdsa_certificate);
  EXPECT_EQ(config->log.level, telemetry::Level::kDebug);
  EXPECT_EQ(config->log.node, "node-a");
  EXPECT_EQ(config->maintenance.nonce_prune_interval, std::chrono::minutes(5));
  EXPECT_EQ(config->device_key_cache_capacity, 10u);
}

struct BadValueCase {
  std::string_view yaml;
  std::string_view path;  // the key path the message must start with
};

class ConfigBadValueTest : public ::testing::TestWithParam<BadValueCase> {};

TEST_P(ConfigBadValueTest, IsRejectedWithKeyPath) {
  Result<ServeConfig> config = ParseServeConfig(GetParam().yaml);

  ASSERT_FALSE(config.has_value()) << GetParam().yaml;
  EXPECT_EQ(config.error().reason(), "config_invalid");
  EXPECT_EQ(config.error().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(config.error().message().starts_with(std::string(GetParam().path) + ":"))
      << config.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Values, ConfigBadValueTest,
    ::testing::Values(
        BadValueCase{"colour: blue", "colour"}, BadValueCase{"data_dir: ''", "data_dir"},
        BadValueCase{"data_dir: [a]", "data_dir"}, BadValueCase{"listen: 8443", "listen"},
        BadValueCase{"listen: {prot: 1}", "listen.prot"},
        BadValueCase{"listen: {port: 70000}", "listen.port"},
        BadValueCase{"listen: {port: -1}", "listen.port"},
        BadValueCase{"listen: {port: eighty}", "listen.port"},
        BadValueCase{"listen: {port: 1.5}", "listen.port"},
        BadValueCase{"listen: {addresses: 127.0.0.1}", "listen.addresses"},
        BadValueCase{"listen: {addresses: []}", "listen.addresses"},
        BadValueCase{"listen: {worker_threads: 0}", "listen.worker_threads"},
        BadValueCase{"listen: {max_body_bytes: 10}", "listen.max_body_bytes"},
        BadValueCase{"listen: {idle_timeout: 30}", "listen.idle_timeout"},
        BadValueCase{"listen: {idle_timeout: 30 s}", "listen.idle_timeout"},
        BadValueCase{"listen: {idle_timeout: 2h}", "listen.idle_timeout"},
        BadValueCase{"tls: {dns_names: [], ip_addresses: []}", "tls"},
        BadValueCase{"tls: {renew_before: soon}", "tls.renew_before"},
        BadValueCase{"store: {synchronous: off}", "store.synchronous"},
        BadValueCase{"store: {path: ''}", "store.path"},
        BadValueCase{"store: {read_connections: 0}", "store.read_connections"},
        BadValueCase{"ca: {organization: ''}", "ca.organization"},
        BadValueCase{"ca: {device_validity: 30m}", "ca.device_validity"},
        BadValueCase{"ca: {device_validity: 3650d, root_validity: 365d}", "ca"},
        BadValueCase{"ca: {clock_skew: 2h}", "ca.clock_skew"},
        BadValueCase{"auth: {admin_key_name: relying-party}", "auth"},
        BadValueCase{"auth: {tokens: x}", "auth.tokens"},
        BadValueCase{"notifications: {batch_size: 0}", "notifications.batch_size"},
        BadValueCase{"notifications: {timeout: 0s}", "notifications.timeout"},
        BadValueCase{"notifications: {initial_backoff: 1h, max_backoff: 1m}",
                     "notifications.max_backoff"},
        BadValueCase{"notifications: {webhook_url: 'https://a', webhook_url_file: /x}",
                     "notifications"},
        BadValueCase{"flows: {nonce_ttl: 0s}", "flows.nonce_ttl"},
        BadValueCase{"flows: {nonce_ttl: 2h}", "flows.nonce_ttl"},
        BadValueCase{"flows: {max_attempts: 0}", "flows.max_attempts"},
        BadValueCase{"flows: {code_digits: 4}", "flows.code_digits"},
        BadValueCase{"flows: {code_digits: 9}", "flows.code_digits"},
        BadValueCase{"flows: {verification_ttl: 10s}", "flows.verification_ttl"},
        BadValueCase{"trust: {drift: {soft_threshold: 0.9}}", "trust.drift"},
        BadValueCase{"trust: {drift: {colour: 1}}", "trust.drift"},
        BadValueCase{"trust: {fallback: {ecdsa_certificate: maybe}}", "trust.fallback"},
        BadValueCase{"trust: {fallback: {quantum: true}}", "trust.fallback"},
        BadValueCase{"trust: {policy: {}}", "trust.policy"},
        BadValueCase{"log: {level: verbose}", "log.level"},
        BadValueCase{"maintenance: {nonce_prune_batch: 0}", "maintenance.nonce_prune_batch"},
        BadValueCase{"device_key_cache_capacity: -5", "device_key_cache_capacity"}),
    [](const ::testing::TestParamInfo<BadValueCase>& param_info) {
      std::string name;
      for (const char c : param_info.param.path) name += c == '.' ? '_' : c;
      return name + "_" + std::to_string(param_info.index);
    });

struct InlineSecretCase {
  std::string_view yaml;
  std::string_view path;
  std::string_view hint;
};

class ConfigInlineSecretTest : public ::testing::TestWithParam<InlineSecretCase> {};

TEST_P(ConfigInlineSecretTest, IsRejectedWithAlternative) {
  Result<ServeConfig> config = ParseServeConfig(GetParam().yaml);

  ASSERT_FALSE(config.has_value());
  EXPECT_TRUE(config.error().message().starts_with(std::string(GetParam().path) + ":"))
      << config.error().message();
  EXPECT_NE(config.error().message().find("not accepted inline"), std::string::npos);
  EXPECT_NE(config.error().message().find(GetParam().hint), std::string::npos);
  // The message names the key, never the value.
  EXPECT_EQ(config.error().message().find("s3cr3t"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Secrets, ConfigInlineSecretTest,
    ::testing::Values(InlineSecretCase{"auth: {relying_party_api_key: s3cr3t}",
                                       "auth.relying_party_api_key", "DEVTRUST_RP_API_KEY"},
                      InlineSecretCase{"auth: {admin_api_key: s3cr3t}", "auth.admin_api_key",
                                       "DEVTRUST_ADMIN_API_KEY"},
                      InlineSecretCase{"auth: {api_keys: s3cr3t}", "auth.api_keys",
                                       "admin_api_key_file"},
                      InlineSecretCase{"notifications: {webhook_secret: s3cr3t}",
                                       "notifications.webhook_secret", "DEVTRUST_WEBHOOK_SECRET"}));

TEST(ConfigLoaderTest, InvalidYamlIsRejected) {
  Result<ServeConfig> config = ParseServeConfig("listen: {port: [");

  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().reason(), "config_invalid");
}

TEST(ConfigLoaderTest, NonMappingDocumentIsRejected) {
  EXPECT_FALSE(ParseServeConfig("- a\n- b\n").has_value());
}

TEST(ConfigLoaderTest, LoadsFile) {
  testing::TempDirectory directory;
  testing::WriteFile(directory.path() / "devtrust.yaml", "listen: {port: 9443}\n", 0644);

  Result<ServeConfig> config = LoadServeConfig(directory.path() / "devtrust.yaml");

  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->listen.port, 9443);
}

TEST(ConfigLoaderTest, MissingFileNamesIt) {
  Result<ServeConfig> config = LoadServeConfig("/nonexistent/devtrust.yaml");

  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().reason(), "config_unreadable");
  EXPECT_NE(config.error().message().find("/nonexistent/devtrust.yaml"), std::string::npos);
}

// The example configuration documents every key with its default, so it must
// parse and give exactly the embedded defaults.
TEST(ConfigLoaderTest, ExampleFileMatchesDefaults) {
  Result<ServeConfig> config =
      LoadServeConfig(std::string(DEVTRUST_SOURCE_DIR) + "/config/devtrust.example.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  const ServeConfig defaults;

  EXPECT_EQ(config->data_dir, defaults.data_dir);
  EXPECT_EQ(config->listen.addresses, defaults.listen.addresses);
  EXPECT_EQ(config->listen.port, defaults.listen.port);
  EXPECT_EQ(config->listen.worker_threads, defaults.listen.worker_threads);
  EXPECT_EQ(config->listen.max_body_bytes, defaults.listen.max_body_bytes);
  EXPECT_EQ(config->listen.shutdown_grace, defaults.listen.shutdown_grace);
  EXPECT_EQ(config->tls.dns_names, defaults.tls.dns_names);
  EXPECT_EQ(config->tls.ip_addresses, defaults.tls.ip_addresses);
  EXPECT_EQ(config->store.path, defaults.store.path);
  EXPECT_EQ(config->store.synchronous, defaults.store.synchronous);
  EXPECT_EQ(config->ca.device_validity, defaults.ca.device_validity);
  EXPECT_EQ(config->ca.clock_skew, defaults.ca.clock_skew);
  EXPECT_EQ(config->notifications.poll_interval, defaults.notifications.poll_interval);
  EXPECT_EQ(config->notifications.max_backoff, defaults.notifications.max_backoff);
  EXPECT_EQ(config->flows.nonce_ttl, defaults.flows.nonce_ttl);
  EXPECT_EQ(config->flows.verification_ttl, defaults.flows.verification_ttl);
  EXPECT_EQ(config->flows.max_attempts, defaults.flows.max_attempts);
  EXPECT_EQ(config->flows.crl_validity, defaults.flows.crl_validity);
  EXPECT_EQ(config->trust.drift.hard_threshold, defaults.trust.drift.hard_threshold);
  EXPECT_EQ(config->trust.fallback.allow_ecdsa_certificate,
            defaults.trust.fallback.allow_ecdsa_certificate);
  EXPECT_EQ(config->maintenance.nonce_prune_batch, defaults.maintenance.nonce_prune_batch);
  EXPECT_EQ(config->device_key_cache_capacity, defaults.device_key_cache_capacity);
}

}  // namespace
}  // namespace devtrust::service
