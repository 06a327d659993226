#include "client/internal/json_fields.h"

#include <boost/json/value.hpp>
#include <utility>

#include "base/encoding.h"

namespace devtrust::client::internal {

const boost::json::value* JsonFields::Find(std::string_view name) const {
  const boost::json::value* value = object_.if_contains(name);
  if (value == nullptr || value->is_null()) {
    return nullptr;
  }
  return value;
}

std::unexpected<Error> JsonFields::Fail(std::string_view problem) const {
  return MakeError(code_, reason_, what_ + " " + std::string(problem));
}

JsonFields JsonFields::Nested(const boost::json::object& object, std::string_view name) const {
  return JsonFields(object, what_ + " field " + std::string(name), reason_, code_);
}

Result<std::optional<std::string>> JsonFields::OptionalString(std::string_view name) const {
  const boost::json::value* value = Find(name);
  if (value == nullptr) {
    return std::optional<std::string>();
  }
  if (!value->is_string()) {
    return Fail("has a field \"" + std::string(name) + "\" that is not a string");
  }
  return std::optional<std::string>(std::string(value->get_string()));
}

Result<std::string> JsonFields::String(std::string_view name) const {
  Result<std::optional<std::string>> value = OptionalString(name);
  if (!value) {
    return std::unexpected(value.error());
  }
  if (!value->has_value()) {
    return Fail("has no string field \"" + std::string(name) + "\"");
  }
  return std::move(**value);
}

Result<std::optional<Bytes>> JsonFields::OptionalBase64Url(std::string_view name,
                                                           std::size_t max_size) const {
  Result<std::optional<std::string>> text = OptionalString(name);
  if (!text) {
    return std::unexpected(text.error());
  }
  if (!text->has_value()) {
    return std::optional<Bytes>();
  }
  Result<Bytes> decoded = Base64UrlDecode(**text, max_size);
  if (!decoded) {
    return Fail("field \"" + std::string(name) + "\" is not base64url of at most " +
                std::to_string(max_size) + " bytes");
  }
  return std::optional<Bytes>(std::move(*decoded));
}

Result<Bytes> JsonFields::Base64Url(std::string_view name, std::size_t max_size) const {
  Result<std::optional<Bytes>> value = OptionalBase64Url(name, max_size);
  if (!value) {
    return std::unexpected(value.error());
  }
  if (!value->has_value()) {
    return Fail("has no string field \"" + std::string(name) + "\"");
  }
  return std::move(**value);
}

Result<std::optional<bool>> JsonFields::OptionalBool(std::string_view name) const {
  const boost::json::value* value = Find(name);
  if (value == nullptr) {
    return std::optional<bool>();
  }
  if (!value->is_bool()) {
    return Fail("has a field \"" + std::string(name) + "\" that is not a boolean");
  }
  return std::optional<bool>(value->get_bool());
}

Result<bool> JsonFields::Bool(std::string_view name) const {
  Result<std::optional<bool>> value = OptionalBool(name);
  if (!value) {
    return std::unexpected(value.error());
  }
  if (!value->has_value()) {
    return Fail("has no boolean field \"" + std::string(name) + "\"");
  }
  return **value;
}

Result<std::optional<double>> JsonFields::OptionalNumber(std::string_view name) const {
  const boost::json::value* value = Find(name);
  if (value == nullptr) {
    return std::optional<double>();
  }
  if (!value->is_number()) {
    return Fail("has a field \"" + std::string(name) + "\" that is not a number");
  }
  return std::optional<double>(value->to_number<double>());
}

Result<std::vector<std::string>> JsonFields::OptionalStringArray(std::string_view name) const {
  const boost::json::value* value = Find(name);
  std::vector<std::string> strings;
  if (value == nullptr) {
    return strings;
  }
  if (!value->is_array()) {
    return Fail("has a field \"" + std::string(name) + "\" that is not an array");
  }
  for (const boost::json::value& element : value->get_array()) {
    if (!element.is_string()) {
      return Fail("field \"" + std::string(name) + "\" has an element that is not a string");
    }
    strings.emplace_back(element.get_string());
  }
  return strings;
}

Result<std::vector<std::string>> JsonFields::StringArray(std::string_view name) const {
  if (Find(name) == nullptr) {
    return Fail("has no array field \"" + std::string(name) + "\"");
  }
  return OptionalStringArray(name);
}

Result<const boost::json::object*> JsonFields::OptionalObject(std::string_view name) const {
  const boost::json::value* value = Find(name);
  if (value == nullptr) {
    return nullptr;
  }
  if (!value->is_object()) {
    return Fail("has a field \"" + std::string(name) + "\" that is not an object");
  }
  return &value->get_object();
}

Result<const boost::json::object*> JsonFields::Object(std::string_view name) const {
  Result<const boost::json::object*> value = OptionalObject(name);
  if (!value) {
    return std::unexpected(value.error());
  }
  if (*value == nullptr) {
    return Fail("has no object field \"" + std::string(name) + "\"");
  }
  return value;
}

}  // namespace devtrust::client::internal
