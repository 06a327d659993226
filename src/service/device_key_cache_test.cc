#include "service/device_key_cache.h"

#include <gtest/gtest.h>

#include "service/service_test_support.h"

namespace devtrust::service {
namespace {

using testing::TestDevice;

store::DeviceRecord RecordOf(const TestDevice& device, std::string_view device_id) {
  const SubmittedKeys keys = device.PublicKeys();
  store::DeviceRecord record;
  record.device_id = std::string(device_id);
  record.ml_dsa_public_key = keys.ml_dsa;
  record.ecdsa_public_key = keys.ecdsa;
  record.ml_kem_public_key = keys.ml_kem;
  record.x25519_public_key = keys.x25519;
  return record;
}

TEST(DeviceKeyCacheTest, ParsesEveryKey) {
  const TestDevice device = TestDevice::Generate();

  Result<DevicePublicKeys> keys = ParseDevicePublicKeys(RecordOf(device, "d1"));

  ASSERT_TRUE(keys.has_value()) << keys.error().ToString();
  EXPECT_EQ(keys->ml_dsa.algorithm(), crypto::KeyAlgorithm::kMlDsa65);
  EXPECT_EQ(keys->ecdsa.algorithm(), crypto::KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(keys->ml_kem.has_value());
  EXPECT_EQ(keys->ml_kem->algorithm(), crypto::KeyAlgorithm::kMlKem768);
  EXPECT_EQ(keys->x25519.algorithm(), crypto::KeyAlgorithm::kX25519);
}

TEST(DeviceKeyCacheTest, DeviceWithoutMlKemHasNone) {
  Result<DevicePublicKeys> keys =
      ParseDevicePublicKeys(RecordOf(TestDevice::Generate(/*with_ml_kem=*/false), "d1"));

  ASSERT_TRUE(keys.has_value());
  EXPECT_FALSE(keys->ml_kem.has_value());
}

TEST(DeviceKeyCacheTest, DamagedStoredKeyIsDataLoss) {
  store::DeviceRecord record = RecordOf(TestDevice::Generate(), "d1");
  record.ecdsa_public_key.resize(10);

  Result<DevicePublicKeys> keys = ParseDevicePublicKeys(record);

  ASSERT_FALSE(keys.has_value());
  EXPECT_EQ(keys.error().reason(), "stored_key_invalid");
  EXPECT_EQ(keys.error().code(), StatusCode::kDataLoss);
}

TEST(DeviceKeyCacheTest, SecondGetReturnsCachedKeys) {
  DeviceKeyCache cache(4);
  const store::DeviceRecord record = RecordOf(TestDevice::Generate(), "d1");

  Result<std::shared_ptr<const DevicePublicKeys>> first = cache.Get(record);
  Result<std::shared_ptr<const DevicePublicKeys>> second = cache.Get(record);

  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(cache.size(), 1u);
}

TEST(DeviceKeyCacheTest, EvictsLeastRecentlyUsed) {
  DeviceKeyCache cache(2);
  const TestDevice device = TestDevice::Generate();
  const store::DeviceRecord a = RecordOf(device, "a");
  const store::DeviceRecord b = RecordOf(device, "b");
  const store::DeviceRecord c = RecordOf(device, "c");
  const std::shared_ptr<const DevicePublicKeys> a_keys = *cache.Get(a);
  ASSERT_TRUE(cache.Get(b).has_value());
  ASSERT_TRUE(cache.Get(a).has_value());  // a is now the most recently used

  ASSERT_TRUE(cache.Get(c).has_value());

  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Get(a)->get(), a_keys.get());
}

TEST(DeviceKeyCacheTest, InvalidateDropsEntry) {
  DeviceKeyCache cache(4);
  const store::DeviceRecord record = RecordOf(TestDevice::Generate(), "d1");
  const std::shared_ptr<const DevicePublicKeys> before = *cache.Get(record);

  cache.Invalidate("d1");

  EXPECT_EQ(cache.size(), 0u);
  EXPECT_NE(cache.Get(record)->get(), before.get());
}

TEST(DeviceKeyCacheTest, ZeroCapacityCachesNothing) {
  DeviceKeyCache cache(0);
  const store::DeviceRecord record = RecordOf(TestDevice::Generate(), "d1");

  ASSERT_TRUE(cache.Get(record).has_value());

  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace devtrust::service
