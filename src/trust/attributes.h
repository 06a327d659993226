// The fingerprint attributes devtrust recognizes and the attributes it derives.
//
// A device may report any attribute whose name is valid; the known ones below
// have a value kind that decides how two values compare, and a default drift
// weight in DriftPolicy. Derived attributes are computed from user_agent and
// platform. Their names contain a dot, which a reported name cannot contain,
// so a device cannot supply or overwrite them.
#ifndef DEVTRUST_TRUST_ATTRIBUTES_H_
#define DEVTRUST_TRUST_ATTRIBUTES_H_

#include <optional>
#include <span>
#include <string_view>

namespace devtrust::trust {

// The rule by which two values of an attribute compare.
enum class AttributeKind {
  kText,         // byte for byte
  kLanguageTag,  // BCP 47 tags compare case-insensitively (RFC 5646 section 2.1.1)
  kNumber,       // numerically when both parse as numbers ("1.0" equals "1"), else as text
  kBoolean,      // "true"/"1" and "false"/"0" are equal, other values compare as text
};

// Reported attributes.
inline constexpr std::string_view kPlatform = "platform";
inline constexpr std::string_view kUserAgent = "user_agent";
inline constexpr std::string_view kLanguage = "language";
inline constexpr std::string_view kScreenWidth = "screen_width";
inline constexpr std::string_view kScreenHeight = "screen_height";
inline constexpr std::string_view kPixelRatio = "pixel_ratio";
inline constexpr std::string_view kCookiesEnabled = "cookies_enabled";
inline constexpr std::string_view kTimezone = "timezone";
inline constexpr std::string_view kHardwareModel = "hardware_model";
inline constexpr std::string_view kOsBuild = "os_build";
inline constexpr std::string_view kColorDepth = "color_depth";
inline constexpr std::string_view kHardwareConcurrency = "hardware_concurrency";
inline constexpr std::string_view kDeviceMemory = "device_memory";
// navigator.webdriver, true when an automation driver controls the browser.
inline constexpr std::string_view kWebdriver = "webdriver";

// Derived attributes.
inline constexpr std::string_view kBrowser = "user_agent.browser";
inline constexpr std::string_view kBrowserVersion = "user_agent.browser_version";
inline constexpr std::string_view kOs = "user_agent.os";
inline constexpr std::string_view kOsVersion = "user_agent.os_version";
inline constexpr std::string_view kDeviceClass = "user_agent.device_class";
inline constexpr std::string_view kCpuArchitecture = "user_agent.cpu_architecture";
inline constexpr std::string_view kHeadless = "user_agent.headless";
inline constexpr std::string_view kPlatformFamily = "platform.family";

// The kind of a known reported attribute, or nullopt for an unknown name.
std::optional<AttributeKind> KnownAttributeKind(std::string_view name);

// The names of the known reported attributes, in the order listed above.
std::span<const std::string_view> KnownAttributeNames();

// The names of the derived attributes, in the order listed above.
std::span<const std::string_view> DerivedAttributeNames();

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_ATTRIBUTES_H_
