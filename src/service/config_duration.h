// Durations in configuration files: a whole number and a unit, such as
// "500ms", "30s", "10m", "24h" or "30d".
#ifndef DEVTRUST_SERVICE_CONFIG_DURATION_H_
#define DEVTRUST_SERVICE_CONFIG_DURATION_H_

#include <chrono>
#include <string>
#include <string_view>

#include "base/error.h"

namespace devtrust::service {

// Parses "<digits><unit>" with unit ms, s, m, h or d and no spaces, up to
// 100 years. Errors: "invalid_duration" naming the accepted form.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The shortest exact form of `duration`, such as "2m" or "1500ms".
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_CONFIG_DURATION_H_
