// Malformed JSON bodies against the real `devtrust serve`: syntax errors,
// wrong types, missing, unknown and duplicate members, deep nesting, huge
// numbers, over-long strings, invalid UTF-8 and control characters. Every
// one must get 400 with its stable error code and issue no nonce.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bad_input_fixture.h"

namespace devtrust::hardening {
namespace {

using JsonBodyTest = BadInputTest;

std::string Nested(std::size_t depth) {
  return R"({"purpose":"register","user_id":"mallory","x":)" + Repeated(depth, '[') +
         Repeated(depth, ']') + "}";
}

// An object with `members` members named m0, m1, ...
std::string ManyMembers(std::size_t members) {
  std::string body = R"({"purpose":"register","user_id":"mallory")";
  for (std::size_t i = 0; i < members; ++i) body += ",\"m" + std::to_string(i) + "\":0";
  return body + "}";
}

std::string LongArray(std::size_t elements) {
  std::string body = R"({"purpose":"register","user_id":"mallory","x":[0)";
  for (std::size_t i = 1; i < elements; ++i) body += ",0";
  return body + "]}";
}

TEST_F(JsonBodyTest, ChallengeBodiesGetStableCodes) {
  const std::string good = R"({"purpose":"register","user_id":"mallory"})";
  const std::vector<BodyCase> cases = {
      // Syntax.
      {"empty body", "", 400, "invalid_json"},
      {"truncated object", good.substr(0, good.size() - 1), 400, "invalid_json"},
      {"truncated in a string", R"({"purpose":"regis)", 400, "invalid_json"},
      {"truncated after a comma", R"({"purpose":"register",)", 400, "invalid_json"},
      {"trailing data", good + " x", 400, "invalid_json"},
      {"two objects", good + good, 400, "invalid_json"},
      {"top-level array", "[" + good + "]", 400, "invalid_json"},
      {"top-level string", R"("register")", 400, "invalid_json"},
      {"top-level null", "null", 400, "invalid_json"},
      {"single quotes", "{'purpose':'register','user_id':'mallory'}", 400, "invalid_json"},
      {"unquoted name", R"({purpose:"register","user_id":"mallory"})", 400, "invalid_json"},
      {"trailing comma", R"({"purpose":"register","user_id":"mallory",})", 400, "invalid_json"},
      {"comment", R"({"purpose":"register",/* x */"user_id":"mallory"})", 400, "invalid_json"},
      {"NUL byte outside a string", std::string("{\0}", 3), 400, "invalid_json"},
      // Types.
      {"user_id number", R"({"purpose":"register","user_id":42})", 400, "invalid_field_type"},
      {"user_id null", R"({"purpose":"register","user_id":null})", 400, "invalid_field_type"},
      {"user_id object", R"({"purpose":"register","user_id":{}})", 400, "invalid_field_type"},
      {"user_id array", R"({"purpose":"register","user_id":["mallory"]})", 400,
       "invalid_field_type"},
      {"purpose boolean", R"({"purpose":true,"user_id":"mallory"})", 400, "invalid_field_type"},
      {"device_id number", R"({"purpose":"login","user_id":"mallory","device_id":7})", 400,
       "invalid_field_type"},
      // Numbers beyond the range of a double are invalid JSON for devtrust,
      // wherever they appear.
      {"user_id 1e999", R"({"purpose":"register","user_id":1e999})", 400, "invalid_json"},
      {"user_id -1e999", R"({"purpose":"register","user_id":-1e999})", 400, "invalid_json"},
      {"user_id 400 digits", R"({"purpose":"register","user_id":)" + Repeated(400, '9') + "}", 400,
       "invalid_json"},
      {"unknown member 1e400", R"({"purpose":"register","user_id":"mallory","n":1e400})", 400,
       "invalid_json"},
      // Missing, unknown and duplicate members.
      {"empty object", "{}", 400, "missing_field"},
      {"user_id missing", R"({"purpose":"register"})", 400, "missing_field"},
      {"purpose missing", R"({"user_id":"mallory"})", 400, "missing_field"},
      {"login without device_id", R"({"purpose":"login","user_id":"mallory"})", 400,
       "missing_field"},
      {"unknown member", R"({"purpose":"register","user_id":"mallory","role":"admin"})", 400,
       "unknown_field"},
      {"register with device_id",
       R"({"purpose":"register","user_id":"mallory","device_id":"dev_aaaaaaaaaaaaaaaaaaaaaaaaaa"})",
       400, "unknown_field"},
      {"duplicate user_id", R"({"purpose":"register","user_id":"mallory","user_id":"alice"})", 400,
       "duplicate_field"},
      {"duplicate after escape", R"({"purpose":"register","user_id":"a","user\u005fid":"b"})", 400,
       "duplicate_field"},
      // Nesting and sizes.
      {"nesting 9 deep", Nested(8), 400, "json_too_deep"},
      {"nesting 30000 deep", Nested(30'000), 400, "json_too_deep"},
      {"65 members", ManyMembers(63), 400, "object_too_large"},
      {"257 array elements", LongArray(257), 400, "array_too_large"},
      {"member name 129 bytes",
       R"({"purpose":"register","user_id":"mallory",")" + Repeated(129, 'n') + R"(":0})", 400,
       "field_too_long"},
      {"string 16 KiB + 1", R"({"purpose":"register","user_id":")" + Repeated(16385, 'a') + "\"}",
       400, "field_too_long"},
      {"user_id 129 bytes", R"({"purpose":"register","user_id":")" + Repeated(129, 'a') + "\"}",
       400, "field_too_long"},
      {"purpose 17 bytes", R"({"purpose":")" + Repeated(17, 'r') + R"(","user_id":"mallory"})", 400,
       "field_too_long"},
      // Values.
      {"unknown purpose", R"({"purpose":"admin","user_id":"mallory"})", 400, "invalid_field"},
      {"user_id 65 characters", R"({"purpose":"register","user_id":")" + Repeated(65, 'a') + "\"}",
       400, "invalid_user_id"},
      {"user_id empty", R"({"purpose":"register","user_id":""})", 400, "invalid_user_id"},
      {"user_id path traversal", R"({"purpose":"register","user_id":"../../etc/passwd"})", 400,
       "invalid_user_id"},
      {"user_id URI delimiter", R"({"purpose":"register","user_id":"mallory@example"})", 400,
       "invalid_user_id"},
      {"user_id escaped control character", R"({"purpose":"register","user_id":"mal\u0001lory"})",
       400, "invalid_user_id"},
      {"user_id escaped NUL", R"({"purpose":"register","user_id":"mallory\u0000"})", 400,
       "invalid_user_id"},
      {"user_id newline", R"({"purpose":"register","user_id":"mallory\nadmin"})", 400,
       "invalid_user_id"},
      {"user_id non-ASCII", R"({"purpose":"register","user_id":"mall\u00f6ry"})", 400,
       "invalid_user_id"},
      {"device_id control character",
       R"({"purpose":"login","user_id":"mallory","device_id":"dev_\u0007aaaaaaaaaaaaaaaaaaaaaaaaa"})",
       400, "invalid_device_id"},
      {"device_id path traversal",
       R"({"purpose":"login","user_id":"mallory","device_id":"../../../etc/passwd"})", 400,
       "invalid_device_id"},
      {"device_id 65 bytes",
       R"({"purpose":"login","user_id":"mallory","device_id":")" + Repeated(65, 'a') + "\"}", 400,
       "field_too_long"},
      // Strings that are not UTF-8 or not JSON strings.
      {"raw control character in a string",
       "{\"purpose\":\"register\",\"user_id\":\"mal\x01lory\"}", 400, "invalid_json"},
      {"invalid UTF-8 byte", "{\"purpose\":\"register\",\"user_id\":\"mal\xfflory\"}", 400,
       "invalid_json"},
      {"overlong UTF-8 slash", "{\"purpose\":\"register\",\"user_id\":\"\xc0\xaf\"}", 400,
       "invalid_json"},
      {"UTF-8 surrogate", "{\"purpose\":\"register\",\"user_id\":\"\xed\xa0\x80\"}", 400,
       "invalid_json"},
      {"truncated UTF-8 sequence", "{\"purpose\":\"register\",\"user_id\":\"\xe2\x82\"}", 400,
       "invalid_json"},
      {"invalid UTF-8 in a member name", "{\"purpose\":\"register\",\"\xff\":1}", 400,
       "invalid_json"},
      {"invalid escape", R"({"purpose":"register","user_id":"\x41"})", 400, "invalid_json"},
      {"lone surrogate escape", R"({"purpose":"register","user_id":"\ud800"})", 400,
       "invalid_json"},
  };
  ExpectRejected("/v1/challenges", cases);

  // A login challenge names a device of the user; anything else is unknown.
  const client::HttpResponse foreign = Post(
      "/v1/challenges",
      R"({"purpose":"login","user_id":"mallory","device_id":"dev_aaaaaaaaaaaaaaaaaaaaaaaaaa"})");
  EXPECT_EQ(foreign.status, 404u) << foreign.body;
  EXPECT_EQ(ErrorCodeOf(foreign.body), "device_not_found") << foreign.body;

  EXPECT_TRUE(DeviceIdsOf("mallory").empty());
  ExpectServerStillServes();
}

// The body has to be declared JSON in UTF-8 (RFC 8259 section 8.1).
TEST_F(JsonBodyTest, ContentTypeOtherThanJsonIsRejected) {
  const std::string body = R"({"purpose":"register","user_id":"mallory"})";
  for (const std::string_view content_type :
       {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1",
        "application/jsonx", "multipart/form-data; boundary=x", ""}) {
    SCOPED_TRACE("Content-Type: " + std::string(content_type));
    Result<std::unique_ptr<server::testing::TestClient>> raw = harness_->NewRawClient();
    ASSERT_TRUE(raw.has_value()) << raw.error().ToString();
    server::Request request = server::testing::MakeRequest(server::http::verb::post,
                                                           "/v1/challenges", body, content_type);
    if (content_type.empty()) request.erase(server::http::field::content_type);
    request.set(server::http::field::authorization, "Bearer " + harness_->relying_party_key());
    Result<server::Response> response = (*raw)->RoundTrip(std::move(request));
    ASSERT_TRUE(response.has_value()) << response.error().ToString();
    EXPECT_EQ(response->result_int(), 415u) << response->body();
    EXPECT_EQ(ErrorCodeOf(response->body()), "unsupported_media_type") << response->body();
  }
  ExpectServerStillServes();
}

}  // namespace
}  // namespace devtrust::hardening
