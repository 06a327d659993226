#include "trust/yaml_fields.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "trust/quoted.h"

namespace devtrust::trust {
namespace {

std::unexpected<Error> InvalidField(std::string_view reason, std::string message) {
  return MakeError(StatusCode::kInvalidArgument, std::string(reason), std::move(message));
}

std::string DisplayPath(std::string_view path) {
  return path.empty() ? std::string("the document") : std::string(path);
}

}  // namespace

Status CheckYamlMapping(const YAML::Node& node, std::span<const std::string_view> allowed,
                        std::string_view path, std::string_view reason) {
  if (!node.IsMap()) {
    return InvalidField(reason, fmt::format("{} must be a mapping", DisplayPath(path)));
  }
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      return InvalidField(reason,
                          fmt::format("{} has a key that is not a scalar", DisplayPath(path)));
    }
    const std::string& key = entry.first.Scalar();
    bool known = false;
    for (std::string_view name : allowed) {
      known = known || name == key;
    }
    if (!known) {
      return InvalidField(
          reason, fmt::format("{} has the unknown key {}; allowed keys: {}", DisplayPath(path),
                              Quoted(key), fmt::join(allowed, ", ")));
    }
  }
  return {};
}

Result<double> ReadYamlNumber(const YAML::Node& node, std::string_view path,
                              std::string_view reason) {
  if (!node.IsScalar()) {
    return InvalidField(reason, fmt::format("{} must be a number", path));
  }
  double number = 0;
  try {
    number = node.as<double>();
  } catch (const YAML::Exception&) {
    return InvalidField(reason, fmt::format("{} is {}, not a number", path, Quoted(node.Scalar())));
  }
  if (!std::isfinite(number)) {
    return InvalidField(reason,
                        fmt::format("{} is {}; use a finite number", path, Quoted(node.Scalar())));
  }
  return number;
}

Result<bool> ReadYamlBool(const YAML::Node& node, std::string_view path, std::string_view reason) {
  if (!node.IsScalar()) {
    return InvalidField(reason, fmt::format("{} must be true or false", path));
  }
  try {
    return node.as<bool>();
  } catch (const YAML::Exception&) {
    return InvalidField(reason,
                        fmt::format("{} is {}; use true or false", path, Quoted(node.Scalar())));
  }
}

}  // namespace devtrust::trust
