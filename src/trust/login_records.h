// Login records in the CSV layout of the rba-logins data set: one row per
// login with the browser attributes the device reported.
//
// The header row is required and must name every column of
// kLoginRecordColumns exactly once, in any order; other columns are ignored.
// ip, country and city describe the network, not the device, so they are
// kept for reports and never enter a fingerprint.
#ifndef DEVTRUST_TRUST_LOGIN_RECORDS_H_
#define DEVTRUST_TRUST_LOGIN_RECORDS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "trust/csv.h"
#include "trust/fingerprint.h"

namespace devtrust::trust {

inline constexpr std::array<std::string_view, 13> kLoginRecordColumns = {
    "login_id",      "user",        "timestamp",       "ip",       "country",
    "city",          "user_agent",  "platform",        "language", "screen_width",
    "screen_height", "pixel_ratio", "cookies_enabled",
};

struct LoginRecord {
  // The 1-based line of the record in the CSV text.
  std::size_t line = 0;
  std::uint64_t login_id = 0;
  std::string user;
  // RFC 3339 date and time, such as "2024-11-03T21:14:37Z".
  std::string timestamp;
  // Network location, for reporting only.
  std::string ip;
  std::string country;
  std::string city;
  // Browser-reported values as written in the file; empty when not reported.
  std::string user_agent;
  std::string platform;
  std::string language;
  std::string screen_width;
  std::string screen_height;
  std::string pixel_ratio;
  std::string cookies_enabled;
};

// Parses CSV text into records, in file order. CSV syntax and size errors
// keep their reasons ("csv_invalid", "csv_too_large"). Reason
// "login_records_invalid" covers an empty text, a missing or repeated column,
// a login_id that is not a decimal number, an empty user and a timestamp that
// is not RFC 3339. Every message names the line.
Result<std::vector<LoginRecord>> ParseLoginRecords(std::string_view csv_text,
                                                   const CsvLimits& limits = {});

// The device fingerprint of a record: user_agent, platform, language,
// screen_width, screen_height, pixel_ratio and cookies_enabled, leaving out
// empty values. Fails with reason "fingerprint_invalid" when a value breaks
// the fingerprint rules or every value is empty; the message names the line.
Result<Fingerprint> FingerprintOf(const LoginRecord& record);

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_LOGIN_RECORDS_H_
