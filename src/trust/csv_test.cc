#include "trust/csv.h"

#include <gtest/gtest.h>

#include <string>

namespace devtrust::trust {
namespace {

using Fields = std::vector<std::string>;

std::vector<CsvRecord> ParseOk(std::string_view text, const CsvLimits& limits = {}) {
  Result<std::vector<CsvRecord>> records = ParseCsv(text, limits);
  EXPECT_TRUE(records.has_value()) << records.error().ToString();
  return records.value_or(std::vector<CsvRecord>{});
}

void ExpectError(std::string_view text, std::string_view reason, std::string_view message_part,
                 const CsvLimits& limits = {}) {
  const Result<std::vector<CsvRecord>> records = ParseCsv(text, limits);
  ASSERT_FALSE(records.has_value()) << text;
  EXPECT_EQ(records.error().reason(), reason) << text;
  EXPECT_NE(records.error().message().find(message_part), std::string::npos)
      << records.error().message();
}

TEST(Csv, ParsesCrlfRecords) {
  const std::vector<CsvRecord> records = ParseOk("a,b,c\r\n1,2,3\r\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(records[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(records[0].line, 1u);
  EXPECT_EQ(records[1].line, 2u);
}

TEST(Csv, ParsesLfRecordsAndMissingFinalBreak) {
  const std::vector<CsvRecord> records = ParseOk("a,b\n1,2");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (Fields{"1", "2"}));
}

TEST(Csv, ParsesEmptyFields) {
  const std::vector<CsvRecord> records = ParseOk("a,b,c\n,,\n\"\",x,\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields, (Fields{"", "", ""}));
  EXPECT_EQ(records[2].fields, (Fields{"", "x", ""}));
}

TEST(Csv, ParsesQuotedCommaAndDoubledQuote) {
  const std::vector<CsvRecord> records =
      ParseOk("ua,n\r\n\"Mozilla/5.0 (KHTML, like Gecko)\",\"say \"\"hi\"\"\"\r\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (Fields{"Mozilla/5.0 (KHTML, like Gecko)", "say \"hi\""}));
}

TEST(Csv, ParsesQuotedLineBreaksAndCountsLines) {
  const std::vector<CsvRecord> records = ParseOk("a,b\r\n\"x\r\ny\",\"p\nq\"\r\nlast,row\r\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields, (Fields{"x\r\ny", "p\nq"}));
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].line, 5u);
}

TEST(Csv, ReturnsNoRecordsForEmptyText) {
  EXPECT_TRUE(ParseOk("").empty());
  EXPECT_TRUE(ParseOk("\xEF\xBB\xBF").empty());
}

TEST(Csv, SkipsByteOrderMark) {
  const std::vector<CsvRecord> records = ParseOk("\xEF\xBB\xBFlogin_id,user\n1,a\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields[0], "login_id");
}

TEST(Csv, SkipsTrailingEmptyLines) {
  const std::vector<CsvRecord> records = ParseOk("a,b\r\n1,2\r\n\r\n\n");
  EXPECT_EQ(records.size(), 2u);
}

TEST(Csv, KeepsQuotedEmptyRecord) {
  const std::vector<CsvRecord> records = ParseOk("a\n\"\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (Fields{""}));
}

TEST(Csv, RejectsEmptyLineBetweenRecords) { ExpectError("a,b\n\n1,2\n", "csv_invalid", "line 2"); }

TEST(Csv, RejectsQuoteInsideUnquotedField) {
  ExpectError("a,b\nx\"y,2\n", "csv_invalid", "line 2: a double quote appears inside");
}

TEST(Csv, RejectsTextAfterClosingQuote) {
  ExpectError("a,b\n\"x\"y,2\n", "csv_invalid", "line 2: text follows a closing double quote");
}

TEST(Csv, RejectsUnclosedQuote) {
  ExpectError("a,b\n1,2\n\"open,3\n4,5\n", "csv_invalid", "line 3: a quoted field is not closed");
}

TEST(Csv, RejectsBareCarriageReturn) {
  ExpectError("a,b\r1,2\n", "csv_invalid", "line 1: a carriage return");
}

TEST(Csv, RejectsFieldCountMismatch) {
  ExpectError("a,b,c\n1,2,3\n4,5\n", "csv_invalid", "line 3: the record has 2 fields");
  ExpectError("a,b\n1,2,3\n", "csv_invalid", "line 2: the record has 3 fields");
}

TEST(Csv, EnforcesInputSizeLimit) {
  const CsvLimits limits{.max_input_bytes = 8, .max_line_bytes = 100, .max_fields = 10};
  EXPECT_EQ(ParseOk("a,b\n1,2\n", limits).size(), 2u);
  ExpectError("a,b\n1,2\n3\n", "csv_too_large", "10 bytes, the limit is 8", limits);
}

TEST(Csv, EnforcesLineLengthLimit) {
  const CsvLimits limits{.max_input_bytes = 1000, .max_line_bytes = 5, .max_fields = 10};
  EXPECT_EQ(ParseOk("ab,cd\r\n12,34\r\n", limits).size(), 2u);
  ExpectError("ab,cd\n123,45\n", "csv_too_large", "line 2: the line is longer than 5", limits);
  ExpectError("a\n\"12\n3456789\"\n", "csv_too_large", "line 3", limits);
}

TEST(Csv, EnforcesFieldCountLimit) {
  const CsvLimits limits{.max_input_bytes = 1000, .max_line_bytes = 100, .max_fields = 3};
  EXPECT_EQ(ParseOk("a,b,c\n", limits).size(), 1u);
  ExpectError("a,b,c,d\n", "csv_too_large", "more than 3 fields", limits);
}

}  // namespace
}  // namespace devtrust::trust
