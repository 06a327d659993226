#include "trust/strict_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace devtrust::trust {
namespace {

namespace json = boost::json;

void ExpectInvalid(std::string_view text) {
  const Result<json::value> parsed = ParseStrictJson(text);
  ASSERT_FALSE(parsed.has_value()) << text;
  EXPECT_EQ(parsed.error().reason(), "json_invalid") << text;
  EXPECT_EQ(parsed.error().code(), StatusCode::kInvalidArgument) << text;
}

TEST(StrictJson, ParsesNestedValue) {
  const Result<json::value> parsed =
      ParseStrictJson(R"({"a":1,"b":[true,null,"x"],"c":{"d":2.5}})");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->at("a").as_int64(), 1);
  EXPECT_EQ(parsed->at("b").as_array().size(), 3u);
  EXPECT_EQ(parsed->at("c").at("d").as_double(), 2.5);
}

TEST(StrictJson, MatchesBoostParseOnValidText) {
  const std::string text = R"({"platform":"Win32","screen_width":1536,"nested":{"x":[1,2]}})";
  const Result<json::value> parsed = ParseStrictJson(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, json::parse(text));
}

TEST(StrictJson, RejectsDuplicateKey) {
  const Result<json::value> parsed = ParseStrictJson(R"({"platform":"Win32","platform":"Linux"})");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "json_invalid");
  EXPECT_NE(parsed.error().message().find("\"platform\""), std::string::npos)
      << parsed.error().message();
}

TEST(StrictJson, RejectsDuplicateKeyInNestedObject) {
  ExpectInvalid(R"({"a":{"b":1,"b":2}})");
  ExpectInvalid(R"([{"b":1},{"c":1,"c":1}])");
}

TEST(StrictJson, RejectsDuplicateKeyWrittenWithEscapes) {
  // "\u0061bc" decodes to "abc", so both members have the same name.
  ExpectInvalid(R"({"abc":1,"\u0061bc":2})");
}

TEST(StrictJson, AllowsSameKeyInSeparateObjects) {
  const Result<json::value> parsed = ParseStrictJson(R"({"a":{"k":1},"b":{"k":2},"k":3})");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->at("k").as_int64(), 3);
}

TEST(StrictJson, RejectsSyntaxErrors) {
  for (std::string_view text :
       {"", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "{'a':1}", "nul", "01"}) {
    ExpectInvalid(text);
  }
}

TEST(StrictJson, RejectsComments) { ExpectInvalid("{\"a\":1 /* note */}"); }

TEST(StrictJson, RejectsTrailingData) {
  ExpectInvalid("{} {}");
  ExpectInvalid("{}x");
}

TEST(StrictJson, AcceptsSurroundingWhitespace) {
  EXPECT_TRUE(ParseStrictJson(" \n{ \"a\" : 1 }\r\n ").has_value());
}

TEST(StrictJson, RejectsInvalidUtf8) {
  ExpectInvalid("{\"a\":\"\xC0\xAF\"}");
  ExpectInvalid("{\"a\":\"\xED\xA0\x80\"}");
  ExpectInvalid("{\"\xFF\":1}");
}

TEST(StrictJson, RejectsNumbersOutsideDoubleRange) {
  // boost::json::parse returns infinity and NaN for these.
  ExpectInvalid("[1e400]");
  ExpectInvalid("[-1e400]");
  ExpectInvalid("[0e400]");
  EXPECT_TRUE(ParseStrictJson("[1e308,0e10,-0.0]").has_value());
}

TEST(StrictJson, EnforcesDepthLimit) {
  const StrictJsonLimits limits{.max_bytes = 1024, .max_depth = 3};
  EXPECT_TRUE(ParseStrictJson("[[[1]]]", limits).has_value());
  const Result<json::value> deep = ParseStrictJson("[[[[1]]]]", limits);
  ASSERT_FALSE(deep.has_value());
  EXPECT_EQ(deep.error().reason(), "json_invalid");
}

TEST(StrictJson, EnforcesSizeLimit) {
  const StrictJsonLimits limits{.max_bytes = 8, .max_depth = 4};
  EXPECT_TRUE(ParseStrictJson("[1,2,3]", limits).has_value());
  const Result<json::value> large = ParseStrictJson("[1,2,3,4]", limits);
  ASSERT_FALSE(large.has_value());
  EXPECT_EQ(large.error().reason(), "json_too_large");
  EXPECT_EQ(large.error().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace devtrust::trust
