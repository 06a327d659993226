#include "loadgen/bench_fingerprint.h"

#include <string_view>
#include <utility>

namespace devtrust::loadgen {

Result<trust::Fingerprint> BenchFingerprint() {
  const std::pair<std::string_view, std::string_view> attributes[] = {
      {"user_agent",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36"},
      {"platform", "Win32"},
      {"screen_width", "1920"},
      {"screen_height", "1080"},
      {"timezone", "Europe/Berlin"},
      {"language", "en-US"}};
  return trust::Fingerprint::FromAttributes(attributes);
}

}  // namespace devtrust::loadgen
