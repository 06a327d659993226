// Glob patterns over repository-relative paths, as used in CI configuration.
//
// A pattern is a '/'-separated list of segments. "**" as a whole segment
// matches zero or more path segments. Inside a segment, '*' matches any run of
// characters except '/', and '?' matches one character except '/'. Every other
// character matches itself. Matching is case-sensitive, like git paths.
// Examples: "src/crypto/**" matches "src/crypto/aead.cc" and
// "src/crypto/x509/parse.cc"; "src/*/keys.h" matches "src/crypto/keys.h" only.
#ifndef DEVTRUST_OPS_PATH_GLOB_H_
#define DEVTRUST_OPS_PATH_GLOB_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace devtrust::ops {

class PathGlob {
 public:
  // Parses `pattern`. Errors: kInvalidArgument "glob_invalid" for an empty
  // pattern, a leading '/', an empty segment ("a//b"), a "." or ".." segment,
  // "**" combined with other characters in one segment, a control character,
  // or a pattern longer than 1024 bytes.
  static Result<PathGlob> Parse(std::string_view pattern);

  // Whether `path` (relative, '/'-separated, as git prints it) matches.
  bool Matches(std::string_view path) const;

  const std::string& pattern() const { return pattern_; }

 private:
  explicit PathGlob(std::string pattern, std::vector<std::string> segments)
      : pattern_(std::move(pattern)), segments_(std::move(segments)) {}

  std::string pattern_;
  std::vector<std::string> segments_;
};

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_PATH_GLOB_H_
