// libFuzzer target for the HTTP request body decoder: the input is the body of
// a POST with Content-Type application/json, read with ReadJsonBody and then
// with the field accessors in the shape of a device registration. The same
// bytes also go through CheckJsonContentType as a header value. Besides the
// sanitizers it traps when an invariant breaks:
//   - text ParseJsonObject accepts, boost::json::parse accepts with an equal
//     value (the strict parser only rejects more);
//   - an accepted document keeps every limit: depth, string and name length,
//     array and object size;
//   - every failure has a reason from the documented set and a message of
//     printable ASCII, so no input bytes other than sanitized field names
//     reach it, and its error response is valid JSON.
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "server/error_mapping.h"
#include "server/json_body.h"
#include "server/json_parser.h"

namespace {

using devtrust::Bytes;
using devtrust::Error;
using devtrust::Result;
using devtrust::Status;
using devtrust::server::JsonBody;
using devtrust::server::JsonLimits;
using devtrust::server::JsonObjectReader;
using devtrust::server::Request;
namespace http = devtrust::server::http;

void CheckInvariant(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

void CheckError(const Error& error) {
  static const std::set<std::string, std::less<>> kReasons = {
      "unsupported_media_type", "body_too_large",
      "invalid_json",           "json_too_deep",
      "array_too_large",        "object_too_large",
      "duplicate_field",        "field_too_long",
      "missing_field",          "invalid_field_type",
      "field_out_of_range",     "invalid_base64",
      "unknown_field",          "internal"};
  CheckInvariant(kReasons.contains(error.reason()));
  for (char c : error.message()) {
    CheckInvariant(c >= 0x20 && c < 0x7f);
  }

  const devtrust::server::Response response =
      devtrust::server::MakeErrorResponse(error, "0af7651916cd43dd8448eb211c80319c");
  boost::system::error_code parse_error;
  boost::json::parse(response.body(), parse_error);
  CheckInvariant(!parse_error);
}

// Checks the limits on an accepted document. `depth` counts the value itself.
void CheckLimits(const boost::json::value& value, const JsonLimits& limits, std::size_t depth) {
  if (value.is_string()) {
    CheckInvariant(value.get_string().size() <= limits.max_string_bytes);
    return;
  }
  if (value.is_array()) {
    CheckInvariant(depth <= limits.max_depth);
    CheckInvariant(value.get_array().size() <= limits.max_array_size);
    for (const boost::json::value& element : value.get_array()) {
      CheckLimits(element, limits, depth + 1);
    }
    return;
  }
  if (value.is_object()) {
    CheckInvariant(depth <= limits.max_depth);
    CheckInvariant(value.get_object().size() <= limits.max_object_members);
    for (const auto& member : value.get_object()) {
      CheckInvariant(member.key().size() <= limits.max_name_bytes);
      CheckLimits(member.value(), limits, depth + 1);
    }
  }
}

// Reads the fields of a registration-shaped body, stopping at the first error.
Status ReadRegistration(JsonObjectReader& fields) {
  if (Result<std::string_view> user_id = fields.RequiredString("user_id", 128); !user_id) {
    return std::unexpected(user_id.error());
  }
  if (Result<Bytes> nonce = fields.RequiredBase64Url("nonce", 32); !nonce) {
    return std::unexpected(nonce.error());
  }

  Result<JsonObjectReader> keys = fields.RequiredObject("public_keys");
  if (!keys) {
    return std::unexpected(keys.error());
  }
  for (const char* name : {"ml_dsa_65", "ecdsa_p256"}) {
    if (Result<Bytes> key = keys->RequiredBase64Url(name, 4096); !key) {
      return std::unexpected(key.error());
    }
  }
  if (Result<std::optional<Bytes>> kem = keys->OptionalBase64Url("ml_kem_768", 1184); !kem) {
    return std::unexpected(kem.error());
  }
  if (Status done = keys->Finish(); !done) {
    return done;
  }

  if (Result<const boost::json::value*> fingerprint = fields.RequiredValue("fingerprint");
      !fingerprint) {
    return std::unexpected(fingerprint.error());
  }
  if (Result<std::optional<std::int64_t>> count = fields.OptionalInt("count", -5, 5); !count) {
    return std::unexpected(count.error());
  }
  if (Result<std::optional<bool>> flag = fields.OptionalBool("flag"); !flag) {
    return std::unexpected(flag.error());
  }
  return fields.Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const JsonLimits limits;

  // 1. The parser alone, compared with Boost.JSON's.
  Result<boost::json::object> parsed = devtrust::server::ParseJsonObject(text, limits);
  if (parsed.has_value()) {
    boost::system::error_code error;
    const boost::json::value reference = boost::json::parse(text, error);
    CheckInvariant(!error);
    CheckInvariant(reference == boost::json::value(*parsed));
    CheckLimits(boost::json::value(*parsed), limits, 1);
  } else {
    CheckError(parsed.error());
  }

  // 2. The whole request decoder with the registration accessors.
  Request request(http::verb::post, "/v1/devices", 11);
  request.set(http::field::content_type, "application/json");
  request.body() = std::string(text);
  Result<JsonBody> body = devtrust::server::ReadJsonBody(request, limits);
  CheckInvariant(body.has_value() == parsed.has_value());
  if (body.has_value()) {
    JsonObjectReader fields = body->Root();
    if (Status read = ReadRegistration(fields); !read) {
      CheckError(read.error());
    }
  }

  // 3. The same bytes as a Content-Type header value.
  if (Status checked = devtrust::server::CheckJsonContentType(text); !checked) {
    CheckError(checked.error());
  }
  return 0;
}
