// Typed, path-aware reads of one YAML mapping of the serve configuration.
//
// yaml-cpp reports bad types by throwing; every read here catches that and
// returns reason "config_invalid" with the key's dotted path instead.
#ifndef DEVTRUST_SERVICE_CONFIG_YAML_H_
#define DEVTRUST_SERVICE_CONFIG_YAML_H_

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace devtrust::service {

std::unexpected<Error> ConfigError(std::string_view path, std::string_view problem);

class ConfigSection {
 public:
  // `path` is "" for the document and "listen", "trust.drift", ... below it.
  ConfigSection(const YAML::Node& node, std::string path);

  // Requires a mapping (or an absent or null node, read as empty) whose keys
  // are all in `allowed`. A key in `inline_secrets`, given as {key, hint},
  // gets an error that names the setting to use instead.
  Status CheckKeys(std::initializer_list<std::string_view> allowed,
                   std::initializer_list<std::pair<std::string_view, std::string_view>>
                       inline_secrets = {}) const;

  // Each reader leaves `out` unchanged when the key is absent.
  Status ReadString(std::string_view key, std::string& out) const;
  Status ReadStringList(std::string_view key, std::vector<std::string>& out) const;
  Status ReadInteger(std::string_view key, std::int64_t min, std::int64_t max,
                     std::int64_t& out) const;
  Status ReadDuration(std::string_view key, std::chrono::milliseconds min,
                      std::chrono::milliseconds max, std::chrono::milliseconds& out) const;

  template <typename Integer>
  Status ReadInteger(std::string_view key, std::int64_t min, std::int64_t max, Integer& out) const {
    std::int64_t value = static_cast<std::int64_t>(out);
    if (Status read = ReadInteger(key, min, max, value); !read) return read;
    out = static_cast<Integer>(value);
    return {};
  }

  template <typename Rep, typename Period>
  Status ReadDuration(std::string_view key, std::chrono::milliseconds min,
                      std::chrono::milliseconds max,
                      std::chrono::duration<Rep, Period>& out) const {
    auto value = std::chrono::duration_cast<std::chrono::milliseconds>(out);
    if (Status read = ReadDuration(key, min, max, value); !read) return read;
    out = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(value);
    return {};
  }

  // The child mapping at `key`, possibly absent.
  ConfigSection Child(std::string_view key) const;
  // The raw node at `key`, for readers of other components.
  YAML::Node Node(std::string_view key) const;
  bool Has(std::string_view key) const;

  std::string PathOf(std::string_view key) const;
  const std::string& path() const { return path_; }

 private:
  YAML::Node node_;
  std::string path_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_CONFIG_YAML_H_
