#include "server/json_parser.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value_stack.hpp>
#include <cmath>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace devtrust::server {
namespace {

using boost::json::error_code;
using boost::json::string_view;

Error InvalidArgument(std::string reason, std::string message) {
  return Error(StatusCode::kInvalidArgument, std::move(reason), std::move(message));
}

// The basic_parser handler: checks the limits on each event and builds the
// value. A failed check stores its Error and stops the parser.
class LimitedValueBuilder {
 public:
  // basic_parser's own limits are left at their maximum so that every limit
  // fails here, with a devtrust reason, instead of with a Boost error code.
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  explicit LimitedValueBuilder(const JsonLimits& limits) : limits_(limits) {}

  bool on_document_begin(error_code& /*ec*/) {
    values_.reset();
    return true;
  }
  bool on_document_end(error_code& /*ec*/) { return true; }

  bool on_object_begin(error_code& /*ec*/) {
    member_names_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t size, error_code& /*ec*/) {
    values_.push_object(size);
    member_names_.pop_back();
    return true;
  }

  bool on_array_begin(error_code& /*ec*/) { return true; }
  bool on_array_end(std::size_t size, error_code& ec) {
    if (size > limits_.max_array_size) {
      return Fail(ec, "array_too_large",
                  "an array has " + std::to_string(size) + " elements; the maximum is " +
                      std::to_string(limits_.max_array_size));
    }
    values_.push_array(size);
    return true;
  }

  bool on_key_part(string_view part, std::size_t size_so_far, error_code& ec) {
    if (size_so_far > limits_.max_name_bytes) {
      return NameTooLong(ec);
    }
    values_.push_chars(part);
    name_.append(part.data(), part.size());
    return true;
  }
  bool on_key(string_view part, std::size_t size, error_code& ec) {
    if (size > limits_.max_name_bytes) {
      return NameTooLong(ec);
    }
    name_.append(part.data(), part.size());

    std::vector<std::string>& names = member_names_.back();
    if (names.size() == limits_.max_object_members) {
      return Fail(
          ec, "object_too_large",
          "an object has more than " + std::to_string(limits_.max_object_members) + " members");
    }
    for (const std::string& seen : names) {
      if (seen == name_) {
        return Fail(ec, "duplicate_field", "an object repeats a member name; send each once");
      }
    }
    names.push_back(std::move(name_));
    name_.clear();

    values_.push_key(part);
    return true;
  }

  bool on_string_part(string_view part, std::size_t size_so_far, error_code& ec) {
    if (size_so_far > limits_.max_string_bytes) {
      return StringTooLong(ec);
    }
    values_.push_chars(part);
    return true;
  }
  bool on_string(string_view part, std::size_t size, error_code& ec) {
    if (size > limits_.max_string_bytes) {
      return StringTooLong(ec);
    }
    values_.push_string(part);
    return true;
  }

  bool on_number_part(string_view /*part*/, error_code& /*ec*/) { return true; }
  bool on_int64(std::int64_t value, string_view /*text*/, error_code& /*ec*/) {
    values_.push_int64(value);
    return true;
  }
  bool on_uint64(std::uint64_t value, string_view /*text*/, error_code& /*ec*/) {
    values_.push_uint64(value);
    return true;
  }
  bool on_double(double value, string_view /*text*/, error_code& ec) {
    // Boost.JSON 1.81 turns 1e400 into infinity and 0e9445 into NaN. RFC 8259
    // section 6 leaves the range of numbers to the implementation, and no
    // devtrust field can use either value, so the body is rejected.
    if (!std::isfinite(value)) {
      ec = boost::json::error::exponent_overflow;
      return false;
    }
    values_.push_double(value);
    return true;
  }
  bool on_bool(bool value, error_code& /*ec*/) {
    values_.push_bool(value);
    return true;
  }
  bool on_null(error_code& /*ec*/) {
    values_.push_null();
    return true;
  }

  // Comments are disabled in the parse options, so these never run.
  bool on_comment_part(string_view /*part*/, error_code& /*ec*/) { return true; }
  bool on_comment(string_view /*text*/, error_code& /*ec*/) { return true; }

  boost::json::value Release() { return values_.release(); }
  std::optional<Error>& failure() { return failure_; }

 private:
  bool Fail(error_code& ec, std::string reason, std::string message) {
    failure_ = InvalidArgument(std::move(reason), std::move(message));
    ec = boost::json::error::exception;
    return false;
  }
  bool NameTooLong(error_code& ec) {
    return Fail(
        ec, "field_too_long",
        "a member name is longer than " + std::to_string(limits_.max_name_bytes) + " bytes");
  }
  bool StringTooLong(error_code& ec) {
    return Fail(ec, "field_too_long",
                "a string is longer than " + std::to_string(limits_.max_string_bytes) + " bytes");
  }

  const JsonLimits& limits_;
  boost::json::value_stack values_;
  // The names seen so far in each object that is open, innermost last.
  std::vector<std::vector<std::string>> member_names_;
  // The member name being assembled from its parts.
  std::string name_;
  std::optional<Error> failure_;
};

// Maps a Boost.JSON syntax error, raised at byte `offset`, to a message.
Error SyntaxError(const error_code& ec, std::size_t offset, const JsonLimits& limits) {
  const std::string where = " at byte " + std::to_string(offset);
  if (ec == boost::json::error::too_deep) {
    return InvalidArgument("json_too_deep", "objects and arrays nest deeper than " +
                                                std::to_string(limits.max_depth) + " levels" +
                                                where);
  }
  if (ec == boost::json::error::incomplete) {
    return InvalidArgument("invalid_json", "the JSON text ends before the value is complete");
  }
  if (ec == boost::json::error::extra_data) {
    return InvalidArgument("invalid_json", "unexpected data after the JSON value" + where);
  }
  return InvalidArgument("invalid_json", "the body is not valid JSON in UTF-8 (RFC 8259)" + where);
}

}  // namespace

Result<boost::json::object> ParseJsonObject(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_body_bytes) {
    return MakeError(StatusCode::kResourceExhausted, "body_too_large",
                     "the body has " + std::to_string(text.size()) + " bytes; the maximum is " +
                         std::to_string(limits.max_body_bytes));
  }
  if (text.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_json",
                     "the body is empty; send a JSON object");
  }

  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;

  // The value_stack allocates, and std::bad_alloc is the only exception the
  // handler can raise.
  try {
    boost::json::basic_parser<LimitedValueBuilder> parser(options, limits);
    error_code ec;
    const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);

    if (std::optional<Error>& failure = parser.handler().failure(); failure.has_value()) {
      return std::unexpected(std::move(*failure));
    }
    if (ec) {
      return std::unexpected(SyntaxError(ec, consumed, limits));
    }
    if (consumed != text.size() || !parser.done()) {
      return std::unexpected(SyntaxError(boost::json::error::extra_data, consumed, limits));
    }

    boost::json::value value = parser.handler().Release();
    if (!value.is_object()) {
      return MakeError(StatusCode::kInvalidArgument, "invalid_json",
                       "the body must be a JSON object");
    }
    return std::move(value.get_object());
  } catch (const std::bad_alloc&) {
    return MakeError(StatusCode::kInternal, "internal", "out of memory while parsing JSON");
  }
}

}  // namespace devtrust::server
