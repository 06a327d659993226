// SqliteStore: registration, devices, certificates and revocation.
#include <fmt/format.h>

#include "base/status_macros.h"
#include "store/record_checks.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_steps.h"
#include "store/sqlite_store.h"

namespace devtrust::store {

Result<NonceOutcome> SqliteStore::RegisterDevice(const DeviceRegistration& registration) {
  DEVTRUST_RETURN_IF_ERROR(CheckDeviceRegistration(registration));

  NonceOutcome outcome = NonceOutcome::kUnknown;
  DEVTRUST_RETURN_IF_ERROR(Write([&](SqliteConnection& connection) -> Status {
    // The nonce goes first: a request that cannot consume it writes nothing.
    DEVTRUST_ASSIGN_OR_RETURN(
        outcome, ConsumeNonceStep(connection, registration.nonce, registration.device.created_at));
    if (outcome != NonceOutcome::kConsumed) return {};

    // Any failure below returns an error, which rolls back the nonce too.
    DEVTRUST_RETURN_IF_ERROR(InsertDevice(connection, registration.device));
    DEVTRUST_RETURN_IF_ERROR(InsertCertificate(connection, registration.ml_dsa_certificate));
    DEVTRUST_RETURN_IF_ERROR(InsertCertificate(connection, registration.ecdsa_certificate));
    DEVTRUST_RETURN_IF_ERROR(InsertChallenge(connection, registration.challenge));
    DEVTRUST_RETURN_IF_ERROR(InsertNotification(connection, registration.notification));
    return InsertOutboxEvents(connection, registration.events);
  }));
  return outcome;
}

Result<DeviceRecord> SqliteStore::GetDevice(std::string_view device_id) {
  return Read<DeviceRecord>([&](SqliteConnection& connection) -> Result<DeviceRecord> {
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement select,
        connection.Prepare("SELECT " DEVTRUST_DEVICE_COLUMNS " FROM devices WHERE device_id = ?"));
    DEVTRUST_RETURN_IF_ERROR(select.BindAll(device_id));
    DEVTRUST_ASSIGN_OR_RETURN(const bool found, select.Step());
    if (!found) {
      return MakeError(StatusCode::kNotFound, "device_not_found",
                       fmt::format("device '{}' does not exist", device_id));
    }
    return ReadDevice(select);
  });
}

Result<std::vector<DeviceRecord>> SqliteStore::ListDevicesByUser(std::string_view user_id,
                                                                 std::int64_t limit) {
  DEVTRUST_RETURN_IF_ERROR(CheckLimit(limit));

  using Devices = std::vector<DeviceRecord>;
  return Read<Devices>([&](SqliteConnection& connection) -> Result<Devices> {
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement select,
        connection.Prepare("SELECT " DEVTRUST_DEVICE_COLUMNS " FROM devices WHERE user_id = ? "
                           "ORDER BY created_at, device_id LIMIT ?"));
    DEVTRUST_RETURN_IF_ERROR(select.BindAll(user_id, limit));

    Devices devices;
    while (true) {
      DEVTRUST_ASSIGN_OR_RETURN(const bool has_row, select.Step());
      if (!has_row) break;
      DEVTRUST_ASSIGN_OR_RETURN(DeviceRecord device, ReadDevice(select));
      devices.push_back(std::move(device));
    }
    return devices;
  });
}

Result<CertificateRecord> SqliteStore::GetCertificate(std::string_view serial) {
  return Read<CertificateRecord>([&](SqliteConnection& connection) -> Result<CertificateRecord> {
    DEVTRUST_ASSIGN_OR_RETURN(SqliteStatement select,
                              connection.Prepare("SELECT " DEVTRUST_CERTIFICATE_COLUMNS
                                                 " FROM certificates WHERE serial = ?"));
    DEVTRUST_RETURN_IF_ERROR(select.BindAll(serial));
    DEVTRUST_ASSIGN_OR_RETURN(const bool found, select.Step());
    if (!found) {
      return MakeError(StatusCode::kNotFound, "certificate_not_found",
                       fmt::format("no certificate has serial {}", serial));
    }
    return ReadCertificate(select);
  });
}

Result<std::vector<RevokedCertificate>> SqliteStore::ListRevokedCertificates(CertificateKind kind) {
  using Revoked = std::vector<RevokedCertificate>;
  return Read<Revoked>([&](SqliteConnection& connection) -> Result<Revoked> {
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement select,
        connection.Prepare("SELECT serial, not_after, revoked_at, revocation_reason FROM "
                           "certificates WHERE kind = ? AND revoked_at IS NOT NULL "
                           "ORDER BY serial"));
    DEVTRUST_RETURN_IF_ERROR(select.BindAll(CertificateKindName(kind)));

    Revoked revoked;
    while (true) {
      DEVTRUST_ASSIGN_OR_RETURN(const bool has_row, select.Step());
      if (!has_row) break;
      revoked.push_back(RevokedCertificate{
          .serial = select.ColumnText(0),
          .kind = kind,
          .not_after = select.ColumnTime(1),
          .revoked_at = select.ColumnTime(2),
          .revocation_reason = select.ColumnText(3),
      });
    }
    return revoked;
  });
}

Result<RevocationOutcome> SqliteStore::RevokeDevice(std::string_view device_id,
                                                    std::string_view reason, TimePoint now,
                                                    std::span<const OutboxEvent> events) {
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("device_id", device_id));
  DEVTRUST_RETURN_IF_ERROR(CheckNotEmpty("reason", reason));
  DEVTRUST_RETURN_IF_ERROR(CheckNewOutboxEvents(events));

  RevocationOutcome outcome = RevocationOutcome::kRevoked;
  DEVTRUST_RETURN_IF_ERROR(Write([&](SqliteConnection& connection) -> Status {
    DEVTRUST_ASSIGN_OR_RETURN(const DeviceStatus status, DeviceStatusStep(connection, device_id));
    if (status == DeviceStatus::kRevoked) {
      outcome = RevocationOutcome::kAlreadyRevoked;
      return {};
    }

    {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement revoke_device,
          connection.Prepare("UPDATE devices SET status = 'revoked', revoked_at = ?1, "
                             "revocation_reason = ?2, updated_at = ?1 WHERE device_id = ?3"));
      DEVTRUST_RETURN_IF_ERROR(revoke_device.BindAll(now, reason, device_id));
      DEVTRUST_RETURN_IF_ERROR(revoke_device.Run());
    }

    {
      DEVTRUST_ASSIGN_OR_RETURN(
          SqliteStatement revoke_certificates,
          connection.Prepare("UPDATE certificates SET revoked_at = ?1, revocation_reason = ?2 "
                             "WHERE device_id = ?3 AND revoked_at IS NULL"));
      DEVTRUST_RETURN_IF_ERROR(revoke_certificates.BindAll(now, reason, device_id));
      DEVTRUST_RETURN_IF_ERROR(revoke_certificates.Run());
    }

    outcome = RevocationOutcome::kRevoked;
    return InsertOutboxEvents(connection, events);
  }));
  return outcome;
}

}  // namespace devtrust::store
