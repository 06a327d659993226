#include "trust/fingerprint.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace devtrust::trust {
namespace {

namespace json = boost::json;

constexpr std::string_view kChromeWindows =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/139.0.0.0 Safari/537.36";

Result<Fingerprint> FromText(std::string_view text) { return Fingerprint::FromJsonText(text); }

void ExpectInvalid(const Result<Fingerprint>& fingerprint, std::string_view expected_in_message) {
  ASSERT_FALSE(fingerprint.has_value());
  EXPECT_EQ(fingerprint.error().reason(), "fingerprint_invalid");
  EXPECT_NE(fingerprint.error().message().find(expected_in_message), std::string::npos)
      << fingerprint.error().message();
}

std::string ObjectWithAttributes(std::size_t count) {
  std::string text = "{";
  for (std::size_t i = 0; i < count; ++i) {
    text += (i == 0 ? "\"a" : ",\"a") + std::to_string(i) + "\":\"v\"";
  }
  return text + "}";
}

TEST(Fingerprint, ParsesStringsNumbersAndBooleans) {
  const Result<Fingerprint> fingerprint =
      FromText(R"({"platform":"Win32","screen_width":1536,"pixel_ratio":1.25,"device_memory":8.0,)"
               R"("cookies_enabled":true,"webdriver":false,"color_depth":-24})");
  ASSERT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  EXPECT_EQ(fingerprint->Find("platform"), "Win32");
  EXPECT_EQ(fingerprint->Find("screen_width"), "1536");
  EXPECT_EQ(fingerprint->Find("pixel_ratio"), "1.25");
  EXPECT_EQ(fingerprint->Find("device_memory"), "8");
  EXPECT_EQ(fingerprint->Find("cookies_enabled"), "true");
  EXPECT_EQ(fingerprint->Find("webdriver"), "false");
  EXPECT_EQ(fingerprint->Find("color_depth"), "-24");
  EXPECT_EQ(fingerprint->attributes().size(), 7u);
}

TEST(Fingerprint, ReadsLargeUnsignedNumber) {
  const Result<Fingerprint> fingerprint = FromText(R"({"serial":18446744073709551615})");
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->Find("serial"), "18446744073709551615");
}

TEST(Fingerprint, KeepsUnknownAttributes) {
  const Result<Fingerprint> fingerprint =
      FromText(R"({"gpu_renderer":"ANGLE","platform":"Win32"})");
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->Find("gpu_renderer"), "ANGLE");
}

TEST(Fingerprint, FindReturnsNulloptForAbsentName) {
  const Result<Fingerprint> fingerprint = FromText(R"({"platform":"Win32"})");
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_FALSE(fingerprint->Find("language").has_value());
}

TEST(Fingerprint, AcceptsDecodedJsonValue) {
  const json::value value = json::parse(R"({"language":"en-US","screen_height":864})");
  const Result<Fingerprint> fingerprint = Fingerprint::FromJson(value);
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->Find("screen_height"), "864");
}

TEST(Fingerprint, RejectsNonFiniteNumberFromLenientParse) {
  // boost::json::parse reads 1e400 as infinity instead of failing.
  const json::value value = json::parse(R"({"pixel_ratio":1e400})");
  ExpectInvalid(Fingerprint::FromJson(value),
                "\"pixel_ratio\" is a number outside the double range");
}

TEST(Fingerprint, RejectsNonObject) {
  ExpectInvalid(FromText("[]"), "not a JSON object");
  ExpectInvalid(FromText("\"Win32\""), "not a JSON object");
  ExpectInvalid(FromText("null"), "not a JSON object");
  ExpectInvalid(FromText("42"), "not a JSON object");
}

TEST(Fingerprint, RejectsEmptyObject) { ExpectInvalid(FromText("{}"), "no attributes"); }

TEST(Fingerprint, AcceptsMaximumAttributeCount) {
  EXPECT_TRUE(FromText(ObjectWithAttributes(kMaxFingerprintAttributes)).has_value());
}

TEST(Fingerprint, RejectsTooManyAttributes) {
  ExpectInvalid(FromText(ObjectWithAttributes(kMaxFingerprintAttributes + 1)), "33 attributes");
}

TEST(Fingerprint, AcceptsValidNames) {
  for (const std::string& name : {std::string("a"), std::string("a1_b2"), std::string("z_"),
                                  "a" + std::string(kMaxAttributeNameBytes - 1, 'x')}) {
    EXPECT_TRUE(FromText("{\"" + name + "\":\"v\"}").has_value()) << name;
  }
}

TEST(Fingerprint, RejectsInvalidNames) {
  for (const std::string& name :
       {std::string(""), std::string("Platform"), std::string("1abc"), std::string("_a"),
        std::string("a-b"), std::string("a.b"), std::string("a b"),
        std::string("\xC3\xA9t\xC3\xA9"), "a" + std::string(kMaxAttributeNameBytes, 'x')}) {
    const Result<Fingerprint> fingerprint = FromText("{\"" + name + "\":\"v\"}");
    ExpectInvalid(fingerprint, "name");
  }
}

TEST(Fingerprint, EnforcesValueLength) {
  const std::string longest(kMaxAttributeValueBytes, 'v');
  EXPECT_TRUE(FromText(R"({"platform":")" + longest + "\"}").has_value());
  ExpectInvalid(FromText(R"({"platform":")" + longest + "v\"}"), "\"platform\" is 513 bytes");
}

TEST(Fingerprint, RejectsNestedAndNullValues) {
  ExpectInvalid(FromText(R"({"screen":{"width":1}})"), "\"screen\" is an object");
  ExpectInvalid(FromText(R"({"languages":["en","de"]})"), "\"languages\" is an array");
  ExpectInvalid(FromText(R"({"timezone":null})"), "\"timezone\" is null");
}

TEST(Fingerprint, RejectsDuplicateNamesInText) {
  ExpectInvalid(FromText(R"({"platform":"Win32","platform":"Linux x86_64"})"), "platform");
}

TEST(Fingerprint, RejectsDuplicateNamesInPairs) {
  const std::vector<std::pair<std::string_view, std::string_view>> pairs = {{"platform", "Win32"},
                                                                            {"platform", "Linux"}};
  ExpectInvalid(Fingerprint::FromAttributes(pairs), "appears twice");
}

TEST(Fingerprint, RejectsMalformedJsonText) {
  ExpectInvalid(FromText(R"({"platform":"Win32")"), "fingerprint JSON");
  ExpectInvalid(FromText(R"({"platform":"Win32"} {})"), "fingerprint JSON");
}

TEST(Fingerprint, RejectsOversizedJsonText) {
  const Result<Fingerprint> fingerprint =
      FromText("{\"a\":\"" + std::string(kMaxFingerprintJsonBytes, 'x') + "\"}");
  ASSERT_FALSE(fingerprint.has_value());
  EXPECT_EQ(fingerprint.error().reason(), "fingerprint_invalid");
  EXPECT_EQ(fingerprint.error().code(), StatusCode::kResourceExhausted);
}

TEST(Fingerprint, RejectsControlCharacters) {
  ExpectInvalid(FromText(R"({"platform":"Win\n32"})"), "control character");
  ExpectInvalid(FromText(R"({"platform":"Win\u000032"})"), "control character");
  ExpectInvalid(FromText(R"({"platform":"Win\u007f"})"), "control character");
}

TEST(Fingerprint, RejectsInvalidUtf8InPairs) {
  for (std::string_view bad :
       {std::string_view("\xC0\xAF"), std::string_view("\xE0\x80\xAF"),
        std::string_view("\xED\xA0\x80"), std::string_view("\xF4\x90\x80\x80"),
        std::string_view("\xE2\x82"), std::string_view("\x80"),
        std::string_view("\xF8\x88\x80\x80\x80")}) {
    const std::vector<std::pair<std::string_view, std::string_view>> pairs = {{"city", bad}};
    ExpectInvalid(Fingerprint::FromAttributes(pairs), "not valid UTF-8");
  }
}

TEST(Fingerprint, AcceptsMultibyteUtf8) {
  const std::vector<std::pair<std::string_view, std::string_view>> pairs = {
      {"timezone", "Asia/Tōkyō \xF0\x9F\x98\x80"}};
  EXPECT_TRUE(Fingerprint::FromAttributes(pairs).has_value());
}

TEST(Fingerprint, CanonicalJsonSortsKeysWithoutWhitespace) {
  const Result<Fingerprint> fingerprint =
      FromText(R"({ "screen_width" : 1536, "language":"en-US", "cookies_enabled":true })");
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->CanonicalJson(),
            R"({"cookies_enabled":"true","language":"en-US","screen_width":"1536"})");
}

TEST(Fingerprint, CanonicalJsonIgnoresInputOrder) {
  const Result<Fingerprint> first = FromText(R"({"b":"2","a":"1","c":"3"})");
  const Result<Fingerprint> second = FromText(R"({"c":"3","a":"1","b":"2"})");
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->CanonicalJson(), second->CanonicalJson());
  EXPECT_EQ(*first, *second);
}

TEST(Fingerprint, CanonicalJsonEscapesQuoteAndBackslash) {
  const Result<Fingerprint> fingerprint = FromText(R"({"model":"a\"b\\c\/d é"})");
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->CanonicalJson(), R"({"model":"a\"b\\c/d é"})");
}

TEST(Fingerprint, CanonicalJsonRoundTrips) {
  const Result<Fingerprint> original = FromText(
      R"json({"user_agent":"Mozilla/5.0 (X; \"q\")","pixel_ratio":1.5,"hardware_model":"Pixel 8"})json");
  ASSERT_TRUE(original.has_value());
  const Result<Fingerprint> reread = FromText(original->CanonicalJson());
  ASSERT_TRUE(reread.has_value()) << reread.error().ToString();
  EXPECT_EQ(*reread, *original);
  EXPECT_EQ(reread->CanonicalJson(), original->CanonicalJson());
}

TEST(Fingerprint, DerivesUserAgentAndPlatform) {
  const std::vector<std::pair<std::string_view, std::string_view>> pairs = {
      {"user_agent", kChromeWindows}, {"platform", "Win32"}};
  const Result<Fingerprint> fingerprint = Fingerprint::FromAttributes(pairs);
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->user_agent_info().browser, BrowserFamily::kChrome);
  EXPECT_EQ(fingerprint->user_agent_info().browser_major_version, 139);
  EXPECT_EQ(fingerprint->user_agent_info().os, OsFamily::kWindows);
  EXPECT_EQ(fingerprint->platform_family(), OsFamily::kWindows);
}

TEST(Fingerprint, LeavesDerivedAttributesUnknownWithoutSources) {
  const Result<Fingerprint> fingerprint = FromText(R"({"language":"en"})");
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->user_agent_info(), UserAgentInfo{});
  EXPECT_EQ(fingerprint->platform_family(), OsFamily::kUnknown);
}

}  // namespace
}  // namespace devtrust::trust
