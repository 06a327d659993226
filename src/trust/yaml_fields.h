// Typed reads of YAML configuration fields for the trust policies.
//
// yaml-cpp reports wrong types by throwing. These helpers catch that at the
// call site and return an Error whose message names the field by its dotted
// path ("weights.platform"), so an operator can find the bad line.
#ifndef DEVTRUST_TRUST_YAML_FIELDS_H_
#define DEVTRUST_TRUST_YAML_FIELDS_H_

#include <yaml-cpp/yaml.h>

#include <span>
#include <string>
#include <string_view>

#include "base/error.h"

namespace devtrust::trust {

// Fails unless `node` is a mapping whose keys are all scalars listed in
// `allowed`. A misspelled key is an error rather than a silently kept default.
Status CheckYamlMapping(const YAML::Node& node, std::span<const std::string_view> allowed,
                        std::string_view path, std::string_view reason);

// Reads a finite number.
Result<double> ReadYamlNumber(const YAML::Node& node, std::string_view path,
                              std::string_view reason);

// Reads a YAML boolean (true/false, and the YAML 1.1 forms yaml-cpp accepts).
Result<bool> ReadYamlBool(const YAML::Node& node, std::string_view path, std::string_view reason);

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_YAML_FIELDS_H_
