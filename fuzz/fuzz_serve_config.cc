// libFuzzer target for the YAML configuration of `devtrust serve`. An
// operator's file is trusted more than a request, but a typo or a truncated
// file must still end in a config_invalid error and never in a crash or a
// hang in yaml-cpp or in the checks on each key.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "service/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > devtrust::service::kMaxConfigFileBytes) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  devtrust::Result<devtrust::service::ServeConfig> config =
      devtrust::service::ParseServeConfig(text);
  if (!config && config.error().reason() != "config_invalid") __builtin_trap();
  return 0;
}
