// Conversion of SQLite result codes into devtrust Errors.
#ifndef DEVTRUST_STORE_SQLITE_ERROR_H_
#define DEVTRUST_STORE_SQLITE_ERROR_H_

#include <expected>
#include <string_view>

#include "base/error.h"

struct sqlite3;

namespace devtrust::store {

// Maps the (extended) result code `code` of `operation`, such as "insert
// device", to an Error:
//   SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY  kAlreadyExists      "record_exists"
//   SQLITE_BUSY, SQLITE_LOCKED             kUnavailable        "store_busy"
//   SQLITE_CORRUPT, SQLITE_NOTADB          kDataLoss           "store_corrupt"
//   SQLITE_FULL                            kResourceExhausted  "store_full"
//   SQLITE_CANTOPEN                        kUnavailable        "store_open_failed"
//   anything else                          kInternal           "store_internal"
// The message contains the operation and SQLite's own message for `db`, or
// the generic text for the code when `db` is null. SQLite 3.40's messages for
// UNIQUE, CHECK and type errors name the table, column or constraint, not the
// bound value, so record content does not reach the error.
Error SqliteError(sqlite3* db, int code, std::string_view operation);

inline std::unexpected<Error> MakeSqliteError(sqlite3* db, int code, std::string_view operation) {
  return std::unexpected(SqliteError(db, code, operation));
}

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_SQLITE_ERROR_H_
