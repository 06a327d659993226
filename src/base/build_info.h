// Facts about this build, generated at build time by cmake/WriteBuildInfo.cmake.
#ifndef DEVTRUST_BASE_BUILD_INFO_H_
#define DEVTRUST_BASE_BUILD_INFO_H_

#include <string_view>

namespace devtrust {

// The project version, such as "0.1.0".
std::string_view BuildVersion();

// The full git commit SHA the binary was built from, with "-dirty" appended when
// tracked files had uncommitted changes, or "unknown" outside a git checkout.
std::string_view BuildCommit();

// The CMake build type, such as "Release" or "Debug+asan+ubsan".
std::string_view BuildType();

}  // namespace devtrust

#endif  // DEVTRUST_BASE_BUILD_INFO_H_
