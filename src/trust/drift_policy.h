// Weights, thresholds and categorical rules for fingerprint drift scoring.
//
// A comparison adds the weight of every reported or derived attribute that
// differs (see attributes.h for the names) and caps the sum at 1. A score
// below soft_threshold is a match, a score from soft_threshold up to
// hard_threshold earns a soft challenge, and a score at or above
// hard_threshold a hard challenge. The defaults come from the analysis of
// real login records described in docs/drift.md, where each value is
// explained.
#ifndef DEVTRUST_TRUST_DRIFT_POLICY_H_
#define DEVTRUST_TRUST_DRIFT_POLICY_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "base/error.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace devtrust::trust {

using DriftWeights = std::map<std::string, double, std::less<>>;

// The default weight of every known and derived attribute.
DriftWeights DefaultDriftWeights();

struct DriftPolicy {
  double soft_threshold = 0.3;
  double hard_threshold = 0.6;

  // Weights by attribute name. The user_agent.browser_version entry applies
  // to a version that went down or could not be read. A version that went up
  // weighs browser_update_weight, because browsers update every few weeks.
  DriftWeights weights = DefaultDriftWeights();
  double browser_update_weight = 0.05;
  // The weight of each differing attribute that has no entry in `weights`.
  double unknown_attribute_weight = 0.02;

  // Changes that make a hard challenge whatever the score, when both
  // fingerprints name a value.
  bool hard_on_os_change = true;
  bool hard_on_device_class_change = true;
  // A headless or webdriver marker that the baseline does not carry.
  // NOTE: a baseline enrolled from a headless browser is not flagged by drift;
  // registration has to reject such a fingerprint itself.
  bool hard_on_headless_marker = true;

  // Raises a match against the last accepted fingerprint to a soft challenge
  // when the same fingerprint is a hard challenge against the baseline, so
  // that small accepted steps cannot move a device away from what was
  // enrolled without a review.
  bool baseline_guard = true;

  // The weight of a differing attribute named `name`.
  double WeightOf(std::string_view name) const;

  // Checks 0 < soft_threshold < hard_threshold <= 1, every weight in [0, 1]
  // and every weight name known or derived. Fails with reason
  // "drift_policy_invalid".
  Status Validate() const;

  // Reads a policy from a YAML mapping; absent keys keep their defaults and
  // `weights` entries replace single defaults:
  //   soft_threshold: 0.3
  //   hard_threshold: 0.6
  //   browser_update_weight: 0.05
  //   unknown_attribute_weight: 0.02
  //   hard_on_os_change: true
  //   hard_on_device_class_change: true
  //   hard_on_headless_marker: true
  //   baseline_guard: true
  //   weights: {hardware_model: 0.6, user_agent.browser: 0.4}
  // Fails with reason "drift_policy_invalid" on unknown keys, wrong types and
  // any value Validate rejects. yaml-cpp exceptions are caught and returned
  // as that error.
  static Result<DriftPolicy> FromYaml(const YAML::Node& node);
};

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_DRIFT_POLICY_H_
