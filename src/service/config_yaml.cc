#include "service/config_yaml.h"

#include <charconv>

#include "service/config_duration.h"

namespace devtrust::service {
namespace {

// A scalar's text for messages, cut so that a long value cannot flood them.
std::string Shown(const YAML::Node& node) {
  std::string text = node.IsScalar() ? node.Scalar() : std::string("a non-scalar value");
  if (text.size() > 64) text = text.substr(0, 64) + "...";
  return "\"" + text + "\"";
}

}  // namespace

std::unexpected<Error> ConfigError(std::string_view path, std::string_view problem) {
  return MakeError(
      StatusCode::kInvalidArgument, "config_invalid",
      std::string(path.empty() ? "the configuration" : path) + ": " + std::string(problem));
}

ConfigSection::ConfigSection(const YAML::Node& node, std::string path)
    : node_(node), path_(std::move(path)) {}

std::string ConfigSection::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool ConfigSection::Has(std::string_view key) const {
  const YAML::Node value = Node(key);
  return value.IsDefined() && !value.IsNull();
}

YAML::Node ConfigSection::Node(std::string_view key) const {
  if (!node_.IsDefined() || !node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  // A missing key yields a node that throws when used, so it is replaced by
  // an undefined one.
  const YAML::Node value = node_[std::string(key)];
  if (!value.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
  return value;
}

ConfigSection ConfigSection::Child(std::string_view key) const {
  return ConfigSection(Node(key), PathOf(key));
}

Status ConfigSection::CheckKeys(
    std::initializer_list<std::string_view> allowed,
    std::initializer_list<std::pair<std::string_view, std::string_view>> inline_secrets) const {
  if (!node_.IsDefined() || node_.IsNull()) return {};
  if (!node_.IsMap()) return ConfigError(path_, "must be a mapping of keys to values");

  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) return ConfigError(path_, "has a key that is not a scalar");
    const std::string& key = entry.first.Scalar();
    for (const auto& [secret, hint] : inline_secrets) {
      if (key == secret) {
        return ConfigError(PathOf(key), "secrets are not accepted inline in the configuration; " +
                                            std::string(hint));
      }
    }
    bool known = false;
    for (const std::string_view name : allowed) known = known || name == key;
    if (!known) {
      std::string names;
      for (const std::string_view name : allowed) {
        names += names.empty() ? "" : ", ";
        names += name;
      }
      return ConfigError(PathOf(key), "is not a known key; allowed here: " + names);
    }
  }
  return {};
}

Status ConfigSection::ReadString(std::string_view key, std::string& out) const {
  const YAML::Node value = Node(key);
  if (!value.IsDefined() || value.IsNull()) return {};
  if (!value.IsScalar()) return ConfigError(PathOf(key), "must be a string");
  out = value.Scalar();
  return {};
}

Status ConfigSection::ReadStringList(std::string_view key, std::vector<std::string>& out) const {
  const YAML::Node value = Node(key);
  if (!value.IsDefined() || value.IsNull()) return {};
  if (!value.IsSequence()) return ConfigError(PathOf(key), "must be a list of strings");
  std::vector<std::string> items;
  for (const YAML::Node& item : value) {
    if (!item.IsScalar()) return ConfigError(PathOf(key), "must contain only strings");
    items.push_back(item.Scalar());
  }
  out = std::move(items);
  return {};
}

Status ConfigSection::ReadInteger(std::string_view key, std::int64_t min, std::int64_t max,
                                  std::int64_t& out) const {
  const YAML::Node value = Node(key);
  if (!value.IsDefined() || value.IsNull()) return {};
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  if (!value.IsScalar()) return ConfigError(PathOf(key), "must be an integer in " + range);

  const std::string& text = value.Scalar();
  std::int64_t parsed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (error != std::errc() || end != text.data() + text.size()) {
    return ConfigError(PathOf(key), Shown(value) + " is not an integer; use one in " + range);
  }
  if (parsed < min || parsed > max) {
    return ConfigError(PathOf(key), text + " is out of range " + range);
  }
  out = parsed;
  return {};
}

Status ConfigSection::ReadDuration(std::string_view key, std::chrono::milliseconds min,
                                   std::chrono::milliseconds max,
                                   std::chrono::milliseconds& out) const {
  const YAML::Node value = Node(key);
  if (!value.IsDefined() || value.IsNull()) return {};
  if (!value.IsScalar()) {
    return ConfigError(PathOf(key), "must be a duration such as 30s or 10m");
  }
  Result<std::chrono::milliseconds> parsed = ParseDuration(value.Scalar());
  if (!parsed) return ConfigError(PathOf(key), parsed.error().message());
  if (*parsed < min || *parsed > max) {
    return ConfigError(PathOf(key), value.Scalar() + " is out of range " + FormatDuration(min) +
                                        ".." + FormatDuration(max));
  }
  out = *parsed;
  return {};
}

}  // namespace devtrust::service
