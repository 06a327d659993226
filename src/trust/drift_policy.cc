#include "trust/drift_policy.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cmath>

#include "trust/attributes.h"
#include "trust/quoted.h"
#include "trust/yaml_fields.h"

namespace devtrust::trust {
namespace {

constexpr std::string_view kReason = "drift_policy_invalid";

std::unexpected<Error> InvalidPolicy(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, std::string(kReason), std::move(message));
}

bool IsWeightName(std::string_view name) {
  if (KnownAttributeKind(name).has_value()) {
    return true;
  }
  for (std::string_view derived : DerivedAttributeNames()) {
    if (derived == name) {
      return true;
    }
  }
  return false;
}

bool IsWeight(double value) { return std::isfinite(value) && value >= 0.0 && value <= 1.0; }

Status ReadNumberField(const YAML::Node& node, std::string_view key, double& field) {
  const YAML::Node value = node[std::string(key)];
  if (!value) {
    return {};
  }
  const Result<double> number = ReadYamlNumber(value, key, kReason);
  if (!number) {
    return std::unexpected(number.error());
  }
  field = *number;
  return {};
}

Status ReadBoolField(const YAML::Node& node, std::string_view key, bool& field) {
  const YAML::Node value = node[std::string(key)];
  if (!value) {
    return {};
  }
  const Result<bool> flag = ReadYamlBool(value, key, kReason);
  if (!flag) {
    return std::unexpected(flag.error());
  }
  field = *flag;
  return {};
}

Status ReadWeights(const YAML::Node& node, DriftWeights& weights) {
  if (!node.IsMap()) {
    return InvalidPolicy("weights must be a mapping of attribute name to weight");
  }
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      return InvalidPolicy("weights has a key that is not a scalar");
    }
    const std::string& name = entry.first.Scalar();
    const Result<double> weight = ReadYamlNumber(entry.second, "weights." + name, kReason);
    if (!weight) {
      return std::unexpected(weight.error());
    }
    weights[name] = *weight;
  }
  return {};
}

}  // namespace

DriftWeights DefaultDriftWeights() {
  // Stable hardware and system attributes weigh most, values that change with
  // updates or settings least. docs/drift.md gives the reasoning and the
  // scores these weights produce on real login records.
  return DriftWeights{
      {std::string(kHardwareModel), 0.6},
      {std::string(kPlatform), 0.1},
      {std::string(kScreenWidth), 0.1},
      {std::string(kScreenHeight), 0.1},
      {std::string(kPixelRatio), 0.15},
      {std::string(kColorDepth), 0.1},
      {std::string(kHardwareConcurrency), 0.15},
      {std::string(kDeviceMemory), 0.15},
      {std::string(kOsBuild), 0.1},
      {std::string(kTimezone), 0.1},
      {std::string(kUserAgent), 0.05},
      {std::string(kLanguage), 0.05},
      {std::string(kCookiesEnabled), 0.05},
      {std::string(kWebdriver), 0.1},
      {std::string(kOs), 1.0},
      {std::string(kDeviceClass), 1.0},
      {std::string(kPlatformFamily), 0.4},
      {std::string(kCpuArchitecture), 0.3},
      {std::string(kBrowser), 0.4},
      {std::string(kBrowserVersion), 0.25},
      {std::string(kOsVersion), 0.1},
      {std::string(kHeadless), 0.3},
  };
}

double DriftPolicy::WeightOf(std::string_view name) const {
  const auto it = weights.find(name);
  return it == weights.end() ? unknown_attribute_weight : it->second;
}

Status DriftPolicy::Validate() const {
  if (!(std::isfinite(soft_threshold) && soft_threshold > 0.0)) {
    return InvalidPolicy(
        fmt::format("soft_threshold is {}; it must be greater than 0", soft_threshold));
  }
  if (!(std::isfinite(hard_threshold) && hard_threshold > soft_threshold &&
        hard_threshold <= 1.0)) {
    return InvalidPolicy(fmt::format(
        "hard_threshold is {}; it must be greater than soft_threshold ({}) and at most 1",
        hard_threshold, soft_threshold));
  }
  if (!IsWeight(browser_update_weight)) {
    return InvalidPolicy(fmt::format("browser_update_weight is {}; use a weight from 0 to 1",
                                     browser_update_weight));
  }
  if (!IsWeight(unknown_attribute_weight)) {
    return InvalidPolicy(fmt::format("unknown_attribute_weight is {}; use a weight from 0 to 1",
                                     unknown_attribute_weight));
  }
  for (const auto& [name, weight] : weights) {
    if (!IsWeightName(name)) {
      return InvalidPolicy(fmt::format(
          "weights.{} names no known or derived attribute; unknown attributes all weigh "
          "unknown_attribute_weight",
          Quoted(name)));
    }
    if (!IsWeight(weight)) {
      return InvalidPolicy(fmt::format("weights.{} is {}; use a weight from 0 to 1", name, weight));
    }
  }
  return {};
}

Result<DriftPolicy> DriftPolicy::FromYaml(const YAML::Node& node) {
  constexpr std::array<std::string_view, 9> kKeys = {
      "soft_threshold",           "hard_threshold",    "browser_update_weight",
      "unknown_attribute_weight", "hard_on_os_change", "hard_on_device_class_change",
      "hard_on_headless_marker",  "baseline_guard",    "weights",
  };

  DriftPolicy policy;
  try {
    if (Status keys = CheckYamlMapping(node, kKeys, "drift policy", kReason); !keys) {
      return std::unexpected(keys.error());
    }

    for (const auto& [key, field] :
         {std::pair{"soft_threshold", &policy.soft_threshold},
          std::pair{"hard_threshold", &policy.hard_threshold},
          std::pair{"browser_update_weight", &policy.browser_update_weight},
          std::pair{"unknown_attribute_weight", &policy.unknown_attribute_weight}}) {
      if (Status read = ReadNumberField(node, key, *field); !read) {
        return std::unexpected(read.error());
      }
    }

    for (const auto& [key, field] :
         {std::pair{"hard_on_os_change", &policy.hard_on_os_change},
          std::pair{"hard_on_device_class_change", &policy.hard_on_device_class_change},
          std::pair{"hard_on_headless_marker", &policy.hard_on_headless_marker},
          std::pair{"baseline_guard", &policy.baseline_guard}}) {
      if (Status read = ReadBoolField(node, key, *field); !read) {
        return std::unexpected(read.error());
      }
    }

    if (const YAML::Node weights = node["weights"]; weights) {
      if (Status read = ReadWeights(weights, policy.weights); !read) {
        return std::unexpected(read.error());
      }
    }
  } catch (const YAML::Exception& exception) {
    return InvalidPolicy(fmt::format("drift policy could not be read: {}", exception.what()));
  }

  if (Status valid = policy.Validate(); !valid) {
    return std::unexpected(valid.error());
  }
  return policy;
}

}  // namespace devtrust::trust
