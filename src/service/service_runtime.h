// ServiceRuntime: everything `devtrust serve` runs besides the HTTPS server,
// assembled from a ServeConfig: the data directory and its secrets, the
// store, the CA, the server's TLS credentials, telemetry, the application
// services, the notification dispatcher and the nonce pruner.
#ifndef DEVTRUST_SERVICE_SERVICE_RUNTIME_H_
#define DEVTRUST_SERVICE_SERVICE_RUNTIME_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "crypto/secret_bytes.h"
#include "ops/notification_dispatcher.h"
#include "pki/certificate_authority.h"
#include "service/ca_service.h"
#include "service/challenge_service.h"
#include "service/config.h"
#include "service/config_secrets.h"
#include "service/data_directory.h"
#include "service/data_directory_lock.h"
#include "service/device_key_cache.h"
#include "service/device_service.h"
#include "service/nonce_pruner.h"
#include "service/registration_service.h"
#include "service/review_service.h"
#include "service/server_tls.h"
#include "service/service_context.h"
#include "service/service_keys.h"
#include "service/validation_service.h"
#include "service/verification_service.h"
#include "store/sqlite_store.h"
#include "telemetry/json_log.h"
#include "telemetry/logger.h"
#include "telemetry/metrics.h"
#include "trust/validation_pipeline.h"

namespace devtrust::service {

// The API keys the server accepts.
struct ApiKeySet {
  std::string relying_party_name;
  crypto::SecretBytes relying_party;
  std::string admin_name;
  crypto::SecretBytes admin;
};

class ServiceRuntime {
 public:
  // Opens everything; nothing runs yet. `http_routes` are the route
  // templates the HTTP metrics may name. Logs where each secret came from
  // (never the secret). Errors: those of every part, with the part named in
  // the message.
  static Result<std::unique_ptr<ServiceRuntime>> Open(ServeConfig config,
                                                      const EnvironmentLookup& environment,
                                                      std::vector<std::string> http_routes);

  // Stops the background threads and closes the store.
  ~ServiceRuntime();
  ServiceRuntime(const ServiceRuntime&) = delete;
  ServiceRuntime& operator=(const ServiceRuntime&) = delete;

  // Starts the notification dispatcher and the nonce pruner.
  void StartBackground();
  // Stops them; safe to call more than once.
  void StopBackground();

  // Readiness: the store responds and has the expected schema.
  Status Ready() { return store_->Ping(); }

  const ServeConfig& config() const { return config_; }
  const DataDirectory& data_directory() const { return data_directory_; }
  const PreparedServerTls& server_tls() const { return server_tls_; }
  const ApiKeySet& api_keys() const { return api_keys_; }
  std::shared_ptr<telemetry::Logger> logger() const { return logger_; }
  telemetry::Metrics& metrics() { return *metrics_; }

  ChallengeService& challenges() { return *challenges_; }
  RegistrationService& registrations() { return *registrations_; }
  VerificationService& verifications() { return *verifications_; }
  ValidationService& validations() { return *validations_; }
  DeviceService& devices() { return *devices_; }
  ReviewService& reviews() { return *reviews_; }
  CaService& ca() { return *ca_service_; }
  ops::NotificationDispatcher& dispatcher() { return *dispatcher_; }

 private:
  ServiceRuntime(ServeConfig config, DataDirectory data_directory);

  Status OpenParts(const EnvironmentLookup& environment, std::vector<std::string> http_routes);
  Status OpenTelemetry(std::vector<std::string> http_routes);
  Status OpenSecrets(const EnvironmentLookup& environment);
  Status OpenStoreAndCa();
  Status OpenServices();
  Status OpenBackground();

  ServeConfig config_;
  DataDirectory data_directory_;
  // Held from OpenParts until destruction, so no second server opens the
  // same directory.
  std::optional<DataDirectoryLock> data_directory_lock_;

  // Declared in dependency order, so that members are destroyed after
  // everything that uses them.
  std::shared_ptr<telemetry::LogOutput> log_output_;
  std::shared_ptr<telemetry::Logger> logger_;
  std::unique_ptr<telemetry::TrustLog> trust_log_;
  std::unique_ptr<telemetry::Metrics> metrics_;
  std::unique_ptr<ServiceKeys> keys_;
  ApiKeySet api_keys_;
  crypto::SecretBytes webhook_secret_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<pki::CertificateAuthority> ca_;
  PreparedServerTls server_tls_;
  std::unique_ptr<ServiceContext> context_;
  std::unique_ptr<trust::ValidationPipeline> pipeline_;
  std::unique_ptr<DeviceKeyCache> key_cache_;
  std::unique_ptr<CaService> ca_service_;
  std::unique_ptr<ChallengeService> challenges_;
  std::unique_ptr<RegistrationService> registrations_;
  std::unique_ptr<VerificationService> verifications_;
  std::unique_ptr<ValidationService> validations_;
  std::unique_ptr<DeviceService> devices_;
  std::unique_ptr<ReviewService> reviews_;
  std::unique_ptr<ops::NotificationDispatcher> dispatcher_;
  std::unique_ptr<NoncePruner> pruner_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_SERVICE_RUNTIME_H_
