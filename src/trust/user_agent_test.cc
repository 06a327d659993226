#include "trust/user_agent.h"

#include <gtest/gtest.h>

#include <string>

namespace devtrust::trust {
namespace {

struct UserAgentCase {
  std::string_view user_agent;
  BrowserFamily browser;
  std::optional<int> major_version;
  OsFamily os;
  std::string_view os_version;
  DeviceClass device_class;
  CpuArchitecture architecture;
  std::string_view headless_marker;
};

// The first thirteen strings appear in the rba-logins records; the rest are
// the published formats of browsers that data set lacks.
const UserAgentCase kCases[] = {
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/139.0.0.0 Safari/537.36",
     BrowserFamily::kChrome, 139, OsFamily::kWindows, "10.0", DeviceClass::kDesktop,
     CpuArchitecture::kX64, ""},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/139.0.0.0 Safari/537.36 Edg/139.0.0.0",
     BrowserFamily::kEdge, 139, OsFamily::kWindows, "10.0", DeviceClass::kDesktop,
     CpuArchitecture::kX64, ""},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:142.0) Gecko/20100101 Firefox/142.0",
     BrowserFamily::kFirefox, 142, OsFamily::kWindows, "10.0", DeviceClass::kDesktop,
     CpuArchitecture::kX64, ""},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.3 Safari/605.1.15",
     BrowserFamily::kSafari, 17, OsFamily::kMacOs, "10.15.7", DeviceClass::kDesktop,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/138.0.0.0 Safari/537.36",
     BrowserFamily::kChrome, 138, OsFamily::kMacOs, "10.15.7", DeviceClass::kDesktop,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 "
     "Safari/537.36",
     BrowserFamily::kChrome, 138, OsFamily::kLinux, "", DeviceClass::kDesktop,
     CpuArchitecture::kX64, ""},
    {"Mozilla/5.0 (X11; CrOS x86_64 15393.45.0) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/139.0.0.0 Safari/537.36",
     BrowserFamily::kChrome, 139, OsFamily::kChromeOs, "15393.45.0", DeviceClass::kDesktop,
     CpuArchitecture::kX64, ""},
    {"Mozilla/5.0 (X11; CrOS armv7l 15393.45.0) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/139.0.0.0 Safari/537.36",
     BrowserFamily::kChrome, 139, OsFamily::kChromeOs, "15393.45.0", DeviceClass::kDesktop,
     CpuArchitecture::kArm, ""},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 "
     "Mobile Safari/537.36",
     BrowserFamily::kChrome, 138, OsFamily::kAndroid, "10", DeviceClass::kMobile,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (Linux; Android 6.0; Nexus 5 Build/MRA58N) AppleWebKit/537.36 (KHTML, like "
     "Gecko) Chrome/138.0.0.0 Mobile Safari/537.36",
     BrowserFamily::kChrome, 138, OsFamily::kAndroid, "6.0", DeviceClass::kMobile,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/135.0.0.0 "
     "Mobile Safari/537.36 AlohaBrowser/7.4.4",
     BrowserFamily::kChrome, 135, OsFamily::kAndroid, "10", DeviceClass::kMobile,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "HeadlessChrome/139.0.0.0 Safari/537.36",
     BrowserFamily::kChrome, 139, OsFamily::kWindows, "10.0", DeviceClass::kDesktop,
     CpuArchitecture::kX64, "HeadlessChrome"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
     BrowserFamily::kFirefox, 128, OsFamily::kWindows, "10.0", DeviceClass::kDesktop,
     CpuArchitecture::kX64, ""},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
     BrowserFamily::kSafari, 17, OsFamily::kIos, "17.4", DeviceClass::kMobile,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/16.6 Mobile/15E148 Safari/604.1",
     BrowserFamily::kSafari, 16, OsFamily::kIos, "16.6", DeviceClass::kTablet,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
     BrowserFamily::kChrome, 124, OsFamily::kIos, "17.4", DeviceClass::kMobile,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
     BrowserFamily::kFirefox, 125, OsFamily::kAndroid, "14", DeviceClass::kMobile,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36",
     BrowserFamily::kChrome, 124, OsFamily::kAndroid, "13", DeviceClass::kTablet,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
     BrowserFamily::kSamsungInternet, 24, OsFamily::kAndroid, "13", DeviceClass::kMobile,
     CpuArchitecture::kUnknown, ""},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
     BrowserFamily::kOpera, 110, OsFamily::kWindows, "10.0", DeviceClass::kDesktop,
     CpuArchitecture::kX64, ""},
    {"Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
     BrowserFamily::kInternetExplorer, 11, OsFamily::kWindows, "10.0", DeviceClass::kDesktop,
     CpuArchitecture::kX64, ""},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X) AppleWebKit/534.34 (KHTML, like Gecko) "
     "PhantomJS/1.9.8 Safari/534.34",
     BrowserFamily::kSafari, std::nullopt, OsFamily::kMacOs, "", DeviceClass::kDesktop,
     CpuArchitecture::kUnknown, "PhantomJS"},
};

TEST(UserAgent, ParsesKnownBrowsers) {
  for (const UserAgentCase& expected : kCases) {
    SCOPED_TRACE(expected.user_agent);
    const UserAgentInfo info = ParseUserAgent(expected.user_agent);
    EXPECT_EQ(BrowserFamilyName(info.browser), BrowserFamilyName(expected.browser));
    EXPECT_EQ(info.browser_major_version, expected.major_version);
    EXPECT_EQ(OsFamilyName(info.os), OsFamilyName(expected.os));
    EXPECT_EQ(info.os_version, expected.os_version);
    EXPECT_EQ(DeviceClassName(info.device_class), DeviceClassName(expected.device_class));
    EXPECT_EQ(CpuArchitectureName(info.cpu_architecture),
              CpuArchitectureName(expected.architecture));
    EXPECT_EQ(info.headless_marker, expected.headless_marker);
  }
}

TEST(UserAgent, ReturnsUnknownForEmptyAndUnrelatedText) {
  for (std::string_view text : {"", "curl/8.5.0", "   ", "()", "(((", ")))"}) {
    SCOPED_TRACE(text);
    const UserAgentInfo info = ParseUserAgent(text);
    EXPECT_EQ(info.os, OsFamily::kUnknown);
    EXPECT_EQ(info.device_class, DeviceClass::kUnknown);
    EXPECT_TRUE(info.headless_marker.empty());
  }
  EXPECT_EQ(ParseUserAgent("curl/8.5.0").browser, BrowserFamily::kUnknown);
}

TEST(UserAgent, ReadsUnclosedComment) {
  const UserAgentInfo info = ParseUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64");
  EXPECT_EQ(info.os, OsFamily::kWindows);
  EXPECT_EQ(info.cpu_architecture, CpuArchitecture::kX64);
}

TEST(UserAgent, RejectsOverlongVersionNumbers) {
  const UserAgentInfo info =
      ParseUserAgent("Mozilla/5.0 (Windows NT 99999999999999999999999999) Chrome/12345678901");
  EXPECT_EQ(info.browser, BrowserFamily::kChrome);
  EXPECT_FALSE(info.browser_major_version.has_value());
  EXPECT_EQ(info.os_version, "");
}

TEST(UserAgent, IgnoresTextPastLimit) {
  // The Edge token sits beyond the first 1024 bytes, so only Chrome is seen.
  const std::string user_agent = "Chrome/120.0 " + std::string(1100, 'x') + " Edg/120.0";
  EXPECT_EQ(ParseUserAgent(user_agent).browser, BrowserFamily::kChrome);
}

TEST(UserAgent, HandlesDeeplyNestedParentheses) {
  const std::string user_agent = std::string(5000, '(') + "Android 10" + std::string(5000, ')');
  const UserAgentInfo info = ParseUserAgent(user_agent);
  EXPECT_EQ(info.os, OsFamily::kUnknown);
}

TEST(UserAgent, MapsPlatformToOsFamily) {
  const std::pair<std::string_view, OsFamily> cases[] = {
      {"Win32", OsFamily::kWindows},
      {"Win64", OsFamily::kWindows},
      {"MacIntel", OsFamily::kMacOs},
      {"macOS", OsFamily::kMacOs},
      {"Linux x86_64", OsFamily::kLinux},
      {"Linux armv8l", OsFamily::kLinux},
      {"Linux aarch64", OsFamily::kLinux},
      {"iPhone", OsFamily::kIos},
      {"iPad", OsFamily::kIos},
      {"ChromeOS", OsFamily::kChromeOs},
      {"Android", OsFamily::kAndroid},
      {"", OsFamily::kUnknown},
      {"PlayStation 5", OsFamily::kUnknown},
  };
  for (const auto& [platform, family] : cases) {
    EXPECT_EQ(OsFamilyName(OsFamilyFromPlatform(platform)), OsFamilyName(family)) << platform;
  }
}

TEST(UserAgent, NamesAreSnakeCase) {
  EXPECT_EQ(BrowserFamilyName(BrowserFamily::kSamsungInternet), "samsung_internet");
  EXPECT_EQ(BrowserFamilyName(BrowserFamily::kInternetExplorer), "internet_explorer");
  EXPECT_EQ(OsFamilyName(OsFamily::kChromeOs), "chromeos");
  EXPECT_EQ(OsFamilyName(OsFamily::kMacOs), "macos");
  EXPECT_EQ(DeviceClassName(DeviceClass::kTablet), "tablet");
  EXPECT_EQ(CpuArchitectureName(CpuArchitecture::kX64), "x64");
}

}  // namespace
}  // namespace devtrust::trust
