#include "store/sqlite_statement.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <utility>

#include "store/sqlite_error.h"
#include "store/unix_millis.h"

namespace devtrust::store {

void StatementFinalizer::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

SqliteStatement::SqliteStatement(sqlite3_stmt* statement, bool* in_use)
    : statement_(statement), in_use_(in_use) {}

SqliteStatement::SqliteStatement(UniqueStatement statement)
    : statement_(statement.get()), owned_(std::move(statement)) {}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      owned_(std::move(other.owned_)) {}

SqliteStatement::~SqliteStatement() {
  if (statement_ == nullptr || owned_ != nullptr) return;

  // The return codes repeat the last step's error, which the caller already
  // received, so they carry no news here.
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  if (in_use_ != nullptr) *in_use_ = false;
}

Status SqliteStatement::CheckBind(int code, int index) {
  if (code == SQLITE_OK) return {};
  return MakeSqliteError(sqlite3_db_handle(statement_), code,
                         fmt::format("binding parameter {}", index));
}

Status SqliteStatement::Bind(int index, std::int64_t value) {
  return CheckBind(sqlite3_bind_int64(statement_, index, value), index);
}

Status SqliteStatement::Bind(int index, std::int32_t value) {
  return CheckBind(sqlite3_bind_int64(statement_, index, value), index);
}

Status SqliteStatement::Bind(int index, double value) {
  return CheckBind(sqlite3_bind_double(statement_, index, value), index);
}

Status SqliteStatement::Bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT copies the text, so the caller's buffer may go away
  // before the statement runs.
  return CheckBind(sqlite3_bind_text64(statement_, index, text.data(), text.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8),
                   index);
}

Status SqliteStatement::Bind(int index, ByteView blob) {
  // A null data pointer would bind NULL instead of an empty blob, which the
  // NOT NULL columns reject.
  if (blob.empty()) return CheckBind(sqlite3_bind_zeroblob(statement_, index, 0), index);
  return CheckBind(
      sqlite3_bind_blob64(statement_, index, blob.data(), blob.size(), SQLITE_TRANSIENT), index);
}

Status SqliteStatement::Bind(int index, TimePoint time) { return Bind(index, ToUnixMillis(time)); }

Status SqliteStatement::Bind(int index, std::optional<TimePoint> time) {
  if (!time.has_value()) return CheckBind(sqlite3_bind_null(statement_, index), index);
  return Bind(index, *time);
}

Result<bool> SqliteStatement::Step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return MakeSqliteError(sqlite3_db_handle(statement_), code, "executing a statement");
}

Status SqliteStatement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.has_value()) return std::unexpected(std::move(row).error());
    if (!*row) return {};
  }
}

Status SqliteStatement::Reset() {
  const int code = sqlite3_reset(statement_);
  if (code != SQLITE_OK) {
    return MakeSqliteError(sqlite3_db_handle(statement_), code, "resetting a statement");
  }
  return {};
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t SqliteStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double SqliteStatement::ColumnDouble(int column) const {
  return sqlite3_column_double(statement_, column);
}

std::string SqliteStatement::ColumnText(int column) const {
  // sqlite3_column_text must come before sqlite3_column_bytes, so that the
  // size is that of the UTF-8 form just produced.
  const unsigned char* text = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (text == nullptr || size <= 0) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

Bytes SqliteStatement::ColumnBlob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement_, column));
  const int size = sqlite3_column_bytes(statement_, column);
  if (data == nullptr || size <= 0) return {};
  return Bytes(data, data + size);
}

TimePoint SqliteStatement::ColumnTime(int column) const {
  return FromUnixMillis(ColumnInt64(column));
}

std::optional<TimePoint> SqliteStatement::ColumnOptionalTime(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnTime(column);
}

}  // namespace devtrust::store
