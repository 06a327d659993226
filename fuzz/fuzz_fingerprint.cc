// libFuzzer target for fingerprint JSON: the text goes through
// boost::json::parse and ParseStrictJson, the fingerprint parser, the
// canonical encoding and drift scoring against a fixed baseline. Besides the
// sanitizers it checks invariants that must hold for every input and traps
// when one breaks:
//   - text the strict parser accepts, boost::json::parse accepts with the
//     same value (the strict parser only rejects more);
//   - both decoders yield the same fingerprint result;
//   - the canonical JSON parses back to an equal fingerprint and equal bytes;
//   - scores lie in [0, 1], a fingerprint compared with itself scores 0, and
//     a last accepted fingerprint equal to the presented one leaves a match
//     unless the baseline guard or a headless marker intervenes.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trust/decision.h"
#include "trust/drift.h"
#include "trust/fingerprint.h"
#include "trust/strict_json.h"

namespace {

using devtrust::Result;
using devtrust::trust::AssessDrift;
using devtrust::trust::CategoricalChange;
using devtrust::trust::CompareFingerprints;
using devtrust::trust::DecideForDrift;
using devtrust::trust::DriftAssessment;
using devtrust::trust::DriftPolicy;
using devtrust::trust::DriftVerdict;
using devtrust::trust::Fingerprint;
using devtrust::trust::FingerprintComparison;

void CheckInvariant(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

const Fingerprint& Baseline() {
  static const Fingerprint baseline = [] {
    const std::vector<std::pair<std::string_view, std::string_view>> attributes = {
        {"user_agent",
         "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/136.0.0.0 Safari/537.36"},
        {"platform", "Win32"},
        {"language", "en-US"},
        {"screen_width", "1536"},
        {"screen_height", "864"},
        {"pixel_ratio", "1.25"},
        {"cookies_enabled", "1"},
    };
    return *Fingerprint::FromAttributes(attributes);
  }();
  return baseline;
}

void CheckComparison(const FingerprintComparison& comparison) {
  CheckInvariant(comparison.score >= 0.0 && comparison.score <= 1.0);
}

void Exercise(const Fingerprint& fingerprint) {
  static const DriftPolicy policy;

  const std::string canonical = fingerprint.CanonicalJson();
  const Result<Fingerprint> reread = Fingerprint::FromJsonText(canonical);
  CheckInvariant(reread.has_value());
  CheckInvariant(*reread == fingerprint);
  CheckInvariant(reread->CanonicalJson() == canonical);

  CheckComparison(CompareFingerprints(Baseline(), fingerprint, policy));
  CheckComparison(CompareFingerprints(fingerprint, Baseline(), policy));

  const FingerprintComparison self = CompareFingerprints(fingerprint, fingerprint, policy);
  CheckInvariant(self.score == 0.0);
  CheckInvariant(self.changes.empty());
  CheckInvariant(self.verdict == DriftVerdict::kMatch);

  const DriftAssessment assessment = AssessDrift(Baseline(), &fingerprint, fingerprint, policy);
  CheckInvariant(assessment.verdict == DriftVerdict::kMatch || assessment.baseline_guard_applied ||
                 assessment.baseline.categorical == CategoricalChange::kHeadlessMarker);
  static_cast<void>(DecideForDrift(assessment));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  boost::system::error_code error;
  const boost::json::value lenient = boost::json::parse(text, error);
  const Result<boost::json::value> strict = devtrust::trust::ParseStrictJson(text);
  if (strict) {
    CheckInvariant(!error);
    CheckInvariant(*strict == lenient);
  }

  const Result<Fingerprint> from_text = Fingerprint::FromJsonText(text);
  if (strict) {
    const Result<Fingerprint> from_value = Fingerprint::FromJson(*strict);
    CheckInvariant(from_value.has_value() == from_text.has_value());
    if (from_value) {
      CheckInvariant(*from_value == *from_text);
    }
  }

  if (from_text) {
    Exercise(*from_text);
  }
  return 0;
}
