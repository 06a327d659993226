#include "store/sqlite_error.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <string>

namespace devtrust::store {
namespace {

struct Classification {
  StatusCode code;
  std::string_view reason;
};

Classification Classify(int code) {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return {StatusCode::kAlreadyExists, "record_exists"};
    default:
      break;
  }

  // The low byte is the primary result code of an extended one.
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {StatusCode::kUnavailable, "store_busy"};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return {StatusCode::kDataLoss, "store_corrupt"};
    case SQLITE_FULL:
      return {StatusCode::kResourceExhausted, "store_full"};
    case SQLITE_CANTOPEN:
      return {StatusCode::kUnavailable, "store_open_failed"};
    default:
      return {StatusCode::kInternal, "store_internal"};
  }
}

}  // namespace

Error SqliteError(sqlite3* db, int code, std::string_view operation) {
  const Classification classification = Classify(code);

  // sqlite3_errmsg describes the most recent failure on the connection, which
  // is the one being reported because a connection serves one thread at a
  // time.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return Error(classification.code, std::string(classification.reason),
               fmt::format("{} failed: {} (SQLite result code {})", operation, detail, code));
}

}  // namespace devtrust::store
