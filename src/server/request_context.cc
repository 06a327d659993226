#include "server/request_context.h"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>

#include "base/encoding.h"

namespace devtrust::server {
namespace {

constexpr std::size_t kTraceIdBytes = 16;
constexpr std::size_t kTraceIdHexDigits = 2 * kTraceIdBytes;
constexpr std::size_t kParentIdHexDigits = 16;
// "vv-" + trace-id + "-" + parent-id + "-ff"
constexpr std::size_t kTraceparentVersion00Length =
    3 + kTraceIdHexDigits + 1 + kParentIdHexDigits + 3;

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsAllZeros(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

void FillRandom(std::array<std::uint8_t, kTraceIdBytes>& bytes) {
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      // Without GRND_NONBLOCK, getrandom(2) fails only with EFAULT, EINVAL or
      // ENOSYS (kernels before 3.17), and retrying cannot fix any of them.
      std::abort();
    }
    filled += static_cast<std::size_t>(got);
  }
}

}  // namespace

std::string_view RequestContext::PathParameter(std::string_view name) const {
  for (const auto& [key, value] : path_parameters) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

std::optional<std::string_view> RequestContext::QueryParameter(std::string_view name) const {
  for (const auto& [key, value] : query_parameters) {
    if (key == name) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

std::string GenerateTraceId() {
  std::array<std::uint8_t, kTraceIdBytes> bytes{};
  do {
    FillRandom(bytes);
  } while (std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; }));
  return HexEncode(bytes);
}

std::optional<std::string> TraceIdFromTraceparent(std::string_view header) {
  if (header.size() < kTraceparentVersion00Length) {
    return std::nullopt;
  }

  const std::string_view version = header.substr(0, 2);
  const std::string_view trace_id = header.substr(3, kTraceIdHexDigits);
  const std::string_view parent_id = header.substr(4 + kTraceIdHexDigits, kParentIdHexDigits);
  const std::string_view flags = header.substr(5 + kTraceIdHexDigits + kParentIdHexDigits, 2);

  // Separators and field syntax.
  if (header[2] != '-' || header[3 + kTraceIdHexDigits] != '-' ||
      header[4 + kTraceIdHexDigits + kParentIdHexDigits] != '-') {
    return std::nullopt;
  }
  if (!IsLowerHex(version) || !IsLowerHex(trace_id) || !IsLowerHex(parent_id) ||
      !IsLowerHex(flags)) {
    return std::nullopt;
  }

  // Version ff is invalid. Version 00 has exactly four fields, and later versions
  // may append fields, each after a '-'.
  if (version == "ff") {
    return std::nullopt;
  }
  if (version == "00" && header.size() != kTraceparentVersion00Length) {
    return std::nullopt;
  }
  if (header.size() > kTraceparentVersion00Length && header[kTraceparentVersion00Length] != '-') {
    return std::nullopt;
  }

  if (IsAllZeros(trace_id) || IsAllZeros(parent_id)) {
    return std::nullopt;
  }
  return std::string(trace_id);
}

}  // namespace devtrust::server
