// Helpers shared by the service tests: a temporary directory, a device that
// signs its proofs with real keys, fingerprints, and a fixture that wires the
// services to a real SQLite store, a real CA and a JSON log file.
#ifndef DEVTRUST_SERVICE_SERVICE_TEST_SUPPORT_H_
#define DEVTRUST_SERVICE_SERVICE_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <boost/json/value.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.h"
#include "pki/certificate_authority.h"
#include "service/ca_service.h"
#include "service/challenge_service.h"
#include "service/device_key_cache.h"
#include "service/device_service.h"
#include "service/registration_service.h"
#include "service/review_service.h"
#include "service/service_context.h"
#include "service/service_keys.h"
#include "service/validation_service.h"
#include "service/verification_service.h"
#include "store/sqlite_store.h"
#include "telemetry/json_log.h"
#include "telemetry/logger.h"
#include "telemetry/metrics.h"
#include "trust/fingerprint.h"
#include "trust/validation_pipeline.h"

namespace devtrust::service::testing {

// A fresh directory under the system temporary directory, removed with its
// contents on destruction.
class TempDirectory {
 public:
  TempDirectory();
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The permission bits of `path`, such as 0600.
unsigned FileMode(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, std::string_view text, unsigned mode);

trust::Fingerprint MakeFingerprint(
    std::vector<std::pair<std::string_view, std::string_view>> attributes);
// A Windows Chrome browser; `timezone` and screen size vary it.
trust::Fingerprint WindowsChrome(std::string_view width = "1920", std::string_view height = "1080",
                                 std::string_view timezone = "Europe/Berlin",
                                 std::string_view language = "en-US");
// A different device: Safari on macOS.
trust::Fingerprint MacSafari();
trust::Fingerprint HeadlessChrome();

// A device's private keys and the requests it signs.
struct TestDevice {
  crypto::PrivateKey ml_dsa;
  crypto::PrivateKey ecdsa;
  std::optional<crypto::PrivateKey> ml_kem;
  crypto::PrivateKey x25519;

  static TestDevice Generate(bool with_ml_kem = true);

  SubmittedKeys PublicKeys() const;
  // A registration signed with both keys.
  RegistrationRequest Registration(std::string_view user_id, const Bytes& nonce,
                                   const trust::Fingerprint& fingerprint) const;
  // A login signed with ML-DSA (and ECDSA in classical_signature).
  ValidationRequest Login(std::string_view user_id, std::string_view device_id, const Bytes& nonce,
                          const trust::Fingerprint& fingerprint, const Bytes& ml_dsa_certificate,
                          const Bytes& ecdsa_certificate) const;
};

// An enrolled device and what registration returned.
struct Enrollment {
  TestDevice device;
  RegistrationResult result;
};

class ServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  RequestFacts Facts() const;
  RequestFacts ClassicalTlsFacts() const;

  Bytes IssueNonce(store::NoncePurpose purpose, std::string_view user_id,
                   std::string_view device_id = "");

  // Registers a new device for `user_id`, failing the test on error.
  Enrollment Register(std::string_view user_id, const trust::Fingerprint& fingerprint,
                      bool with_ml_kem = true);
  // Registers and passes the registration challenge, so the device is trusted.
  Enrollment Enroll(std::string_view user_id, const trust::Fingerprint& fingerprint,
                    bool with_ml_kem = true);

  // The code of the queued notification for `challenge_id`, opened as the
  // dispatcher would.
  crypto::SecretBytes CodeFor(std::string_view challenge_id);
  Result<store::DeviceRecord> VerifyWithCode(std::string_view device_id,
                                             std::string_view challenge_id,
                                             const crypto::SecretBytes& code);

  // A login of `enrollment` with a fresh nonce.
  Result<ValidationResponse> Login(const Enrollment& enrollment,
                                   const trust::Fingerprint& fingerprint,
                                   const RequestFacts& facts);
  Result<ValidationResponse> Login(const Enrollment& enrollment,
                                   const trust::Fingerprint& fingerprint) {
    return Login(enrollment, fingerprint, Facts());
  }

  // The JSON lines written to the log so far.
  std::vector<boost::json::object> LogLines() const;
  std::string LogText() const;
  // Lines of one trace with the given flow_step, in order.
  std::vector<boost::json::object> TraceLines(std::string_view trace_id) const;
  std::optional<double> Metric(std::string_view series);
  std::vector<store::OutboxEvent> Outbox(std::string_view topic);
  std::vector<store::Notification> PendingNotifications();

  TempDirectory directory_;
  store::TimePoint now_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<pki::CertificateAuthority> ca_;
  std::shared_ptr<telemetry::Logger> logger_;
  std::unique_ptr<telemetry::TrustLog> trust_log_;
  std::unique_ptr<telemetry::Metrics> metrics_;
  std::optional<ServiceKeys> keys_;
  std::unique_ptr<ServiceContext> context_;
  trust::FallbackPolicy fallback_policy_;
  std::unique_ptr<trust::ValidationPipeline> pipeline_;
  std::unique_ptr<DeviceKeyCache> key_cache_;
  std::unique_ptr<CaService> ca_service_;
  std::unique_ptr<ChallengeService> challenges_;
  std::unique_ptr<RegistrationService> registrations_;
  std::unique_ptr<VerificationService> verifications_;
  std::unique_ptr<ValidationService> validations_;
  std::unique_ptr<DeviceService> devices_;
  std::unique_ptr<ReviewService> reviews_;
  int notifications_queued_ = 0;
};

}  // namespace devtrust::service::testing

#endif  // DEVTRUST_SERVICE_SERVICE_TEST_SUPPORT_H_
