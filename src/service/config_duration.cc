#include "service/config_duration.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <utility>

namespace devtrust::service {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t milliseconds;
};

// Longest suffix first, so that "ms" is not read as "m" followed by "s".
constexpr std::array<Unit, 5> kUnits = {
    {{"ms", 1}, {"s", 1'000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};

constexpr std::int64_t kMaxMilliseconds = std::int64_t{100} * 365 * 86'400'000;

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  const auto invalid = [&text] {
    return MakeError(StatusCode::kInvalidArgument, "invalid_duration",
                     "\"" + std::string(text.substr(0, 32)) +
                         "\" is not a duration; write a whole number and a unit (ms, s, m, h or "
                         "d) such as 30s or 10m");
  };

  for (const Unit& unit : kUnits) {
    if (!text.ends_with(unit.suffix)) continue;
    const std::string_view digits = text.substr(0, text.size() - unit.suffix.size());
    if (digits.empty() || digits.front() < '0' || digits.front() > '9') return invalid();
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) return invalid();
    if (value > kMaxMilliseconds / unit.milliseconds) return invalid();
    return std::chrono::milliseconds(value * unit.milliseconds);
  }
  return invalid();
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  const std::int64_t milliseconds = duration.count();
  for (auto unit = kUnits.rbegin(); unit != kUnits.rend(); ++unit) {
    if (milliseconds != 0 && milliseconds % unit->milliseconds == 0) {
      return std::to_string(milliseconds / unit->milliseconds) + std::string(unit->suffix);
    }
  }
  return std::to_string(milliseconds) + "ms";
}

}  // namespace devtrust::service
