// Helpers shared by the CA tests: a scratch directory, fixed times, file
// modes and bit flips.
#ifndef DEVTRUST_PKI_TEST_UTIL_H_
#define DEVTRUST_PKI_TEST_UTIL_H_

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "crypto/x509_types.h"

namespace devtrust::pki::testing {

// A fixed time, so that validity periods in expectations are exact.
inline crypto::TimePoint TestTime() {
  return crypto::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 3 / 14) +
                           std::chrono::hours(9));
}

// A fresh directory under the system temporary directory, removed with its
// contents when the object goes out of scope.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("devtrust_pki_test_" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The permission bits of `path`, such as 0600.
inline unsigned FileMode(const std::filesystem::path& path) {
  struct stat status{};
  if (::stat(path.c_str(), &status) != 0) {
    return 0xffff;
  }
  return static_cast<unsigned>(status.st_mode & 07777);
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline Bytes FlipBit(ByteView bytes, std::size_t bit) {
  Bytes changed(bytes.begin(), bytes.end());
  changed[bit / 8] = static_cast<std::uint8_t>(changed[bit / 8] ^ (1u << (bit % 8)));
  return changed;
}

// About `count` bit positions spread evenly over an encoding of `size` bytes.
inline std::vector<std::size_t> SpreadBitPositions(std::size_t size, std::size_t count) {
  std::vector<std::size_t> positions;
  const std::size_t total = size * 8;
  const std::size_t stride = std::max<std::size_t>(1, total / count) | 1;
  for (std::size_t bit = 0; bit < total; bit += stride) {
    positions.push_back(bit);
  }
  return positions;
}

}  // namespace devtrust::pki::testing

#endif  // DEVTRUST_PKI_TEST_UTIL_H_
