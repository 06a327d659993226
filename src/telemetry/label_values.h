// LabelValues: the bounded set of values one metric label may take.
//
// Every label value of a devtrust metric comes from a fixed enumeration or an
// allowlist, and anything else is counted as "other". A client that sends a
// new reason code or a raw URL path therefore adds no time series, and the
// number of series per metric stays fixed.
#ifndef DEVTRUST_TELEMETRY_LABEL_VALUES_H_
#define DEVTRUST_TELEMETRY_LABEL_VALUES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace devtrust::telemetry {

// The label value that every value outside the allowlist maps to.
inline constexpr std::string_view kOtherLabelValue = "other";

// Maximum byte length of an allowlisted label value.
inline constexpr std::size_t kMaxLabelValueLength = 64;

class LabelValues {
 public:
  // Builds the set from `allowed`, in that order, and appends "other" as the
  // last value. Each allowed value must be 1 to kMaxLabelValueLength
  // printable ASCII characters other than '"' and '\', unique, and not
  // "other".
  // Errors: kInvalidArgument, reason "invalid_label_values", naming
  // `label_name` and the value.
  static Result<LabelValues> Create(std::string_view label_name, std::vector<std::string> allowed);

  // The position of `value` in the allowlist, or other_index() when it is not
  // allowlisted.
  std::size_t IndexOf(std::string_view value) const;

  // The value at `index`, which must be less than size().
  const std::string& ValueAt(std::size_t index) const { return values_[index]; }

  // Maps `value` to itself when allowlisted and to "other" otherwise.
  const std::string& Clamp(std::string_view value) const { return ValueAt(IndexOf(value)); }

  // The number of values, counting "other".
  std::size_t size() const { return values_.size(); }
  std::size_t other_index() const { return values_.size() - 1; }
  const std::string& label_name() const { return label_name_; }

 private:
  LabelValues(std::string label_name, std::vector<std::string> values);

  std::string label_name_;
  std::vector<std::string> values_;  // allowlist order, then "other"

  // Indexes of the allowlisted values, sorted by value, for binary search.
  std::vector<std::size_t> sorted_;
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_LABEL_VALUES_H_
