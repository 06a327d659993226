// Statement sequences that several SQLite store operations share. Each runs
// inside the caller's write transaction on the writer connection.
#ifndef DEVTRUST_STORE_SQLITE_STEPS_H_
#define DEVTRUST_STORE_SQLITE_STEPS_H_

#include <string_view>

#include "base/error.h"
#include "store/records.h"
#include "store/sqlite_connection.h"
#include "store/store.h"

namespace devtrust::store {

// Consumes the claimed nonce when it is unused, unexpired and bound to the
// claim, or classifies why not, as Store::ConsumeNonce describes. The
// consumption is one conditional UPDATE, so of several transactions that try,
// in any process, only the first to commit changes the row.
Result<NonceOutcome> ConsumeNonceStep(SqliteConnection& connection, const NonceClaim& claim,
                                      TimePoint now);

// Reads the claimed nonce and returns what ConsumeNonceStep would return at
// `now`, changing nothing; kConsumed stands for a nonce that is valid now.
// Runs on any connection, including a read-only one.
Result<NonceOutcome> ClassifyNonceStep(SqliteConnection& connection, const NonceClaim& claim,
                                       TimePoint now);

// Reads the device's status. Fails with kNotFound, reason "device_not_found",
// when there is no such device.
Result<DeviceStatus> DeviceStatusStep(SqliteConnection& connection, std::string_view device_id);

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_SQLITE_STEPS_H_
