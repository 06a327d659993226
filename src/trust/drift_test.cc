#include "trust/drift.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <utility>
#include <vector>

#include "trust/attributes.h"

namespace devtrust::trust {
namespace {

using Attributes = std::initializer_list<std::pair<std::string_view, std::string_view>>;

constexpr std::string_view kChrome136 =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/136.0.0.0 Safari/537.36";
constexpr std::string_view kChrome137 =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/137.0.0.0 Safari/537.36";
constexpr std::string_view kEdge139 =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/139.0.0.0 Safari/537.36 Edg/139.0.0.0";
constexpr std::string_view kChrome139 =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/139.0.0.0 Safari/537.36";
constexpr std::string_view kHeadlessChrome139 =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/139.0.0.0 Safari/537.36";
constexpr std::string_view kFirefox142 =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:142.0) Gecko/20100101 Firefox/142.0";
constexpr std::string_view kFirefox139 =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:139.0) Gecko/20100101 Firefox/139.0";
constexpr std::string_view kAndroidChrome138 =
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 "
    "Mobile Safari/537.36";
constexpr std::string_view kAndroidTabletChrome138 =
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 "
    "Safari/537.36";

Fingerprint Make(Attributes attributes) {
  const std::vector<std::pair<std::string_view, std::string_view>> pairs(attributes);
  Result<Fingerprint> fingerprint = Fingerprint::FromAttributes(pairs);
  EXPECT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  return *fingerprint;
}

// A Windows laptop as the rba-logins records describe it.
Fingerprint Laptop(std::string_view user_agent) {
  return Make({{"user_agent", user_agent},
               {"platform", "Win32"},
               {"language", "en-US"},
               {"screen_width", "1536"},
               {"screen_height", "864"},
               {"pixel_ratio", "1.25"},
               {"cookies_enabled", "1"}});
}

const ChangedAttribute* FindChange(const FingerprintComparison& comparison, std::string_view name) {
  const auto it = std::find_if(comparison.changes.begin(), comparison.changes.end(),
                               [&](const ChangedAttribute& change) { return change.name == name; });
  return it == comparison.changes.end() ? nullptr : &*it;
}

std::vector<std::string> ChangedNames(const FingerprintComparison& comparison) {
  std::vector<std::string> names;
  for (const ChangedAttribute& change : comparison.changes) {
    names.push_back(change.name);
  }
  return names;
}

class DriftTest : public ::testing::Test {
 protected:
  DriftPolicy policy_;
};

TEST_F(DriftTest, IdenticalFingerprintsScoreZero) {
  const FingerprintComparison comparison =
      CompareFingerprints(Laptop(kChrome136), Laptop(kChrome136), policy_);
  EXPECT_EQ(comparison.score, 0.0);
  EXPECT_TRUE(comparison.changes.empty());
  EXPECT_EQ(comparison.categorical, CategoricalChange::kNone);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kMatch);
}

TEST_F(DriftTest, BrowserUpdateScoresSmall) {
  const FingerprintComparison comparison =
      CompareFingerprints(Laptop(kChrome136), Laptop(kChrome137), policy_);
  EXPECT_DOUBLE_EQ(comparison.score, 0.1);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kMatch);
  EXPECT_EQ(ChangedNames(comparison),
            (std::vector<std::string>{"user_agent", "user_agent.browser_version"}));
  const ChangedAttribute* version = FindChange(comparison, kBrowserVersion);
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->change, AttributeChange::kUpgraded);
  EXPECT_DOUBLE_EQ(version->weight, policy_.browser_update_weight);
}

TEST_F(DriftTest, BrowserDowngradeReachesSoftThreshold) {
  const FingerprintComparison comparison =
      CompareFingerprints(Laptop(kFirefox142), Laptop(kFirefox139), policy_);
  const ChangedAttribute* version = FindChange(comparison, kBrowserVersion);
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->change, AttributeChange::kDowngraded);
  EXPECT_DOUBLE_EQ(comparison.score, 0.3);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kSoftChallenge);
}

TEST_F(DriftTest, BrowserChangeIsSoftChallenge) {
  const FingerprintComparison comparison =
      CompareFingerprints(Laptop(kEdge139), Laptop(kChrome139), policy_);
  EXPECT_NE(FindChange(comparison, kBrowser), nullptr);
  EXPECT_EQ(FindChange(comparison, kBrowserVersion), nullptr);
  EXPECT_DOUBLE_EQ(comparison.score, 0.45);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kSoftChallenge);
}

TEST_F(DriftTest, WindowsToAndroidIsHardChallenge) {
  const Fingerprint phone = Make({{"user_agent", kAndroidChrome138},
                                  {"platform", "Linux armv8l"},
                                  {"language", "en-US"},
                                  {"screen_width", "393"},
                                  {"screen_height", "873"},
                                  {"pixel_ratio", "2.75"},
                                  {"cookies_enabled", "1"}});
  const FingerprintComparison comparison = CompareFingerprints(Laptop(kChrome136), phone, policy_);
  EXPECT_EQ(comparison.categorical, CategoricalChange::kOsFamily);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kHardChallenge);
  EXPECT_EQ(comparison.score, 1.0);
  EXPECT_NE(FindChange(comparison, kOs), nullptr);
  EXPECT_NE(FindChange(comparison, kDeviceClass), nullptr);
  EXPECT_NE(FindChange(comparison, kPlatformFamily), nullptr);
}

TEST_F(DriftTest, DifferentDeviceSameSystemIsHardByScore) {
  const Fingerprint tower = Make({{"user_agent", kChrome136},
                                  {"platform", "Win32"},
                                  {"language", "en-US"},
                                  {"screen_width", "1440"},
                                  {"screen_height", "3200"},
                                  {"pixel_ratio", "1.0"},
                                  {"cookies_enabled", "1"}});
  const FingerprintComparison comparison = CompareFingerprints(tower, Laptop(kFirefox142), policy_);
  EXPECT_EQ(comparison.categorical, CategoricalChange::kNone);
  EXPECT_DOUBLE_EQ(comparison.score, 0.8);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kHardChallenge);
}

TEST_F(DriftTest, HeadlessMarkerIsHardChallenge) {
  const FingerprintComparison comparison =
      CompareFingerprints(Laptop(kChrome136), Laptop(kHeadlessChrome139), policy_);
  EXPECT_EQ(comparison.categorical, CategoricalChange::kHeadlessMarker);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kHardChallenge);
  const ChangedAttribute* headless = FindChange(comparison, kHeadless);
  ASSERT_NE(headless, nullptr);
  EXPECT_EQ(headless->change, AttributeChange::kAdded);
}

TEST_F(DriftTest, WebdriverFlagIsHardChallenge) {
  const Fingerprint reference = Make({{"platform", "Win32"}, {"webdriver", "false"}});
  const Fingerprint presented = Make({{"platform", "Win32"}, {"webdriver", "true"}});
  const FingerprintComparison comparison = CompareFingerprints(reference, presented, policy_);
  EXPECT_EQ(comparison.categorical, CategoricalChange::kHeadlessMarker);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kHardChallenge);
}

TEST_F(DriftTest, HeadlessBaselineDoesNotFlagHeadlessLogin) {
  const FingerprintComparison comparison =
      CompareFingerprints(Laptop(kHeadlessChrome139), Laptop(kHeadlessChrome139), policy_);
  EXPECT_EQ(comparison.categorical, CategoricalChange::kNone);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kMatch);
}

TEST_F(DriftTest, DeviceClassChangeIsHardChallenge) {
  const Fingerprint phone = Make({{"user_agent", kAndroidChrome138}});
  const Fingerprint tablet = Make({{"user_agent", kAndroidTabletChrome138}});
  const FingerprintComparison comparison = CompareFingerprints(phone, tablet, policy_);
  EXPECT_EQ(comparison.categorical, CategoricalChange::kDeviceClass);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kHardChallenge);
}

TEST_F(DriftTest, CategoricalRulesCanBeTurnedOff) {
  policy_.hard_on_os_change = false;
  policy_.hard_on_device_class_change = false;
  policy_.weights[std::string(kOs)] = 0.05;
  policy_.weights[std::string(kDeviceClass)] = 0.0;
  policy_.weights[std::string(kPlatformFamily)] = 0.0;
  const Fingerprint windows = Make({{"user_agent", kChrome139}});
  const Fingerprint android =
      Make({{"user_agent",
             "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/139.0.0.0 Mobile Safari/537.36"}});
  const FingerprintComparison comparison = CompareFingerprints(windows, android, policy_);
  EXPECT_EQ(comparison.categorical, CategoricalChange::kNone);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kMatch);
}

TEST_F(DriftTest, RotatedScreenIsNoChange) {
  const Fingerprint portrait = Make({{"screen_width", "393"}, {"screen_height", "873"}});
  const Fingerprint landscape = Make({{"screen_width", "873"}, {"screen_height", "393"}});
  EXPECT_EQ(CompareFingerprints(portrait, landscape, policy_).score, 0.0);
}

TEST_F(DriftTest, ResizedScreenCountsBothAxes) {
  const Fingerprint small = Make({{"screen_width", "1536"}, {"screen_height", "864"}});
  const Fingerprint large = Make({{"screen_width", "2560"}, {"screen_height", "1440"}});
  const FingerprintComparison comparison = CompareFingerprints(small, large, policy_);
  EXPECT_EQ(ChangedNames(comparison), (std::vector<std::string>{"screen_height", "screen_width"}));
  EXPECT_DOUBLE_EQ(comparison.score, 0.2);
}

TEST_F(DriftTest, NumbersCompareByValue) {
  const Fingerprint text = Make({{"pixel_ratio", "2.0000000596046448"}, {"screen_width", "1536"}});
  const Fingerprint number = Make({{"pixel_ratio", "2"}, {"screen_width", "1536.0"}});
  EXPECT_EQ(CompareFingerprints(text, number, policy_).score, 0.0);
}

TEST_F(DriftTest, UnparseableNumbersCompareAsText) {
  const Fingerprint reference = Make({{"pixel_ratio", "20.000.000.596.046.400"}});
  EXPECT_EQ(CompareFingerprints(reference, reference, policy_).score, 0.0);
  const Fingerprint presented = Make({{"pixel_ratio", "2"}});
  EXPECT_DOUBLE_EQ(CompareFingerprints(reference, presented, policy_).score, 0.15);
}

TEST_F(DriftTest, BooleansCompareByValue) {
  const Fingerprint digit = Make({{"cookies_enabled", "1"}});
  const Fingerprint word = Make({{"cookies_enabled", "true"}});
  const Fingerprint off = Make({{"cookies_enabled", "false"}});
  EXPECT_EQ(CompareFingerprints(digit, word, policy_).score, 0.0);
  EXPECT_DOUBLE_EQ(CompareFingerprints(digit, off, policy_).score, 0.05);
}

TEST_F(DriftTest, LanguageTagsIgnoreCase) {
  const Fingerprint upper = Make({{"language", "en-US"}});
  const Fingerprint lower = Make({{"language", "en-us"}});
  const Fingerprint other = Make({{"language", "en"}});
  EXPECT_EQ(CompareFingerprints(upper, lower, policy_).score, 0.0);
  EXPECT_DOUBLE_EQ(CompareFingerprints(upper, other, policy_).score, 0.05);
}

TEST_F(DriftTest, RemovedAttributeCountsItsWeight) {
  const Fingerprint enrolled = Make({{"hardware_model", "Pixel 8"}, {"platform", "Linux"}});
  const Fingerprint presented = Make({{"platform", "Linux"}});
  const FingerprintComparison comparison = CompareFingerprints(enrolled, presented, policy_);
  const ChangedAttribute* model = FindChange(comparison, kHardwareModel);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->change, AttributeChange::kRemoved);
  EXPECT_DOUBLE_EQ(comparison.score, 0.6);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kHardChallenge);
}

TEST_F(DriftTest, AddedUnknownAttributeWeighsLittle) {
  const Fingerprint enrolled = Make({{"platform", "Linux"}});
  const Fingerprint presented = Make({{"platform", "Linux"}, {"gpu_vendor", "Intel"}});
  const FingerprintComparison comparison = CompareFingerprints(enrolled, presented, policy_);
  const ChangedAttribute* gpu = FindChange(comparison, "gpu_vendor");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->change, AttributeChange::kAdded);
  EXPECT_DOUBLE_EQ(comparison.score, policy_.unknown_attribute_weight);
}

TEST_F(DriftTest, RemovedUserAgentIsHardChallenge) {
  const Fingerprint without_user_agent = Make({{"platform", "Win32"},
                                               {"language", "en-US"},
                                               {"screen_width", "1536"},
                                               {"screen_height", "864"},
                                               {"pixel_ratio", "1.25"},
                                               {"cookies_enabled", "1"}});
  const FingerprintComparison comparison =
      CompareFingerprints(Laptop(kChrome139), without_user_agent, policy_);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kHardChallenge);
}

TEST_F(DriftTest, ScoreIsCappedAtOne) {
  const Fingerprint a = Make({{"hardware_model", "A"},
                              {"hardware_concurrency", "8"},
                              {"timezone", "Asia/Jakarta"},
                              {"color_depth", "24"}});
  const Fingerprint b = Make({{"hardware_model", "B"},
                              {"device_memory", "4"},
                              {"timezone", "Europe/Berlin"},
                              {"color_depth", "30"}});
  const FingerprintComparison comparison = CompareFingerprints(a, b, policy_);
  EXPECT_EQ(comparison.score, 1.0);
}

TEST_F(DriftTest, PlatformVariantWeighsLittle) {
  const Fingerprint win64 = Make({{"user_agent", kChrome139}, {"platform", "Win64"}});
  const Fingerprint win32 = Make({{"user_agent", kChrome139}, {"platform", "Win32"}});
  const FingerprintComparison comparison = CompareFingerprints(win64, win32, policy_);
  EXPECT_EQ(ChangedNames(comparison), (std::vector<std::string>{"platform"}));
  EXPECT_EQ(comparison.verdict, DriftVerdict::kMatch);
}

TEST_F(DriftTest, ThresholdIsInclusive) {
  policy_.soft_threshold = 0.15;
  const FingerprintComparison comparison =
      CompareFingerprints(Make({{"pixel_ratio", "1"}}), Make({{"pixel_ratio", "2"}}), policy_);
  EXPECT_DOUBLE_EQ(comparison.score, 0.15);
  EXPECT_EQ(comparison.verdict, DriftVerdict::kSoftChallenge);
}

TEST_F(DriftTest, AssessWithoutLastAcceptedUsesBaseline) {
  const DriftAssessment assessment =
      AssessDrift(Laptop(kEdge139), nullptr, Laptop(kChrome139), policy_);
  EXPECT_EQ(assessment.reference, DriftReference::kBaseline);
  EXPECT_FALSE(assessment.last_accepted.has_value());
  EXPECT_EQ(assessment.verdict, DriftVerdict::kSoftChallenge);
  EXPECT_DOUBLE_EQ(assessment.score(), 0.45);
}

TEST_F(DriftTest, AcceptedChangeIsNotFlaggedAgain) {
  const Fingerprint baseline = Laptop(kEdge139);
  const Fingerprint accepted = Laptop(kChrome139);
  const DriftAssessment assessment = AssessDrift(baseline, &accepted, Laptop(kChrome139), policy_);
  EXPECT_EQ(assessment.reference, DriftReference::kLastAccepted);
  EXPECT_EQ(assessment.verdict, DriftVerdict::kMatch);
  EXPECT_EQ(assessment.score(), 0.0);
  EXPECT_EQ(assessment.baseline.verdict, DriftVerdict::kSoftChallenge);
  EXPECT_FALSE(assessment.baseline_guard_applied);
}

TEST_F(DriftTest, ReturnToBaselineMatches) {
  const Fingerprint baseline = Laptop(kEdge139);
  const Fingerprint accepted = Laptop(kChrome139);
  const DriftAssessment assessment = AssessDrift(baseline, &accepted, Laptop(kEdge139), policy_);
  EXPECT_EQ(assessment.reference, DriftReference::kBaseline);
  EXPECT_EQ(assessment.verdict, DriftVerdict::kMatch);
}

TEST_F(DriftTest, TieKeepsBaseline) {
  const Fingerprint baseline = Laptop(kChrome139);
  const DriftAssessment assessment = AssessDrift(baseline, &baseline, Laptop(kChrome139), policy_);
  EXPECT_EQ(assessment.reference, DriftReference::kBaseline);
}

TEST_F(DriftTest, BaselineGuardRaisesCreepToSoft) {
  const Fingerprint baseline = Make({{"hardware_model", "A"}, {"platform", "Win32"}});
  const Fingerprint accepted = Make({{"hardware_model", "B"}, {"platform", "Win32"}});
  const DriftAssessment assessment = AssessDrift(baseline, &accepted, accepted, policy_);
  EXPECT_EQ(assessment.reference, DriftReference::kLastAccepted);
  EXPECT_EQ(assessment.baseline.verdict, DriftVerdict::kHardChallenge);
  EXPECT_EQ(assessment.verdict, DriftVerdict::kSoftChallenge);
  EXPECT_TRUE(assessment.baseline_guard_applied);
}

TEST_F(DriftTest, BaselineGuardCanBeTurnedOff) {
  policy_.baseline_guard = false;
  const Fingerprint baseline = Make({{"hardware_model", "A"}, {"platform", "Win32"}});
  const Fingerprint accepted = Make({{"hardware_model", "B"}, {"platform", "Win32"}});
  const DriftAssessment assessment = AssessDrift(baseline, &accepted, accepted, policy_);
  EXPECT_EQ(assessment.verdict, DriftVerdict::kMatch);
  EXPECT_FALSE(assessment.baseline_guard_applied);
}

TEST_F(DriftTest, AcceptedHeadlessDoesNotClearHeadlessMarker) {
  const Fingerprint baseline = Laptop(kChrome139);
  const Fingerprint accepted = Laptop(kHeadlessChrome139);
  const DriftAssessment assessment =
      AssessDrift(baseline, &accepted, Laptop(kHeadlessChrome139), policy_);
  EXPECT_EQ(assessment.reference, DriftReference::kBaseline);
  EXPECT_EQ(assessment.verdict, DriftVerdict::kHardChallenge);
  EXPECT_EQ(assessment.decisive().categorical, CategoricalChange::kHeadlessMarker);
}

TEST_F(DriftTest, NamesAreStable) {
  EXPECT_EQ(DriftVerdictName(DriftVerdict::kMatch), "match");
  EXPECT_EQ(DriftVerdictName(DriftVerdict::kSoftChallenge), "soft_challenge");
  EXPECT_EQ(DriftVerdictName(DriftVerdict::kHardChallenge), "hard_challenge");
  EXPECT_EQ(AttributeChangeName(AttributeChange::kDowngraded), "downgraded");
  EXPECT_EQ(CategoricalChangeName(CategoricalChange::kHeadlessMarker), "headless_marker");
  EXPECT_EQ(DriftReferenceName(DriftReference::kLastAccepted), "last_accepted");
}

}  // namespace
}  // namespace devtrust::trust
