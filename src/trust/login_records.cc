#include "trust/login_records.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <system_error>
#include <utility>

#include "trust/attributes.h"
#include "trust/quoted.h"

namespace devtrust::trust {
namespace {

constexpr std::string_view kReason = "login_records_invalid";
constexpr std::size_t kMaxLoginIdDigits = 19;

std::unexpected<Error> InvalidRecords(std::size_t line, std::string message) {
  return MakeError(StatusCode::kInvalidArgument, std::string(kReason),
                   fmt::format("line {}: {}", line, message));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `count` digits at `offset` as a number in [min, max].
bool DigitsInRange(std::string_view text, std::size_t offset, std::size_t count, int min, int max) {
  if (offset + count > text.size()) {
    return false;
  }
  int value = 0;
  for (std::size_t i = offset; i < offset + count; ++i) {
    if (!IsDigit(text[i])) {
      return false;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value >= min && value <= max;
}

// Checks the date-time production of RFC 3339 section 5.6: a full date, "T",
// a time with optional fraction, and "Z" or a numeric offset. Day 31 is
// accepted in every month; the data is checked for shape, not calendar.
bool IsRfc3339DateTime(std::string_view text) {
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return false;
  }
  if (!DigitsInRange(text, 0, 4, 0, 9999) || !DigitsInRange(text, 5, 2, 1, 12) ||
      !DigitsInRange(text, 8, 2, 1, 31) || !DigitsInRange(text, 11, 2, 0, 23) ||
      !DigitsInRange(text, 14, 2, 0, 59) || !DigitsInRange(text, 17, 2, 0, 60)) {
    return false;
  }

  std::size_t i = 19;
  if (text[i] == '.') {
    ++i;
    const std::size_t fraction_start = i;
    while (i < text.size() && IsDigit(text[i])) {
      ++i;
    }
    if (i == fraction_start) {
      return false;
    }
  }

  const std::string_view offset = text.substr(i);
  if (offset == "Z" || offset == "z") {
    return true;
  }
  return offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') &&
         DigitsInRange(offset, 1, 2, 0, 23) && offset[3] == ':' &&
         DigitsInRange(offset, 4, 2, 0, 59);
}

std::optional<std::uint64_t> ParseLoginId(std::string_view text) {
  if (text.empty() || text.size() > kMaxLoginIdDigits) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const std::from_chars_result result = std::from_chars(text.data(), end, value);
  if (result.ec != std::errc() || result.ptr != end) {
    return std::nullopt;
  }
  return value;
}

// Positions in kLoginRecordColumns.
enum Column : std::size_t {
  kLoginIdColumn,
  kUserColumn,
  kTimestampColumn,
  kIpColumn,
  kCountryColumn,
  kCityColumn,
  kUserAgentColumn,
  kPlatformColumn,
  kLanguageColumn,
  kScreenWidthColumn,
  kScreenHeightColumn,
  kPixelRatioColumn,
  kCookiesEnabledColumn,
};
static_assert(kCookiesEnabledColumn + 1 == kLoginRecordColumns.size());

// The position of each expected column in the header row.
using ColumnIndex = std::array<std::size_t, kLoginRecordColumns.size()>;

Result<ColumnIndex> IndexColumns(const CsvRecord& header) {
  constexpr std::size_t kMissing = static_cast<std::size_t>(-1);
  ColumnIndex index;
  index.fill(kMissing);

  for (std::size_t position = 0; position < header.fields.size(); ++position) {
    const std::string& name = header.fields[position];
    for (std::size_t column = 0; column < kLoginRecordColumns.size(); ++column) {
      if (kLoginRecordColumns[column] != name) {
        continue;
      }
      if (index[column] != kMissing) {
        return InvalidRecords(header.line,
                              fmt::format("the header names column {} twice", Quoted(name)));
      }
      index[column] = position;
    }
  }

  for (std::size_t column = 0; column < kLoginRecordColumns.size(); ++column) {
    if (index[column] == kMissing) {
      return InvalidRecords(
          header.line,
          fmt::format("the header has no column \"{}\"; the header row must "
                      "name: {}",
                      kLoginRecordColumns[column], fmt::join(kLoginRecordColumns, ",")));
    }
  }
  return index;
}

Result<LoginRecord> ReadRecord(const CsvRecord& row, const ColumnIndex& index) {
  const auto field = [&](std::size_t column) -> const std::string& {
    return row.fields[index[column]];
  };

  LoginRecord record;
  record.line = row.line;

  const std::optional<std::uint64_t> login_id = ParseLoginId(field(kLoginIdColumn));
  if (!login_id) {
    return InvalidRecords(row.line, fmt::format("login_id {} is not a decimal number",
                                                Quoted(field(kLoginIdColumn))));
  }
  record.login_id = *login_id;

  record.user = field(kUserColumn);
  if (record.user.empty()) {
    return InvalidRecords(row.line, "user is empty; every record names its account");
  }

  record.timestamp = field(kTimestampColumn);
  if (!IsRfc3339DateTime(record.timestamp)) {
    return InvalidRecords(row.line, fmt::format("timestamp {} is not an RFC 3339 date-time such as "
                                                "2024-11-03T21:14:37Z",
                                                Quoted(record.timestamp)));
  }

  record.ip = field(kIpColumn);
  record.country = field(kCountryColumn);
  record.city = field(kCityColumn);
  record.user_agent = field(kUserAgentColumn);
  record.platform = field(kPlatformColumn);
  record.language = field(kLanguageColumn);
  record.screen_width = field(kScreenWidthColumn);
  record.screen_height = field(kScreenHeightColumn);
  record.pixel_ratio = field(kPixelRatioColumn);
  record.cookies_enabled = field(kCookiesEnabledColumn);
  return record;
}

}  // namespace

Result<std::vector<LoginRecord>> ParseLoginRecords(std::string_view csv_text,
                                                   const CsvLimits& limits) {
  Result<std::vector<CsvRecord>> rows = ParseCsv(csv_text, limits);
  if (!rows) {
    return std::unexpected(rows.error());
  }
  if (rows->empty()) {
    return InvalidRecords(1, "the text is empty; a header row is required");
  }

  const Result<ColumnIndex> index = IndexColumns(rows->front());
  if (!index) {
    return std::unexpected(index.error());
  }

  std::vector<LoginRecord> records;
  records.reserve(rows->size() - 1);
  for (std::size_t i = 1; i < rows->size(); ++i) {
    Result<LoginRecord> record = ReadRecord((*rows)[i], *index);
    if (!record) {
      return std::unexpected(record.error());
    }
    records.push_back(std::move(*record));
  }
  return records;
}

Result<Fingerprint> FingerprintOf(const LoginRecord& record) {
  const std::array<std::pair<std::string_view, std::string_view>, 7> candidates = {{
      {kUserAgent, record.user_agent},
      {kPlatform, record.platform},
      {kLanguage, record.language},
      {kScreenWidth, record.screen_width},
      {kScreenHeight, record.screen_height},
      {kPixelRatio, record.pixel_ratio},
      {kCookiesEnabled, record.cookies_enabled},
  }};

  std::vector<std::pair<std::string_view, std::string_view>> attributes;
  for (const auto& candidate : candidates) {
    if (!candidate.second.empty()) {
      attributes.push_back(candidate);
    }
  }

  Result<Fingerprint> fingerprint = Fingerprint::FromAttributes(attributes);
  if (!fingerprint) {
    return MakeError(fingerprint.error().code(), fingerprint.error().reason(),
                     fmt::format("line {}: {}", record.line, fingerprint.error().message()));
  }
  return fingerprint;
}

}  // namespace devtrust::trust
