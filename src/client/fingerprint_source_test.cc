#include "client/fingerprint_source.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "client/test_util.h"

namespace devtrust::client {
namespace {

using testing::ScratchDirectory;
using testing::WriteText;

TEST(LanguageTagFromLocale, ConvertsPosixLocales) {
  EXPECT_EQ(LanguageTagFromLocale("en_US.UTF-8"), "en-US");
  EXPECT_EQ(LanguageTagFromLocale("de_DE@euro"), "de-DE");
  EXPECT_EQ(LanguageTagFromLocale("fr"), "fr");
  EXPECT_EQ(LanguageTagFromLocale("pt_BR.utf8@variant"), "pt-BR");
}

TEST(LanguageTagFromLocale, SkipsNonLanguages) {
  EXPECT_EQ(LanguageTagFromLocale("C"), std::nullopt);
  EXPECT_EQ(LanguageTagFromLocale("C.UTF-8"), std::nullopt);
  EXPECT_EQ(LanguageTagFromLocale("POSIX"), std::nullopt);
  EXPECT_EQ(LanguageTagFromLocale(""), std::nullopt);
  EXPECT_EQ(LanguageTagFromLocale("x"), std::nullopt);
  EXPECT_EQ(LanguageTagFromLocale("en US"), std::nullopt);
}

TEST(OsBuildFromOsRelease, PrefersPrettyName) {
  EXPECT_EQ(OsBuildFromOsRelease("ID=debian\nVERSION_ID=\"12\"\n"
                                 "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
            "Debian GNU/Linux 12 (bookworm)");
}

TEST(OsBuildFromOsRelease, FallsBackToIdAndVersion) {
  EXPECT_EQ(OsBuildFromOsRelease("# comment\nID=alpine\nVERSION_ID=3.19.1\n"), "alpine 3.19.1");
  EXPECT_EQ(OsBuildFromOsRelease("ID='arch'\n"), "arch");
  EXPECT_EQ(OsBuildFromOsRelease("NAME=x\n"), std::nullopt);
}

TEST(OsBuildFromOsRelease, RemovesEscapes) {
  EXPECT_EQ(OsBuildFromOsRelease("PRETTY_NAME=\"Say \\\"hi\\\"\"\n"), "Say \"hi\"");
}

TEST(ZoneFromZoneinfoPath, ExtractsZone) {
  EXPECT_EQ(ZoneFromZoneinfoPath("/usr/share/zoneinfo/Europe/Berlin"), "Europe/Berlin");
  EXPECT_EQ(ZoneFromZoneinfoPath("../usr/share/zoneinfo/Etc/UTC"), "Etc/UTC");
  EXPECT_EQ(ZoneFromZoneinfoPath("/usr/share/zoneinfo/posix/Asia/Tokyo"), "Asia/Tokyo");
  EXPECT_EQ(ZoneFromZoneinfoPath("/etc/other"), std::nullopt);
  EXPECT_EQ(ZoneFromZoneinfoPath("/usr/share/zoneinfo/"), std::nullopt);
}

class LocalFingerprintTest : public ::testing::Test {
 protected:
  LocalMachineSources Sources() {
    LocalMachineSources sources;
    sources.dmi_product_name = directory_.path() / "product_name";
    sources.os_release = directory_.path() / "os-release";
    sources.timezone_file = directory_.path() / "timezone";
    sources.localtime_link = directory_.path() / "localtime";
    sources.platform = "Linux x86_64";
    sources.environment = [this](std::string_view name) -> std::optional<std::string> {
      const auto found = environment_.find(std::string(name));
      if (found == environment_.end()) {
        return std::nullopt;
      }
      return found->second;
    };
    return sources;
  }

  ScratchDirectory directory_;
  std::map<std::string, std::string> environment_;
};

TEST_F(LocalFingerprintTest, CollectsEveryAttribute) {
  WriteText(directory_.path() / "product_name", "ThinkPad X1 Carbon Gen 11\n", 0644);
  WriteText(directory_.path() / "os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
            0644);
  WriteText(directory_.path() / "timezone", "Europe/Berlin\n", 0644);
  environment_["LANG"] = "de_DE.UTF-8";

  Result<trust::Fingerprint> fingerprint = CollectLocalFingerprint(Sources());
  ASSERT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  EXPECT_EQ(fingerprint->Find("platform"), "Linux x86_64");
  EXPECT_EQ(fingerprint->Find("hardware_model"), "ThinkPad X1 Carbon Gen 11");
  EXPECT_EQ(fingerprint->Find("os_build"), "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(fingerprint->Find("language"), "de-DE");
  EXPECT_EQ(fingerprint->Find("timezone"), "Europe/Berlin");
  EXPECT_EQ(fingerprint->attributes().size(), 5u);
}

TEST_F(LocalFingerprintTest, LeavesOutUnavailableSources) {
  Result<trust::Fingerprint> fingerprint = CollectLocalFingerprint(Sources());
  ASSERT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  EXPECT_EQ(fingerprint->attributes().size(), 1u);
  EXPECT_EQ(fingerprint->Find("hardware_model"), std::nullopt);
  EXPECT_EQ(fingerprint->Find("language"), std::nullopt);
}

TEST_F(LocalFingerprintTest, LcAllOverridesLang) {
  environment_["LANG"] = "de_DE.UTF-8";
  environment_["LC_ALL"] = "en_GB.UTF-8";
  Result<trust::Fingerprint> fingerprint = CollectLocalFingerprint(Sources());
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->Find("language"), "en-GB");
}

TEST_F(LocalFingerprintTest, TimezoneFromTzThenLink) {
  environment_["TZ"] = ":America/New_York";
  Result<trust::Fingerprint> from_tz = CollectLocalFingerprint(Sources());
  ASSERT_TRUE(from_tz.has_value());
  EXPECT_EQ(from_tz->Find("timezone"), "America/New_York");

  environment_.erase("TZ");
  std::filesystem::create_symlink("/usr/share/zoneinfo/Asia/Tokyo",
                                  directory_.path() / "localtime");
  Result<trust::Fingerprint> from_link = CollectLocalFingerprint(Sources());
  ASSERT_TRUE(from_link.has_value());
  EXPECT_EQ(from_link->Find("timezone"), "Asia/Tokyo");
}

TEST_F(LocalFingerprintTest, SkipsValuesWithControlCharacters) {
  WriteText(directory_.path() / "product_name", "Model\x01X\n", 0644);
  Result<trust::Fingerprint> fingerprint = CollectLocalFingerprint(Sources());
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->Find("hardware_model"), std::nullopt);
}

TEST_F(LocalFingerprintTest, RealMachineHasPlatform) {
  Result<trust::Fingerprint> fingerprint = CollectLocalFingerprint();
  ASSERT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  const std::optional<std::string_view> platform = fingerprint->Find("platform");
  ASSERT_TRUE(platform.has_value());
  EXPECT_TRUE(platform->starts_with("Linux "));
}

TEST(ReadFingerprintFile, ReadsAttributes) {
  ScratchDirectory directory;
  const auto path = directory.path() / "fingerprint.json";
  WriteText(path, R"({"platform":"Win32","screen_width":1536,"cookies_enabled":true})", 0644);
  Result<trust::Fingerprint> fingerprint = ReadFingerprintFile(path);
  ASSERT_TRUE(fingerprint.has_value()) << fingerprint.error().ToString();
  EXPECT_EQ(fingerprint->Find("platform"), "Win32");
  EXPECT_EQ(fingerprint->Find("screen_width"), "1536");
  EXPECT_EQ(fingerprint->Find("cookies_enabled"), "true");
}

TEST(ReadFingerprintFile, RejectsDuplicateNames) {
  ScratchDirectory directory;
  const auto path = directory.path() / "fingerprint.json";
  WriteText(path, R"({"platform":"Win32","platform":"Linux"})", 0644);
  Result<trust::Fingerprint> fingerprint = ReadFingerprintFile(path);
  ASSERT_FALSE(fingerprint.has_value());
  EXPECT_EQ(fingerprint.error().reason(), "fingerprint_invalid");
  EXPECT_NE(fingerprint.error().message().find(path.string()), std::string::npos);
}

TEST(ReadFingerprintFile, RejectsNonObject) {
  ScratchDirectory directory;
  const auto path = directory.path() / "fingerprint.json";
  WriteText(path, R"(["platform"])", 0644);
  Result<trust::Fingerprint> fingerprint = ReadFingerprintFile(path);
  ASSERT_FALSE(fingerprint.has_value());
  EXPECT_EQ(fingerprint.error().reason(), "fingerprint_invalid");
}

TEST(ReadFingerprintFile, ReportsMissingFile) {
  ScratchDirectory directory;
  Result<trust::Fingerprint> fingerprint = ReadFingerprintFile(directory.path() / "absent.json");
  ASSERT_FALSE(fingerprint.has_value());
  EXPECT_EQ(fingerprint.error().reason(), "file_not_found");
}

}  // namespace
}  // namespace devtrust::client
