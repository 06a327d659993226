#include "server/json_body.h"

#include <gtest/gtest.h>

#include <string>

#include "server/json_parser.h"

namespace devtrust::server {
namespace {

Request JsonRequest(std::string body, std::string_view content_type = "application/json") {
  Request request(http::verb::post, "/v1/test", 11);
  request.set(http::field::content_type, content_type);
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

// The reason of the error ParseJsonObject returns for `text`, or "" when it
// parses.
std::string ParseFailure(std::string_view text, const JsonLimits& limits = {}) {
  const Result<boost::json::object> parsed = ParseJsonObject(text, limits);
  return parsed.has_value() ? "" : parsed.error().reason();
}

std::string Nested(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) {
    text += "{\"a\":";
  }
  text += "1";
  for (int i = 0; i < depth; ++i) {
    text += "}";
  }
  return text;
}

TEST(ParseJsonObject, AcceptsObjects) {
  const Result<boost::json::object> parsed =
      ParseJsonObject(R"({"a":"x","b":[1,2,{"c":null}],"d":true,"e":-5,"f":1.5})");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->size(), 5u);
  EXPECT_EQ(parsed->at("a").as_string(), "x");
  EXPECT_EQ(parsed->at("e").as_int64(), -5);
}

TEST(ParseJsonObject, RejectsMalformedAndTruncatedText) {
  for (const char* bad :
       {"", "{", "{\"a\":", "{\"a\":1", "{\"a\" 1}", "{a:1}", "{'a':1}", "{\"a\":1,}", "{\"a\":01}",
        "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":1} // c",
        "{\"a\":/*c*/1}", "{\"a\":NaN}", "\xEF\xBB\xBF{}"}) {
    EXPECT_EQ(ParseFailure(bad), "invalid_json") << bad;
  }
}

TEST(ParseJsonObject, RejectsInvalidUtf8) {
  EXPECT_EQ(ParseFailure("{\"a\":\"\xC3\x28\"}"), "invalid_json");
  EXPECT_EQ(ParseFailure("{\"a\":\"\xED\xA0\x80\"}"), "invalid_json");
  EXPECT_EQ(ParseFailure("{\"\xFF\":1}"), "invalid_json");
}

// Boost.JSON 1.81 would return infinity for 1e400 and NaN for 0e9445.
TEST(ParseJsonObject, RejectsNumbersOutOfRange) {
  for (const char* text :
       {R"({"a":1e400})", R"({"a":-1e400})", R"({"a":0e9445})", R"({"a":[0.0e99999]})"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ParseFailure(text), "invalid_json");
  }
  EXPECT_EQ(ParseFailure(R"({"a":1e300,"b":0e-9445,"c":1e-400})"), "");
}

TEST(ParseJsonObject, RequiresTopLevelObject) {
  for (const char* not_object : {"[]", "1", "\"x\"", "null", "true"}) {
    EXPECT_EQ(ParseFailure(not_object), "invalid_json") << not_object;
  }
}

TEST(ParseJsonObject, EnforcesDepthLimit) {
  EXPECT_EQ(ParseFailure(Nested(8)), "");
  EXPECT_EQ(ParseFailure(Nested(9)), "json_too_deep");
  EXPECT_EQ(ParseFailure("{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}"),
            "json_too_deep");
}

TEST(ParseJsonObject, EnforcesSizeLimits) {
  JsonLimits limits;
  limits.max_string_bytes = 8;
  limits.max_name_bytes = 4;
  limits.max_array_size = 3;
  limits.max_object_members = 2;
  limits.max_body_bytes = 64;

  EXPECT_EQ(ParseFailure(R"({"a":"12345678"})", limits), "");
  EXPECT_EQ(ParseFailure(R"({"a":"123456789"})", limits), "field_too_long");
  // The limit applies after unescaping: six characters of escape are one byte.
  EXPECT_EQ(ParseFailure(R"({"a":"\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041"})", limits),
            "");
  EXPECT_EQ(ParseFailure(R"({"abcd":1})", limits), "");
  EXPECT_EQ(ParseFailure(R"({"abcde":1})", limits), "field_too_long");
  EXPECT_EQ(ParseFailure(R"({"a":[1,2,3]})", limits), "");
  EXPECT_EQ(ParseFailure(R"({"a":[1,2,3,4]})", limits), "array_too_large");
  EXPECT_EQ(ParseFailure(R"({"a":1,"b":2,"c":3})", limits), "object_too_large");
  EXPECT_EQ(ParseFailure(R"({"a":{"x":1,"y":2,"z":3}})", limits), "object_too_large");
  EXPECT_EQ(ParseFailure("{\"a\":\"" + std::string(70, 'x') + "\"}", limits), "body_too_large");
}

TEST(ParseJsonObject, RejectsDuplicateNames) {
  EXPECT_EQ(ParseFailure(R"({"a":1,"a":2})"), "duplicate_field");
  EXPECT_EQ(ParseFailure(R"({"o":{"a":1,"b":2,"a":3}})"), "duplicate_field");
  // The same name in different objects is fine.
  EXPECT_EQ(ParseFailure(R"({"a":{"a":1},"b":{"a":2}})"), "");
  // Escapes are resolved before comparing.
  EXPECT_EQ(ParseFailure(R"({"a":1,"\u0061":2})"), "duplicate_field");
}

TEST(CheckJsonContentType, AcceptsJsonWithUtf8Charset) {
  for (const char* good : {"application/json", "Application/JSON",
                           "application/json; charset=utf-8", "application/json;charset=UTF-8",
                           "application/json; charset=\"utf-8\"", " application/json "}) {
    EXPECT_TRUE(CheckJsonContentType(good).has_value()) << good;
  }
}

TEST(CheckJsonContentType, RejectsOtherMediaTypes) {
  for (const char* bad :
       {"", "text/plain", "application/jsonx", "application/x-www-form-urlencoded",
        "application/json; charset=latin1", "application/json; boundary=x", "multipart/form-data",
        "application/json-patch+json"}) {
    const Status checked = CheckJsonContentType(bad);
    ASSERT_FALSE(checked.has_value()) << bad;
    EXPECT_EQ(checked.error().reason(), "unsupported_media_type") << bad;
  }
}

TEST(ReadJsonBody, ChecksContentTypeAndSize) {
  const Result<JsonBody> text = ReadJsonBody(JsonRequest("{}", "text/plain"));
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().reason(), "unsupported_media_type");

  Request no_type(http::verb::post, "/", 11);
  no_type.body() = "{}";
  const Result<JsonBody> missing = ReadJsonBody(no_type);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().reason(), "unsupported_media_type");

  JsonLimits limits;
  limits.max_body_bytes = 10;
  const Result<JsonBody> large = ReadJsonBody(JsonRequest(R"({"a":"0123456789"})"), limits);
  ASSERT_FALSE(large.has_value());
  EXPECT_EQ(large.error().reason(), "body_too_large");
  EXPECT_EQ(large.error().code(), StatusCode::kResourceExhausted);
}

// A body shaped like a registration request, to exercise every accessor.
constexpr std::string_view kValidBody = R"({
  "user_id": "alice@example.com",
  "count": 7,
  "flag": true,
  "nonce": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
  "keys": {"ml_dsa_65": "AQID"},
  "fingerprint": {"platform": "Linux", "screen_width": 1920}
})";

TEST(JsonObjectReader, ReadsEveryFieldType) {
  Result<JsonBody> body = ReadJsonBody(JsonRequest(std::string(kValidBody)));
  ASSERT_TRUE(body.has_value()) << body.error().ToString();
  JsonObjectReader fields = body->Root();

  EXPECT_EQ(fields.RequiredString("user_id", 128).value(), "alice@example.com");
  EXPECT_EQ(fields.RequiredInt("count", 0, 10).value(), 7);
  EXPECT_EQ(fields.OptionalBool("flag").value(), true);
  const Result<Bytes> nonce = fields.RequiredBase64Url("nonce", 32);
  ASSERT_TRUE(nonce.has_value());
  ASSERT_EQ(nonce->size(), 32u);
  EXPECT_EQ((*nonce)[31], 31);

  Result<JsonObjectReader> keys = fields.RequiredObject("keys");
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(keys->RequiredBase64Url("ml_dsa_65", 16).value(), (Bytes{1, 2, 3}));
  EXPECT_FALSE(keys->OptionalBase64Url("x25519", 32).value().has_value());
  EXPECT_TRUE(keys->Finish().has_value());

  const Result<const boost::json::value*> fingerprint = fields.RequiredValue("fingerprint");
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_TRUE((*fingerprint)->is_object());

  EXPECT_FALSE(fields.OptionalString("absent", 10).value().has_value());
  EXPECT_FALSE(fields.OptionalInt("absent", 0, 1).value().has_value());
  EXPECT_EQ(fields.OptionalValue("absent"), nullptr);
  EXPECT_TRUE(fields.Finish().has_value());
}

// Reads `body` with the accessor `read` and returns the error reason and
// message, or "" when it succeeds.
template <typename Read>
std::pair<std::string, std::string> FieldFailure(std::string body, Read read) {
  Result<JsonBody> parsed = ReadJsonBody(JsonRequest(std::move(body)));
  if (!parsed.has_value()) {
    return {parsed.error().reason(), parsed.error().message()};
  }
  JsonObjectReader fields = parsed->Root();
  const Status status = read(fields);
  if (!status.has_value()) {
    return {status.error().reason(), status.error().message()};
  }
  return {"", ""};
}

template <typename T>
Status ToStatus(const Result<T>& result) {
  if (!result.has_value()) {
    return std::unexpected(result.error());
  }
  return {};
}

TEST(JsonObjectReader, ReportsMissingFields) {
  const auto [reason, message] = FieldFailure(R"({"other":1})", [](JsonObjectReader& fields) {
    return ToStatus(fields.RequiredString("user_id", 10));
  });
  EXPECT_EQ(reason, "missing_field");
  EXPECT_NE(message.find("'user_id'"), std::string::npos);

  EXPECT_EQ(
      FieldFailure("{}", [](JsonObjectReader& f) { return ToStatus(f.RequiredInt("n", 0, 1)); })
          .first,
      "missing_field");
  EXPECT_EQ(
      FieldFailure("{}", [](JsonObjectReader& f) { return ToStatus(f.RequiredBool("b")); }).first,
      "missing_field");
  EXPECT_EQ(
      FieldFailure("{}", [](JsonObjectReader& f) { return ToStatus(f.RequiredObject("o")); }).first,
      "missing_field");
  EXPECT_EQ(
      FieldFailure("{}", [](JsonObjectReader& f) { return ToStatus(f.RequiredBase64Url("n", 32)); })
          .first,
      "missing_field");
  EXPECT_EQ(
      FieldFailure("{}", [](JsonObjectReader& f) { return ToStatus(f.RequiredValue("v")); }).first,
      "missing_field");
}

TEST(JsonObjectReader, ReportsWrongTypes) {
  auto string_field = [](JsonObjectReader& f) { return ToStatus(f.RequiredString("v", 10)); };
  auto int_field = [](JsonObjectReader& f) { return ToStatus(f.RequiredInt("v", -100, 100)); };
  auto bool_field = [](JsonObjectReader& f) { return ToStatus(f.RequiredBool("v")); };
  auto object_field = [](JsonObjectReader& f) { return ToStatus(f.RequiredObject("v")); };
  auto optional_string = [](JsonObjectReader& f) { return ToStatus(f.OptionalString("v", 10)); };

  EXPECT_EQ(FieldFailure(R"({"v":1})", string_field).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":null})", string_field).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":null})", optional_string).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":["a"]})", string_field).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":"1"})", int_field).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":1.0})", int_field).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":1e2})", int_field).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":true})", int_field).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":"true"})", bool_field).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":0})", bool_field).first, "invalid_field_type");
  EXPECT_EQ(FieldFailure(R"({"v":[]})", object_field).first, "invalid_field_type");

  const auto [reason, message] = FieldFailure(R"({"o":{"v":1}})", [](JsonObjectReader& f) {
    Result<JsonObjectReader> nested = f.RequiredObject("o");
    return nested.has_value() ? ToStatus(nested->RequiredString("v", 5)) : ToStatus(nested);
  });
  EXPECT_EQ(reason, "invalid_field_type");
  EXPECT_NE(message.find("'o.v'"), std::string::npos) << message;
}

TEST(JsonObjectReader, ChecksRangesAndLengths) {
  auto int_field = [](JsonObjectReader& f) { return ToStatus(f.RequiredInt("v", -5, 5)); };
  EXPECT_EQ(FieldFailure(R"({"v":5})", int_field).first, "");
  EXPECT_EQ(FieldFailure(R"({"v":-5})", int_field).first, "");
  EXPECT_EQ(FieldFailure(R"({"v":6})", int_field).first, "field_out_of_range");
  EXPECT_EQ(FieldFailure(R"({"v":-6})", int_field).first, "field_out_of_range");
  EXPECT_EQ(FieldFailure(R"({"v":18446744073709551615})", int_field).first, "field_out_of_range");

  auto string_field = [](JsonObjectReader& f) { return ToStatus(f.RequiredString("v", 3)); };
  EXPECT_EQ(FieldFailure(R"({"v":"abc"})", string_field).first, "");
  EXPECT_EQ(FieldFailure(R"({"v":"abcd"})", string_field).first, "field_too_long");
  // Lengths are in bytes: "é" is two.
  EXPECT_EQ(FieldFailure("{\"v\":\"a\xC3\xA9\"}", string_field).first, "");
  EXPECT_EQ(FieldFailure("{\"v\":\"ab\xC3\xA9\"}", string_field).first, "field_too_long");
}

TEST(JsonObjectReader, DecodesBase64UrlStrictly) {
  auto nonce = [](JsonObjectReader& f) { return ToStatus(f.RequiredBase64Url("n", 4)); };
  EXPECT_EQ(FieldFailure(R"({"n":"AQIDBA"})", nonce).first, "");
  EXPECT_EQ(FieldFailure(R"({"n":""})", nonce).first, "");
  EXPECT_EQ(FieldFailure(R"({"n":"AQIDBA=="})", nonce).first, "field_too_long");
  EXPECT_EQ(FieldFailure(R"({"n":"AQID"})", nonce).first, "");
  EXPECT_EQ(FieldFailure(R"({"n":"AQI="})", nonce).first, "invalid_base64");
  EXPECT_EQ(FieldFailure(R"({"n":"AQ+/"})", nonce).first, "invalid_base64");
  EXPECT_EQ(FieldFailure(R"({"n":"A"})", nonce).first, "invalid_base64");
  EXPECT_EQ(FieldFailure(R"({"n":"AQIDBAU"})", nonce).first, "field_too_long");
  EXPECT_EQ(FieldFailure(R"({"n":"AQ ID"})", nonce).first, "invalid_base64");
  EXPECT_EQ(FieldFailure(R"({"n":5})", nonce).first, "invalid_field_type");
}

TEST(JsonObjectReader, FinishRejectsUnknownFields) {
  const auto [reason, message] =
      FieldFailure(R"({"user_id":"a","admin":true})", [](JsonObjectReader& fields) {
        if (Result<std::string_view> id = fields.RequiredString("user_id", 10); !id) {
          return ToStatus(id);
        }
        return fields.Finish();
      });
  EXPECT_EQ(reason, "unknown_field");
  EXPECT_NE(message.find("'admin'"), std::string::npos) << message;

  const auto nested = FieldFailure(R"({"o":{"a":1,"b":2}})", [](JsonObjectReader& fields) {
    Result<JsonObjectReader> object = fields.RequiredObject("o");
    if (!object) {
      return ToStatus(object);
    }
    (void)object->RequiredInt("a", 0, 9);
    return object->Finish();
  });
  EXPECT_EQ(nested.first, "unknown_field");
  EXPECT_NE(nested.second.find("'o.b'"), std::string::npos) << nested.second;
}

TEST(JsonObjectReader, UnknownFieldNameIsSanitized) {
  const auto [reason, message] =
      FieldFailure("{\"\\u0007bell" + std::string(100, 'x') + "\":1}",
                   [](JsonObjectReader& fields) { return fields.Finish(); });
  EXPECT_EQ(reason, "unknown_field");
  EXPECT_EQ(message.find('\x07'), std::string::npos);
  EXPECT_NE(message.find("?bell"), std::string::npos) << message;
  EXPECT_NE(message.find("..."), std::string::npos) << message;
}

}  // namespace
}  // namespace devtrust::server
