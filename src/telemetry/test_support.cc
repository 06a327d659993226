#include "telemetry/test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace devtrust::telemetry::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                        "/devtrust_telemetry_test.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
    std::abort();
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

std::vector<std::string> ReadLines(const std::filesystem::path& path) {
  const std::string text = ReadFile(path);

  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::optional<double> SampleValue(std::string_view exposition, std::string_view series) {
  std::size_t start = 0;
  while (start < exposition.size()) {
    std::size_t end = exposition.find('\n', start);
    if (end == std::string_view::npos) {
      end = exposition.size();
    }
    const std::string_view line = exposition.substr(start, end - start);
    if (line.size() > series.size() && line.starts_with(series) && line[series.size()] == ' ') {
      return std::strtod(std::string(line.substr(series.size() + 1)).c_str(), nullptr);
    }
    start = end + 1;
  }
  return std::nullopt;
}

TrustEvent ValidDecisionEvent() {
  TrustEvent event;
  event.timestamp = std::chrono::sys_days(std::chrono::year(2026) / 12 / 4) +
                    std::chrono::hours(19) + std::chrono::minutes(57) + std::chrono::seconds(28) +
                    std::chrono::milliseconds(123);
  event.level = Level::kInfo;
  event.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  event.user_id = "user-42";
  event.device_id = "dev-7f3a";
  event.flow = Flow::kValidation;
  event.flow_step = FlowStep::kDecision;
  event.fingerprint = "fp1:9c1185a5c5e9fc54612808977ee8f548b2258d31";
  event.trust_result = TrustResult::kTrusted;
  event.reason = "ok";
  event.latency_us = 1830;
  event.node = "node-a";
  event.commit = "0123456789abcdef0123456789abcdef01234567";
  return event;
}

CryptoFallbackTelemetry ValidFallback() {
  CryptoFallbackTelemetry fallback;
  fallback.algorithm = "X25519";
  fallback.requested_algorithm = "ML-KEM-768+X25519";
  fallback.reason = "mlkem_key_missing";
  fallback.flow_origin = FallbackOrigin::kSessionKem;
  fallback.user_id = "user-42";
  fallback.device_id = "dev-7f3a";
  fallback.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  fallback.node = "node-a";
  fallback.commit = "0123456789abcdef0123456789abcdef01234567";
  return fallback;
}

}  // namespace devtrust::telemetry::testing
