#include "ops/path_glob.h"

#include <gtest/gtest.h>

#include <string>

namespace devtrust::ops {
namespace {

PathGlob MustParse(std::string_view pattern) {
  Result<PathGlob> glob = PathGlob::Parse(pattern);
  EXPECT_TRUE(glob.has_value()) << pattern;
  return std::move(glob).value();
}

TEST(PathGlobTest, DoubleStarMatchesAnyDepth) {
  PathGlob glob = MustParse("src/crypto/**");

  EXPECT_TRUE(glob.Matches("src/crypto/aead.cc"));
  EXPECT_TRUE(glob.Matches("src/crypto/internal/pem.cc"));
  EXPECT_FALSE(glob.Matches("src/cryptography/aead.cc"));
  EXPECT_FALSE(glob.Matches("src/pki/ca.cc"));
  EXPECT_FALSE(glob.Matches("docs/src/crypto/aead.cc"));
}

TEST(PathGlobTest, DoubleStarInMiddleMatchesZeroSegments) {
  PathGlob glob = MustParse("src/**/keys.h");

  EXPECT_TRUE(glob.Matches("src/keys.h"));
  EXPECT_TRUE(glob.Matches("src/crypto/keys.h"));
  EXPECT_TRUE(glob.Matches("src/a/b/c/keys.h"));
  EXPECT_FALSE(glob.Matches("src/crypto/keys.cc"));
}

TEST(PathGlobTest, LeadingDoubleStarMatchesAnywhere) {
  PathGlob glob = MustParse("**/*.proto");

  EXPECT_TRUE(glob.Matches("trust.proto"));
  EXPECT_TRUE(glob.Matches("api/v1/trust.proto"));
  EXPECT_FALSE(glob.Matches("api/v1/trust.proto.bak"));
}

TEST(PathGlobTest, StarStaysInsideSegment) {
  PathGlob glob = MustParse("src/*/keys.h");

  EXPECT_TRUE(glob.Matches("src/crypto/keys.h"));
  EXPECT_FALSE(glob.Matches("src/keys.h"));
  EXPECT_FALSE(glob.Matches("src/crypto/internal/keys.h"));
}

TEST(PathGlobTest, StarAndQuestionMarkInSegment) {
  PathGlob glob = MustParse("src/server/*_handler?.cc");

  EXPECT_TRUE(glob.Matches("src/server/device_handler1.cc"));
  EXPECT_TRUE(glob.Matches("src/server/_handlerX.cc"));
  EXPECT_FALSE(glob.Matches("src/server/device_handler.cc"));
  EXPECT_FALSE(glob.Matches("src/server/device_handler12.cc"));
}

TEST(PathGlobTest, LiteralPatternMatchesExactly) {
  PathGlob glob = MustParse("SECURITY.md");

  EXPECT_TRUE(glob.Matches("SECURITY.md"));
  EXPECT_FALSE(glob.Matches("security.md"));
  EXPECT_FALSE(glob.Matches("docs/SECURITY.md"));
}

TEST(PathGlobTest, ManyStarsStayFast) {
  // A backtracking matcher would take exponential time on this input.
  PathGlob glob = MustParse("**/**/**/**/**/**/**/**/*a*a*a*a*a*a*a*a*b");
  std::string path = "x/y/z/" + std::string(200, 'a');

  EXPECT_FALSE(glob.Matches(path));
}

TEST(PathGlobTest, RejectsInvalidPatterns) {
  for (std::string_view pattern : {"", "/src/**", "src//crypto", "src/crypto/", "src/../etc",
                                   "./src", "src/a**/b", "src/**b"}) {
    Result<PathGlob> glob = PathGlob::Parse(pattern);
    ASSERT_FALSE(glob.has_value()) << pattern;
    EXPECT_EQ(glob.error().reason(), "glob_invalid") << pattern;
  }
}

TEST(PathGlobTest, RejectsControlCharacters) {
  Result<PathGlob> glob = PathGlob::Parse("src/\ncrypto/**");

  ASSERT_FALSE(glob.has_value());
  EXPECT_EQ(glob.error().reason(), "glob_invalid");
}

TEST(PathGlobTest, RejectsOverlongPattern) {
  Result<PathGlob> glob = PathGlob::Parse(std::string(1025, 'a'));

  ASSERT_FALSE(glob.has_value());
  EXPECT_EQ(glob.error().reason(), "glob_invalid");
}

}  // namespace
}  // namespace devtrust::ops
