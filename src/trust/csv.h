// A reader for comma-separated values as RFC 4180 defines them.
//
// Fields are separated by commas and records by CRLF; LF alone is accepted
// too. A field that contains a comma, a quote or a line break is enclosed in
// double quotes, and a quote inside it is doubled (section 2, rules 5 to 7).
// The reader rejects what the grammar forbids instead of guessing: a quote
// inside an unquoted field, text after a closing quote, an unclosed quote, a
// bare CR, and records whose field count differs from the first record's.
#ifndef DEVTRUST_TRUST_CSV_H_
#define DEVTRUST_TRUST_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace devtrust::trust {

struct CsvLimits {
  std::size_t max_input_bytes = 16 * 1024 * 1024;
  // The maximum length of one line in bytes, without its line break. A quoted
  // field that spans lines counts per line.
  std::size_t max_line_bytes = 8 * 1024;
  std::size_t max_fields = 64;
};

struct CsvRecord {
  // The 1-based line on which the record starts.
  std::size_t line = 0;
  std::vector<std::string> fields;
};

// Splits `text` into records. A UTF-8 byte order mark at the start and empty
// lines at the end are skipped. Fails with reason "csv_invalid" on a syntax
// error and with "csv_too_large" (kResourceExhausted) when a limit is
// exceeded; the message names the line.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const CsvLimits& limits = {});

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_CSV_H_
