// Helpers shared by the crypto tests: bit flips, algorithm lists, a scratch
// directory and running the openssl command-line tool.
#ifndef DEVTRUST_CRYPTO_TEST_UTIL_H_
#define DEVTRUST_CRYPTO_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "crypto/keys.h"

namespace devtrust::crypto::testing {

inline constexpr std::array kAllAlgorithms = {
    KeyAlgorithm::kMlDsa65,   KeyAlgorithm::kMlDsa87,   KeyAlgorithm::kMlKem768,
    KeyAlgorithm::kMlKem1024, KeyAlgorithm::kEcdsaP256, KeyAlgorithm::kX25519,
};
inline constexpr std::array kSignatureAlgorithms = {KeyAlgorithm::kMlDsa65, KeyAlgorithm::kMlDsa87,
                                                    KeyAlgorithm::kEcdsaP256};
inline constexpr std::array kMlDsaAlgorithms = {KeyAlgorithm::kMlDsa65, KeyAlgorithm::kMlDsa87};
inline constexpr std::array kMlKemAlgorithms = {KeyAlgorithm::kMlKem768, KeyAlgorithm::kMlKem1024};
inline constexpr std::array kNonSigningAlgorithms = {
    KeyAlgorithm::kMlKem768, KeyAlgorithm::kMlKem1024, KeyAlgorithm::kX25519};

// Test names for INSTANTIATE_TEST_SUITE_P: "MlDsa65", "EcdsaP256", ...
inline std::string AlgorithmTestName(const ::testing::TestParamInfo<KeyAlgorithm>& info) {
  std::string name;
  for (char c : KeyAlgorithmName(info.param)) {
    if (c != '-') {
      name += c;
    }
  }
  return name;
}

inline Bytes FlipBit(ByteView bytes, std::size_t bit) {
  Bytes changed(bytes.begin(), bytes.end());
  changed[bit / 8] = static_cast<std::uint8_t>(changed[bit / 8] ^ (1u << (bit % 8)));
  return changed;
}

inline Bytes Concat(ByteView a, ByteView b) {
  Bytes joined(a.begin(), a.end());
  joined.insert(joined.end(), b.begin(), b.end());
  return joined;
}

// A fixed, reproducible byte pattern of `size` bytes.
inline Bytes PatternBytes(std::size_t size, std::uint8_t start = 0) {
  Bytes bytes(size);
  for (std::size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<std::uint8_t>(start + i);
  }
  return bytes;
}

// A fresh directory under the system temporary directory, removed with its
// contents when the object goes out of scope.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("devtrust_crypto_test_" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path WriteFile(const std::string& name, std::string_view contents) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    return file;
  }

  std::string ReadFile(const std::string& name) const {
    std::ifstream in(path_ / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs the openssl command-line tool that the build found, with `arguments`
// passed through the shell; the caller quotes paths.
inline CommandResult RunOpenSsl(const std::string& arguments) {
  const std::string command = std::string(DEVTRUST_OPENSSL_BIN) + " " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer{};
  std::size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), read);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace devtrust::crypto::testing

#endif  // DEVTRUST_CRYPTO_TEST_UTIL_H_
