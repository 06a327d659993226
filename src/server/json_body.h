// Strict decoding of JSON request bodies for handlers.
//
// A handler reads its body in three steps:
//
//   Result<JsonBody> body = ReadJsonBody(request);
//   if (!body) return MakeErrorResponse(body.error(), context.trace_id);
//   JsonObjectReader fields = body->Root();
//   Result<std::string_view> user_id = fields.RequiredString("user_id", 128);
//   Result<Bytes> nonce = fields.RequiredBase64Url("nonce", 32);
//   ... check each result ...
//   if (Status done = fields.Finish(); !done) return MakeErrorResponse(...);
//
// Finish() rejects every member that no accessor requested. A handler that
// does not call it accepts unknown fields, so call it on every reader,
// including nested ones, after the last accessor.
//
// Every failure is an Error whose reason is stable and whose message names the
// field (as a dotted path such as "public_keys.ml_dsa_65") but never echoes a
// value. Reasons, all HTTP 400 unless noted:
//   unsupported_media_type  Content-Type is not application/json (415)
//   body_too_large          the body exceeds JsonLimits::max_body_bytes (413)
//   invalid_json            syntax error, invalid UTF-8, trailing data after
//                           the value, or a top-level value that is not an
//                           object
//   json_too_deep           nesting deeper than JsonLimits::max_depth
//   array_too_large         an array with more than max_array_size elements
//   object_too_large        an object with more than max_object_members
//   duplicate_field         an object repeats a member name (RFC 8259
//                           section 4 leaves this open; I-JSON, RFC 7493
//                           section 2.3, forbids it)
//   field_too_long          a string or member name over its length limit
//   missing_field           a required member is absent
//   invalid_field_type      a member has the wrong JSON type (null included)
//   field_out_of_range      an integer outside the accessor's range
//   invalid_base64          a base64url member does not decode
//   unknown_field           Finish() found a member no accessor read
#ifndef DEVTRUST_SERVER_JSON_BODY_H_
#define DEVTRUST_SERVER_JSON_BODY_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "server/http_types.h"
#include "server/json_parser.h"

namespace devtrust::server {

// Checks a Content-Type header value: the media type must be application/json
// (case-insensitive, RFC 9110 section 8.3.1), and the only parameter accepted
// is charset=utf-8, since RFC 8259 section 8.1 requires UTF-8. Errors:
// "unsupported_media_type".
Status CheckJsonContentType(std::string_view content_type);

class JsonObjectReader;

// A parsed request body. Readers borrow from it, so it must outlive them.
class JsonBody {
 public:
  explicit JsonBody(boost::json::object object)
      : object_(std::make_unique<boost::json::object>(std::move(object))) {}

  // The reader of the top-level object.
  JsonObjectReader Root() const;

 private:
  // Held by pointer so that readers stay valid when the JsonBody moves.
  std::unique_ptr<const boost::json::object> object_;
};

// Checks the request's Content-Type and body size and parses the body.
Result<JsonBody> ReadJsonBody(const Request& request, const JsonLimits& limits = {});

// Typed access to the members of one JSON object, with each member's type,
// size and presence checked. Returned string views point into the JsonBody.
class JsonObjectReader {
 public:
  // `path` is the object's dotted path for error messages, "" at the top.
  JsonObjectReader(const boost::json::object& object, std::string path);

  // A string of at most `max_bytes` bytes.
  Result<std::string_view> RequiredString(std::string_view name, std::size_t max_bytes);
  Result<std::optional<std::string_view>> OptionalString(std::string_view name,
                                                         std::size_t max_bytes);

  // An integer in [min, max]. A number with a fraction or exponent, such as
  // 1.0 or 1e3, is invalid_field_type.
  Result<std::int64_t> RequiredInt(std::string_view name, std::int64_t min, std::int64_t max);
  Result<std::optional<std::int64_t>> OptionalInt(std::string_view name, std::int64_t min,
                                                  std::int64_t max);

  Result<bool> RequiredBool(std::string_view name);
  Result<std::optional<bool>> OptionalBool(std::string_view name);

  // A nested object, read with its own reader (call Finish on it too).
  Result<JsonObjectReader> RequiredObject(std::string_view name);
  Result<std::optional<JsonObjectReader>> OptionalObject(std::string_view name);

  // A string in unpadded base64url (RFC 4648 section 5) that decodes to at
  // most `max_decoded_size` bytes. Longer text is field_too_long, text that
  // does not decode is invalid_base64.
  Result<Bytes> RequiredBase64Url(std::string_view name, std::size_t max_decoded_size);
  Result<std::optional<Bytes>> OptionalBase64Url(std::string_view name,
                                                 std::size_t max_decoded_size);

  // The member as it is, of any type, for free-form content such as a device
  // fingerprint map. The caller checks what it accepts, and the parse limits
  // still apply.
  Result<const boost::json::value*> RequiredValue(std::string_view name);
  const boost::json::value* OptionalValue(std::string_view name);

  // Fails with "unknown_field" naming the first member that no accessor
  // requested.
  Status Finish() const;

  const boost::json::object& object() const { return *object_; }
  const std::string& path() const { return path_; }

 private:
  // Finds `name`, marks it as read and returns it, or null when absent.
  const boost::json::value* Take(std::string_view name);
  std::string FieldPath(std::string_view name) const;
  Error MissingField(std::string_view name) const;
  Error WrongType(std::string_view name, std::string_view expected) const;

  const boost::json::object* object_;
  std::string path_;
  std::vector<bool> read_;
};

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_JSON_BODY_H_
