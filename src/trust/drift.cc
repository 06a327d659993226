#include "trust/drift.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

#include "trust/attributes.h"

namespace devtrust::trust {
namespace {

// Browsers report pixel ratios such as 2.0000000596046448 for 2, so numbers
// compare with a relative tolerance well below any real difference.
constexpr double kNumberTolerance = 1e-6;

std::optional<double> ParseNumber(std::string_view text) {
  double number = 0;
  const char* end = text.data() + text.size();
  const std::from_chars_result result = std::from_chars(text.data(), end, number);
  if (result.ec != std::errc() || result.ptr != end || !std::isfinite(number)) {
    return std::nullopt;
  }
  return number;
}

bool NumbersEqual(std::string_view a, std::string_view b) {
  const std::optional<double> x = ParseNumber(a);
  const std::optional<double> y = ParseNumber(b);
  if (!x || !y) {
    return a == b;
  }
  const double scale = std::max({1.0, std::fabs(*x), std::fabs(*y)});
  return std::fabs(*x - *y) <= kNumberTolerance * scale;
}

std::optional<bool> ParseBoolean(std::string_view text) {
  if (text == "true" || text == "1") {
    return true;
  }
  if (text == "false" || text == "0") {
    return false;
  }
  return std::nullopt;
}

bool BooleansEqual(std::string_view a, std::string_view b) {
  const std::optional<bool> x = ParseBoolean(a);
  const std::optional<bool> y = ParseBoolean(b);
  if (!x || !y) {
    return a == b;
  }
  return *x == *y;
}

bool EqualIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return lower(x) == lower(y);
  });
}

bool ValuesEqual(std::string_view name, std::string_view a, std::string_view b) {
  switch (KnownAttributeKind(name).value_or(AttributeKind::kText)) {
    case AttributeKind::kText:
      return a == b;
    case AttributeKind::kLanguageTag:
      return EqualIgnoringAsciiCase(a, b);
    case AttributeKind::kNumber:
      return NumbersEqual(a, b);
    case AttributeKind::kBoolean:
      return BooleansEqual(a, b);
  }
  return a == b;
}

// True when the presented screen is the reference screen turned by 90
// degrees: mobile browsers swap width and height with the orientation.
bool ScreenRotated(const Fingerprint& reference, const Fingerprint& presented) {
  const auto reference_width = reference.Find(kScreenWidth);
  const auto reference_height = reference.Find(kScreenHeight);
  const auto presented_width = presented.Find(kScreenWidth);
  const auto presented_height = presented.Find(kScreenHeight);
  if (!reference_width || !reference_height || !presented_width || !presented_height) {
    return false;
  }
  return NumbersEqual(*reference_width, *presented_height) &&
         NumbersEqual(*reference_height, *presented_width);
}

}  // namespace

bool CarriesHeadlessMarker(const Fingerprint& fingerprint) {
  if (!fingerprint.user_agent_info().headless_marker.empty()) {
    return true;
  }
  const auto webdriver = fingerprint.Find(kWebdriver);
  return webdriver && ParseBoolean(*webdriver).value_or(false);
}

namespace {

// The OS family from the user agent, or from the platform attribute when the
// user agent names none.
OsFamily EffectiveOs(const Fingerprint& fingerprint) {
  const OsFamily from_user_agent = fingerprint.user_agent_info().os;
  return from_user_agent != OsFamily::kUnknown ? from_user_agent : fingerprint.platform_family();
}

class ChangeList {
 public:
  explicit ChangeList(const DriftPolicy& policy) : policy_(policy) {}

  void Add(std::string_view name, AttributeChange change) {
    Add(name, change, policy_.WeightOf(name));
  }

  void Add(std::string_view name, AttributeChange change, double weight) {
    changes_.push_back(ChangedAttribute{std::string(name), change, weight});
  }

  std::vector<ChangedAttribute> Release() { return std::move(changes_); }

 private:
  const DriftPolicy& policy_;
  std::vector<ChangedAttribute> changes_;
};

void CompareReported(const Fingerprint& reference, const Fingerprint& presented,
                     ChangeList& changes) {
  const bool rotated = ScreenRotated(reference, presented);

  // Both maps are sorted by name, so one merge pass visits every name once.
  auto left = reference.attributes().begin();
  auto right = presented.attributes().begin();
  const auto left_end = reference.attributes().end();
  const auto right_end = presented.attributes().end();
  while (left != left_end || right != right_end) {
    if (right == right_end || (left != left_end && left->first < right->first)) {
      changes.Add(left->first, AttributeChange::kRemoved);
      ++left;
      continue;
    }
    if (left == left_end || right->first < left->first) {
      changes.Add(right->first, AttributeChange::kAdded);
      ++right;
      continue;
    }

    const std::string& name = left->first;
    const bool screen_axis = name == kScreenWidth || name == kScreenHeight;
    if (!(screen_axis && rotated) && !ValuesEqual(name, left->second, right->second)) {
      changes.Add(name, AttributeChange::kChanged);
    }
    ++left;
    ++right;
  }
}

void CompareBrowser(const UserAgentInfo& reference, const UserAgentInfo& presented,
                    const DriftPolicy& policy, ChangeList& changes) {
  if (reference.browser != presented.browser) {
    changes.Add(kBrowser, AttributeChange::kChanged);
    return;
  }

  // Versions of different browsers do not compare, so only a same-family
  // pair reaches this point.
  const std::optional<int>& before = reference.browser_major_version;
  const std::optional<int>& after = presented.browser_major_version;
  if (before && after) {
    if (*after > *before) {
      changes.Add(kBrowserVersion, AttributeChange::kUpgraded, policy.browser_update_weight);
    } else if (*after < *before) {
      changes.Add(kBrowserVersion, AttributeChange::kDowngraded);
    }
  } else if (before.has_value() != after.has_value()) {
    changes.Add(kBrowserVersion, AttributeChange::kChanged);
  }
}

void CompareDerived(const Fingerprint& reference, const Fingerprint& presented,
                    const DriftPolicy& policy, ChangeList& changes) {
  const UserAgentInfo& before = reference.user_agent_info();
  const UserAgentInfo& after = presented.user_agent_info();

  CompareBrowser(before, after, policy, changes);

  const OsFamily os_before = EffectiveOs(reference);
  const OsFamily os_after = EffectiveOs(presented);
  if (os_before != os_after) {
    changes.Add(kOs, AttributeChange::kChanged);
  } else if (before.os_version != after.os_version) {
    changes.Add(kOsVersion, AttributeChange::kChanged);
  }

  if (before.device_class != after.device_class) {
    changes.Add(kDeviceClass, AttributeChange::kChanged);
  }

  // Most current user agents omit the architecture, so it counts only when
  // both name one.
  if (before.cpu_architecture != CpuArchitecture::kUnknown &&
      after.cpu_architecture != CpuArchitecture::kUnknown &&
      before.cpu_architecture != after.cpu_architecture) {
    changes.Add(kCpuArchitecture, AttributeChange::kChanged);
  }

  const bool headless_before = !before.headless_marker.empty();
  const bool headless_after = !after.headless_marker.empty();
  if (headless_before != headless_after) {
    changes.Add(kHeadless, headless_after ? AttributeChange::kAdded : AttributeChange::kRemoved);
  }

  if (reference.platform_family() != presented.platform_family()) {
    changes.Add(kPlatformFamily, AttributeChange::kChanged);
  }
}

CategoricalChange FindCategoricalChange(const Fingerprint& reference, const Fingerprint& presented,
                                        const DriftPolicy& policy) {
  if (policy.hard_on_headless_marker && CarriesHeadlessMarker(presented) &&
      !CarriesHeadlessMarker(reference)) {
    return CategoricalChange::kHeadlessMarker;
  }

  const OsFamily os_before = EffectiveOs(reference);
  const OsFamily os_after = EffectiveOs(presented);
  if (policy.hard_on_os_change && os_before != OsFamily::kUnknown &&
      os_after != OsFamily::kUnknown && os_before != os_after) {
    return CategoricalChange::kOsFamily;
  }

  const DeviceClass class_before = reference.user_agent_info().device_class;
  const DeviceClass class_after = presented.user_agent_info().device_class;
  if (policy.hard_on_device_class_change && class_before != DeviceClass::kUnknown &&
      class_after != DeviceClass::kUnknown && class_before != class_after) {
    return CategoricalChange::kDeviceClass;
  }
  return CategoricalChange::kNone;
}

int Severity(DriftVerdict verdict) { return static_cast<int>(verdict); }

}  // namespace

std::string_view DriftVerdictName(DriftVerdict verdict) {
  switch (verdict) {
    case DriftVerdict::kMatch:
      return "match";
    case DriftVerdict::kSoftChallenge:
      return "soft_challenge";
    case DriftVerdict::kHardChallenge:
      return "hard_challenge";
  }
  return "unknown";
}

std::string_view AttributeChangeName(AttributeChange change) {
  switch (change) {
    case AttributeChange::kChanged:
      return "changed";
    case AttributeChange::kAdded:
      return "added";
    case AttributeChange::kRemoved:
      return "removed";
    case AttributeChange::kUpgraded:
      return "upgraded";
    case AttributeChange::kDowngraded:
      return "downgraded";
  }
  return "unknown";
}

std::string_view CategoricalChangeName(CategoricalChange change) {
  switch (change) {
    case CategoricalChange::kNone:
      return "none";
    case CategoricalChange::kHeadlessMarker:
      return "headless_marker";
    case CategoricalChange::kOsFamily:
      return "os_family";
    case CategoricalChange::kDeviceClass:
      return "device_class";
  }
  return "unknown";
}

std::string_view DriftReferenceName(DriftReference reference) {
  switch (reference) {
    case DriftReference::kBaseline:
      return "baseline";
    case DriftReference::kLastAccepted:
      return "last_accepted";
  }
  return "unknown";
}

FingerprintComparison CompareFingerprints(const Fingerprint& reference,
                                          const Fingerprint& presented, const DriftPolicy& policy) {
  ChangeList changes(policy);
  CompareReported(reference, presented, changes);
  CompareDerived(reference, presented, policy, changes);

  FingerprintComparison comparison;
  comparison.changes = changes.Release();

  double sum = 0.0;
  for (const ChangedAttribute& change : comparison.changes) {
    sum += change.weight;
  }
  comparison.score = std::round(std::min(sum, 1.0) * 10000.0) / 10000.0;

  comparison.categorical = FindCategoricalChange(reference, presented, policy);
  if (comparison.categorical != CategoricalChange::kNone ||
      comparison.score >= policy.hard_threshold) {
    comparison.verdict = DriftVerdict::kHardChallenge;
  } else if (comparison.score >= policy.soft_threshold) {
    comparison.verdict = DriftVerdict::kSoftChallenge;
  } else {
    comparison.verdict = DriftVerdict::kMatch;
  }
  return comparison;
}

DriftAssessment AssessDrift(const Fingerprint& baseline, const Fingerprint* last_accepted,
                            const Fingerprint& presented, const DriftPolicy& policy) {
  DriftAssessment assessment;
  assessment.baseline = CompareFingerprints(baseline, presented, policy);
  if (last_accepted != nullptr) {
    assessment.last_accepted = CompareFingerprints(*last_accepted, presented, policy);
  }

  // A headless marker is judged against the enrolled device only: an
  // automated login that was once accepted must not make the next one pass.
  const bool headless_vs_baseline =
      assessment.baseline.categorical == CategoricalChange::kHeadlessMarker;
  if (assessment.last_accepted && !headless_vs_baseline) {
    const FingerprintComparison& base = assessment.baseline;
    const FingerprintComparison& accepted = *assessment.last_accepted;
    const bool accepted_milder = Severity(accepted.verdict) < Severity(base.verdict) ||
                                 (accepted.verdict == base.verdict && accepted.score < base.score);
    if (accepted_milder) {
      assessment.reference = DriftReference::kLastAccepted;
    }
  }
  assessment.verdict = assessment.decisive().verdict;

  if (policy.baseline_guard && assessment.reference == DriftReference::kLastAccepted &&
      assessment.verdict == DriftVerdict::kMatch &&
      assessment.baseline.verdict == DriftVerdict::kHardChallenge) {
    assessment.verdict = DriftVerdict::kSoftChallenge;
    assessment.baseline_guard_applied = true;
  }
  return assessment;
}

}  // namespace devtrust::trust
