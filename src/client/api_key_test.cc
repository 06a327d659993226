#include "client/api_key.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "client/test_util.h"

namespace devtrust::client {
namespace {

using testing::ScratchDirectory;
using testing::WriteText;

constexpr std::string_view kKey = "rp-key-0123456789abcdefghijklmnopqrstuv";

// Sets DEVTRUST_RP_API_KEY for the lifetime of the object.
class ScopedApiKeyVariable {
 public:
  explicit ScopedApiKeyVariable(const char* value) {
    if (value == nullptr) {
      ::unsetenv("DEVTRUST_RP_API_KEY");
    } else {
      ::setenv("DEVTRUST_RP_API_KEY", value, 1);
    }
  }
  ~ScopedApiKeyVariable() { ::unsetenv("DEVTRUST_RP_API_KEY"); }
};

TEST(ApiKey, ReadsPrivateFileAndTrimsNewline) {
  ScratchDirectory directory;
  const auto path = directory.path() / "rp.key";
  WriteText(path, std::string(kKey) + "\n", 0600);
  Result<crypto::SecretBytes> key = LoadApiKey(path);
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  EXPECT_EQ(key->AsStringView(), kKey);
}

TEST(ApiKey, ReadsServerGeneratedEnvironmentFile) {
  ScratchDirectory directory;
  const auto path = directory.path() / "api-keys.env";
  WriteText(path,
            "DEVTRUST_RP_API_KEY=" + std::string(kKey) +
                "\nDEVTRUST_ADMIN_API_KEY=admin-0123456789abcdefghijklmnopqrstuvw\n",
            0600);
  Result<crypto::SecretBytes> key = LoadApiKey(path);
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  EXPECT_EQ(key->AsStringView(), kKey);
}

TEST(ApiKey, EnvironmentFileWithoutRelyingPartyLineIsInvalid) {
  ScratchDirectory directory;
  const auto path = directory.path() / "api-keys.env";
  WriteText(path, "DEVTRUST_ADMIN_API_KEY=admin-0123456789abcdefghijklmnopqrstuvw\n", 0600);
  Result<crypto::SecretBytes> key = LoadApiKey(path);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().reason(), "api_key_invalid");
}

TEST(ApiKey, RejectsGroupReadableFile) {
  ScratchDirectory directory;
  const auto path = directory.path() / "rp.key";
  WriteText(path, std::string(kKey), 0640);
  Result<crypto::SecretBytes> key = LoadApiKey(path);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().reason(), "key_file_permissions");
  EXPECT_NE(key.error().message().find("chmod 600"), std::string::npos);
}

TEST(ApiKey, ReadsEnvironmentWithoutFile) {
  ScopedApiKeyVariable variable(std::string(kKey).c_str());
  Result<crypto::SecretBytes> key = LoadApiKey({});
  ASSERT_TRUE(key.has_value()) << key.error().ToString();
  EXPECT_EQ(key->AsStringView(), kKey);
}

TEST(ApiKey, FileTakesPrecedenceOverEnvironment) {
  ScopedApiKeyVariable variable("env-key-0123456789abcdefghijklmnopqrstuv");
  ScratchDirectory directory;
  const auto path = directory.path() / "rp.key";
  WriteText(path, std::string(kKey), 0600);
  Result<crypto::SecretBytes> key = LoadApiKey(path);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->AsStringView(), kKey);
}

TEST(ApiKey, MissingEverywhere) {
  ScopedApiKeyVariable variable(nullptr);
  Result<crypto::SecretBytes> key = LoadApiKey({});
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().reason(), "api_key_missing");
  EXPECT_NE(key.error().message().find("--api-key-file"), std::string::npos);
  EXPECT_NE(key.error().message().find("DEVTRUST_RP_API_KEY"), std::string::npos);
}

TEST(ApiKey, RejectsShortKeyWithoutShowingIt) {
  ScopedApiKeyVariable variable("short-secret-key");
  Result<crypto::SecretBytes> key = LoadApiKey({});
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().reason(), "api_key_invalid");
  EXPECT_EQ(key.error().message().find("short-secret-key"), std::string::npos);
}

TEST(ApiKey, AcceptsTrailingPaddingOnly) {
  const crypto::SecretBytes padded(AsBytes("rp-key-0123456789abcdefghijklmnopqrstuv=="));
  EXPECT_TRUE(ValidateApiKey(padded, "test").has_value());
  const crypto::SecretBytes inner(AsBytes("rp-key-0123456789=abcdefghijklmnopqrstuv"));
  Status rejected = ValidateApiKey(inner, "test");
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().reason(), "api_key_invalid");
}

TEST(ApiKey, RejectsHeaderInjection) {
  ScopedApiKeyVariable variable("rp-key-0123456789abcdef\r\nX-Evil: 1ghijklmnopqrstuv");
  Result<crypto::SecretBytes> key = LoadApiKey({});
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().reason(), "api_key_invalid");
}

}  // namespace
}  // namespace devtrust::client
