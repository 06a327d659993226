#include "store/store_test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <system_error>

#include "base/encoding.h"
#include "store/sqlite_connection.h"
#include "store/unix_millis.h"

namespace devtrust::store::test_util {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "devtrust_store_XXXXXX").string();
  const char* created = ::mkdtemp(pattern.data());
  if (created == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
    return;
  }
  path_ = created;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

TimePoint BaseTime() {
  // 2025-10-09T08:53:20Z.
  return FromUnixMillis(1'760'000'000'000);
}

Bytes NonceHash(std::string_view label) {
  Bytes hash(32, 0x5a);
  std::copy_n(label.begin(), std::min<std::size_t>(label.size(), hash.size()), hash.begin());
  return hash;
}

NonceRecord MakeNonce(std::string_view label, NoncePurpose purpose, std::string_view user_id,
                      std::string_view device_id, TimePoint created_at,
                      std::chrono::milliseconds ttl) {
  NonceRecord nonce;
  nonce.nonce_hash = NonceHash(label);
  nonce.purpose = purpose;
  nonce.user_id = std::string(user_id);
  nonce.device_id = std::string(device_id);
  nonce.created_at = created_at;
  nonce.expires_at = created_at + ttl;
  return nonce;
}

NonceClaim ClaimFor(const NonceRecord& nonce) {
  return NonceClaim{nonce.nonce_hash, nonce.purpose, nonce.user_id, nonce.device_id};
}

DeviceRegistration MakeRegistration(std::string_view device_id, std::string_view user_id,
                                    const NonceRecord& nonce, TimePoint now) {
  const std::string id(device_id);
  const std::string serial_stem = HexEncode(AsBytes(device_id));

  DeviceRegistration registration;
  registration.nonce = ClaimFor(nonce);

  DeviceRecord& device = registration.device;
  device.device_id = id;
  device.user_id = std::string(user_id);
  device.status = DeviceStatus::kPending;
  device.ml_dsa_public_key = Bytes(1974, 0x11);
  device.ml_kem_public_key = Bytes(1206, 0x22);
  device.ecdsa_public_key = Bytes(91, 0x33);
  device.x25519_public_key = Bytes(44, 0x44);
  device.baseline_fingerprint = R"({"platform":"linux","screen":"1920x1080"})";
  device.accepted_fingerprint = device.baseline_fingerprint;
  device.created_at = now;
  device.updated_at = now;

  registration.ml_dsa_certificate = CertificateRecord{
      .serial = serial_stem + "01",
      .device_id = id,
      .kind = CertificateKind::kMlDsa,
      .der = Bytes(5600, 0x55),
      .not_before = now,
      .not_after = now + std::chrono::hours(24 * 90),
      .revoked_at = std::nullopt,
      .revocation_reason = "",
  };
  registration.ecdsa_certificate = CertificateRecord{
      .serial = serial_stem + "02",
      .device_id = id,
      .kind = CertificateKind::kEcdsa,
      .der = Bytes(520, 0x66),
      .not_before = now,
      .not_after = now + std::chrono::hours(24 * 90),
      .revoked_at = std::nullopt,
      .revocation_reason = "",
  };
  registration.challenge =
      MakeChallenge("challenge-" + id, id, user_id, ChallengeReason::kRegistration, now);
  registration.notification = MakeNotification("notification-" + id, user_id, id, now);
  registration.events.push_back(MakeEvent(
      "trust_event", R"({"event":"device_registered","device_id":")" + id + R"("})", now));
  return registration;
}

void RegisterOrFail(Store& store, std::string_view device_id, std::string_view user_id,
                    TimePoint now) {
  const NonceRecord nonce = MakeNonce(std::string("register-") + std::string(device_id),
                                      NoncePurpose::kRegister, user_id, "", now);
  const Status put = store.PutNonce(nonce);
  ASSERT_TRUE(put.has_value()) << put.error().ToString();

  const Result<NonceOutcome> registered =
      store.RegisterDevice(MakeRegistration(device_id, user_id, nonce, now));
  ASSERT_TRUE(registered.has_value()) << registered.error().ToString();
  ASSERT_EQ(*registered, NonceOutcome::kConsumed);
}

VerificationChallenge MakeChallenge(std::string_view challenge_id, std::string_view device_id,
                                    std::string_view user_id, ChallengeReason reason, TimePoint now,
                                    std::int32_t max_attempts) {
  VerificationChallenge challenge;
  challenge.challenge_id = std::string(challenge_id);
  challenge.user_id = std::string(user_id);
  challenge.device_id = std::string(device_id);
  challenge.reason = reason;
  challenge.code_hash = Bytes(32, 0x77);
  challenge.max_attempts = max_attempts;
  challenge.created_at = now;
  challenge.expires_at = now + std::chrono::minutes(10);
  return challenge;
}

ReviewItem MakeReviewItem(std::string_view review_id, std::string_view device_id,
                          std::string_view user_id, TimePoint now) {
  ReviewItem item;
  item.review_id = std::string(review_id);
  item.device_id = std::string(device_id);
  item.user_id = std::string(user_id);
  item.reason = ReviewReason::kDrift;
  item.drift_score = 0.42;
  item.details = R"({"changed":["screen"]})";
  item.created_at = now;
  return item;
}

Notification MakeNotification(std::string_view notification_id, std::string_view user_id,
                              std::string_view device_id, TimePoint now) {
  Notification notification;
  notification.notification_id = std::string(notification_id);
  notification.user_id = std::string(user_id);
  notification.device_id = std::string(device_id);
  notification.kind = NotificationKind::kDeviceVerification;
  notification.payload = R"({"template":"verify_device"})";
  notification.created_at = now;
  notification.next_attempt_at = now;
  return notification;
}

OutboxEvent MakeEvent(std::string_view topic, std::string_view payload, TimePoint now) {
  OutboxEvent event;
  event.topic = std::string(topic);
  event.payload = std::string(payload);
  event.created_at = now;
  return event;
}

SqliteStoreOptions TestOptions(const std::string& path) {
  SqliteStoreOptions options;
  options.path = path;
  options.read_connections = 2;
  return options;
}

std::unique_ptr<SqliteStore> OpenOrFail(const SqliteStoreOptions& options) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
  if (!store) {
    ADD_FAILURE() << "opening " << options.path << ": " << store.error().ToString();
    return nullptr;
  }
  return std::move(*store);
}

std::int64_t QueryInt(const std::string& path, std::string_view sql) {
  Result<SqliteConnection> connection =
      SqliteConnection::Open(path, SqliteConnection::Mode::kReadWrite, std::chrono::seconds(5));
  if (!connection) {
    ADD_FAILURE() << connection.error().ToString();
    return -1;
  }
  Result<std::int64_t> value = connection->QueryInt64(sql);
  if (!value) {
    ADD_FAILURE() << sql << ": " << value.error().ToString();
    return -1;
  }
  return *value;
}

void ExecuteOrFail(const std::string& path, std::string_view sql) {
  Result<SqliteConnection> connection =
      SqliteConnection::Open(path, SqliteConnection::Mode::kReadWrite, std::chrono::seconds(5));
  ASSERT_TRUE(connection.has_value()) << connection.error().ToString();
  const Status executed = connection->Execute(sql);
  ASSERT_TRUE(executed.has_value()) << sql << ": " << executed.error().ToString();
}

}  // namespace devtrust::store::test_util
