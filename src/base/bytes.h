// Byte buffers and views used across devtrust.
#ifndef DEVTRUST_BASE_BYTES_H_
#define DEVTRUST_BASE_BYTES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace devtrust {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView AsBytes(std::string_view text) {
  return ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

inline std::string_view AsString(ByteView bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

inline Bytes ToBytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

}  // namespace devtrust

#endif  // DEVTRUST_BASE_BYTES_H_
