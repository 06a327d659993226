// Helpers shared by the telemetry tests: a temporary directory, reading JSON
// lines back from a log file, and reading samples out of metrics text.
#ifndef DEVTRUST_TELEMETRY_TEST_SUPPORT_H_
#define DEVTRUST_TELEMETRY_TEST_SUPPORT_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/fallback_telemetry.h"
#include "telemetry/trust_event.h"

namespace devtrust::telemetry::testing {

// A directory under $TMPDIR (or /tmp) that is removed with its contents when
// the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The whole content of the file at `path`; empty when it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

// The lines of the file at `path`, without their '\n'. A final line without
// '\n' is returned too, so a torn write shows up as a line that fails to
// parse.
std::vector<std::string> ReadLines(const std::filesystem::path& path);

// Finds the sample whose name and labels are exactly `series` in the
// Prometheus text `exposition` and returns its value, or nullopt when there is
// no such sample. An example series is
// `replay_attempts_detected_total{kind="nonce_reused"}`.
std::optional<double> SampleValue(std::string_view exposition, std::string_view series);

// A trust event that passes ValidateTrustEvent: a trusted validation decision.
TrustEvent ValidDecisionEvent();

// A fallback record that passes ValidateFallbackTelemetry.
CryptoFallbackTelemetry ValidFallback();

}  // namespace devtrust::telemetry::testing

#endif  // DEVTRUST_TELEMETRY_TEST_SUPPORT_H_
