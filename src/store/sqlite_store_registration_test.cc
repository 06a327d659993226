// Device registration, device and certificate reads, and revocation.
#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using test_util::At;
using test_util::MakeEvent;
using test_util::MakeNonce;
using test_util::MakeRegistration;
using test_util::RegisterOrFail;

class SqliteRegistrationTest : public test_util::StoreTest {
 protected:
  // Row counts of every table a registration writes.
  struct Counts {
    std::int64_t devices, certificates, challenges, notifications, outbox;
    bool operator==(const Counts&) const = default;
  };

  Counts CountAll() {
    return Counts{CountRows("devices"), CountRows("certificates"),
                  CountRows("verification_challenges"), CountRows("notifications"),
                  CountRows("outbox")};
  }

  NonceRecord PutRegisterNonce(std::string_view label, std::string_view user_id) {
    const NonceRecord nonce =
        MakeNonce(label, NoncePurpose::kRegister, user_id, "", At(milliseconds(0)));
    EXPECT_OK(store_->PutNonce(nonce));
    return nonce;
  }
};

TEST_F(SqliteRegistrationTest, WritesEveryPart) {
  const NonceRecord nonce = PutRegisterNonce("reg-1", "user-1");
  const DeviceRegistration registration =
      MakeRegistration("device-1", "user-1", nonce, At(milliseconds(5)));

  const Result<NonceOutcome> outcome = store_->RegisterDevice(registration);
  ASSERT_OK(outcome);
  EXPECT_EQ(*outcome, NonceOutcome::kConsumed);

  const Result<DeviceRecord> device = store_->GetDevice("device-1");
  ASSERT_OK(device);
  EXPECT_EQ(*device, registration.device);

  const Result<CertificateRecord> ml_dsa =
      store_->GetCertificate(registration.ml_dsa_certificate.serial);
  ASSERT_OK(ml_dsa);
  EXPECT_EQ(*ml_dsa, registration.ml_dsa_certificate);

  const Result<CertificateRecord> ecdsa =
      store_->GetCertificate(registration.ecdsa_certificate.serial);
  ASSERT_OK(ecdsa);
  EXPECT_EQ(*ecdsa, registration.ecdsa_certificate);

  const Result<VerificationChallenge> challenge =
      store_->GetChallenge(registration.challenge.challenge_id);
  ASSERT_OK(challenge);
  EXPECT_EQ(*challenge, registration.challenge);

  const Result<std::vector<Notification>> due =
      store_->FetchDueNotifications(At(milliseconds(5)), 10);
  ASSERT_OK(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front(), registration.notification);

  const Result<std::vector<OutboxEvent>> events = store_->FetchOutbox("trust_event", 0, 10);
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().payload, registration.events.front().payload);
  EXPECT_GT(events->front().sequence, 0);

  EXPECT_EQ(CountRows("nonces", "consumed_at IS NOT NULL"), 1);
}

TEST_F(SqliteRegistrationTest, DeviceWithoutMlKemKey) {
  const NonceRecord nonce = PutRegisterNonce("reg-2", "user-1");
  DeviceRegistration registration =
      MakeRegistration("device-2", "user-1", nonce, At(milliseconds(5)));
  registration.device.ml_kem_public_key.clear();
  ASSERT_OK(store_->RegisterDevice(registration));

  const Result<DeviceRecord> device = store_->GetDevice("device-2");
  ASSERT_OK(device);
  EXPECT_TRUE(device->ml_kem_public_key.empty());
  EXPECT_EQ(*device, registration.device);
}

TEST_F(SqliteRegistrationTest, ReusedNonceWritesNothing) {
  const NonceRecord nonce = PutRegisterNonce("reg-3", "user-1");
  ASSERT_OK(store_->RegisterDevice(MakeRegistration("device-3", "user-1", nonce, At(minutes(0)))));
  const Counts before = CountAll();

  const Result<NonceOutcome> replay =
      store_->RegisterDevice(MakeRegistration("device-4", "user-1", nonce, At(minutes(1))));
  ASSERT_OK(replay);
  EXPECT_EQ(*replay, NonceOutcome::kReused);

  EXPECT_EQ(CountAll(), before);
  EXPECT_EQ(CountRows("devices", "device_id = 'device-4'"), 0);
  EXPECT_EQ(CountRows("certificates", "device_id = 'device-4'"), 0);
  EXPECT_EQ(CountRows("verification_challenges", "device_id = 'device-4'"), 0);
  EXPECT_EQ(CountRows("notifications", "device_id = 'device-4'"), 0);
}

TEST_F(SqliteRegistrationTest, UnconsumableNonceWritesNothing) {
  const NonceRecord stored = PutRegisterNonce("reg-5", "user-1");
  const NonceRecord never_stored =
      MakeNonce("reg-unknown", NoncePurpose::kRegister, "user-1", "", At(milliseconds(0)));

  struct Case {
    const char* name;
    DeviceRegistration registration;
    NonceOutcome expected;
  };
  const Case cases[] = {
      {"unknown", MakeRegistration("device-5", "user-1", never_stored, At(milliseconds(1))),
       NonceOutcome::kUnknown},
      {"expired", MakeRegistration("device-5", "user-1", stored, stored.expires_at),
       NonceOutcome::kExpired},
      // The nonce was issued to user-1; user-2 presents it.
      {"other user",
       MakeRegistration(
           "device-5", "user-2",
           MakeNonce("reg-5", NoncePurpose::kRegister, "user-2", "", At(milliseconds(0))),
           At(milliseconds(1))),
       NonceOutcome::kMismatch},
  };
  for (const Case& c : cases) {
    const Result<NonceOutcome> outcome = store_->RegisterDevice(c.registration);
    ASSERT_OK(outcome);
    EXPECT_EQ(*outcome, c.expected) << c.name;
    EXPECT_EQ(CountAll(), (Counts{0, 0, 0, 0, 0})) << c.name;
  }
  EXPECT_EQ(CountRows("nonces", "consumed_at IS NOT NULL"), 0);
}

TEST_F(SqliteRegistrationTest, DuplicateDeviceIdKeepsNonceUnconsumed) {
  RegisterOrFail(*store_, "device-6", "user-1", At(milliseconds(0)));
  const Counts before = CountAll();

  const NonceRecord second = PutRegisterNonce("reg-6b", "user-1");
  const Result<NonceOutcome> duplicate =
      store_->RegisterDevice(MakeRegistration("device-6", "user-1", second, At(milliseconds(1))));
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.error().reason(), "device_exists");

  EXPECT_EQ(CountAll(), before);
  const Result<NonceOutcome> still_usable =
      store_->ConsumeNonce(test_util::ClaimFor(second), At(milliseconds(2)));
  ASSERT_OK(still_usable);
  EXPECT_EQ(*still_usable, NonceOutcome::kConsumed);
}

TEST_F(SqliteRegistrationTest, DuplicateSerialWritesNothing) {
  const NonceRecord first_nonce = PutRegisterNonce("reg-7a", "user-1");
  const DeviceRegistration first =
      MakeRegistration("device-7", "user-1", first_nonce, At(milliseconds(0)));
  ASSERT_OK(store_->RegisterDevice(first));
  const Counts before = CountAll();

  const NonceRecord second_nonce = PutRegisterNonce("reg-7b", "user-1");
  DeviceRegistration second =
      MakeRegistration("device-8", "user-1", second_nonce, At(milliseconds(1)));
  second.ecdsa_certificate.serial = first.ecdsa_certificate.serial;

  const Result<NonceOutcome> outcome = store_->RegisterDevice(second);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(outcome.error().reason(), "certificate_exists");
  EXPECT_EQ(CountAll(), before);
  EXPECT_EQ(CountRows("devices", "device_id = 'device-8'"), 0);
}

TEST_F(SqliteRegistrationTest, InvalidRegistrationsRejected) {
  const NonceRecord nonce = PutRegisterNonce("reg-9", "user-1");
  const DeviceRegistration valid =
      MakeRegistration("device-9", "user-1", nonce, At(milliseconds(1)));

  std::vector<std::pair<std::string, DeviceRegistration>> cases;
  auto add = [&](std::string name, auto change) {
    DeviceRegistration registration = valid;
    change(registration);
    cases.emplace_back(std::move(name), std::move(registration));
  };
  add("trusted device", [](DeviceRegistration& r) { r.device.status = DeviceStatus::kTrusted; });
  add("verified device", [](DeviceRegistration& r) { r.device.verified_at = r.device.created_at; });
  add("login nonce", [](DeviceRegistration& r) {
    r.nonce.purpose = NoncePurpose::kLogin;
    r.nonce.device_id = r.device.device_id;
  });
  add("swapped certificate kinds", [](DeviceRegistration& r) {
    std::swap(r.ml_dsa_certificate.kind, r.ecdsa_certificate.kind);
  });
  add("certificate of another device",
      [](DeviceRegistration& r) { r.ecdsa_certificate.device_id = "device-other"; });
  add("uppercase serial", [](DeviceRegistration& r) { r.ml_dsa_certificate.serial = "ABCD"; });
  add("41-digit serial",
      [](DeviceRegistration& r) { r.ml_dsa_certificate.serial = std::string(41, 'a'); });
  add("same serials",
      [](DeviceRegistration& r) { r.ecdsa_certificate.serial = r.ml_dsa_certificate.serial; });
  add("empty DER", [](DeviceRegistration& r) { r.ml_dsa_certificate.der.clear(); });
  add("certificate not_after before not_before", [](DeviceRegistration& r) {
    r.ml_dsa_certificate.not_after = r.ml_dsa_certificate.not_before;
  });
  add("missing ML-DSA key", [](DeviceRegistration& r) { r.device.ml_dsa_public_key.clear(); });
  add("missing fingerprint", [](DeviceRegistration& r) { r.device.baseline_fingerprint.clear(); });
  add("drift challenge",
      [](DeviceRegistration& r) { r.challenge.reason = ChallengeReason::kDrift; });
  add("challenge for another user", [](DeviceRegistration& r) { r.challenge.user_id = "user-2"; });
  add("challenge with attempts", [](DeviceRegistration& r) { r.challenge.attempts = 1; });
  add("challenge without attempts allowed",
      [](DeviceRegistration& r) { r.challenge.max_attempts = 0; });
  add("notification for another device",
      [](DeviceRegistration& r) { r.notification.device_id = "device-other"; });
  add("event without topic", [](DeviceRegistration& r) { r.events.front().topic.clear(); });

  for (const auto& [name, registration] : cases) {
    const Result<NonceOutcome> outcome = store_->RegisterDevice(registration);
    ASSERT_FALSE(outcome.has_value()) << name;
    EXPECT_EQ(outcome.error().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(outcome.error().reason(), "invalid_argument") << name;
  }
  EXPECT_EQ(CountRows("devices"), 0);
  EXPECT_EQ(CountRows("nonces", "consumed_at IS NOT NULL"), 0);
}

TEST_F(SqliteRegistrationTest, GetDeviceNotFound) {
  const Result<DeviceRecord> device = store_->GetDevice("missing");
  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(device.error().reason(), "device_not_found");
}

TEST_F(SqliteRegistrationTest, GetCertificateNotFound) {
  const Result<CertificateRecord> certificate = store_->GetCertificate("abcdef");
  ASSERT_FALSE(certificate.has_value());
  EXPECT_EQ(certificate.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(certificate.error().reason(), "certificate_not_found");
}

TEST_F(SqliteRegistrationTest, ListDevicesByUserOldestFirst) {
  RegisterOrFail(*store_, "device-c", "user-1", At(milliseconds(30)));
  RegisterOrFail(*store_, "device-a", "user-1", At(milliseconds(10)));
  RegisterOrFail(*store_, "device-b", "user-1", At(milliseconds(20)));
  RegisterOrFail(*store_, "device-x", "user-2", At(milliseconds(5)));

  const Result<std::vector<DeviceRecord>> first_two = store_->ListDevicesByUser("user-1", 2);
  ASSERT_OK(first_two);
  ASSERT_EQ(first_two->size(), 2u);
  EXPECT_EQ((*first_two)[0].device_id, "device-a");
  EXPECT_EQ((*first_two)[1].device_id, "device-b");

  const Result<std::vector<DeviceRecord>> all = store_->ListDevicesByUser("user-1", 10);
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 3u);

  const Result<std::vector<DeviceRecord>> none = store_->ListDevicesByUser("user-3", 10);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());

  const Result<std::vector<DeviceRecord>> zero_limit = store_->ListDevicesByUser("user-1", 0);
  ASSERT_FALSE(zero_limit.has_value());
  EXPECT_EQ(zero_limit.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteRegistrationTest, RevokeRevokesDeviceAndCertificates) {
  const NonceRecord nonce = PutRegisterNonce("reg-10", "user-1");
  const DeviceRegistration registration =
      MakeRegistration("device-10", "user-1", nonce, At(milliseconds(0)));
  ASSERT_OK(store_->RegisterDevice(registration));
  const std::int64_t events_before = CountRows("outbox");

  const OutboxEvent event = MakeEvent("siem", R"({"event":"device_revoked"})", At(minutes(1)));
  const Result<RevocationOutcome> revoked = store_->RevokeDevice(
      "device-10", "key_compromise", At(minutes(1)), std::span<const OutboxEvent>(&event, 1));
  ASSERT_OK(revoked);
  EXPECT_EQ(*revoked, RevocationOutcome::kRevoked);

  const Result<DeviceRecord> device = store_->GetDevice("device-10");
  ASSERT_OK(device);
  EXPECT_EQ(device->status, DeviceStatus::kRevoked);
  EXPECT_EQ(device->revoked_at, At(minutes(1)));
  EXPECT_EQ(device->revocation_reason, "key_compromise");
  EXPECT_EQ(device->updated_at, At(minutes(1)));

  for (const CertificateRecord* issued :
       {&registration.ml_dsa_certificate, &registration.ecdsa_certificate}) {
    const Result<CertificateRecord> certificate = store_->GetCertificate(issued->serial);
    ASSERT_OK(certificate);
    EXPECT_EQ(certificate->revoked_at, At(minutes(1))) << issued->serial;
    EXPECT_EQ(certificate->revocation_reason, "key_compromise") << issued->serial;
  }
  EXPECT_EQ(CountRows("outbox"), events_before + 1);
  EXPECT_EQ(CountRows("outbox", "topic = 'siem'"), 1);
}

TEST_F(SqliteRegistrationTest, RevokeTwiceChangesNothing) {
  RegisterOrFail(*store_, "device-11", "user-1", At(milliseconds(0)));
  ASSERT_OK(store_->RevokeDevice("device-11", "user_request", At(minutes(1)), {}));
  const std::int64_t events_before = CountRows("outbox");

  const OutboxEvent event = MakeEvent("siem", "{}", At(minutes(2)));
  const Result<RevocationOutcome> again = store_->RevokeDevice(
      "device-11", "key_compromise", At(minutes(2)), std::span<const OutboxEvent>(&event, 1));
  ASSERT_OK(again);
  EXPECT_EQ(*again, RevocationOutcome::kAlreadyRevoked);

  const Result<DeviceRecord> device = store_->GetDevice("device-11");
  ASSERT_OK(device);
  EXPECT_EQ(device->revoked_at, At(minutes(1)));
  EXPECT_EQ(device->revocation_reason, "user_request");
  EXPECT_EQ(CountRows("outbox"), events_before);
}

TEST_F(SqliteRegistrationTest, RevokeUnknownDevice) {
  const Result<RevocationOutcome> revoked =
      store_->RevokeDevice("missing", "user_request", At(minutes(1)), {});
  ASSERT_FALSE(revoked.has_value());
  EXPECT_EQ(revoked.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(revoked.error().reason(), "device_not_found");
}

TEST_F(SqliteRegistrationTest, RevokeRequiresReason) {
  RegisterOrFail(*store_, "device-12", "user-1", At(milliseconds(0)));
  const Result<RevocationOutcome> revoked =
      store_->RevokeDevice("device-12", "", At(minutes(1)), {});
  ASSERT_FALSE(revoked.has_value());
  EXPECT_EQ(revoked.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteRegistrationTest, ListRevokedCertificatesByKind) {
  const NonceRecord nonce = PutRegisterNonce("reg-13", "user-1");
  const DeviceRegistration registration =
      MakeRegistration("device-13", "user-1", nonce, At(milliseconds(0)));
  ASSERT_OK(store_->RegisterDevice(registration));
  RegisterOrFail(*store_, "device-14", "user-1", At(milliseconds(0)));

  const Result<std::vector<RevokedCertificate>> before =
      store_->ListRevokedCertificates(CertificateKind::kMlDsa);
  ASSERT_OK(before);
  EXPECT_TRUE(before->empty());

  ASSERT_OK(store_->RevokeDevice("device-13", "superseded", At(minutes(3)), {}));

  const Result<std::vector<RevokedCertificate>> ml_dsa =
      store_->ListRevokedCertificates(CertificateKind::kMlDsa);
  ASSERT_OK(ml_dsa);
  ASSERT_EQ(ml_dsa->size(), 1u);
  EXPECT_EQ(ml_dsa->front(), (RevokedCertificate{
                                 .serial = registration.ml_dsa_certificate.serial,
                                 .kind = CertificateKind::kMlDsa,
                                 .not_after = registration.ml_dsa_certificate.not_after,
                                 .revoked_at = At(minutes(3)),
                                 .revocation_reason = "superseded",
                             }));

  const Result<std::vector<RevokedCertificate>> ecdsa =
      store_->ListRevokedCertificates(CertificateKind::kEcdsa);
  ASSERT_OK(ecdsa);
  ASSERT_EQ(ecdsa->size(), 1u);
  EXPECT_EQ(ecdsa->front().serial, registration.ecdsa_certificate.serial);
}

}  // namespace
}  // namespace devtrust::store
