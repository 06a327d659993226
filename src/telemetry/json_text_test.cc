#include "telemetry/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "base/bytes.h"
#include "base/encoding.h"

namespace devtrust::telemetry {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::system_clock;
using std::chrono::year;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::string Quote(std::string_view text) {
  fmt::memory_buffer out;
  AppendJsonString(out, text);
  return fmt::to_string(out);
}

// Parses `json` with Boost.JSON, which rejects invalid JSON and invalid UTF-8.
std::optional<std::string> ParseJsonString(const std::string& json) {
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(json, error);
  if (error || !value.is_string()) {
    return std::nullopt;
  }
  return std::string(value.as_string());
}

std::string Hex(std::string_view text) { return HexEncode(AsBytes(text)); }

std::string Repeat(std::string_view text, int count) {
  std::string result;
  for (int i = 0; i < count; ++i) {
    result.append(text);
  }
  return result;
}

TEST(JsonString, PassesPlainTextThrough) {
  EXPECT_EQ(Quote("device dev-7f3a"), "\"device dev-7f3a\"");
  EXPECT_EQ(Quote(""), "\"\"");
}

TEST(JsonString, EscapesQuoteAndBackslash) { EXPECT_EQ(Quote(R"(a"b\c)"), R"("a\"b\\c")"); }

TEST(JsonString, EscapesShortFormControls) { EXPECT_EQ(Quote("\b\f\n\r\t"), R"("\b\f\n\r\t")"); }

TEST(JsonString, EscapesOtherControlsAsUnicode) {
  EXPECT_EQ(Quote(std::string_view("\0\x01\x1b\x1f\x7f", 5)),
            R"("\u0000\u0001\u001b\u001f\u007f")");
}

TEST(JsonString, KeepsWellFormedUtf8) {
  // The first and last code points of each UTF-8 length and around the
  // surrogate range (RFC 3629, section 4).
  const std::string_view samples[] = {
      "\xC2\x80",         "\xDF\xBF",         "\xE0\xA0\x80",
      "\xED\x9F\xBF",     "\xEE\x80\x80",     "\xEF\xBF\xBF",
      "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
  };
  for (const std::string_view sample : samples) {
    EXPECT_EQ(Quote(sample), "\"" + std::string(sample) + "\"") << Hex(sample);
  }
}

struct Replacement {
  std::string_view input;
  std::string expected;
};

TEST(JsonString, ReplacesEachMaximalIllFormedSubpart) {
  const std::string r(kReplacement);
  const Replacement cases[] = {
      {"\x80", r},                          // continuation byte without a lead
      {"\xC0\x80", r + r},                  // overlong encoding of U+0000
      {"\xC1\xBF", r + r},                  // overlong two-byte form
      {"\xE0\x80\x80", r + r + r},          // overlong three-byte form
      {"\xED\xA0\x80", r + r + r},          // surrogate U+D800
      {"\xF4\x90\x80\x80", r + r + r + r},  // above U+10FFFF
      {"\xF5\x80", r + r},                  // lead byte that cannot occur
      {"\xFF", r},                          // lead byte that cannot occur
      {"\xE2\x82", r},                      // truncated at the end
      {"\xF0\x9F\x98", r},                  // truncated at the end
      {"\xE2\x82x", r + "x"},               // truncated before ASCII
      {"a\xF1\x80\x80\xE1\x80\xC2"
       "b",
       "a" + r + r + r + "b"},  // Unicode PR 121 example
  };
  for (const Replacement& test_case : cases) {
    EXPECT_EQ(Quote(test_case.input), "\"" + test_case.expected + "\"") << Hex(test_case.input);
  }
}

TEST(JsonString, EveryTwoByteInputParses) {
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      const char bytes[] = {static_cast<char>(first), static_cast<char>(second)};
      const std::string_view input(bytes, 2);
      ASSERT_TRUE(ParseJsonString(Quote(input)).has_value()) << Hex(input);
    }
  }
}

TEST(JsonString, ThreeByteSequencesAllParse) {
  for (int lead = 0xE0; lead <= 0xF4; ++lead) {
    for (int second = 0x80; second <= 0xBF; ++second) {
      for (int third = 0; third < 256; ++third) {
        const char bytes[] = {static_cast<char>(lead), static_cast<char>(second),
                              static_cast<char>(third)};
        const std::string_view input(bytes, 3);
        ASSERT_TRUE(ParseJsonString(Quote(input)).has_value()) << Hex(input);
      }
    }
  }
}

TEST(JsonString, HostileTextRoundTripsThroughParser) {
  const std::string hostile = "\"},{\"level\":\"error\"}\n{\"injected\":true\\\r\x1b[31m" +
                              std::string(1, '\0') + "caf\xC3\xA9";
  const std::optional<std::string> parsed = ParseJsonString(Quote(hostile));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, hostile);
}

TEST(JsonString, LongRunsAreCopiedWhole) {
  const std::string text = Repeat("abc\xC3\xA9", 300);
  const std::optional<std::string> parsed = ParseJsonString(Quote(text));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, text);
}

TEST(JsonNumber, WritesIntegerLimits) {
  fmt::memory_buffer out;
  AppendJsonInteger(out, std::numeric_limits<std::int64_t>::min());
  out.push_back(' ');
  AppendJsonInteger(out, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(fmt::to_string(out), "-9223372036854775808 9223372036854775807");
}

TEST(JsonNumber, WritesShortestRoundTripDouble) {
  fmt::memory_buffer out;
  AppendJsonDouble(out, 0.1);
  EXPECT_EQ(fmt::to_string(out), "0.1");
}

TEST(JsonNumber, SmallDoubleParsesBack) {
  fmt::memory_buffer out;
  AppendJsonDouble(out, 1e-7);
  const boost::json::value value = boost::json::parse(fmt::to_string(out));
  ASSERT_TRUE(value.is_double());
  EXPECT_EQ(value.as_double(), 1e-7);
}

TEST(JsonNumber, NonFiniteDoubleIsNull) {
  for (const double value :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    fmt::memory_buffer out;
    AppendJsonDouble(out, value);
    EXPECT_EQ(fmt::to_string(out), "null");
  }
}

TEST(Rfc3339, FormatsKnownInstant) {
  const system_clock::time_point time =
      sys_days(year(2026) / 12 / 4) + hours(19) + minutes(57) + seconds(28) + milliseconds(123);
  EXPECT_EQ(FormatRfc3339Millis(time), "2026-12-04T19:57:28.123Z");
}

TEST(Rfc3339, FormatsEpoch) {
  EXPECT_EQ(FormatRfc3339Millis(system_clock::time_point()), "1970-01-01T00:00:00.000Z");
}

TEST(Rfc3339, TruncatesSubMilliseconds) {
  const system_clock::time_point time =
      sys_days(year(2026) / 1 / 1) + seconds(59) + microseconds(999'999);
  EXPECT_EQ(FormatRfc3339Millis(time), "2026-01-01T00:00:59.999Z");
}

TEST(Rfc3339, FormatsTimeBeforeEpoch) {
  EXPECT_EQ(FormatRfc3339Millis(system_clock::time_point() - milliseconds(1)),
            "1969-12-31T23:59:59.999Z");
}

TEST(Rfc3339, FormatsLeapDay) {
  const system_clock::time_point time =
      sys_days(year(2024) / 2 / 29) + hours(23) + minutes(59) + seconds(59) + milliseconds(7);
  EXPECT_EQ(FormatRfc3339Millis(time), "2024-02-29T23:59:59.007Z");
}

// libstdc++'s system_clock counts nanoseconds in 64 bits, so its range ends in
// 1677 and 2262.
TEST(Rfc3339, FormatsClockRangeEnds) {
  EXPECT_EQ(FormatRfc3339Millis(system_clock::time_point::min()), "1677-09-21T00:12:43.145Z");
  EXPECT_EQ(FormatRfc3339Millis(system_clock::time_point::max()), "2262-04-11T23:47:16.854Z");
}

}  // namespace
}  // namespace devtrust::telemetry
