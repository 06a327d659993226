#include "ops/path_glob.h"

#include <fmt/format.h>

#include <cstddef>

namespace devtrust::ops {
namespace {

constexpr std::size_t kMaxPatternBytes = 1024;
constexpr std::string_view kAnySegments = "**";

std::vector<std::string_view> SplitSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(path.substr(start));
      return segments;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

// Matches one segment against '*' and '?' wildcards. The loop remembers the
// last '*' and retries from one character further on a mismatch, which is
// linear in practice and never recurses.
bool MatchSegment(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

// Matches segment lists; a "**" segment takes zero or more path segments.
// can_match[i][j] is whether pattern[i:] matches path[j:], filled backwards so
// the cost stays at pattern size times path size.
bool MatchSegments(const std::vector<std::string>& pattern,
                   const std::vector<std::string_view>& path) {
  const std::size_t rows = pattern.size() + 1;
  const std::size_t columns = path.size() + 1;
  std::vector<char> can_match(rows * columns, 0);
  auto at = [&](std::size_t i, std::size_t j) -> char& { return can_match[i * columns + j]; };

  at(pattern.size(), path.size()) = 1;
  for (std::size_t i = pattern.size(); i-- > 0;) {
    for (std::size_t j = path.size() + 1; j-- > 0;) {
      if (pattern[i] == kAnySegments) {
        at(i, j) = static_cast<char>(at(i + 1, j) != 0 || (j < path.size() && at(i, j + 1) != 0));
      } else {
        at(i, j) = static_cast<char>(j < path.size() && MatchSegment(pattern[i], path[j]) &&
                                     at(i + 1, j + 1) != 0);
      }
    }
  }
  return at(0, 0) != 0;
}

std::unexpected<Error> InvalidGlob(std::string_view pattern, std::string_view problem) {
  return MakeError(StatusCode::kInvalidArgument, "glob_invalid",
                   fmt::format("invalid path glob \"{}\": {}", pattern, problem));
}

}  // namespace

Result<PathGlob> PathGlob::Parse(std::string_view pattern) {
  if (pattern.empty()) {
    return InvalidGlob(pattern, "the pattern is empty");
  }
  if (pattern.size() > kMaxPatternBytes) {
    return MakeError(StatusCode::kInvalidArgument, "glob_invalid",
                     fmt::format("a path glob is {} bytes long, more than the maximum of {}",
                                 pattern.size(), kMaxPatternBytes));
  }
  for (char c : pattern) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidGlob("(not shown)", "the pattern contains a control character");
    }
  }
  if (pattern.front() == '/') {
    return InvalidGlob(pattern,
                       "patterns are relative to the repository root; remove the leading '/'");
  }

  std::vector<std::string> segments;
  for (std::string_view segment : SplitSegments(pattern)) {
    if (segment.empty()) {
      return InvalidGlob(pattern, "it contains an empty segment (\"//\" or a trailing '/')");
    }
    if (segment == "." || segment == "..") {
      return InvalidGlob(pattern, "'.' and '..' segments are not allowed");
    }
    if (segment != kAnySegments && segment.find(kAnySegments) != std::string_view::npos) {
      return InvalidGlob(pattern, "\"**\" must be a whole segment, as in \"src/**/keys.h\"");
    }
    segments.emplace_back(segment);
  }
  return PathGlob(std::string(pattern), std::move(segments));
}

bool PathGlob::Matches(std::string_view path) const {
  return MatchSegments(segments_, SplitSegments(path));
}

}  // namespace devtrust::ops
