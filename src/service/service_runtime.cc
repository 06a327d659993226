#include "service/service_runtime.h"

#include <unistd.h>

#include <array>
#include <utility>

#include "base/status_macros.h"
#include "ops/notifier_webhook.h"
#include "pki/secure_file.h"
#include "service/flow_reasons.h"
#include "service/notification_payload.h"

namespace devtrust::service {
namespace {

// Prefixes an error's message with the part of the runtime that failed.
std::unexpected<Error> InPart(std::string_view part, const Error& error) {
  return std::unexpected(
      Error(error.code(), error.reason(), std::string(part) + ": " + error.message()));
}

std::string HostName() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0') return "devtrust";
  return std::string(name.data());
}

// Every (algorithm, reason, flow origin) that a fallback of this service can
// have, created at 0 so that alert rules see the first one.
void InitializeFallbackSeries(telemetry::Metrics& metrics) {
  metrics.InitializeFallbackSeries("X25519", "mlkem_key_missing",
                                   telemetry::FallbackOrigin::kSessionKem);
  metrics.InitializeFallbackSeries("X25519", "mlkem_encapsulation_failed",
                                   telemetry::FallbackOrigin::kSessionKem);
  metrics.InitializeFallbackSeries("ECDSA-P256", "pqc_cert_invalid",
                                   telemetry::FallbackOrigin::kCertificate);
  metrics.InitializeFallbackSeries("X25519", "tls_no_hybrid_group",
                                   telemetry::FallbackOrigin::kTls);
  metrics.InitializeFallbackSeries("P-256", "tls_no_hybrid_group", telemetry::FallbackOrigin::kTls);
}

}  // namespace

Result<std::unique_ptr<ServiceRuntime>> ServiceRuntime::Open(ServeConfig config,
                                                             const EnvironmentLookup& environment,
                                                             std::vector<std::string> http_routes) {
  DataDirectory data_directory(config.data_dir);
  std::unique_ptr<ServiceRuntime> runtime(
      new ServiceRuntime(std::move(config), std::move(data_directory)));
  if (Status opened = runtime->OpenParts(environment, std::move(http_routes)); !opened) {
    return std::unexpected(opened.error());
  }
  return runtime;
}

ServiceRuntime::ServiceRuntime(ServeConfig config, DataDirectory data_directory)
    : config_(std::move(config)), data_directory_(std::move(data_directory)) {}

ServiceRuntime::~ServiceRuntime() {
  StopBackground();
  if (store_ != nullptr) store_->Close();
}

Status ServiceRuntime::OpenParts(const EnvironmentLookup& environment,
                                 std::vector<std::string> http_routes) {
  if (Status prepared = data_directory_.Prepare(); !prepared) {
    return InPart("data directory", prepared.error());
  }
  Result<DataDirectoryLock> lock = DataDirectoryLock::Acquire(data_directory_.root());
  if (!lock) return InPart("data directory", lock.error());
  data_directory_lock_.emplace(*std::move(lock));
  DEVTRUST_RETURN_IF_ERROR(OpenTelemetry(std::move(http_routes)));
  DEVTRUST_RETURN_IF_ERROR(OpenSecrets(environment));
  DEVTRUST_RETURN_IF_ERROR(OpenStoreAndCa());
  DEVTRUST_RETURN_IF_ERROR(OpenServices());
  return OpenBackground();
}

Status ServiceRuntime::OpenTelemetry(std::vector<std::string> http_routes) {
  if (config_.log.file.empty()) {
    log_output_ = telemetry::LogOutput::Stdout();
  } else {
    Result<std::shared_ptr<telemetry::LogOutput>> output =
        telemetry::LogOutput::OpenFile(config_.log.file);
    if (!output) return InPart("log.file", output.error());
    log_output_ = *std::move(output);
  }
  if (config_.log.node.empty()) config_.log.node = HostName();
  logger_ = std::make_shared<telemetry::Logger>(log_output_, config_.log.node, config_.log.level);
  trust_log_ = std::make_unique<telemetry::TrustLog>(log_output_);

  telemetry::MetricsOptions options;
  options.decision_reasons = DecisionReasonAllowlist();
  options.fallback_algorithms = FallbackAlgorithmAllowlist();
  options.fallback_reasons = FallbackReasonAllowlist();
  options.http_routes = std::move(http_routes);
  Result<std::unique_ptr<telemetry::Metrics>> metrics = telemetry::Metrics::Create(options);
  if (!metrics) return InPart("metrics", metrics.error());
  metrics_ = *std::move(metrics);
  InitializeFallbackSeries(*metrics_);
  return {};
}

Status ServiceRuntime::OpenSecrets(const EnvironmentLookup& environment) {
  Result<crypto::SecretBytes> master = data_directory_.LoadOrCreateServiceKey();
  if (!master) return InPart("service key", master.error());
  Result<ServiceKeys> keys = ServiceKeys::Derive(*master);
  if (!keys) return InPart("service key", keys.error());
  keys_ = std::make_unique<ServiceKeys>(*std::move(keys));

  // API keys: each from its file or variable, else from the generated file.
  const AuthConfig& auth = config_.auth;
  Result<std::optional<SourcedSecret>> relying_party =
      ReadConfiguredSecret(auth.relying_party_api_key_file, kRelyingPartyApiKeyVariable,
                           environment, "relying-party API key");
  if (!relying_party) return InPart("auth.relying_party_api_key_file", relying_party.error());
  Result<std::optional<SourcedSecret>> admin = ReadConfiguredSecret(
      auth.admin_api_key_file, kAdminApiKeyVariable, environment, "admin API key");
  if (!admin) return InPart("auth.admin_api_key_file", admin.error());

  std::optional<SourcedSecret>& configured_relying_party = *relying_party;
  std::optional<SourcedSecret>& configured_admin = *admin;
  api_keys_.relying_party_name = auth.relying_party_key_name;
  api_keys_.admin_name = auth.admin_key_name;
  std::string relying_party_source;
  std::string admin_source;
  const bool generated_keys = !configured_relying_party || !configured_admin;
  if (generated_keys) {
    Result<DataDirectory::ApiKeys> generated = data_directory_.LoadOrCreateApiKeys();
    if (!generated) return InPart("api keys", generated.error());
    api_keys_.relying_party = std::move(generated->relying_party);
    api_keys_.admin = std::move(generated->admin);
    relying_party_source = admin_source = "file " + data_directory_.api_keys().string();
  }
  if (configured_relying_party) {
    api_keys_.relying_party = std::move(configured_relying_party->value);
    relying_party_source = configured_relying_party->source;
  }
  if (configured_admin) {
    api_keys_.admin = std::move(configured_admin->value);
    admin_source = configured_admin->source;
  }

  Result<std::optional<SourcedSecret>> webhook =
      ReadConfiguredSecret(config_.notifications.webhook_secret_file, kWebhookSecretVariable,
                           environment, "webhook signing secret");
  if (!webhook) return InPart("notifications.webhook_secret_file", webhook.error());
  std::string webhook_source;
  if (std::optional<SourcedSecret>& configured = *webhook; configured) {
    webhook_secret_ = std::move(configured->value);
    webhook_source = configured->source;
  } else {
    Result<crypto::SecretBytes> generated = data_directory_.LoadOrCreateWebhookSecret();
    if (!generated) return InPart("webhook secret", generated.error());
    webhook_secret_ = *std::move(generated);
    webhook_source = "file " + data_directory_.webhook_secret().string();
  }

  if (generated_keys) {
    logger_->Info({{"relying_party_api_key", relying_party_source},
                   {"admin_api_key", admin_source},
                   {"webhook_secret", webhook_source}},
                  "API keys and secrets loaded; the generated API keys are in {}",
                  data_directory_.api_keys().string());
  } else {
    logger_->Info({{"relying_party_api_key", relying_party_source},
                   {"admin_api_key", admin_source},
                   {"webhook_secret", webhook_source}},
                  "API keys and secrets loaded");
  }
  return {};
}

Status ServiceRuntime::OpenStoreAndCa() {
  store::SqliteStoreOptions store_options;
  store_options.path = data_directory_.Resolve(config_.store.path).string();
  store_options.synchronous = config_.store.synchronous;
  store_options.read_connections = config_.store.read_connections;
  store_options.busy_timeout = config_.store.busy_timeout;
  Result<std::unique_ptr<store::SqliteStore>> opened = store::SqliteStore::Open(store_options);
  if (!opened) return InPart("store " + store_options.path, opened.error());
  store_ = *std::move(opened);

  pki::CaOptions ca_options;
  ca_options.key_directory = data_directory_.pki();
  ca_options.organization = config_.ca.organization;
  ca_options.root_validity = config_.ca.root_validity;
  ca_options.device_validity = config_.ca.device_validity;
  ca_options.server_validity = config_.ca.server_validity;
  ca_options.clock_skew = config_.ca.clock_skew;
  ca_options.verification_cache_capacity = config_.ca.verification_cache_capacity;
  const crypto::TimePoint now = std::chrono::system_clock::now();
  Result<std::unique_ptr<pki::CertificateAuthority>> ca =
      pki::CertificateAuthority::Open(ca_options, now);
  if (!ca) return InPart("CA " + data_directory_.pki().string(), ca.error());
  ca_ = *std::move(ca);

  // Clients verify the server through the roots, so both go into one file
  // that --ca-file can name.
  const std::string bundle = ca_->root_certificate(pki::RootAlgorithm::kMlDsa65).ToPem() +
                             ca_->root_certificate(pki::RootAlgorithm::kEcdsaP256).ToPem();
  if (Status written = pki::WriteFileAtomically(data_directory_.ca_bundle(), AsBytes(bundle),
                                                pki::kPublicFileMode, pki::ExistingFile::kReplace);
      !written) {
    return InPart("CA bundle", written.error());
  }

  Result<PreparedServerTls> tls = PrepareServerTls(*ca_, data_directory_.tls(), config_.tls, now);
  if (!tls) return InPart("server TLS credentials", tls.error());
  server_tls_ = *std::move(tls);
  if (server_tls_.issued) {
    logger_->Info({{"directory", data_directory_.tls().string()}},
                  "issued new ML-DSA-65 and ECDSA P-256 server certificates");
  }
  return {};
}

Status ServiceRuntime::OpenServices() {
  if (Status valid = config_.trust.drift.Validate(); !valid) {
    return InPart("trust.drift", valid.error());
  }

  context_ = std::make_unique<ServiceContext>(
      ServiceContext{.store = *store_,
                     .ca = *ca_,
                     .trust_log = *trust_log_,
                     .metrics = *metrics_,
                     .logger = logger_,
                     .keys = *keys_,
                     .fallback_policy = config_.trust.fallback,
                     .settings = config_.flows,
                     .node = config_.log.node,
                     .clock = [] { return std::chrono::system_clock::now(); },
                     .notification_queued =
                         [this] {
                           if (dispatcher_ != nullptr) dispatcher_->Wake();
                         }});
  pipeline_ =
      std::make_unique<trust::ValidationPipeline>(config_.trust.drift, config_.trust.fallback);
  key_cache_ = std::make_unique<DeviceKeyCache>(config_.device_key_cache_capacity);
  ca_service_ = std::make_unique<CaService>(*context_);
  if (Status refreshed = ca_service_->Refresh(); !refreshed) {
    return InPart("revocations and CRLs", refreshed.error());
  }
  challenges_ = std::make_unique<ChallengeService>(*context_);
  registrations_ = std::make_unique<RegistrationService>(*context_);
  verifications_ = std::make_unique<VerificationService>(*context_);
  validations_ = std::make_unique<ValidationService>(*context_, *pipeline_, *key_cache_);
  devices_ = std::make_unique<DeviceService>(*context_, *ca_service_, *key_cache_);
  reviews_ = std::make_unique<ReviewService>(*context_, *devices_);

  // The queue gauges are read from the store at each scrape.
  metrics_->SetQueueDepthSource([this] {
    telemetry::QueueDepths depths;
    depths.outbox_pending_events = store_->CountUndeliveredOutbox().value_or(0);
    depths.notifications_pending = store_->CountPendingNotifications().value_or(0);
    depths.review_queue_open_items = store_->CountOpenReviewItems().value_or(0);
    return depths;
  });
  return {};
}

Status ServiceRuntime::OpenBackground() {
  const NotificationsConfig& notifications = config_.notifications;
  crypto::SecretBytes url;
  if (!notifications.webhook_url_file.empty()) {
    Result<std::optional<SourcedSecret>> from_file = ReadConfiguredSecret(
        notifications.webhook_url_file, "", [](std::string_view) { return std::nullopt; },
        "webhook URL");
    if (!from_file) return InPart("notifications.webhook_url_file", from_file.error());
    // A file key always yields a secret or an error.
    if (std::optional<SourcedSecret>& read = *from_file; read) url = std::move(read->value);
  } else if (!notifications.webhook_url.empty()) {
    url = crypto::SecretBytes(AsBytes(notifications.webhook_url));
  }

  std::unique_ptr<ops::Notifier> notifier;
  if (!url.empty()) {
    ops::WebhookNotifierOptions options;
    options.url = std::move(url);
    options.signing_secret = webhook_secret_.Clone();
    options.client.attempt_timeout = notifications.timeout;
    options.client.connect_timeout =
        std::min(notifications.timeout, std::chrono::milliseconds(5'000));
    options.client.ca_file = notifications.ca_file;
    Result<std::unique_ptr<ops::WebhookNotifier>> webhook =
        ops::WebhookNotifier::Create(std::move(options));
    if (!webhook) return InPart("notifications", webhook.error());
    notifier = *std::move(webhook);
  }

  ops::NotificationDispatcherOptions options;
  options.poll_interval = notifications.poll_interval;
  options.batch_size = notifications.batch_size;
  options.initial_backoff = notifications.initial_backoff;
  options.max_backoff = notifications.max_backoff;
  const ServiceKeys& keys = *keys_;
  Result<std::unique_ptr<ops::NotificationDispatcher>> dispatcher =
      ops::NotificationDispatcher::Create(
          *store_, std::move(notifier),
          [&keys](const store::Notification& notification) {
            return DecodeNotification(keys, notification);
          },
          options, logger_);
  if (!dispatcher) return InPart("notifications", dispatcher.error());
  dispatcher_ = *std::move(dispatcher);

  pruner_ = std::make_unique<NoncePruner>(
      *store_, config_.maintenance.nonce_prune_interval, config_.maintenance.nonce_prune_batch,
      [] { return std::chrono::system_clock::now(); }, logger_);
  return {};
}

void ServiceRuntime::StartBackground() {
  if (dispatcher_->has_notifier()) {
    dispatcher_->Start();
  } else {
    logger_->Warn(
        "no notifications.webhook_url is configured: notifications stay queued "
        "(devtrust_notifications_pending shows how many) until one is configured");
  }
  pruner_->Start();
}

void ServiceRuntime::StopBackground() {
  if (dispatcher_ != nullptr) dispatcher_->Stop();
  if (pruner_ != nullptr) pruner_->Stop();
}

}  // namespace devtrust::service
