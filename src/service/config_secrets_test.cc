#include "service/config_secrets.h"

#include <gtest/gtest.h>

#include <map>

#include "service/config_duration.h"
#include "service/service_test_support.h"

namespace devtrust::service {
namespace {

using testing::TempDirectory;
using testing::WriteFile;

EnvironmentLookup Table(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

const std::string kKey = "rp-key-0123456789abcdefghijklmnopqrstuv";

TEST(ConfigSecretsTest, ReadsFileAndTrimsNewline) {
  TempDirectory directory;
  WriteFile(directory.path() / "rp.key", kKey + "\n", 0600);

  Result<std::optional<SourcedSecret>> secret = ReadConfiguredSecret(
      (directory.path() / "rp.key").string(), kRelyingPartyApiKeyVariable, Table({}), "key");

  ASSERT_TRUE(secret.has_value()) << secret.error().ToString();
  ASSERT_TRUE(secret->has_value());
  EXPECT_EQ((*secret)->value.AsStringView(), kKey);
  EXPECT_EQ((*secret)->source, "file " + (directory.path() / "rp.key").string());
}

TEST(ConfigSecretsTest, FileWinsOverEnvironment) {
  TempDirectory directory;
  WriteFile(directory.path() / "rp.key", kKey, 0600);

  Result<std::optional<SourcedSecret>> secret =
      ReadConfiguredSecret((directory.path() / "rp.key").string(), kRelyingPartyApiKeyVariable,
                           Table({{"DEVTRUST_RP_API_KEY", "from-environment"}}), "key");

  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ((*secret)->value.AsStringView(), kKey);
}

TEST(ConfigSecretsTest, RejectsFileOthersCanRead) {
  TempDirectory directory;
  WriteFile(directory.path() / "rp.key", kKey, 0644);

  Result<std::optional<SourcedSecret>> secret = ReadConfiguredSecret(
      (directory.path() / "rp.key").string(), kRelyingPartyApiKeyVariable, Table({}), "key");

  ASSERT_FALSE(secret.has_value());
  EXPECT_EQ(secret.error().reason(), "key_file_permissions");
  EXPECT_NE(secret.error().message().find("chmod"), std::string::npos);
  EXPECT_EQ(secret.error().message().find(kKey), std::string::npos);
}

TEST(ConfigSecretsTest, MissingFileIsAnError) {
  Result<std::optional<SourcedSecret>> secret =
      ReadConfiguredSecret("/nonexistent/rp.key", kRelyingPartyApiKeyVariable, Table({}), "key");

  ASSERT_FALSE(secret.has_value());
  EXPECT_EQ(secret.error().reason(), "file_not_found");
}

TEST(ConfigSecretsTest, ReadsEnvironment) {
  Result<std::optional<SourcedSecret>> secret = ReadConfiguredSecret(
      "", kAdminApiKeyVariable, Table({{"DEVTRUST_ADMIN_API_KEY", "  " + kKey + "\n"}}), "key");

  ASSERT_TRUE(secret.has_value());
  ASSERT_TRUE(secret->has_value());
  EXPECT_EQ((*secret)->value.AsStringView(), kKey);
  EXPECT_EQ((*secret)->source, "environment DEVTRUST_ADMIN_API_KEY");
}

TEST(ConfigSecretsTest, NeitherSourceGivesNothing) {
  Result<std::optional<SourcedSecret>> secret =
      ReadConfiguredSecret("", kWebhookSecretVariable, Table({}), "key");

  ASSERT_TRUE(secret.has_value());
  EXPECT_FALSE(secret->has_value());
}

TEST(ConfigSecretsTest, BlankSecretIsAnError) {
  TempDirectory directory;
  WriteFile(directory.path() / "blank", " \n", 0600);

  EXPECT_EQ(ReadConfiguredSecret((directory.path() / "blank").string(), kWebhookSecretVariable,
                                 Table({}), "key")
                .error()
                .reason(),
            "secret_empty");
  EXPECT_EQ(ReadConfiguredSecret("", kWebhookSecretVariable,
                                 Table({{"DEVTRUST_WEBHOOK_SECRET", "\t"}}), "key")
                .error()
                .reason(),
            "secret_empty");
}

TEST(ConfigDurationTest, ParsesEveryUnit) {
  EXPECT_EQ(ParseDuration("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(ParseDuration("30s"), std::chrono::seconds(30));
  EXPECT_EQ(ParseDuration("10m"), std::chrono::minutes(10));
  EXPECT_EQ(ParseDuration("24h"), std::chrono::hours(24));
  EXPECT_EQ(ParseDuration("30d"), std::chrono::days(30));
  EXPECT_EQ(ParseDuration("0s"), std::chrono::milliseconds(0));
}

TEST(ConfigDurationTest, RejectsOtherForms) {
  for (const std::string_view text : {"", "s", "10", "10 s", "-5s", "+5s", "1.5s", "10sec", "10S",
                                      "5w", "1e3ms", "99999999999999999999d", "40000d"}) {
    Result<std::chrono::milliseconds> duration = ParseDuration(text);
    ASSERT_FALSE(duration.has_value()) << text;
    EXPECT_EQ(duration.error().reason(), "invalid_duration") << text;
  }
}

TEST(ConfigDurationTest, FormatsShortestExactUnit) {
  EXPECT_EQ(FormatDuration(std::chrono::minutes(2)), "2m");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(1500)), "1500ms");
  EXPECT_EQ(FormatDuration(std::chrono::days(3650)), "3650d");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(0)), "0ms");
}

}  // namespace
}  // namespace devtrust::service
