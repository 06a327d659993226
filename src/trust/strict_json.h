// A JSON parser for untrusted text that rejects duplicate object keys.
//
// boost::json::parse keeps only the last of several equal keys, so a value it
// returns cannot show that a key was repeated. RFC 8259 section 4 leaves the
// behaviour for duplicate names to the implementation, and I-JSON (RFC 7493
// section 2.3) forbids them. A device that sends {"platform":"Win32",
// "platform":"Linux"} must be rejected, not silently read as Linux, so every
// JSON text that carries a fingerprint goes through this parser.
#ifndef DEVTRUST_TRUST_STRICT_JSON_H_
#define DEVTRUST_TRUST_STRICT_JSON_H_

#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>

#include "base/error.h"

namespace devtrust::trust {

struct StrictJsonLimits {
  // The maximum size of the whole text in bytes.
  std::size_t max_bytes = 64 * 1024;
  // The maximum nesting depth of arrays and objects.
  std::size_t max_depth = 16;
};

// Parses one RFC 8259 JSON text. Fails with reason "json_invalid" on a syntax
// error, invalid UTF-8, a duplicate key in any object, a number outside the
// range of a double, nesting deeper than `limits.max_depth` or data after the
// value. Fails with reason "json_too_large" (kResourceExhausted) when the text
// exceeds `limits.max_bytes`. Messages give the byte offset of the failure.
Result<boost::json::value> ParseStrictJson(std::string_view text,
                                           const StrictJsonLimits& limits = {});

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_STRICT_JSON_H_
