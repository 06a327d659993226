#include "trust/quoted.h"

#include <fmt/format.h>

namespace devtrust::trust {

std::string Quoted(std::string_view text, std::size_t max_bytes) {
  const bool truncated = text.size() > max_bytes;
  if (truncated) {
    text = text.substr(0, max_bytes);
  }

  std::string quoted = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
      quoted += fmt::format("\\x{:02x}", byte);
    } else {
      quoted += c;
    }
  }
  quoted += truncated ? "...\"" : "\"";
  return quoted;
}

}  // namespace devtrust::trust
