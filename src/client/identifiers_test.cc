#include "client/identifiers.h"

#include <gtest/gtest.h>

#include <string>

namespace devtrust::client {
namespace {

TEST(ClientUserIdTest, AcceptsCaCharacterSet) {
  EXPECT_TRUE(ValidateUserId("alice").has_value());
  EXPECT_TRUE(ValidateUserId("user-42.test_account").has_value());
  EXPECT_TRUE(ValidateUserId(std::string(64, 'a')).has_value());
}

// The CA would reject these at registration, after the device generated its
// keys and spent a nonce, so the client rejects them before sending.
TEST(ClientUserIdTest, RejectsWhatCaRejects) {
  for (const std::string& user_id :
       {std::string(), std::string(65, 'a'), std::string("alice@example.com"), std::string("a b"),
        std::string("a/b"), std::string("a:b")}) {
    SCOPED_TRACE(user_id);
    const Status valid = ValidateUserId(user_id);
    ASSERT_FALSE(valid.has_value());
    EXPECT_EQ(valid.error().reason(), "invalid_user_id");
  }
}

TEST(ClientDeviceIdTest, AcceptsServerFormat) {
  EXPECT_TRUE(ValidateDeviceId("dev_abcdefghijklmnopqrstuvwxyz").has_value());
  EXPECT_TRUE(ValidateDeviceId("dev_234567abcdefghijklmnopqrst").has_value());
}

TEST(ClientDeviceIdTest, RejectsOtherFormats) {
  for (const std::string& device_id :
       {std::string(), std::string("dev_"), std::string("dev_abcdefghijklmnopqrstuvwxy"),
        std::string("dev_abcdefghijklmnopqrstuvwxyz2"),
        std::string("dev_ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        std::string("dev_abcdefghijklmnopqrstuvwxy1"),
        std::string("xyz_abcdefghijklmnopqrstuvwxyz")}) {
    SCOPED_TRACE(device_id);
    const Status valid = ValidateDeviceId(device_id);
    ASSERT_FALSE(valid.has_value());
    EXPECT_EQ(valid.error().reason(), "invalid_device_id");
  }
}

}  // namespace
}  // namespace devtrust::client
