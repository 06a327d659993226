#include "trust/csv.h"

#include <fmt/format.h>

namespace devtrust::trust {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::unexpected<Error> InvalidCsv(std::size_t line, std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "csv_invalid",
                   fmt::format("line {}: {}", line, message));
}

std::unexpected<Error> CsvTooLarge(std::size_t line, std::string message) {
  return MakeError(StatusCode::kResourceExhausted, "csv_too_large",
                   fmt::format("line {}: {}", line, message));
}

// A single pass over the text. Each loop iteration reads one field and the
// separator after it.
class CsvParser {
 public:
  CsvParser(std::string_view text, const CsvLimits& limits) : text_(text), limits_(limits) {}

  Result<std::vector<CsvRecord>> Parse() {
    std::vector<CsvRecord> records;
    CsvRecord record;
    record.line = line_;
    bool record_has_quotes = false;

    while (true) {
      std::string field;
      if (Status read = Peek() == '"' ? ReadQuotedField(field) : ReadPlainField(field); !read) {
        return std::unexpected(read.error());
      }
      record_has_quotes = record_has_quotes || last_field_quoted_;
      record.fields.push_back(std::move(field));
      if (record.fields.size() > limits_.max_fields) {
        return CsvTooLarge(record.line,
                           fmt::format("a record has more than {} fields", limits_.max_fields));
      }

      // After a field comes a comma, a line break or the end of the text.
      if (AtEnd()) {
        AppendRecord(records, std::move(record), record_has_quotes);
        break;
      }
      const char separator = text_[position_];
      if (separator == ',') {
        if (Status advanced = Advance(); !advanced) {
          return std::unexpected(advanced.error());
        }
        continue;
      }
      if (Status ended = ConsumeLineBreak(); !ended) {
        return std::unexpected(ended.error());
      }
      AppendRecord(records, std::move(record), record_has_quotes);
      if (AtEnd()) {
        break;
      }
      record = CsvRecord{};
      record.line = line_;
      record_has_quotes = false;
    }

    // Trailing empty lines are an editor's habit, not records.
    records.resize(records.size() - trailing_blank_records_);

    // RFC 4180 section 2, rule 4: every record has the same number of fields.
    for (const CsvRecord& each : records) {
      if (each.fields.size() != records.front().fields.size()) {
        return InvalidCsv(each.line,
                          fmt::format("the record has {} fields, the first record "
                                      "has {}; every record needs the same count",
                                      each.fields.size(), records.front().fields.size()));
      }
    }
    return records;
  }

 private:
  bool AtEnd() const { return position_ >= text_.size(); }

  char Peek() const { return AtEnd() ? '\0' : text_[position_]; }

  // Moves past one byte that is not a line break, enforcing the line limit.
  Status Advance() {
    ++position_;
    ++line_bytes_;
    if (line_bytes_ > limits_.max_line_bytes) {
      return CsvTooLarge(line_,
                         fmt::format("the line is longer than {} bytes", limits_.max_line_bytes));
    }
    return {};
  }

  // Consumes CRLF or LF at the current position.
  Status ConsumeLineBreak() {
    if (text_[position_] == '\r') {
      if (position_ + 1 >= text_.size() || text_[position_ + 1] != '\n') {
        return InvalidCsv(line_,
                          "a carriage return is not followed by a line feed; end lines "
                          "with CRLF or LF");
      }
      ++position_;
    }
    ++position_;
    ++line_;
    line_bytes_ = 0;
    return {};
  }

  Status ReadPlainField(std::string& field) {
    last_field_quoted_ = false;
    const std::size_t start = position_;
    while (!AtEnd()) {
      const char c = text_[position_];
      if (c == ',' || c == '\n' || c == '\r') {
        break;
      }
      if (c == '"') {
        return InvalidCsv(line_, fmt::format("a double quote appears inside an unquoted field at "
                                             "byte {} of the line; enclose the field in quotes "
                                             "and double the quote",
                                             line_bytes_ + 1));
      }
      if (Status advanced = Advance(); !advanced) {
        return advanced;
      }
    }
    field.assign(text_.substr(start, position_ - start));
    return {};
  }

  Status ReadQuotedField(std::string& field) {
    last_field_quoted_ = true;
    const std::size_t opening_line = line_;
    if (Status advanced = Advance(); !advanced) {
      return advanced;
    }
    while (true) {
      if (AtEnd()) {
        return InvalidCsv(opening_line,
                          "a quoted field is not closed before the end of the "
                          "text; add the closing double quote");
      }
      const char c = text_[position_];
      if (c == '"') {
        if (Status advanced = Advance(); !advanced) {
          return advanced;
        }
        if (Peek() == '"') {
          field += '"';
          if (Status escaped = Advance(); !escaped) {
            return escaped;
          }
          continue;
        }
        if (AtEnd() || Peek() == ',' || Peek() == '\n' || Peek() == '\r') {
          return {};
        }
        return InvalidCsv(line_, fmt::format("text follows a closing double quote at byte {} of "
                                             "the line; double the quote if it is part of the "
                                             "field",
                                             line_bytes_ + 1));
      }
      if (c == '\n' || c == '\r') {
        // A quoted field may contain line breaks (section 2, rule 6). They
        // stay in the field as written.
        if (c == '\r' && position_ + 1 < text_.size() && text_[position_ + 1] == '\n') {
          field += '\r';
          ++position_;
        }
        field += text_[position_];
        ++position_;
        ++line_;
        line_bytes_ = 0;
        continue;
      }
      field += c;
      if (Status advanced = Advance(); !advanced) {
        return advanced;
      }
    }
  }

  void AppendRecord(std::vector<CsvRecord>& records, CsvRecord record, bool has_quotes) {
    const bool blank = record.fields.size() == 1 && record.fields.front().empty() && !has_quotes;
    trailing_blank_records_ = blank ? trailing_blank_records_ + 1 : 0;
    records.push_back(std::move(record));
  }

  std::string_view text_;
  const CsvLimits& limits_;
  std::size_t position_ = 0;
  std::size_t line_ = 1;
  std::size_t line_bytes_ = 0;
  bool last_field_quoted_ = false;
  // The number of empty, unquoted lines at the current end of the output.
  std::size_t trailing_blank_records_ = 0;
};

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const CsvLimits& limits) {
  if (text.size() > limits.max_input_bytes) {
    return MakeError(StatusCode::kResourceExhausted, "csv_too_large",
                     fmt::format("the CSV text is {} bytes, the limit is {}", text.size(),
                                 limits.max_input_bytes));
  }
  if (text.starts_with(kByteOrderMark)) {
    text.remove_prefix(kByteOrderMark.size());
  }
  if (text.empty()) {
    return std::vector<CsvRecord>{};
  }
  return CsvParser(text, limits).Parse();
}

}  // namespace devtrust::trust
