// Reads the YAML configuration of `devtrust serve`.
//
// Absent keys keep their defaults (config.h). Every error has reason
// "config_invalid" (kInvalidArgument) and names the key by its dotted path,
// such as "listen.port: 70000 is out of range 0..65535". Unknown keys are
// errors, so a misspelled key never leaves a default silently in force.
// Secret values inline in the file (rp or admin API keys, the webhook secret)
// are rejected with the *_file key or environment variable to use instead.
#ifndef DEVTRUST_SERVICE_CONFIG_LOADER_H_
#define DEVTRUST_SERVICE_CONFIG_LOADER_H_

#include <filesystem>
#include <string_view>

#include "base/error.h"
#include "service/config.h"

namespace devtrust::service {

// The largest configuration file read.
inline constexpr std::size_t kMaxConfigFileBytes = std::size_t{1024} * 1024;

// Parses YAML text. An empty document gives the defaults.
Result<ServeConfig> ParseServeConfig(std::string_view yaml_text);

// Reads and parses `path`. Errors: "config_unreadable" (kNotFound) naming
// the file; those of ParseServeConfig.
Result<ServeConfig> LoadServeConfig(const std::filesystem::path& path);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_CONFIG_LOADER_H_
