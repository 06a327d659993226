// Fingerprint drift: how far a presented fingerprint moved from the enrolled
// baseline and from the last accepted fingerprint, and what that earns.
//
// Each comparison lists the reported and derived attributes that differ with
// their weights (DriftPolicy), sums the weights into a score in [0, 1] and
// maps it to a verdict. Some changes are hard challenges whatever the score:
// a headless marker appearing, the OS family or the device class changing.
#ifndef DEVTRUST_TRUST_DRIFT_H_
#define DEVTRUST_TRUST_DRIFT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trust/drift_policy.h"
#include "trust/fingerprint.h"

namespace devtrust::trust {

enum class DriftVerdict {
  kMatch,          // below the soft threshold
  kSoftChallenge,  // the login gets a soft challenge and the device is queued for review
  kHardChallenge,  // a verification failure: hard challenge
};

// "match", "soft_challenge", "hard_challenge".
std::string_view DriftVerdictName(DriftVerdict verdict);

enum class AttributeChange {
  kChanged,
  kAdded,       // present only in the presented fingerprint
  kRemoved,     // present only in the reference fingerprint
  kUpgraded,    // browser major version went up
  kDowngraded,  // browser major version went down
};

// "changed", "added", "removed", "upgraded", "downgraded".
std::string_view AttributeChangeName(AttributeChange change);

// A change that makes a hard challenge whatever the score.
enum class CategoricalChange {
  kNone,
  kHeadlessMarker,  // "headless_marker"
  kOsFamily,        // "os_family"
  kDeviceClass,     // "device_class"
};

std::string_view CategoricalChangeName(CategoricalChange change);

struct ChangedAttribute {
  std::string name;  // a reported name or a derived name from attributes.h
  AttributeChange change = AttributeChange::kChanged;
  double weight = 0.0;

  bool operator==(const ChangedAttribute&) const = default;
};

struct FingerprintComparison {
  // The sum of the weights of `changes`, capped at 1 and rounded to 4
  // decimals, so that a sum that reads 0.3 compares equal to a threshold of
  // 0.3 instead of landing just above or below it.
  double score = 0.0;
  // Reported attributes in name order, then derived attributes.
  std::vector<ChangedAttribute> changes;
  CategoricalChange categorical = CategoricalChange::kNone;
  DriftVerdict verdict = DriftVerdict::kMatch;
};

// Compares `presented` with `reference`. `policy` must pass Validate.
FingerprintComparison CompareFingerprints(const Fingerprint& reference,
                                          const Fingerprint& presented, const DriftPolicy& policy);

enum class DriftReference {
  kBaseline,      // "baseline"
  kLastAccepted,  // "last_accepted"
};

std::string_view DriftReferenceName(DriftReference reference);

struct DriftAssessment {
  FingerprintComparison baseline;
  std::optional<FingerprintComparison> last_accepted;
  // The comparison that decided: the one with the milder verdict, then the
  // lower score; the baseline on a tie. A headless marker that the baseline
  // lacks always decides through the baseline.
  DriftReference reference = DriftReference::kBaseline;
  DriftVerdict verdict = DriftVerdict::kMatch;
  // True when DriftPolicy::baseline_guard raised a match to a soft challenge.
  bool baseline_guard_applied = false;

  const FingerprintComparison& decisive() const {
    return reference == DriftReference::kLastAccepted ? *last_accepted : baseline;
  }
  double score() const { return decisive().score; }
};

// Returns true when the fingerprint marks an automated browser: a headless
// token in user_agent (such as "HeadlessChrome") or webdriver set to true.
bool CarriesHeadlessMarker(const Fingerprint& fingerprint);

// Assesses `presented` against the enrolled `baseline` and, when not null,
// the fingerprint of the last accepted login. Taking the closer of the two
// keeps a benign change, once accepted, from being flagged at every later
// login. `policy` must pass Validate.
DriftAssessment AssessDrift(const Fingerprint& baseline, const Fingerprint* last_accepted,
                            const Fingerprint& presented, const DriftPolicy& policy);

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_DRIFT_H_
