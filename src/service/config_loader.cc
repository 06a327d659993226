#include "service/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <string>

#include "pki/secure_file.h"
#include "service/config_yaml.h"

namespace devtrust::service {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr milliseconds kNoTime{0};

Status ReadListen(const ConfigSection& section, ListenConfig& listen) {
  if (Status keys = section.CheckKeys({"addresses", "port", "io_threads", "worker_threads",
                                       "max_connections", "max_body_bytes", "max_header_bytes",
                                       "handshake_timeout", "header_timeout", "body_timeout",
                                       "idle_timeout", "write_timeout", "shutdown_grace"});
      !keys) {
    return keys;
  }
  const Status reads[] = {
      section.ReadStringList("addresses", listen.addresses),
      section.ReadInteger("port", 0, 65535, listen.port),
      section.ReadInteger("io_threads", 0, 256, listen.io_threads),
      section.ReadInteger("worker_threads", 1, 1024, listen.worker_threads),
      section.ReadInteger("max_connections", 1, 100'000, listen.max_connections),
      section.ReadInteger("max_body_bytes", 1024, std::int64_t{16} * 1024 * 1024,
                          listen.max_body_bytes),
      section.ReadInteger("max_header_bytes", 1024, std::int64_t{1024} * 1024,
                          listen.max_header_bytes),
      section.ReadDuration("handshake_timeout", milliseconds(100), hours(1),
                           listen.handshake_timeout),
      section.ReadDuration("header_timeout", milliseconds(100), hours(1), listen.header_timeout),
      section.ReadDuration("body_timeout", milliseconds(100), hours(1), listen.body_timeout),
      section.ReadDuration("idle_timeout", milliseconds(100), hours(1), listen.idle_timeout),
      section.ReadDuration("write_timeout", milliseconds(100), hours(1), listen.write_timeout),
      section.ReadDuration("shutdown_grace", kNoTime, minutes(10), listen.shutdown_grace),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  if (listen.addresses.empty()) {
    return ConfigError(section.PathOf("addresses"), "must name at least one address");
  }
  return {};
}

Status ReadTls(const ConfigSection& section, TlsConfig& tls) {
  if (Status keys = section.CheckKeys({"dns_names", "ip_addresses", "renew_before"}); !keys) {
    return keys;
  }
  const Status reads[] = {
      section.ReadStringList("dns_names", tls.dns_names),
      section.ReadStringList("ip_addresses", tls.ip_addresses),
      section.ReadDuration("renew_before", kNoTime, days(3650), tls.renew_before),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  if (tls.dns_names.empty() && tls.ip_addresses.empty()) {
    return ConfigError(section.path(), "dns_names and ip_addresses must not both be empty");
  }
  return {};
}

Status ReadStore(const ConfigSection& section, StoreConfig& store) {
  if (Status keys = section.CheckKeys({"path", "synchronous", "read_connections", "busy_timeout"});
      !keys) {
    return keys;
  }
  std::string synchronous =
      store.synchronous == store::SqliteSynchronous::kFull ? "full" : "normal";
  const Status reads[] = {
      section.ReadString("path", store.path),
      section.ReadString("synchronous", synchronous),
      section.ReadInteger("read_connections", 1, 64, store.read_connections),
      section.ReadDuration("busy_timeout", kNoTime, minutes(10), store.busy_timeout),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  if (store.path.empty()) return ConfigError(section.PathOf("path"), "must not be empty");
  if (synchronous == "full") {
    store.synchronous = store::SqliteSynchronous::kFull;
  } else if (synchronous == "normal") {
    store.synchronous = store::SqliteSynchronous::kNormal;
  } else {
    return ConfigError(section.PathOf("synchronous"),
                       "\"" + synchronous + "\" is not full or normal");
  }
  return {};
}

Status ReadCa(const ConfigSection& section, CaConfig& ca) {
  if (Status keys =
          section.CheckKeys({"organization", "root_validity", "device_validity", "server_validity",
                             "clock_skew", "verification_cache_capacity"});
      !keys) {
    return keys;
  }
  const Status reads[] = {
      section.ReadString("organization", ca.organization),
      section.ReadDuration("root_validity", days(1), days(36500), ca.root_validity),
      section.ReadDuration("device_validity", hours(1), days(3650), ca.device_validity),
      section.ReadDuration("server_validity", days(1), days(3650), ca.server_validity),
      section.ReadDuration("clock_skew", kNoTime, hours(1), ca.clock_skew),
      section.ReadInteger("verification_cache_capacity", 0, 10'000'000,
                          ca.verification_cache_capacity),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  if (ca.organization.empty() || ca.organization.size() > 64) {
    return ConfigError(section.PathOf("organization"), "must have 1 to 64 characters");
  }
  if (ca.device_validity > ca.root_validity || ca.server_validity > ca.root_validity) {
    return ConfigError(section.path(),
                       "device_validity and server_validity must not exceed root_validity");
  }
  return {};
}

Status ReadAuth(const ConfigSection& section, AuthConfig& auth) {
  if (Status keys = section.CheckKeys(
          {"relying_party_api_key_file", "admin_api_key_file", "relying_party_key_name",
           "admin_key_name"},
          {{"relying_party_api_key",
            "put the key in a file named by relying_party_api_key_file or in DEVTRUST_RP_API_KEY"},
           {"admin_api_key",
            "put the key in a file named by admin_api_key_file or in DEVTRUST_ADMIN_API_KEY"},
           {"api_keys", "use relying_party_api_key_file and admin_api_key_file"}});
      !keys) {
    return keys;
  }
  const Status reads[] = {
      section.ReadString("relying_party_api_key_file", auth.relying_party_api_key_file),
      section.ReadString("admin_api_key_file", auth.admin_api_key_file),
      section.ReadString("relying_party_key_name", auth.relying_party_key_name),
      section.ReadString("admin_key_name", auth.admin_key_name),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  if (auth.relying_party_key_name.empty() || auth.admin_key_name.empty() ||
      auth.relying_party_key_name == auth.admin_key_name) {
    return ConfigError(section.path(),
                       "relying_party_key_name and admin_key_name must be set and differ");
  }
  return {};
}

Status ReadNotifications(const ConfigSection& section, NotificationsConfig& notifications) {
  if (Status keys = section.CheckKeys(
          {"webhook_url", "webhook_url_file", "webhook_secret_file", "ca_file", "timeout",
           "poll_interval", "batch_size", "initial_backoff", "max_backoff"},
          {{"webhook_secret",
            "put the secret in a file named by webhook_secret_file or in "
            "DEVTRUST_WEBHOOK_SECRET"}});
      !keys) {
    return keys;
  }
  const Status reads[] = {
      section.ReadString("webhook_url", notifications.webhook_url),
      section.ReadString("webhook_url_file", notifications.webhook_url_file),
      section.ReadString("webhook_secret_file", notifications.webhook_secret_file),
      section.ReadString("ca_file", notifications.ca_file),
      section.ReadDuration("timeout", seconds(1), minutes(5), notifications.timeout),
      section.ReadDuration("poll_interval", milliseconds(10), hours(1),
                           notifications.poll_interval),
      section.ReadInteger("batch_size", 1, 1000, notifications.batch_size),
      section.ReadDuration("initial_backoff", milliseconds(100), days(1),
                           notifications.initial_backoff),
      section.ReadDuration("max_backoff", milliseconds(100), days(7), notifications.max_backoff),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  if (!notifications.webhook_url.empty() && !notifications.webhook_url_file.empty()) {
    return ConfigError(section.path(), "set webhook_url or webhook_url_file, not both");
  }
  if (notifications.max_backoff < notifications.initial_backoff) {
    return ConfigError(section.PathOf("max_backoff"), "must not be below initial_backoff");
  }
  return {};
}

Status ReadFlows(const ConfigSection& section, FlowSettings& flows) {
  if (Status keys = section.CheckKeys(
          {"nonce_ttl", "verification_ttl", "max_attempts", "code_digits", "crl_validity"});
      !keys) {
    return keys;
  }
  const Status reads[] = {
      section.ReadDuration("nonce_ttl", seconds(1), hours(1), flows.nonce_ttl),
      section.ReadDuration("verification_ttl", minutes(1), days(1), flows.verification_ttl),
      section.ReadInteger("max_attempts", 1, 20, flows.max_attempts),
      section.ReadInteger("code_digits", 6, 8, flows.code_digits),
      section.ReadDuration("crl_validity", hours(1), days(30), flows.crl_validity),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  return {};
}

Status ReadTrust(const ConfigSection& section, TrustConfig& trust) {
  if (Status keys = section.CheckKeys({"drift", "fallback"}); !keys) return keys;
  if (section.Has("drift")) {
    Result<trust::DriftPolicy> drift = trust::DriftPolicy::FromYaml(section.Node("drift"));
    if (!drift) return ConfigError(section.PathOf("drift"), drift.error().message());
    trust.drift = *std::move(drift);
  }
  if (section.Has("fallback")) {
    Result<trust::FallbackPolicy> fallback =
        trust::FallbackPolicy::FromYaml(section.Node("fallback"));
    if (!fallback) return ConfigError(section.PathOf("fallback"), fallback.error().message());
    trust.fallback = *fallback;
  }
  return {};
}

Status ReadLog(const ConfigSection& section, LogConfig& log) {
  if (Status keys = section.CheckKeys({"level", "file", "node"}); !keys) return keys;
  std::string level(telemetry::LevelName(log.level));
  const Status reads[] = {
      section.ReadString("level", level),
      section.ReadString("file", log.file),
      section.ReadString("node", log.node),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  if (level == "debug") {
    log.level = telemetry::Level::kDebug;
  } else if (level == "info") {
    log.level = telemetry::Level::kInfo;
  } else if (level == "warn") {
    log.level = telemetry::Level::kWarn;
  } else if (level == "error") {
    log.level = telemetry::Level::kError;
  } else {
    return ConfigError(section.PathOf("level"),
                       "\"" + level + "\" is not one of debug, info, warn, error");
  }
  if (log.node.size() > 64) {
    return ConfigError(section.PathOf("node"), "must have at most 64 characters");
  }
  return {};
}

Status ReadMaintenance(const ConfigSection& section, MaintenanceConfig& maintenance) {
  if (Status keys = section.CheckKeys({"nonce_prune_interval", "nonce_prune_batch"}); !keys) {
    return keys;
  }
  const Status reads[] = {
      section.ReadDuration("nonce_prune_interval", seconds(1), days(1),
                           maintenance.nonce_prune_interval),
      section.ReadInteger("nonce_prune_batch", 1, 100'000, maintenance.nonce_prune_batch),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  return {};
}

Status ReadDocument(const ConfigSection& root, ServeConfig& config) {
  if (Status keys =
          root.CheckKeys({"data_dir", "listen", "tls", "store", "ca", "auth", "notifications",
                          "flows", "trust", "log", "maintenance", "device_key_cache_capacity"});
      !keys) {
    return keys;
  }
  const Status reads[] = {
      root.ReadString("data_dir", config.data_dir),
      ReadListen(root.Child("listen"), config.listen),
      ReadTls(root.Child("tls"), config.tls),
      ReadStore(root.Child("store"), config.store),
      ReadCa(root.Child("ca"), config.ca),
      ReadAuth(root.Child("auth"), config.auth),
      ReadNotifications(root.Child("notifications"), config.notifications),
      ReadFlows(root.Child("flows"), config.flows),
      ReadTrust(root.Child("trust"), config.trust),
      ReadLog(root.Child("log"), config.log),
      ReadMaintenance(root.Child("maintenance"), config.maintenance),
      root.ReadInteger("device_key_cache_capacity", 0, 10'000'000,
                       config.device_key_cache_capacity),
  };
  for (const Status& read : reads) {
    if (!read) return read;
  }
  if (config.data_dir.empty()) return ConfigError("data_dir", "must not be empty");
  return {};
}

}  // namespace

Result<ServeConfig> ParseServeConfig(std::string_view yaml_text) {
  ServeConfig config;
  try {
    const YAML::Node document = YAML::Load(std::string(yaml_text));
    if (Status read = ReadDocument(ConfigSection(document, ""), config); !read) {
      return std::unexpected(read.error());
    }
  } catch (const YAML::Exception& exception) {
    return ConfigError("", std::string("is not valid YAML: ") + exception.what());
  }
  return config;
}

Result<ServeConfig> LoadServeConfig(const std::filesystem::path& path) {
  Result<std::string> text = pki::ReadPublicFile(path, kMaxConfigFileBytes);
  if (!text) {
    return MakeError(
        StatusCode::kNotFound, "config_unreadable",
        "cannot read the configuration file " + path.string() + ": " + text.error().message());
  }
  return ParseServeConfig(*text);
}

}  // namespace devtrust::service
