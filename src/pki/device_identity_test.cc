#include "pki/device_identity.h"

#include <gtest/gtest.h>

#include <string>

namespace devtrust::pki {
namespace {

TEST(DeviceIdentityTest, AcceptsAllowedCharacters) {
  EXPECT_TRUE(ValidateDeviceId("device-1").has_value());
  EXPECT_TRUE(ValidateDeviceId("A.b_C-9").has_value());
  EXPECT_TRUE(ValidateDeviceId(std::string(kMaxIdentifierLength, 'x')).has_value());
  EXPECT_TRUE(ValidateUserId("0f8a2c1e-4b7d-4e3a-9c55-1d2e3f4a5b6c").has_value());
}

TEST(DeviceIdentityTest, RejectsEmptyAndLongIdentifiers) {
  Status empty = ValidateDeviceId("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().reason(), "invalid_device_id");

  Status long_id = ValidateUserId(std::string(kMaxIdentifierLength + 1, 'x'));
  ASSERT_FALSE(long_id.has_value());
  EXPECT_EQ(long_id.error().reason(), "invalid_user_id");
}

TEST(DeviceIdentityTest, RejectsUriSeparators) {
  for (const char* id :
       {"a:b", "a/b", "a b", "a%3Ab", "a?b", "a#b", "a@b", "user:evil", "caf\xc3\xa9"}) {
    Status device = ValidateDeviceId(id);
    ASSERT_FALSE(device.has_value()) << id;
    EXPECT_EQ(device.error().reason(), "invalid_device_id") << id;
    EXPECT_FALSE(ValidateUserId(id).has_value()) << id;
  }
}

TEST(DeviceIdentityTest, ValidatesBothIdentifiers) {
  EXPECT_TRUE(ValidateDeviceIdentity({"d1", "u1"}).has_value());
  EXPECT_EQ(ValidateDeviceIdentity({"d:1", "u1"}).error().reason(), "invalid_device_id");
  EXPECT_EQ(ValidateDeviceIdentity({"d1", "u/1"}).error().reason(), "invalid_user_id");
}

TEST(DeviceIdentityTest, BuildsUris) {
  EXPECT_EQ(DeviceUri("d1"), "urn:devtrust:device:d1");
  EXPECT_EQ(UserUri("u1"), "urn:devtrust:user:u1");
}

}  // namespace
}  // namespace devtrust::pki
