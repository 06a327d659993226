#include "trust/drift_policy.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "trust/attributes.h"

namespace devtrust::trust {
namespace {

Result<DriftPolicy> Load(const std::string& yaml) {
  return DriftPolicy::FromYaml(YAML::Load(yaml));
}

void ExpectRejected(const std::string& yaml, std::string_view expected_in_message) {
  const Result<DriftPolicy> policy = Load(yaml);
  ASSERT_FALSE(policy.has_value()) << yaml;
  EXPECT_EQ(policy.error().reason(), "drift_policy_invalid") << yaml;
  EXPECT_NE(policy.error().message().find(expected_in_message), std::string::npos)
      << policy.error().message();
}

TEST(DriftPolicy, DefaultsAreValid) {
  const DriftPolicy policy;
  EXPECT_TRUE(policy.Validate().has_value());
  EXPECT_DOUBLE_EQ(policy.soft_threshold, 0.3);
  EXPECT_DOUBLE_EQ(policy.hard_threshold, 0.6);
}

TEST(DriftPolicy, DefaultsWeighEveryKnownAndDerivedAttribute) {
  const DriftPolicy policy;
  for (std::string_view name : KnownAttributeNames()) {
    EXPECT_TRUE(policy.weights.contains(name)) << name;
  }
  for (std::string_view name : DerivedAttributeNames()) {
    EXPECT_TRUE(policy.weights.contains(name)) << name;
  }
}

TEST(DriftPolicy, StableAttributesOutweighVolatileOnes) {
  const DriftPolicy policy;
  for (std::string_view stable :
       {kHardwareModel, kOs, kDeviceClass, kPlatformFamily, kPixelRatio}) {
    for (std::string_view volatile_name : {kLanguage, kUserAgent, kCookiesEnabled}) {
      EXPECT_GT(policy.WeightOf(stable), policy.WeightOf(volatile_name))
          << stable << " vs " << volatile_name;
    }
    EXPECT_GT(policy.WeightOf(stable), policy.browser_update_weight) << stable;
  }
}

TEST(DriftPolicy, UnknownNameGetsUnknownWeight) {
  const DriftPolicy policy;
  EXPECT_DOUBLE_EQ(policy.WeightOf("gpu_vendor"), policy.unknown_attribute_weight);
}

TEST(DriftPolicy, EmptyMappingKeepsDefaults) {
  const Result<DriftPolicy> policy = Load("{}");
  ASSERT_TRUE(policy.has_value()) << policy.error().ToString();
  EXPECT_EQ(policy->weights, DefaultDriftWeights());
  EXPECT_DOUBLE_EQ(policy->soft_threshold, 0.3);
  EXPECT_TRUE(policy->baseline_guard);
}

TEST(DriftPolicy, ReadsEveryField) {
  const Result<DriftPolicy> policy = Load(R"(
soft_threshold: 0.25
hard_threshold: 0.7
browser_update_weight: 0.1
unknown_attribute_weight: 0
hard_on_os_change: false
hard_on_device_class_change: false
hard_on_headless_marker: false
baseline_guard: false
weights:
  hardware_model: 0.9
  user_agent.browser: 0.35
)");
  ASSERT_TRUE(policy.has_value()) << policy.error().ToString();
  EXPECT_DOUBLE_EQ(policy->soft_threshold, 0.25);
  EXPECT_DOUBLE_EQ(policy->hard_threshold, 0.7);
  EXPECT_DOUBLE_EQ(policy->browser_update_weight, 0.1);
  EXPECT_DOUBLE_EQ(policy->unknown_attribute_weight, 0.0);
  EXPECT_FALSE(policy->hard_on_os_change);
  EXPECT_FALSE(policy->hard_on_device_class_change);
  EXPECT_FALSE(policy->hard_on_headless_marker);
  EXPECT_FALSE(policy->baseline_guard);
  EXPECT_DOUBLE_EQ(policy->WeightOf(kHardwareModel), 0.9);
  EXPECT_DOUBLE_EQ(policy->WeightOf(kBrowser), 0.35);
  EXPECT_DOUBLE_EQ(policy->WeightOf(kPlatform), DefaultDriftWeights().at("platform"));
}

TEST(DriftPolicy, RejectsDocumentThatIsNotMapping) {
  ExpectRejected("0.3", "must be a mapping");
  ExpectRejected("[soft_threshold]", "must be a mapping");
}

TEST(DriftPolicy, RejectsUnknownKey) { ExpectRejected("soft_treshold: 0.3", "soft_treshold"); }

TEST(DriftPolicy, RejectsThresholdOrder) {
  ExpectRejected("soft_threshold: 0.6\nhard_threshold: 0.6", "hard_threshold");
  ExpectRejected("soft_threshold: 0.7", "hard_threshold");
}

TEST(DriftPolicy, RejectsThresholdOutOfRange) {
  ExpectRejected("soft_threshold: 0", "soft_threshold");
  ExpectRejected("soft_threshold: -0.1", "soft_threshold");
  ExpectRejected("hard_threshold: 1.5", "hard_threshold");
}

TEST(DriftPolicy, RejectsNonNumericValues) {
  ExpectRejected("soft_threshold: low", "soft_threshold");
  ExpectRejected("soft_threshold: [0.3]", "soft_threshold");
  ExpectRejected("hard_threshold: .nan", "finite");
  ExpectRejected("hard_threshold: .inf", "finite");
}

TEST(DriftPolicy, RejectsNonBooleanFlags) {
  ExpectRejected("baseline_guard: maybe", "baseline_guard");
  ExpectRejected("hard_on_os_change: 2", "hard_on_os_change");
}

TEST(DriftPolicy, RejectsBadWeights) {
  ExpectRejected("weights: 0.5", "weights must be a mapping");
  ExpectRejected("weights: {platform: 1.5}", "weights.platform");
  ExpectRejected("weights: {platform: -0.1}", "weights.platform");
  ExpectRejected("weights: {platform: heavy}", "weights.platform");
  ExpectRejected("weights: {platfrom: 0.1}", "platfrom");
  ExpectRejected("browser_update_weight: 2", "browser_update_weight");
  ExpectRejected("unknown_attribute_weight: -1", "unknown_attribute_weight");
}

}  // namespace
}  // namespace devtrust::trust
