#include "trust/attributes.h"

#include <array>

namespace devtrust::trust {
namespace {

struct KnownAttribute {
  std::string_view name;
  AttributeKind kind;
};

constexpr std::array<KnownAttribute, 14> kKnownAttributes = {{
    {kPlatform, AttributeKind::kText},
    {kUserAgent, AttributeKind::kText},
    {kLanguage, AttributeKind::kLanguageTag},
    {kScreenWidth, AttributeKind::kNumber},
    {kScreenHeight, AttributeKind::kNumber},
    {kPixelRatio, AttributeKind::kNumber},
    {kCookiesEnabled, AttributeKind::kBoolean},
    {kTimezone, AttributeKind::kText},
    {kHardwareModel, AttributeKind::kText},
    {kOsBuild, AttributeKind::kText},
    {kColorDepth, AttributeKind::kNumber},
    {kHardwareConcurrency, AttributeKind::kNumber},
    {kDeviceMemory, AttributeKind::kNumber},
    {kWebdriver, AttributeKind::kBoolean},
}};

constexpr std::array<std::string_view, kKnownAttributes.size()> kKnownNames = [] {
  std::array<std::string_view, kKnownAttributes.size()> names{};
  for (std::size_t i = 0; i < kKnownAttributes.size(); ++i) {
    names[i] = kKnownAttributes[i].name;
  }
  return names;
}();

constexpr std::array<std::string_view, 8> kDerivedNames = {
    kBrowser,     kBrowserVersion,  kOs,       kOsVersion,
    kDeviceClass, kCpuArchitecture, kHeadless, kPlatformFamily,
};

}  // namespace

std::optional<AttributeKind> KnownAttributeKind(std::string_view name) {
  for (const KnownAttribute& attribute : kKnownAttributes) {
    if (attribute.name == name) {
      return attribute.kind;
    }
  }
  return std::nullopt;
}

std::span<const std::string_view> KnownAttributeNames() { return kKnownNames; }

std::span<const std::string_view> DerivedAttributeNames() { return kDerivedNames; }

}  // namespace devtrust::trust
