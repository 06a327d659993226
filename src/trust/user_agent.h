// Attributes derived from a browser's User-Agent string and navigator.platform.
//
// Drift scoring needs to tell a browser update ("Chrome/136" to "Chrome/137")
// from a different system ("Windows NT 10.0" to "Android 10"), and the raw
// strings differ in both cases. The parser splits the string into the product
// tokens and parenthesized comments of RFC 9110 section 10.1.5 in one pass,
// then looks tokens up by name. Its work is linear in the input length, and it
// needs no regular expressions. Anything it does not recognize becomes
// "unknown", so it never fails.
#ifndef DEVTRUST_TRUST_USER_AGENT_H_
#define DEVTRUST_TRUST_USER_AGENT_H_

#include <optional>
#include <string>
#include <string_view>

namespace devtrust::trust {

enum class BrowserFamily {
  kUnknown,
  kChrome,  // Chrome, Chromium, HeadlessChrome, CriOS, and browsers that only add a token
  kEdge,
  kFirefox,
  kSafari,
  kOpera,
  kSamsungInternet,
  kInternetExplorer,
};

enum class OsFamily {
  kUnknown,
  kWindows,
  kMacOs,
  kLinux,
  kAndroid,
  kIos,
  kChromeOs,
};

enum class DeviceClass {
  kUnknown,
  kDesktop,
  kMobile,
  kTablet,
};

enum class CpuArchitecture {
  kUnknown,
  kX86,
  kX64,
  kArm,
};

struct UserAgentInfo {
  BrowserFamily browser = BrowserFamily::kUnknown;
  // The major version of the browser, such as 139 for "Chrome/139.0.0.0".
  std::optional<int> browser_major_version;
  OsFamily os = OsFamily::kUnknown;
  // Dotted version as the string reports it ("10.0", "10.15.7", "17.4"), or empty.
  std::string os_version;
  DeviceClass device_class = DeviceClass::kUnknown;
  // Only set where the string names it (Win64, x86_64, armv7l, ...). macOS
  // strings always contain "Intel", so they leave it unknown.
  CpuArchitecture cpu_architecture = CpuArchitecture::kUnknown;
  // The token that marks an automated browser ("HeadlessChrome", "PhantomJS"),
  // or empty.
  std::string headless_marker;

  bool operator==(const UserAgentInfo&) const = default;
};

// Parses a User-Agent header value or navigator.userAgent. Bytes past the
// first 1024 are ignored.
UserAgentInfo ParseUserAgent(std::string_view user_agent);

// Maps a navigator.platform value ("Win32", "MacIntel", "Linux armv8l",
// "iPhone") to an OS family. Android browsers report "Linux ...", so this
// returns kLinux for them: it describes the platform string, not the device.
OsFamily OsFamilyFromPlatform(std::string_view platform);

// Lowercase snake_case names: "chrome", "samsung_internet", "macos", "ios",
// "chromeos", "desktop", "x64", and "unknown".
std::string_view BrowserFamilyName(BrowserFamily family);
std::string_view OsFamilyName(OsFamily family);
std::string_view DeviceClassName(DeviceClass device_class);
std::string_view CpuArchitectureName(CpuArchitecture architecture);

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_USER_AGENT_H_
