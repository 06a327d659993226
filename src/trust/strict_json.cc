#include "trust/strict_json.h"

#include <fmt/format.h>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value_stack.hpp>
#include <cmath>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "trust/quoted.h"

namespace devtrust::trust {
namespace {

namespace json = boost::json;

// A basic_parser handler that builds the value like boost::json::parser does
// and also remembers the keys of every open object, so that the second
// occurrence of a key stops the parse.
class DuplicateRejectingHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack& stack() { return stack_; }
  const std::optional<std::string>& duplicate_key() const { return duplicate_key_; }
  bool non_finite_number() const { return non_finite_number_; }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code&) {
    keys_by_object_.emplace_back();
    return true;
  }

  bool on_object_end(std::size_t size, json::error_code&) {
    keys_by_object_.pop_back();
    stack_.push_object(size);
    return true;
  }

  bool on_array_begin(json::error_code&) { return true; }

  bool on_array_end(std::size_t size, json::error_code&) {
    stack_.push_array(size);
    return true;
  }

  bool on_key_part(json::string_view part, std::size_t, json::error_code&) {
    pending_key_.append(part.data(), part.size());
    stack_.push_chars(part);
    return true;
  }

  bool on_key(json::string_view last_part, std::size_t, json::error_code& ec) {
    pending_key_.append(last_part.data(), last_part.size());
    if (!keys_by_object_.back().insert(pending_key_).second) {
      duplicate_key_ = std::move(pending_key_);
      ec = json::error::syntax;
      return false;
    }
    pending_key_.clear();
    stack_.push_key(last_part);
    return true;
  }

  bool on_string_part(json::string_view part, std::size_t, json::error_code&) {
    stack_.push_chars(part);
    return true;
  }

  bool on_string(json::string_view last_part, std::size_t, json::error_code&) {
    stack_.push_string(last_part);
    return true;
  }

  bool on_number_part(json::string_view, json::error_code&) { return true; }

  bool on_int64(std::int64_t number, json::string_view, json::error_code&) {
    stack_.push_int64(number);
    return true;
  }

  bool on_uint64(std::uint64_t number, json::string_view, json::error_code&) {
    stack_.push_uint64(number);
    return true;
  }

  bool on_double(double number, json::string_view, json::error_code& ec) {
    // Boost.JSON 1.81 turns an exponent beyond the double range into infinity,
    // and "0e400" into NaN. Neither is a JSON number (RFC 8259 section 6).
    if (!std::isfinite(number)) {
      non_finite_number_ = true;
      ec = json::error::exponent_overflow;
      return false;
    }
    stack_.push_double(number);
    return true;
  }

  bool on_bool(bool flag, json::error_code&) {
    stack_.push_bool(flag);
    return true;
  }

  bool on_null(json::error_code&) {
    stack_.push_null();
    return true;
  }

  // Comments are disabled in the parse options, so these are never called.
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  json::value_stack stack_;
  std::vector<std::unordered_set<std::string>> keys_by_object_;
  std::string pending_key_;
  std::optional<std::string> duplicate_key_;
  bool non_finite_number_ = false;
};

}  // namespace

Result<json::value> ParseStrictJson(std::string_view text, const StrictJsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return MakeError(StatusCode::kResourceExhausted, "json_too_large",
                     fmt::format("JSON text is {} bytes, the limit is {}; send a smaller document",
                                 text.size(), limits.max_bytes));
  }

  // Strict RFC 8259: no comments, no trailing commas, valid UTF-8 only.
  json::parse_options options;
  options.max_depth = limits.max_depth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;

  try {
    json::basic_parser<DuplicateRejectingHandler> parser(options);
    parser.handler().stack().reset();
    json::error_code ec;
    const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);

    if (const std::optional<std::string>& key = parser.handler().duplicate_key(); key) {
      return MakeError(StatusCode::kInvalidArgument, "json_invalid",
                       fmt::format("JSON text repeats the object key {} near byte {}; send each "
                                   "key once (RFC 7493 section 2.3)",
                                   Quoted(*key), consumed));
    }
    if (parser.handler().non_finite_number()) {
      return MakeError(StatusCode::kInvalidArgument, "json_invalid",
                       fmt::format("JSON number near byte {} is outside the range of a double; "
                                   "send a smaller number",
                                   consumed));
    }
    if (ec) {
      return MakeError(StatusCode::kInvalidArgument, "json_invalid",
                       fmt::format("JSON text is invalid at byte {}: {}; send one RFC 8259 value",
                                   consumed, ec.message()));
    }
    if (!parser.done() || consumed != text.size()) {
      return MakeError(StatusCode::kInvalidArgument, "json_invalid",
                       fmt::format("JSON text has data after the value at byte {}; send exactly "
                                   "one value",
                                   consumed));
    }
    return parser.handler().stack().release();
  } catch (const std::exception& exception) {
    // value_stack allocates and may throw on huge strings or objects.
    return MakeError(StatusCode::kInvalidArgument, "json_invalid",
                     fmt::format("JSON text could not be parsed: {}", exception.what()));
  }
}

}  // namespace devtrust::trust
