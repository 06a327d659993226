#include "trust/login_records.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "trust/drift.h"

namespace devtrust::trust {
namespace {

constexpr std::string_view kHeader =
    "login_id,user,timestamp,ip,country,city,user_agent,platform,language,screen_width,"
    "screen_height,pixel_ratio,cookies_enabled\r\n";

constexpr std::string_view kRow =
    "4,ip-geo-mismatch-08,2024-11-03T21:14:37Z,198.18.0.2,ID,West Jakarta,\"Mozilla/5.0 "
    "(Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 "
    "Safari/537.36\",Win32,en-US,1536,864,1.25,1\r\n";

std::vector<LoginRecord> ParseOk(std::string_view text) {
  Result<std::vector<LoginRecord>> records = ParseLoginRecords(text);
  EXPECT_TRUE(records.has_value()) << records.error().ToString();
  return records.value_or(std::vector<LoginRecord>{});
}

void ExpectError(std::string_view text, std::string_view reason, std::string_view message_part) {
  const Result<std::vector<LoginRecord>> records = ParseLoginRecords(text);
  ASSERT_FALSE(records.has_value()) << text;
  EXPECT_EQ(records.error().reason(), reason);
  EXPECT_NE(records.error().message().find(message_part), std::string::npos)
      << records.error().message();
}

// Reads a whole file; nullopt when it cannot be opened or read.
std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    return std::nullopt;
  }
  const std::streamoff size = file.tellg();
  if (size < 0) {
    return std::nullopt;
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  file.seekg(0);
  if (!file.read(text.data(), size)) {
    return std::nullopt;
  }
  return text;
}

std::string WithRow(std::string_view row) { return std::string(kHeader) + std::string(row); }

TEST(LoginRecords, ParsesRecord) {
  const std::vector<LoginRecord> records = ParseOk(WithRow(kRow));
  ASSERT_EQ(records.size(), 1u);
  const LoginRecord& record = records[0];
  EXPECT_EQ(record.line, 2u);
  EXPECT_EQ(record.login_id, 4u);
  EXPECT_EQ(record.user, "ip-geo-mismatch-08");
  EXPECT_EQ(record.timestamp, "2024-11-03T21:14:37Z");
  EXPECT_EQ(record.ip, "198.18.0.2");
  EXPECT_EQ(record.country, "ID");
  EXPECT_EQ(record.city, "West Jakarta");
  EXPECT_EQ(record.user_agent,
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/136.0.0.0 Safari/537.36");
  EXPECT_EQ(record.platform, "Win32");
  EXPECT_EQ(record.language, "en-US");
  EXPECT_EQ(record.screen_width, "1536");
  EXPECT_EQ(record.screen_height, "864");
  EXPECT_EQ(record.pixel_ratio, "1.25");
  EXPECT_EQ(record.cookies_enabled, "1");
}

TEST(LoginRecords, AcceptsReorderedAndExtraColumns) {
  const std::vector<LoginRecord> records = ParseOk(
      "note,cookies_enabled,pixel_ratio,screen_height,screen_width,language,platform,user_agent,"
      "city,country,ip,timestamp,user,login_id\n"
      "x,1,2.75,873,393,en,Linux armv8l,UA,Depok,ID,198.18.0.9,2025-01-02T03:04:05.123+07:00,"
      "home-and-work-01,17\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].login_id, 17u);
  EXPECT_EQ(records[0].user, "home-and-work-01");
  EXPECT_EQ(records[0].platform, "Linux armv8l");
  EXPECT_EQ(records[0].pixel_ratio, "2.75");
}

TEST(LoginRecords, AcceptsHeaderOnly) { EXPECT_TRUE(ParseOk(kHeader).empty()); }

TEST(LoginRecords, RejectsEmptyText) {
  ExpectError("", "login_records_invalid", "header row is required");
}

TEST(LoginRecords, RejectsMissingColumn) {
  ExpectError("login_id,user,timestamp\n1,a,2025-01-01T00:00:00Z\n", "login_records_invalid",
              "line 1: the header has no column \"ip\"");
}

TEST(LoginRecords, RejectsRepeatedColumn) {
  ExpectError(
      "login_id,user,user,timestamp,ip,country,city,user_agent,platform,language,screen_width,"
      "screen_height,pixel_ratio,cookies_enabled\n",
      "login_records_invalid", "names column \"user\" twice");
}

TEST(LoginRecords, RejectsBadLoginId) {
  for (std::string_view id : {"", "x1", "-1", "1.5", "12345678901234567890"}) {
    ExpectError(WithRow(std::string(id) + ",u,2025-01-01T00:00:00Z,,,,ua,p,l,1,1,1,1\n"),
                "login_records_invalid", "line 2: login_id");
  }
}

TEST(LoginRecords, RejectsEmptyUser) {
  ExpectError(WithRow("1,,2025-01-01T00:00:00Z,,,,ua,p,l,1,1,1,1\n"), "login_records_invalid",
              "line 2: user is empty");
}

TEST(LoginRecords, RejectsBadTimestamp) {
  for (std::string_view timestamp :
       {"", "2025-01-01", "2025-01-01 00:00:00Z", "2025-13-01T00:00:00Z", "2025-01-01T24:00:00Z",
        "2025-01-01T00:00:00", "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00+0700",
        "2025-01-01T00:00:00Zjunk"}) {
    ExpectError(WithRow("1,u," + std::string(timestamp) + ",,,,ua,p,l,1,1,1,1\n"),
                "login_records_invalid", "line 2: timestamp");
  }
}

TEST(LoginRecords, PassesCsvErrorsThrough) {
  ExpectError(WithRow("1,u,2025-01-01T00:00:00Z,,,,ua\"x,p,l,1,1,1,1\n"), "csv_invalid", "line 2");
  ExpectError(WithRow("1,u,2025-01-01T00:00:00Z,,,,ua,p\n"), "csv_invalid", "line 2");
}

TEST(LoginRecords, MapsRecordToFingerprint) {
  const std::vector<LoginRecord> records = ParseOk(WithRow(kRow));
  ASSERT_EQ(records.size(), 1u);
  const Result<Fingerprint> fingerprint = FingerprintOf(records[0]);
  ASSERT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  EXPECT_EQ(fingerprint->attributes().size(), 7u);
  EXPECT_EQ(fingerprint->Find("platform"), "Win32");
  EXPECT_EQ(fingerprint->Find("pixel_ratio"), "1.25");
  EXPECT_EQ(fingerprint->Find("cookies_enabled"), "1");
  EXPECT_FALSE(fingerprint->Find("ip").has_value());
  EXPECT_FALSE(fingerprint->Find("country").has_value());
  EXPECT_FALSE(fingerprint->Find("city").has_value());
  EXPECT_EQ(fingerprint->user_agent_info().browser_major_version, 136);
}

TEST(LoginRecords, FingerprintLeavesOutEmptyValues) {
  LoginRecord record;
  record.line = 9;
  record.platform = "Win32";
  const Result<Fingerprint> fingerprint = FingerprintOf(record);
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->attributes().size(), 1u);
}

TEST(LoginRecords, FingerprintOfEmptyRecordFails) {
  LoginRecord record;
  record.line = 9;
  const Result<Fingerprint> fingerprint = FingerprintOf(record);
  ASSERT_FALSE(fingerprint.has_value());
  EXPECT_EQ(fingerprint.error().reason(), "fingerprint_invalid");
  EXPECT_NE(fingerprint.error().message().find("line 9"), std::string::npos);
}

TEST(LoginRecords, FingerprintRejectsControlCharacter) {
  const std::vector<LoginRecord> records =
      ParseOk(WithRow("1,u,2025-01-01T00:00:00Z,,,,\"ua\nsecond line\",p,l,1,1,1,1\n"));
  ASSERT_EQ(records.size(), 1u);
  const Result<Fingerprint> fingerprint = FingerprintOf(records[0]);
  ASSERT_FALSE(fingerprint.has_value());
  EXPECT_EQ(fingerprint.error().reason(), "fingerprint_invalid");
  EXPECT_NE(fingerprint.error().message().find("line 2"), std::string::npos);
}

// The scenario of an account: its name without the numeric suffix.
std::string ScenarioOf(const std::string& user) { return user.substr(0, user.rfind('-')); }

class RealLoginRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::optional<std::string> text = ReadFile(DEVTRUST_LOGIN_RECORDS_CSV);
    if (!text) {
      GTEST_SKIP() << "login records not found at " << DEVTRUST_LOGIN_RECORDS_CSV
                   << "; set DEVTRUST_LOGIN_RECORDS_CSV when configuring";
    }
    Result<std::vector<LoginRecord>> records = ParseLoginRecords(*text);
    ASSERT_TRUE(records.has_value()) << records.error().ToString();
    records_ = std::move(*records);
  }

  std::vector<LoginRecord> records_;
};

TEST_F(RealLoginRecords, LoadsAllRecords) {
  EXPECT_EQ(records_.size(), 871u);
  std::set<std::string> users;
  for (const LoginRecord& record : records_) {
    users.insert(record.user);
  }
  EXPECT_EQ(users.size(), 65u);
}

TEST_F(RealLoginRecords, EveryRecordMakesFingerprint) {
  for (const LoginRecord& record : records_) {
    const Result<Fingerprint> fingerprint = FingerprintOf(record);
    EXPECT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  }
}

// Replays every account against its first login with the default policy and
// checks the verdicts the defaults were chosen for.
TEST_F(RealLoginRecords, DefaultPolicySeparatesScenarios) {
  const DriftPolicy policy;
  const std::set<std::string> same_device = {"routine", "unusual-time", "ip-geo-mismatch",
                                             "malicious-ip", "impossible-travel"};
  std::map<std::string, Fingerprint> baselines;
  int checked = 0;

  for (const LoginRecord& record : records_) {
    Result<Fingerprint> presented = FingerprintOf(record);
    ASSERT_TRUE(presented.has_value());
    const auto [baseline, first] = baselines.emplace(record.user, *presented);
    if (first) {
      continue;
    }

    const FingerprintComparison comparison =
        CompareFingerprints(baseline->second, *presented, policy);
    const std::string scenario = ScenarioOf(record.user);
    const bool changed = !(baseline->second == *presented);
    SCOPED_TRACE(record.user + " line " + std::to_string(record.line));

    if (same_device.contains(scenario)) {
      EXPECT_EQ(comparison.verdict, DriftVerdict::kMatch);
      ++checked;
    } else if (scenario == "headless") {
      const bool headless = record.user_agent.find("HeadlessChrome") != std::string::npos;
      EXPECT_EQ(comparison.verdict, headless ? DriftVerdict::kHardChallenge : DriftVerdict::kMatch);
      EXPECT_EQ(comparison.categorical == CategoricalChange::kHeadlessMarker, headless);
      ++checked;
    } else if (scenario == "browser-change" && changed) {
      EXPECT_EQ(comparison.verdict, DriftVerdict::kSoftChallenge);
      ++checked;
    } else if (scenario == "different-device" && changed) {
      EXPECT_EQ(comparison.verdict, DriftVerdict::kHardChallenge);
      ++checked;
    }
  }
  EXPECT_GT(checked, 400);
}

}  // namespace
}  // namespace devtrust::trust
