#include "trust/fingerprint.h"

#include <fmt/format.h>

#include <array>
#include <boost/json/value.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>

#include "trust/attributes.h"
#include "trust/quoted.h"
#include "trust/strict_json.h"

namespace devtrust::trust {
namespace {

namespace json = boost::json;

std::unexpected<Error> InvalidFingerprint(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "fingerprint_invalid", std::move(message));
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxAttributeNameBytes) {
    return false;
  }
  if (name.front() < 'a' || name.front() > 'z') {
    return false;
  }
  for (const char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!allowed) {
      return false;
    }
  }
  return true;
}

// Checks well-formed UTF-8 as RFC 3629 section 4 defines it: no overlong
// forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t length = 0;
    std::uint8_t second_min = 0x80;
    std::uint8_t second_max = 0xbf;
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) {
        second_min = 0xa0;  // overlong below U+0800
      } else if (lead == 0xed) {
        second_max = 0x9f;  // UTF-16 surrogates U+D800..U+DFFF
      }
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) {
        second_min = 0x90;  // overlong below U+10000
      } else if (lead == 0xf4) {
        second_max = 0x8f;  // above U+10FFFF
      }
    } else {
      return false;
    }
    if (text.size() - i < length) {
      return false;
    }
    const auto second = static_cast<std::uint8_t>(text[i + 1]);
    if (second < second_min || second > second_max) {
      return false;
    }
    for (std::size_t k = 2; k < length; ++k) {
      const auto continuation = static_cast<std::uint8_t>(text[i + k]);
      if (continuation < 0x80 || continuation > 0xbf) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

bool HasControlCharacter(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return true;
    }
  }
  return false;
}

Status CheckName(std::string_view name) {
  if (!IsValidName(name)) {
    return InvalidFingerprint(
        fmt::format("fingerprint attribute name {} is invalid; names match [a-z][a-z0-9_]{{0,31}}",
                    Quoted(name)));
  }
  return {};
}

Status CheckValue(std::string_view name, std::string_view value) {
  if (value.size() > kMaxAttributeValueBytes) {
    return InvalidFingerprint(fmt::format(
        "fingerprint attribute \"{}\" is {} bytes, the limit is {}; send a shorter value", name,
        value.size(), kMaxAttributeValueBytes));
  }
  if (!IsValidUtf8(value)) {
    return InvalidFingerprint(
        fmt::format("fingerprint attribute \"{}\" is not valid UTF-8; send UTF-8 text", name));
  }
  if (HasControlCharacter(value)) {
    return InvalidFingerprint(fmt::format(
        "fingerprint attribute \"{}\" contains a control character; send printable text", name));
  }
  return {};
}

Status CheckCount(std::size_t count) {
  if (count == 0) {
    return InvalidFingerprint("fingerprint has no attributes; send at least one");
  }
  if (count > kMaxFingerprintAttributes) {
    return InvalidFingerprint(fmt::format("fingerprint has {} attributes, the limit is {}", count,
                                          kMaxFingerprintAttributes));
  }
  return {};
}

// The text stored for a JSON scalar; nullopt for null, objects and arrays.
std::optional<std::string> ScalarText(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string:
      return std::string(value.get_string());
    case json::kind::int64:
      return std::to_string(value.get_int64());
    case json::kind::uint64:
      return std::to_string(value.get_uint64());
    case json::kind::double_: {
      // boost::json::parse yields infinity or NaN for exponents beyond the
      // double range; no device reports such a value.
      if (!std::isfinite(value.get_double())) {
        return std::nullopt;
      }
      // The shortest text that reads back as the same double: 1.25 stays
      // "1.25" and 1.0 becomes "1".
      std::array<char, 32> buffer{};
      const std::to_chars_result result =
          std::to_chars(buffer.data(), buffer.data() + buffer.size(), value.get_double());
      if (result.ec != std::errc()) {
        return std::nullopt;
      }
      return std::string(buffer.data(), result.ptr);
    }
    case json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    case json::kind::null:
    case json::kind::array:
    case json::kind::object:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string_view KindName(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
    case json::kind::double_:
      return std::isfinite(value.get_double()) ? "a number" : "a number outside the double range";
    default:
      return "a scalar";
  }
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<std::uint8_t>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<std::uint8_t>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

Fingerprint::Fingerprint(AttributeMap attributes) : attributes_(std::move(attributes)) {
  if (const auto user_agent = Find(kUserAgent); user_agent) {
    user_agent_info_ = ParseUserAgent(*user_agent);
  }
  if (const auto platform = Find(kPlatform); platform) {
    platform_family_ = OsFamilyFromPlatform(*platform);
  }
}

Result<Fingerprint> Fingerprint::FromJson(const json::value& json) {
  if (!json.is_object()) {
    return InvalidFingerprint(fmt::format(
        "fingerprint is {}, not a JSON object; send an object of attributes", KindName(json)));
  }
  const json::object& object = json.get_object();
  if (Status count = CheckCount(object.size()); !count) {
    return std::unexpected(count.error());
  }

  AttributeMap attributes;
  for (const json::key_value_pair& member : object) {
    const std::string_view name(member.key().data(), member.key().size());
    if (Status valid = CheckName(name); !valid) {
      return std::unexpected(valid.error());
    }

    std::optional<std::string> text = ScalarText(member.value());
    if (!text) {
      return InvalidFingerprint(
          fmt::format("fingerprint attribute \"{}\" is {}; send a string, finite number or boolean",
                      name, KindName(member.value())));
    }
    if (Status valid = CheckValue(name, *text); !valid) {
      return std::unexpected(valid.error());
    }

    // A json::object cannot hold equal keys, but one built by hand through
    // its unchecked interfaces could, so this stays a check.
    if (!attributes.emplace(std::string(name), std::move(*text)).second) {
      return InvalidFingerprint(
          fmt::format("fingerprint attribute \"{}\" appears twice; send it once", name));
    }
  }
  return Fingerprint(std::move(attributes));
}

Result<Fingerprint> Fingerprint::FromJsonText(std::string_view text) {
  // Depth 4 lets a nested object reach FromJson, whose message names the
  // attribute, instead of failing as a generic depth error.
  const Result<json::value> parsed = ParseStrictJson(
      text, StrictJsonLimits{.max_bytes = kMaxFingerprintJsonBytes, .max_depth = 4});
  if (!parsed) {
    return MakeError(parsed.error().code(), "fingerprint_invalid",
                     "fingerprint JSON: " + parsed.error().message());
  }
  return FromJson(*parsed);
}

Result<Fingerprint> Fingerprint::FromAttributes(
    std::span<const std::pair<std::string_view, std::string_view>> attributes) {
  if (Status count = CheckCount(attributes.size()); !count) {
    return std::unexpected(count.error());
  }

  AttributeMap map;
  for (const auto& [name, value] : attributes) {
    if (Status valid = CheckName(name); !valid) {
      return std::unexpected(valid.error());
    }
    if (Status valid = CheckValue(name, value); !valid) {
      return std::unexpected(valid.error());
    }
    if (!map.emplace(std::string(name), std::string(value)).second) {
      return InvalidFingerprint(
          fmt::format("fingerprint attribute \"{}\" appears twice; send it once", name));
    }
  }
  return Fingerprint(std::move(map));
}

std::optional<std::string_view> Fingerprint::Find(std::string_view name) const {
  const auto it = attributes_.find(name);
  if (it == attributes_.end()) {
    return std::nullopt;
  }
  return std::string_view(it->second);
}

std::string Fingerprint::CanonicalJson() const {
  // std::map orders keys by byte value. Names are ASCII, so this is also the
  // UTF-16 code unit order that RFC 8785 section 3.2.3 sorts by.
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : attributes_) {
    if (!first) {
      out += ',';
    }
    first = false;
    AppendJsonString(out, name);
    out += ':';
    AppendJsonString(out, value);
  }
  out += '}';
  return out;
}

}  // namespace devtrust::trust
