#include "telemetry/json_text.h"

#include <cmath>
#include <iterator>

namespace devtrust::telemetry {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// U+FFFD REPLACEMENT CHARACTER in UTF-8.
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

void Append(fmt::memory_buffer& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

bool NeedsEscape(unsigned char byte) {
  return byte < 0x20 || byte == '"' || byte == '\\' || byte == 0x7F;
}

void AppendEscaped(fmt::memory_buffer& out, unsigned char byte) {
  switch (byte) {
    case '"':
      Append(out, "\\\"");
      return;
    case '\\':
      Append(out, "\\\\");
      return;
    case '\b':
      Append(out, "\\b");
      return;
    case '\f':
      Append(out, "\\f");
      return;
    case '\n':
      Append(out, "\\n");
      return;
    case '\r':
      Append(out, "\\r");
      return;
    case '\t':
      Append(out, "\\t");
      return;
    default:
      break;
  }
  const char escape[] = {'\\', 'u', '0', '0', kHexDigits[byte >> 4], kHexDigits[byte & 0x0F]};
  out.append(escape, escape + sizeof(escape));
}

// Matches one multi-byte UTF-8 sequence at the start of `text` against the
// UTF8-2, UTF8-3 and UTF8-4 rules of RFC 3629, section 4. The narrowed ranges
// for the second byte after E0, ED, F0 and F4 exclude overlong forms,
// surrogates and code points above U+10FFFF. Returns the sequence length, or 0
// when it is ill-formed. `invalid_length` then receives the length of the
// maximal subpart: the longest prefix that could still start a valid sequence,
// or one byte if none. Each maximal subpart becomes one U+FFFD. Unicode Public
// Review Issue 121 lists this policy as option 2, which the Unicode Technical
// Committee preferred there.
std::size_t MatchUtf8Sequence(std::string_view text, std::size_t& invalid_length) {
  const auto lead = static_cast<unsigned char>(text[0]);
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead == 0xE0) {
    length = 3;
    second_min = 0xA0;
  } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
    length = 3;
  } else if (lead == 0xED) {
    length = 3;
    second_max = 0x9F;
  } else if (lead == 0xF0) {
    length = 4;
    second_min = 0x90;
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    length = 4;
  } else if (lead == 0xF4) {
    length = 4;
    second_max = 0x8F;
  } else {
    // A continuation byte without a lead, C0, C1 or F5 to FF.
    invalid_length = 1;
    return 0;
  }

  for (std::size_t i = 1; i < length; ++i) {
    if (i >= text.size()) {
      invalid_length = i;
      return 0;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    const unsigned char min = i == 1 ? second_min : 0x80;
    const unsigned char max = i == 1 ? second_max : 0xBF;
    if (byte < min || byte > max) {
      invalid_length = i;
      return 0;
    }
  }
  return length;
}

// RFC 3339 writes the year with exactly four digits (section 5.6,
// date-fullyear), so every time the clock can hold must fall in 0000 to 9999.
// libstdc++'s system_clock counts 64-bit nanoseconds, which reach 1677 to 2262.
static_assert(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::time_point::min()) >=
              std::chrono::sys_days(std::chrono::year(0) / 1 / 1));
static_assert(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::time_point::max()) <
              std::chrono::sys_days(std::chrono::year(10000) / 1 / 1));

void AppendDigits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

void AppendJsonString(fmt::memory_buffer& out, std::string_view text) {
  out.push_back('"');

  // Bytes that need no change are copied in runs; `run_start` marks the first
  // byte not yet copied.
  std::size_t run_start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80 && !NeedsEscape(byte)) {
      ++i;
      continue;
    }

    std::size_t invalid_length = 0;
    const std::size_t sequence_length =
        byte < 0x80 ? 0 : MatchUtf8Sequence(text.substr(i), invalid_length);
    if (sequence_length > 0) {
      i += sequence_length;
      continue;
    }

    Append(out, text.substr(run_start, i - run_start));
    if (byte < 0x80) {
      AppendEscaped(out, byte);
      ++i;
    } else {
      Append(out, kReplacementCharacter);
      i += invalid_length;
    }
    run_start = i;
  }
  Append(out, text.substr(run_start));

  out.push_back('"');
}

void AppendJsonInteger(fmt::memory_buffer& out, std::int64_t value) {
  const fmt::format_int digits(value);
  out.append(digits.data(), digits.data() + digits.size());
}

void AppendJsonDouble(fmt::memory_buffer& out, double value) {
  if (!std::isfinite(value)) {
    Append(out, "null");
    return;
  }
  // fmt's default format for a double is the shortest round-trip form, such as
  // 0.1 or 1e-07, which fits the JSON number grammar.
  fmt::format_to(std::back_inserter(out), "{}", value);
}

void AppendRfc3339Millis(fmt::memory_buffer& out, std::chrono::system_clock::time_point time) {
  using std::chrono::days;
  using std::chrono::milliseconds;

  // floor, not duration_cast, so times before 1970 still truncate toward the
  // earlier millisecond and day.
  const auto millis = std::chrono::floor<milliseconds>(time);
  const auto day = std::chrono::floor<days>(millis);
  const std::chrono::year_month_day date(day);
  const auto year = static_cast<unsigned>(static_cast<int>(date.year()));
  const auto millis_of_day = static_cast<unsigned>((millis - day).count());

  // "YYYY-MM-DDTHH:MM:SS.mmmZ" is always 24 characters.
  char text[24] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0',
                   '0', ':', '0', '0', ':', '0', '0', '.', '0', '0', '0', 'Z'};
  AppendDigits(text, year, 4);
  AppendDigits(text + 5, static_cast<unsigned>(date.month()), 2);
  AppendDigits(text + 8, static_cast<unsigned>(date.day()), 2);
  AppendDigits(text + 11, millis_of_day / 3'600'000, 2);
  AppendDigits(text + 14, millis_of_day / 60'000 % 60, 2);
  AppendDigits(text + 17, millis_of_day / 1'000 % 60, 2);
  AppendDigits(text + 20, millis_of_day % 1'000, 3);
  out.append(text, text + sizeof(text));
}

std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time) {
  fmt::memory_buffer out;
  AppendRfc3339Millis(out, time);
  return fmt::to_string(out);
}

}  // namespace devtrust::telemetry
