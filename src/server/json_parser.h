// A JSON parser for untrusted request bodies that enforces size, depth and
// count limits while it parses and rejects duplicate member names.
//
// boost::json::parse alone keeps the last of several equal names and has only
// a depth limit, so this parser drives boost::json::basic_parser with its own
// handler that checks every limit as the events arrive and builds the value
// with a boost::json::value_stack.
#ifndef DEVTRUST_SERVER_JSON_PARSER_H_
#define DEVTRUST_SERVER_JSON_PARSER_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <string_view>

#include "base/error.h"

namespace devtrust::server {

// Limits applied while parsing, before a handler reads the document.
struct JsonLimits {
  // Maximum body size in bytes. The server enforces its own body limit first,
  // and this one protects callers that decode bodies from elsewhere.
  std::size_t max_body_bytes = 64 * 1024;
  // Maximum nesting depth of objects and arrays. The top-level object is at
  // depth 1.
  std::size_t max_depth = 8;
  // Maximum length of a string value in bytes, after unescaping. Accessors
  // may set a lower limit per field.
  std::size_t max_string_bytes = 16 * 1024;
  // Maximum length of a member name in bytes.
  std::size_t max_name_bytes = 128;
  // Maximum number of elements in one array.
  std::size_t max_array_size = 256;
  // Maximum number of members in one object.
  std::size_t max_object_members = 64;
};

// Parses `text` as one JSON object within `limits`. Errors (kInvalidArgument
// unless noted): "body_too_large" (kResourceExhausted), "invalid_json",
// "json_too_deep", "array_too_large", "object_too_large", "duplicate_field",
// "field_too_long", as described in json_body.h; "internal" (kInternal) if
// memory runs out. Messages give the byte offset and never quote the text.
Result<boost::json::object> ParseJsonObject(std::string_view text, const JsonLimits& limits = {});

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_JSON_PARSER_H_
