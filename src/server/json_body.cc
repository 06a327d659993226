#include "server/json_body.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "base/encoding.h"

namespace devtrust::server {
namespace {

// Member names in error messages come from the client: keep them short and
// printable so a message cannot carry control characters or invalid UTF-8.
constexpr std::size_t kMaxQuotedNameBytes = 64;

std::string PrintableName(std::string_view name) {
  std::string printable;
  for (char c : name.substr(0, kMaxQuotedNameBytes)) {
    printable.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (name.size() > kMaxQuotedNameBytes) {
    printable += "...";
  }
  return printable;
}

std::string_view Trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const std::size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Error UnsupportedMediaType() {
  return Error(StatusCode::kInvalidArgument, "unsupported_media_type",
               "the body must be sent with Content-Type: application/json");
}

// Whether one media type parameter ("name=value") is charset=utf-8.
bool IsUtf8CharsetParameter(std::string_view parameter) {
  const std::size_t equals = parameter.find('=');
  if (equals == std::string_view::npos) {
    return false;
  }
  std::string_view value = Trim(parameter.substr(equals + 1));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return EqualsIgnoringCase(Trim(parameter.substr(0, equals)), "charset") &&
         EqualsIgnoringCase(value, "utf-8");
}

// The largest base64url text that decodes to at most `decoded` bytes: four
// characters per three bytes, without padding (RFC 4648 section 5).
std::size_t MaxBase64UrlLength(std::size_t decoded) {
  return decoded / 3 * 4 + (decoded % 3 == 0 ? 0 : decoded % 3 + 1);
}

}  // namespace

Status CheckJsonContentType(std::string_view content_type) {
  const std::size_t semicolon = content_type.find(';');
  if (!EqualsIgnoringCase(Trim(content_type.substr(0, semicolon)), "application/json")) {
    return std::unexpected(UnsupportedMediaType());
  }

  // Parameters after the media type: only charset=utf-8 is allowed.
  std::string_view rest =
      semicolon == std::string_view::npos ? std::string_view() : content_type.substr(semicolon);
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the ';'
    const std::size_t next = rest.find(';');
    const std::string_view parameter = Trim(rest.substr(0, next));
    if (!parameter.empty() && !IsUtf8CharsetParameter(parameter)) {
      return std::unexpected(UnsupportedMediaType());
    }
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next);
  }
  return {};
}

JsonObjectReader JsonBody::Root() const { return JsonObjectReader(*object_, ""); }

Result<JsonBody> ReadJsonBody(const Request& request, const JsonLimits& limits) {
  const auto content_type = request.find(http::field::content_type);
  if (content_type == request.end()) {
    return std::unexpected(UnsupportedMediaType());
  }
  if (Status checked = CheckJsonContentType(content_type->value()); !checked.has_value()) {
    return std::unexpected(checked.error());
  }

  Result<boost::json::object> object = ParseJsonObject(request.body(), limits);
  if (!object.has_value()) {
    return std::unexpected(object.error());
  }
  return JsonBody(std::move(*object));
}

JsonObjectReader::JsonObjectReader(const boost::json::object& object, std::string path)
    : object_(&object), path_(std::move(path)), read_(object.size(), false) {}

const boost::json::value* JsonObjectReader::Take(std::string_view name) {
  const auto found = object_->find(name);
  if (found == object_->end()) {
    return nullptr;
  }
  read_[static_cast<std::size_t>(found - object_->begin())] = true;
  return &found->value();
}

std::string JsonObjectReader::FieldPath(std::string_view name) const {
  return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

Error JsonObjectReader::MissingField(std::string_view name) const {
  return Error(StatusCode::kInvalidArgument, "missing_field",
               "field '" + FieldPath(name) + "' is required");
}

Error JsonObjectReader::WrongType(std::string_view name, std::string_view expected) const {
  return Error(StatusCode::kInvalidArgument, "invalid_field_type",
               "field '" + FieldPath(name) + "' must be " + std::string(expected));
}

Result<std::optional<std::string_view>> JsonObjectReader::OptionalString(std::string_view name,
                                                                         std::size_t max_bytes) {
  const boost::json::value* value = Take(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    return std::unexpected(WrongType(name, "a string"));
  }
  const boost::json::string& text = value->get_string();
  if (text.size() > max_bytes) {
    return MakeError(
        StatusCode::kInvalidArgument, "field_too_long",
        "field '" + FieldPath(name) + "' is longer than " + std::to_string(max_bytes) + " bytes");
  }
  return std::string_view(text.data(), text.size());
}

Result<std::string_view> JsonObjectReader::RequiredString(std::string_view name,
                                                          std::size_t max_bytes) {
  Result<std::optional<std::string_view>> text = OptionalString(name, max_bytes);
  if (!text.has_value()) {
    return std::unexpected(text.error());
  }
  if (!text->has_value()) {
    return std::unexpected(MissingField(name));
  }
  return **text;
}

Result<std::optional<std::int64_t>> JsonObjectReader::OptionalInt(std::string_view name,
                                                                  std::int64_t min,
                                                                  std::int64_t max) {
  const boost::json::value* value = Take(name);
  if (value == nullptr) {
    return std::nullopt;
  }

  std::int64_t number = 0;
  bool in_range = false;
  if (value->is_int64()) {
    number = value->get_int64();
    in_range = number >= min && number <= max;
  } else if (value->is_uint64()) {
    // Boost.JSON uses uint64 only above INT64_MAX, which no int64 range holds.
    in_range = false;
  } else {
    return std::unexpected(WrongType(name, "an integer"));
  }

  if (!in_range) {
    return MakeError(StatusCode::kInvalidArgument, "field_out_of_range",
                     "field '" + FieldPath(name) + "' must be between " + std::to_string(min) +
                         " and " + std::to_string(max));
  }
  return number;
}

Result<std::int64_t> JsonObjectReader::RequiredInt(std::string_view name, std::int64_t min,
                                                   std::int64_t max) {
  Result<std::optional<std::int64_t>> number = OptionalInt(name, min, max);
  if (!number.has_value()) {
    return std::unexpected(number.error());
  }
  if (!number->has_value()) {
    return std::unexpected(MissingField(name));
  }
  return **number;
}

Result<std::optional<bool>> JsonObjectReader::OptionalBool(std::string_view name) {
  const boost::json::value* value = Take(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_bool()) {
    return std::unexpected(WrongType(name, "true or false"));
  }
  return value->get_bool();
}

Result<bool> JsonObjectReader::RequiredBool(std::string_view name) {
  Result<std::optional<bool>> flag = OptionalBool(name);
  if (!flag.has_value()) {
    return std::unexpected(flag.error());
  }
  if (!flag->has_value()) {
    return std::unexpected(MissingField(name));
  }
  return **flag;
}

Result<std::optional<JsonObjectReader>> JsonObjectReader::OptionalObject(std::string_view name) {
  const boost::json::value* value = Take(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_object()) {
    return std::unexpected(WrongType(name, "an object"));
  }
  return JsonObjectReader(value->get_object(), FieldPath(name));
}

Result<JsonObjectReader> JsonObjectReader::RequiredObject(std::string_view name) {
  Result<std::optional<JsonObjectReader>> nested = OptionalObject(name);
  if (!nested.has_value()) {
    return std::unexpected(nested.error());
  }
  if (!nested->has_value()) {
    return std::unexpected(MissingField(name));
  }
  return std::move(**nested);
}

Result<std::optional<Bytes>> JsonObjectReader::OptionalBase64Url(std::string_view name,
                                                                 std::size_t max_decoded_size) {
  Result<std::optional<std::string_view>> text =
      OptionalString(name, MaxBase64UrlLength(max_decoded_size));
  if (!text.has_value()) {
    return std::unexpected(text.error());
  }
  if (!text->has_value()) {
    return std::nullopt;
  }

  Result<Bytes> decoded = Base64UrlDecode(**text, max_decoded_size);
  if (!decoded.has_value()) {
    return MakeError(
        StatusCode::kInvalidArgument, "invalid_base64",
        "field '" + FieldPath(name) + "' is not unpadded base64url (RFC 4648 section 5)");
  }
  return std::move(*decoded);
}

Result<Bytes> JsonObjectReader::RequiredBase64Url(std::string_view name,
                                                  std::size_t max_decoded_size) {
  Result<std::optional<Bytes>> decoded = OptionalBase64Url(name, max_decoded_size);
  if (!decoded.has_value()) {
    return std::unexpected(decoded.error());
  }
  if (!decoded->has_value()) {
    return std::unexpected(MissingField(name));
  }
  return std::move(**decoded);
}

const boost::json::value* JsonObjectReader::OptionalValue(std::string_view name) {
  return Take(name);
}

Result<const boost::json::value*> JsonObjectReader::RequiredValue(std::string_view name) {
  const boost::json::value* value = Take(name);
  if (value == nullptr) {
    return std::unexpected(MissingField(name));
  }
  return value;
}

Status JsonObjectReader::Finish() const {
  std::size_t index = 0;
  for (const auto& member : *object_) {
    if (!read_[index]) {
      return MakeError(StatusCode::kInvalidArgument, "unknown_field",
                       "field '" + FieldPath(PrintableName(member.key())) +
                           "' is not part of this request; remove it");
    }
    ++index;
  }
  return {};
}

}  // namespace devtrust::server
