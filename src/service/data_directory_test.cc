#include "service/data_directory.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "base/encoding.h"
#include "service/service_test_support.h"
#include "telemetry/test_support.h"

namespace devtrust::service {
namespace {

using testing::FileMode;
using testing::TempDirectory;

class DataDirectoryTest : public ::testing::Test {
 protected:
  TempDirectory parent_;
  DataDirectory data_{parent_.path() / "devtrust-data"};
};

TEST_F(DataDirectoryTest, PrepareCreatesPrivateDirectory) {
  ASSERT_TRUE(data_.Prepare().has_value());

  EXPECT_EQ(FileMode(data_.root()), 0700u);
}

TEST_F(DataDirectoryTest, PrepareRejectsSharedDirectory) {
  std::filesystem::create_directories(data_.root());
  ::chmod(data_.root().c_str(), 0755);

  Status prepared = data_.Prepare();

  ASSERT_FALSE(prepared.has_value());
  EXPECT_EQ(prepared.error().reason(), "data_dir_permissions");
  EXPECT_NE(prepared.error().message().find("chmod 700"), std::string::npos);
}

TEST_F(DataDirectoryTest, GeneratesApiKeysOnce) {
  ASSERT_TRUE(data_.Prepare().has_value());

  Result<DataDirectory::ApiKeys> first = data_.LoadOrCreateApiKeys();
  Result<DataDirectory::ApiKeys> second = data_.LoadOrCreateApiKeys();

  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->relying_party.size(), 43u);
  EXPECT_EQ(first->admin.size(), 43u);
  EXPECT_FALSE(first->relying_party.ConstantTimeEquals(first->admin.view()));
  EXPECT_TRUE(first->relying_party.ConstantTimeEquals(second->relying_party.view()));
  EXPECT_TRUE(first->admin.ConstantTimeEquals(second->admin.view()));
  EXPECT_EQ(FileMode(data_.api_keys()), 0600u);
}

TEST_F(DataDirectoryTest, ApiKeysFileIsShellSyntax) {
  ASSERT_TRUE(data_.Prepare().has_value());
  Result<DataDirectory::ApiKeys> keys = data_.LoadOrCreateApiKeys();
  ASSERT_TRUE(keys.has_value());

  const std::string text = telemetry::testing::ReadFile(data_.api_keys());

  EXPECT_NE(
      text.find("DEVTRUST_RP_API_KEY=" + std::string(keys->relying_party.AsStringView()) + "\n"),
      std::string::npos);
  EXPECT_NE(text.find("DEVTRUST_ADMIN_API_KEY=" + std::string(keys->admin.AsStringView()) + "\n"),
            std::string::npos);
}

TEST_F(DataDirectoryTest, DamagedApiKeysFileIsReported) {
  ASSERT_TRUE(data_.Prepare().has_value());
  testing::WriteFile(data_.api_keys(), "DEVTRUST_RP_API_KEY=abc\n", 0600);

  Result<DataDirectory::ApiKeys> keys = data_.LoadOrCreateApiKeys();

  ASSERT_FALSE(keys.has_value());
  EXPECT_EQ(keys.error().reason(), "secret_invalid");
}

TEST_F(DataDirectoryTest, ServiceKeyIsStable) {
  ASSERT_TRUE(data_.Prepare().has_value());

  Result<crypto::SecretBytes> first = data_.LoadOrCreateServiceKey();
  Result<crypto::SecretBytes> second = data_.LoadOrCreateServiceKey();

  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->size(), 32u);
  EXPECT_TRUE(first->ConstantTimeEquals(second->view()));
  EXPECT_EQ(FileMode(data_.service_key()), 0600u);
}

TEST_F(DataDirectoryTest, ServiceKeyFileOthersCanReadIsRejected) {
  ASSERT_TRUE(data_.Prepare().has_value());
  ASSERT_TRUE(data_.LoadOrCreateServiceKey().has_value());
  ::chmod(data_.service_key().c_str(), 0640);

  EXPECT_EQ(data_.LoadOrCreateServiceKey().error().reason(), "key_file_permissions");
}

TEST_F(DataDirectoryTest, ShortServiceKeyIsRejected) {
  ASSERT_TRUE(data_.Prepare().has_value());
  testing::WriteFile(data_.service_key(), "c2hvcnQ\n", 0600);

  EXPECT_EQ(data_.LoadOrCreateServiceKey().error().reason(), "secret_invalid");
}

TEST_F(DataDirectoryTest, WebhookSecretIsGeneratedPrivate) {
  ASSERT_TRUE(data_.Prepare().has_value());

  Result<crypto::SecretBytes> secret = data_.LoadOrCreateWebhookSecret();

  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(secret->size(), 43u);
  EXPECT_EQ(FileMode(data_.webhook_secret()), 0600u);
}

TEST_F(DataDirectoryTest, ResolvesRelativePaths) {
  EXPECT_EQ(data_.Resolve("devtrust.db"), data_.root() / "devtrust.db");
  EXPECT_EQ(data_.Resolve("/srv/devtrust.db"), std::filesystem::path("/srv/devtrust.db"));
}

}  // namespace
}  // namespace devtrust::service
