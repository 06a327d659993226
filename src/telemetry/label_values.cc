#include "telemetry/label_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace devtrust::telemetry {
namespace {

bool IsAllowedCharacter(char c) { return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\'; }

}  // namespace

Result<LabelValues> LabelValues::Create(std::string_view label_name,
                                        std::vector<std::string> allowed) {
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    const std::string& value = allowed[i];
    if (value.empty() || value.size() > kMaxLabelValueLength ||
        !std::all_of(value.begin(), value.end(), IsAllowedCharacter)) {
      return MakeError(
          StatusCode::kInvalidArgument, "invalid_label_values",
          fmt::format("label {} value {:?} must be 1 to {} printable ASCII characters "
                      "without quotes or backslashes",
                      label_name, value.substr(0, kMaxLabelValueLength + 1), kMaxLabelValueLength));
    }
    if (value == kOtherLabelValue) {
      return MakeError(StatusCode::kInvalidArgument, "invalid_label_values",
                       fmt::format("label {} lists \"{}\", which is reserved for values outside "
                                   "the list; remove it",
                                   label_name, kOtherLabelValue));
    }
    if (std::find(allowed.begin(), allowed.begin() + static_cast<std::ptrdiff_t>(i), value) !=
        allowed.begin() + static_cast<std::ptrdiff_t>(i)) {
      return MakeError(
          StatusCode::kInvalidArgument, "invalid_label_values",
          fmt::format("label {} lists \"{}\" twice; remove the duplicate", label_name, value));
    }
  }

  allowed.emplace_back(kOtherLabelValue);
  return LabelValues(std::string(label_name), std::move(allowed));
}

LabelValues::LabelValues(std::string label_name, std::vector<std::string> values)
    : label_name_(std::move(label_name)), values_(std::move(values)) {
  for (std::size_t i = 0; i + 1 < values_.size(); ++i) {
    sorted_.push_back(i);
  }
  std::sort(sorted_.begin(), sorted_.end(),
            [this](std::size_t a, std::size_t b) { return values_[a] < values_[b]; });
}

std::size_t LabelValues::IndexOf(std::string_view value) const {
  const auto it = std::lower_bound(
      sorted_.begin(), sorted_.end(), value,
      [this](std::size_t index, std::string_view key) { return values_[index] < key; });
  if (it == sorted_.end() || values_[*it] != value) {
    return other_index();
  }
  return *it;
}

}  // namespace devtrust::telemetry
