// The configuration of `devtrust serve`, with the embedded defaults.
//
// config/devtrust.example.yaml lists every key with its default and
// docs/configuration.md explains each; LoadServeConfig (config_loader.h)
// reads them. Secrets never appear here: API keys and the webhook signing
// secret come from files named by the *_file keys, from environment
// variables, or from files `serve` generates in the data directory
// (config_secrets.h).
#ifndef DEVTRUST_SERVICE_CONFIG_H_
#define DEVTRUST_SERVICE_CONFIG_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "service/service_context.h"
#include "store/sqlite_store.h"
#include "telemetry/trust_event.h"
#include "trust/drift_policy.h"
#include "trust/policy.h"

namespace devtrust::service {

struct ListenConfig {
  std::vector<std::string> addresses = {"127.0.0.1"};
  // 0 picks a free port; the ready log line names the one bound.
  std::uint16_t port = 8443;
  // 0: one per online CPU.
  std::size_t io_threads = 0;
  std::size_t worker_threads = 16;
  std::size_t max_connections = 1024;
  std::size_t max_body_bytes = std::size_t{64} * 1024;
  std::size_t max_header_bytes = std::size_t{8} * 1024;
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{15'000};
};

struct TlsConfig {
  // The names the server certificates cover.
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};
  // Server certificates are reissued at start when less than this is left.
  std::chrono::seconds renew_before{std::chrono::days(30)};
};

struct StoreConfig {
  // Relative paths are inside the data directory.
  std::string path = "devtrust.db";
  store::SqliteSynchronous synchronous = store::SqliteSynchronous::kFull;
  std::size_t read_connections = 4;
  std::chrono::milliseconds busy_timeout{5'000};
};

struct CaConfig {
  std::string organization = "devtrust";
  std::chrono::seconds root_validity{std::chrono::days(3650)};
  std::chrono::seconds device_validity{std::chrono::days(30)};
  std::chrono::seconds server_validity{std::chrono::days(90)};
  std::chrono::seconds clock_skew{60};
  std::size_t verification_cache_capacity = 100'000;
};

struct AuthConfig {
  // Files holding one key each (mode 0600). Empty: the environment variable
  // DEVTRUST_RP_API_KEY or DEVTRUST_ADMIN_API_KEY, else the generated
  // api-keys.env in the data directory.
  std::string relying_party_api_key_file;
  std::string admin_api_key_file;
  // The names the keys carry in logs and audit records.
  std::string relying_party_key_name = "relying-party";
  std::string admin_key_name = "admin";
};

struct NotificationsConfig {
  // https, or http to a loopback host. Empty: notifications stay queued.
  // webhook_url_file (mode 0600) contains a URL that embeds a credential.
  std::string webhook_url;
  std::string webhook_url_file;
  // The HMAC key of the signature header. Empty: DEVTRUST_WEBHOOK_SECRET,
  // else the generated webhook-secret in the data directory.
  std::string webhook_secret_file;
  // CA certificates for an https webhook; empty: the system's.
  std::string ca_file;
  std::chrono::milliseconds timeout{10'000};
  std::chrono::milliseconds poll_interval{1'000};
  std::int64_t batch_size = 32;
  std::chrono::milliseconds initial_backoff{5'000};
  std::chrono::milliseconds max_backoff{600'000};
};

struct TrustConfig {
  trust::DriftPolicy drift;
  trust::FallbackPolicy fallback;
};

struct LogConfig {
  telemetry::Level level = telemetry::Level::kInfo;
  // Empty: standard output.
  std::string file;
  // This node's name in events; empty: the host name.
  std::string node;
};

struct MaintenanceConfig {
  std::chrono::milliseconds nonce_prune_interval{60'000};
  std::int64_t nonce_prune_batch = 1'000;
};

struct ServeConfig {
  std::string data_dir = "./devtrust-data";
  ListenConfig listen;
  TlsConfig tls;
  StoreConfig store;
  CaConfig ca;
  AuthConfig auth;
  NotificationsConfig notifications;
  FlowSettings flows;
  TrustConfig trust;
  LogConfig log;
  MaintenanceConfig maintenance;
  // Devices whose parsed public keys stay cached.
  std::size_t device_key_cache_capacity = 100'000;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_CONFIG_H_
