// Typed access to the members of a JSON object received from a peer (a
// server response, a webhook notification), with errors that name the field.
#ifndef DEVTRUST_CLIENT_INTERNAL_JSON_FIELDS_H_
#define DEVTRUST_CLIENT_INTERNAL_JSON_FIELDS_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"

namespace devtrust::client::internal {

class JsonFields {
 public:
  // `what` names the object in messages ("the response to POST
  // /v1/devices"); every error has `reason` and `code`.
  JsonFields(const boost::json::object& object, std::string what, std::string reason,
             StatusCode code)
      : object_(object), what_(std::move(what)), reason_(std::move(reason)), code_(code) {}

  // Required members fail when absent or of another type; optional ones are
  // nullopt (or null) when absent or JSON null and fail on another type.
  Result<std::string> String(std::string_view name) const;
  Result<std::optional<std::string>> OptionalString(std::string_view name) const;
  // base64url without padding (RFC 4648 section 5) of at most `max_size`
  // decoded bytes.
  Result<Bytes> Base64Url(std::string_view name, std::size_t max_size) const;
  Result<std::optional<Bytes>> OptionalBase64Url(std::string_view name, std::size_t max_size) const;
  Result<bool> Bool(std::string_view name) const;
  Result<std::optional<bool>> OptionalBool(std::string_view name) const;
  Result<std::optional<double>> OptionalNumber(std::string_view name) const;
  Result<std::vector<std::string>> StringArray(std::string_view name) const;
  Result<std::vector<std::string>> OptionalStringArray(std::string_view name) const;
  Result<const boost::json::object*> Object(std::string_view name) const;
  Result<const boost::json::object*> OptionalObject(std::string_view name) const;

  // A reader for a nested object, named "<what> field <name>".
  JsonFields Nested(const boost::json::object& object, std::string_view name) const;

  // An error about this object with the configured reason and code.
  std::unexpected<Error> Fail(std::string_view problem) const;

 private:
  const boost::json::value* Find(std::string_view name) const;

  const boost::json::object& object_;
  std::string what_;
  std::string reason_;
  StatusCode code_;
};

}  // namespace devtrust::client::internal

#endif  // DEVTRUST_CLIENT_INTERNAL_JSON_FIELDS_H_
