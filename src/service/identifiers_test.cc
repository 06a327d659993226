#include "service/identifiers.h"

#include <gtest/gtest.h>

#include <set>

namespace devtrust::service {
namespace {

TEST(IdentifiersTest, DeviceIdHasDocumentedForm) {
  Result<std::string> id = NewDeviceId();
  ASSERT_TRUE(id.has_value());

  EXPECT_EQ(id->size(), 30u);
  EXPECT_TRUE(id->starts_with("dev_"));
  EXPECT_TRUE(ValidateDeviceId(*id).has_value());
}

TEST(IdentifiersTest, RandomIdsDiffer) {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.insert(NewRandomId("chl").value_or(""));
  EXPECT_EQ(ids.size(), 100u);
}

TEST(IdentifiersTest, RandomIdValidatesAgainstItsPrefix) {
  Result<std::string> id = NewRandomId("rev");
  ASSERT_TRUE(id.has_value());

  EXPECT_TRUE(ValidateRandomId(*id, "rev", "review id", "invalid_review_id").has_value());
  EXPECT_EQ(ValidateRandomId(*id, "chl", "challenge id", "invalid_challenge_id").error().reason(),
            "invalid_challenge_id");
}

TEST(IdentifiersTest, RejectsMalformedDeviceIds) {
  for (const std::string_view id :
       {"", "dev_", "dev_aaaaaaaaaaaaaaaaaaaaaaaaa", "dev_aaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "dev_AAAAAAAAAAAAAAAAAAAAAAAAAA", "dev_aaaaaaaaaaaaaaaaaaaaaaaaa1",
        "dev-aaaaaaaaaaaaaaaaaaaaaaaaaa", "xyz_aaaaaaaaaaaaaaaaaaaaaaaaaa",
        "dev_aaaaaaaaaaaaaaaaaaaaaaaaa/"}) {
    Status valid = ValidateDeviceId(id);
    ASSERT_FALSE(valid.has_value()) << id;
    EXPECT_EQ(valid.error().reason(), "invalid_device_id") << id;
  }
}

TEST(IdentifiersTest, UserIdsFollowTheCaRule) {
  EXPECT_TRUE(ValidateUserId("alice").has_value());
  EXPECT_TRUE(ValidateUserId("A.b_c-9").has_value());
  EXPECT_TRUE(ValidateUserId(std::string(64, 'u')).has_value());

  for (const std::string& id : {std::string(), std::string(65, 'u'), std::string("a@b"),
                                std::string("a b"), std::string("a:b"), std::string("a/b")}) {
    Status valid = ValidateUserId(id);
    ASSERT_FALSE(valid.has_value()) << id;
    EXPECT_EQ(valid.error().reason(), "invalid_user_id") << id;
  }
}

}  // namespace
}  // namespace devtrust::service
