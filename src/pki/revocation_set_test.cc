#include "pki/revocation_set.h"

#include <gtest/gtest.h>

#include "pki/test_util.h"

namespace devtrust::pki {
namespace {

using crypto::RevocationReason;
using testing::TestTime;

TEST(RevocationSetTest, StartsEmpty) {
  RevocationSet set;
  EXPECT_EQ(set.size(), 0u);
  EXPECT_FALSE(set.IsRevoked(Bytes{0x01}));
  EXPECT_FALSE(set.Find(Bytes{0x01}).has_value());
}

TEST(RevocationSetTest, AddedSerialIsRevoked) {
  RevocationSet set;
  set.Add({{0x01, 0x02}, TestTime(), RevocationReason::kKeyCompromise});
  EXPECT_TRUE(set.IsRevoked(Bytes{0x01, 0x02}));
  EXPECT_FALSE(set.IsRevoked(Bytes{0x01}));
  EXPECT_FALSE(set.IsRevoked(Bytes{0x01, 0x02, 0x03}));

  const std::optional<crypto::RevokedCertificate> entry = set.Find(Bytes{0x01, 0x02});
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->reason, RevocationReason::kKeyCompromise);
  EXPECT_EQ(entry->revocation_date, TestTime());
}

TEST(RevocationSetTest, AddReplacesEarlierEntry) {
  RevocationSet set;
  set.Add({{0x05}, TestTime(), RevocationReason::kUnspecified});
  set.Add({{0x05}, TestTime(), RevocationReason::kSuperseded});
  EXPECT_EQ(set.size(), 1u);
  EXPECT_EQ(set.Find(Bytes{0x05})->reason, RevocationReason::kSuperseded);
}

TEST(RevocationSetTest, ReplaceSwapsWholeSet) {
  RevocationSet set;
  set.Add({{0x05}, TestTime(), RevocationReason::kUnspecified});
  set.Replace({{{0x06}, TestTime(), RevocationReason::kUnspecified},
               {{0x07}, TestTime(), RevocationReason::kUnspecified}});
  EXPECT_FALSE(set.IsRevoked(Bytes{0x05}));
  EXPECT_TRUE(set.IsRevoked(Bytes{0x06}));
  EXPECT_TRUE(set.IsRevoked(Bytes{0x07}));
  EXPECT_EQ(set.Entries().size(), 2u);
}

}  // namespace
}  // namespace devtrust::pki
