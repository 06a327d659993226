#include "telemetry/label_values.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace devtrust::telemetry {
namespace {

LabelValues MustCreate(std::vector<std::string> values) {
  Result<LabelValues> labels = LabelValues::Create("reason", std::move(values));
  EXPECT_TRUE(labels.has_value());
  return *std::move(labels);
}

void ExpectRejected(std::vector<std::string> values) {
  Result<LabelValues> labels = LabelValues::Create("reason", std::move(values));
  ASSERT_FALSE(labels.has_value());
  EXPECT_EQ(labels.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(labels.error().reason(), "invalid_label_values");
  EXPECT_NE(labels.error().message().find("reason"), std::string::npos);
}

TEST(LabelValues, KeepsAllowlistOrderAndAppendsOther) {
  const LabelValues labels = MustCreate({"zeta", "alpha", "mid"});
  ASSERT_EQ(labels.size(), 4u);
  EXPECT_EQ(labels.ValueAt(0), "zeta");
  EXPECT_EQ(labels.ValueAt(1), "alpha");
  EXPECT_EQ(labels.ValueAt(2), "mid");
  EXPECT_EQ(labels.ValueAt(3), "other");
  EXPECT_EQ(labels.other_index(), 3u);
}

TEST(LabelValues, FindsEveryAllowedValue) {
  const LabelValues labels = MustCreate({"zeta", "alpha", "mid"});
  EXPECT_EQ(labels.IndexOf("zeta"), 0u);
  EXPECT_EQ(labels.IndexOf("alpha"), 1u);
  EXPECT_EQ(labels.IndexOf("mid"), 2u);
}

TEST(LabelValues, ClampsUnknownValuesToOther) {
  const LabelValues labels = MustCreate({"zeta", "alpha", "mid"});
  EXPECT_EQ(labels.Clamp("beta"), "other");
  EXPECT_EQ(labels.Clamp(""), "other");
  EXPECT_EQ(labels.Clamp("alph"), "other");
  EXPECT_EQ(labels.Clamp("alphaa"), "other");
  EXPECT_EQ(labels.Clamp("zzzz"), "other");
  EXPECT_EQ(labels.Clamp("other"), "other");
  EXPECT_EQ(labels.Clamp("alpha"), "alpha");
}

TEST(LabelValues, EmptyAllowlistHasOnlyOther) {
  const LabelValues labels = MustCreate({});
  EXPECT_EQ(labels.size(), 1u);
  EXPECT_EQ(labels.Clamp("anything"), "other");
}

TEST(LabelValues, SurvivesMove) {
  LabelValues labels = MustCreate({"short", std::string(40, 'l')});
  const LabelValues moved = std::move(labels);
  EXPECT_EQ(moved.IndexOf("short"), 0u);
  EXPECT_EQ(moved.IndexOf(std::string(40, 'l')), 1u);
}

TEST(LabelValues, RejectsEmptyValue) { ExpectRejected({"ok", ""}); }

TEST(LabelValues, RejectsOverlongValue) {
  ExpectRejected({std::string(kMaxLabelValueLength + 1, 'a')});
}

TEST(LabelValues, AcceptsValueAtLengthLimit) {
  EXPECT_TRUE(LabelValues::Create("reason", {std::string(kMaxLabelValueLength, 'a')}).has_value());
}

TEST(LabelValues, RejectsControlCharacter) { ExpectRejected({"a\nb"}); }

TEST(LabelValues, RejectsQuote) { ExpectRejected({"a\"b"}); }

TEST(LabelValues, RejectsBackslash) { ExpectRejected({"a\\b"}); }

TEST(LabelValues, RejectsNonAscii) { ExpectRejected({"caf\xC3\xA9"}); }

TEST(LabelValues, RejectsDuplicate) { ExpectRejected({"ok", "denied", "ok"}); }

TEST(LabelValues, RejectsReservedOther) { ExpectRejected({"other"}); }

}  // namespace
}  // namespace devtrust::telemetry
