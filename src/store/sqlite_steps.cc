#include "store/sqlite_steps.h"

#include <fmt/format.h>

#include "base/status_macros.h"
#include "store/sqlite_rows.h"
#include "store/unix_millis.h"

namespace devtrust::store {

Result<NonceOutcome> ConsumeNonceStep(SqliteConnection& connection, const NonceClaim& claim,
                                      TimePoint now) {
  // The conditions of a valid claim are part of the UPDATE, so the check and
  // the consumption are one atomic step.
  {
    DEVTRUST_ASSIGN_OR_RETURN(
        SqliteStatement consume,
        connection.Prepare("UPDATE nonces SET consumed_at = ?1 WHERE nonce_hash = ?2 AND "
                           "purpose = ?3 AND user_id = ?4 AND device_id = ?5 AND "
                           "consumed_at IS NULL AND expires_at > ?1"));
    DEVTRUST_RETURN_IF_ERROR(consume.BindAll(now, claim.nonce_hash, NoncePurposeName(claim.purpose),
                                             claim.user_id, claim.device_id));
    DEVTRUST_RETURN_IF_ERROR(consume.Run());
    if (connection.changes() == 1) return NonceOutcome::kConsumed;
  }

  // Nothing changed: read the row to tell the caller why. The row did not
  // satisfy the UPDATE at `now`, so the classification cannot be kConsumed.
  return ClassifyNonceStep(connection, claim, now);
}

Result<NonceOutcome> ClassifyNonceStep(SqliteConnection& connection, const NonceClaim& claim,
                                       TimePoint now) {
  DEVTRUST_ASSIGN_OR_RETURN(
      SqliteStatement lookup,
      connection.Prepare("SELECT purpose, user_id, device_id, expires_at, consumed_at "
                         "FROM nonces WHERE nonce_hash = ?"));
  DEVTRUST_RETURN_IF_ERROR(lookup.BindAll(claim.nonce_hash));
  DEVTRUST_ASSIGN_OR_RETURN(const bool found, lookup.Step());
  if (!found) return NonceOutcome::kUnknown;

  const bool bound_to_claim = lookup.ColumnText(0) == NoncePurposeName(claim.purpose) &&
                              lookup.ColumnText(1) == claim.user_id &&
                              lookup.ColumnText(2) == claim.device_id;
  if (!bound_to_claim) return NonceOutcome::kMismatch;
  if (!lookup.ColumnIsNull(4)) return NonceOutcome::kReused;
  // The same comparison as the consuming UPDATE: valid while now < expires_at.
  if (lookup.ColumnInt64(3) <= ToUnixMillis(now)) return NonceOutcome::kExpired;
  return NonceOutcome::kConsumed;
}

Result<DeviceStatus> DeviceStatusStep(SqliteConnection& connection, std::string_view device_id) {
  DEVTRUST_ASSIGN_OR_RETURN(SqliteStatement lookup,
                            connection.Prepare("SELECT status FROM devices WHERE device_id = ?"));
  DEVTRUST_RETURN_IF_ERROR(lookup.BindAll(device_id));
  DEVTRUST_ASSIGN_OR_RETURN(const bool found, lookup.Step());
  if (!found) {
    return MakeError(StatusCode::kNotFound, "device_not_found",
                     fmt::format("device '{}' does not exist", device_id));
  }

  return ParseStored(&ParseDeviceStatus, lookup, 0, "devices.status");
}

}  // namespace devtrust::store
