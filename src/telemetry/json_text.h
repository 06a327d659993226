// Low-level writers for JSON text (RFC 8259) and RFC 3339 timestamps, shared by
// the trust log and the operational logger.
#ifndef DEVTRUST_TELEMETRY_JSON_TEXT_H_
#define DEVTRUST_TELEMETRY_JSON_TEXT_H_

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace devtrust::telemetry {

// Appends `text` as a quoted JSON string (RFC 8259, section 7). Quotes and
// backslashes are escaped, as are all control characters U+0000 to U+001F and
// U+007F, so a log line can never be split or carry terminal escapes. Each
// maximal ill-formed UTF-8 subsequence (RFC 3629, section 4: overlong forms,
// surrogates, code points above U+10FFFF, truncated sequences) is replaced by
// one U+FFFD, so the output is always valid UTF-8 and always parses.
void AppendJsonString(fmt::memory_buffer& out, std::string_view text);

// Appends `value` as a JSON number.
void AppendJsonInteger(fmt::memory_buffer& out, std::int64_t value);

// Appends `value` as the shortest JSON number that reads back to the same
// double, or null when it is NaN or infinite, which JSON cannot represent
// (RFC 8259, section 6).
void AppendJsonDouble(fmt::memory_buffer& out, double value);

// Appends `time` as an RFC 3339 UTC timestamp with milliseconds, such as
// 2026-12-04T19:57:28.123Z (RFC 3339, section 5.6). Sub-millisecond digits are
// truncated, not rounded, so a timestamp never moves into the next second.
// Every system_clock time has a four-digit year, which json_text.cc asserts at
// compile time.
void AppendRfc3339Millis(fmt::memory_buffer& out, std::chrono::system_clock::time_point time);

// The same as AppendRfc3339Millis, as a string.
std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time);

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_JSON_TEXT_H_
