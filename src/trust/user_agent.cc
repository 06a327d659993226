#include "trust/user_agent.h"

#include <array>
#include <cstddef>
#include <vector>

namespace devtrust::trust {
namespace {

// Real User-Agent strings are 100 to 300 bytes. Cutting at a fixed size keeps
// the work bounded even for callers that skip the fingerprint's own limit.
constexpr std::size_t kMaxUserAgentBytes = 1024;
constexpr std::size_t kMaxVersionLength = 24;
constexpr std::size_t kMaxMajorVersionDigits = 6;

struct Product {
  std::string_view name;
  std::string_view version;
};

// The parts of a User-Agent string: "name/version" product tokens and the
// ';'-separated items of parenthesized comments.
struct Tokens {
  std::vector<Product> products;
  std::vector<std::string_view> comment_items;
  // The items of the first comment, which by convention describes the system.
  std::vector<std::string_view> system_items;
};

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ToLowerAscii(text[i]) != ToLowerAscii(prefix[i])) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

void SplitCommentItems(std::string_view comment, std::vector<std::string_view>& items) {
  while (!comment.empty()) {
    const std::size_t separator = comment.find(';');
    const std::string_view item = Trim(comment.substr(0, separator));
    if (!item.empty()) {
      items.push_back(item);
    }
    if (separator == std::string_view::npos) {
      break;
    }
    comment.remove_prefix(separator + 1);
  }
}

Tokens Tokenize(std::string_view user_agent) {
  Tokens tokens;
  bool seen_comment = false;
  std::size_t i = 0;
  while (i < user_agent.size()) {
    if (IsSpace(user_agent[i])) {
      ++i;
      continue;
    }

    // A comment runs to its matching parenthesis, or to the end of the string
    // when that is missing. Nested parentheses stay inside its text.
    if (user_agent[i] == '(') {
      std::size_t depth = 1;
      std::size_t end = i + 1;
      while (end < user_agent.size() && depth > 0) {
        if (user_agent[end] == '(') {
          ++depth;
        } else if (user_agent[end] == ')') {
          --depth;
        }
        ++end;
      }
      const std::size_t text_end = depth == 0 ? end - 1 : end;
      const std::string_view comment = user_agent.substr(i + 1, text_end - i - 1);
      const std::size_t first_item = tokens.comment_items.size();
      SplitCommentItems(comment, tokens.comment_items);
      if (!seen_comment) {
        tokens.system_items.assign(
            tokens.comment_items.begin() + static_cast<std::ptrdiff_t>(first_item),
            tokens.comment_items.end());
        seen_comment = true;
      }
      i = end;
      continue;
    }

    const std::size_t start = i;
    while (i < user_agent.size() && !IsSpace(user_agent[i]) && user_agent[i] != '(') {
      ++i;
    }
    const std::string_view token = user_agent.substr(start, i - start);
    const std::size_t slash = token.find('/');
    if (slash == std::string_view::npos) {
      tokens.products.push_back({token, {}});
    } else {
      tokens.products.push_back({token.substr(0, slash), token.substr(slash + 1)});
    }
  }
  return tokens;
}

const Product* FindProduct(const Tokens& tokens, std::string_view name) {
  for (const Product& product : tokens.products) {
    if (product.name == name) {
      return &product;
    }
  }
  return nullptr;
}

bool HasCommentItem(const Tokens& tokens, std::string_view item) {
  for (std::string_view candidate : tokens.comment_items) {
    if (candidate == item) {
      return true;
    }
  }
  return false;
}

std::optional<int> MajorVersion(std::string_view version) {
  std::size_t digits = 0;
  while (digits < version.size() && IsDigit(version[digits])) {
    ++digits;
  }
  if (digits == 0 || digits > kMaxMajorVersionDigits) {
    return std::nullopt;
  }
  int major = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    major = major * 10 + (version[i] - '0');
  }
  return major;
}

// Keeps a version made of digits, dots and underscores, written with dots
// ("10_15_7" becomes "10.15.7"); anything else yields an empty string.
std::string NormalizeVersion(std::string_view version) {
  if (version.empty() || version.size() > kMaxVersionLength || !IsDigit(version.front())) {
    return {};
  }
  std::string normalized;
  for (const char c : version) {
    if (IsDigit(c) || c == '.') {
      normalized += c;
    } else if (c == '_') {
      normalized += '.';
    } else {
      return {};
    }
  }
  return normalized;
}

// The word that follows `marker` in `item`, as in "Android 10" or
// "Mac OS X 10_15_7".
std::string_view WordAfter(std::string_view item, std::string_view marker) {
  const std::size_t at = item.find(marker);
  if (at == std::string_view::npos) {
    return {};
  }
  std::string_view rest = Trim(item.substr(at + marker.size()));
  const std::size_t space = rest.find(' ');
  return rest.substr(0, space);
}

void DetectBrowser(const Tokens& tokens, UserAgentInfo& info) {
  // Order matters: Edge, Opera and Samsung Internet also carry a Chrome token,
  // and every WebKit or Blink browser carries a Safari token.
  struct Rule {
    std::string_view product;
    BrowserFamily family;
  };
  constexpr std::array<Rule, 13> kRules = {{
      {"Edg", BrowserFamily::kEdge},
      {"EdgA", BrowserFamily::kEdge},
      {"EdgiOS", BrowserFamily::kEdge},
      {"Edge", BrowserFamily::kEdge},
      {"OPR", BrowserFamily::kOpera},
      {"OPiOS", BrowserFamily::kOpera},
      {"SamsungBrowser", BrowserFamily::kSamsungInternet},
      {"Firefox", BrowserFamily::kFirefox},
      {"FxiOS", BrowserFamily::kFirefox},
      {"HeadlessChrome", BrowserFamily::kChrome},
      {"Chrome", BrowserFamily::kChrome},
      {"CriOS", BrowserFamily::kChrome},
      {"Chromium", BrowserFamily::kChrome},
  }};
  for (const Rule& rule : kRules) {
    if (const Product* product = FindProduct(tokens, rule.product); product != nullptr) {
      info.browser = rule.family;
      info.browser_major_version = MajorVersion(product->version);
      return;
    }
  }

  // Safari reports its own version in a "Version/17.3" token.
  if (FindProduct(tokens, "Safari") != nullptr) {
    info.browser = BrowserFamily::kSafari;
    if (const Product* version = FindProduct(tokens, "Version"); version != nullptr) {
      info.browser_major_version = MajorVersion(version->version);
    }
    return;
  }

  // Internet Explorer 11 reports "Trident/7.0; rv:11.0", older versions "MSIE 10.0".
  for (std::string_view item : tokens.comment_items) {
    if (item.starts_with("MSIE ")) {
      info.browser = BrowserFamily::kInternetExplorer;
      info.browser_major_version = MajorVersion(item.substr(5));
      return;
    }
    if (item.starts_with("Trident/")) {
      info.browser = BrowserFamily::kInternetExplorer;
      for (std::string_view other : tokens.comment_items) {
        if (other.starts_with("rv:")) {
          info.browser_major_version = MajorVersion(other.substr(3));
        }
      }
      return;
    }
  }
}

void DetectHeadlessMarker(const Tokens& tokens, UserAgentInfo& info) {
  for (const Product& product : tokens.products) {
    if (product.name.starts_with("Headless") || product.name == "PhantomJS") {
      info.headless_marker = std::string(product.name);
      return;
    }
  }
}

void DetectOs(const Tokens& tokens, UserAgentInfo& info) {
  std::string_view android, chromeos, ios, macos, windows;
  bool macintosh = false;
  bool linux_seen = false;
  bool ipad = false;
  for (std::string_view item : tokens.comment_items) {
    if (item.starts_with("Android")) {
      android = item;
    } else if (item.starts_with("CrOS")) {
      chromeos = item;
    } else if (item.starts_with("CPU ") && item.find(" OS ") != std::string_view::npos) {
      ios = item;
    } else if (item == "iPhone" || item == "iPod" || item == "iPod touch") {
      ios = ios.empty() ? item : ios;
    } else if (item == "iPad") {
      ipad = true;
      ios = ios.empty() ? item : ios;
    } else if (item.find("Mac OS X") != std::string_view::npos) {
      macos = item;
    } else if (item == "Macintosh") {
      macintosh = true;
    } else if (item.starts_with("Windows")) {
      windows = item;
    } else if (item.starts_with("Linux") || item == "X11" || item.starts_with("Ubuntu")) {
      linux_seen = true;
    }
  }

  // A mobile system names the desktop one it derives from ("Linux; Android",
  // "like Mac OS X"), so the more specific family wins.
  if (!android.empty()) {
    info.os = OsFamily::kAndroid;
    info.os_version = NormalizeVersion(WordAfter(android, "Android"));
  } else if (!chromeos.empty()) {
    info.os = OsFamily::kChromeOs;
    const std::size_t last_space = chromeos.rfind(' ');
    info.os_version = last_space == std::string_view::npos
                          ? ""
                          : NormalizeVersion(chromeos.substr(last_space + 1));
  } else if (!ios.empty() || ipad) {
    info.os = OsFamily::kIos;
    info.os_version = NormalizeVersion(WordAfter(ios, " OS "));
  } else if (!macos.empty() || macintosh) {
    info.os = OsFamily::kMacOs;
    info.os_version = NormalizeVersion(WordAfter(macos, "Mac OS X"));
  } else if (!windows.empty()) {
    info.os = OsFamily::kWindows;
    info.os_version = NormalizeVersion(windows.substr(windows.find_last_of(' ') + 1));
  } else if (linux_seen) {
    info.os = OsFamily::kLinux;
  }

  const bool mobile_token =
      FindProduct(tokens, "Mobile") != nullptr || HasCommentItem(tokens, "Mobile");
  switch (info.os) {
    case OsFamily::kIos:
      info.device_class = ipad ? DeviceClass::kTablet : DeviceClass::kMobile;
      break;
    case OsFamily::kAndroid:
      // Chrome on Android tablets drops the "Mobile" token; Firefox writes
      // "Mobile" or "Tablet" into the comment.
      info.device_class = mobile_token ? DeviceClass::kMobile : DeviceClass::kTablet;
      break;
    case OsFamily::kWindows:
      info.device_class =
          windows.starts_with("Windows Phone") ? DeviceClass::kMobile : DeviceClass::kDesktop;
      break;
    case OsFamily::kMacOs:
    case OsFamily::kLinux:
    case OsFamily::kChromeOs:
      info.device_class = DeviceClass::kDesktop;
      break;
    case OsFamily::kUnknown:
      info.device_class = mobile_token ? DeviceClass::kMobile : DeviceClass::kUnknown;
      break;
  }
}

CpuArchitecture ArchitectureOfWord(std::string_view word) {
  if (word == "x64" || word == "Win64" || word == "WOW64" || word == "x86_64" || word == "amd64" ||
      word == "x86-64") {
    return CpuArchitecture::kX64;
  }
  if (word == "i686" || word == "i386" || word == "x86") {
    return CpuArchitecture::kX86;
  }
  if (word.starts_with("arm") || word.starts_with("aarch64")) {
    return CpuArchitecture::kArm;
  }
  return CpuArchitecture::kUnknown;
}

void DetectArchitecture(const Tokens& tokens, UserAgentInfo& info) {
  for (std::string_view item : tokens.system_items) {
    while (!item.empty()) {
      const std::size_t space = item.find(' ');
      const CpuArchitecture architecture = ArchitectureOfWord(item.substr(0, space));
      if (architecture != CpuArchitecture::kUnknown) {
        info.cpu_architecture = architecture;
        return;
      }
      if (space == std::string_view::npos) {
        break;
      }
      item.remove_prefix(space + 1);
    }
  }
}

}  // namespace

UserAgentInfo ParseUserAgent(std::string_view user_agent) {
  const Tokens tokens = Tokenize(user_agent.substr(0, kMaxUserAgentBytes));

  UserAgentInfo info;
  DetectBrowser(tokens, info);
  DetectHeadlessMarker(tokens, info);
  DetectOs(tokens, info);
  DetectArchitecture(tokens, info);
  return info;
}

OsFamily OsFamilyFromPlatform(std::string_view platform) {
  platform = Trim(platform);
  if (StartsWithIgnoringCase(platform, "Win")) {
    return OsFamily::kWindows;
  }
  if (StartsWithIgnoringCase(platform, "iPhone") || StartsWithIgnoringCase(platform, "iPad") ||
      StartsWithIgnoringCase(platform, "iPod")) {
    return OsFamily::kIos;
  }
  if (StartsWithIgnoringCase(platform, "Mac")) {
    return OsFamily::kMacOs;
  }
  if (StartsWithIgnoringCase(platform, "Android")) {
    return OsFamily::kAndroid;
  }
  if (StartsWithIgnoringCase(platform, "ChromeOS") ||
      StartsWithIgnoringCase(platform, "Chrome OS") || StartsWithIgnoringCase(platform, "CrOS")) {
    return OsFamily::kChromeOs;
  }
  if (StartsWithIgnoringCase(platform, "Linux") || StartsWithIgnoringCase(platform, "X11")) {
    return OsFamily::kLinux;
  }
  return OsFamily::kUnknown;
}

std::string_view BrowserFamilyName(BrowserFamily family) {
  switch (family) {
    case BrowserFamily::kUnknown:
      return "unknown";
    case BrowserFamily::kChrome:
      return "chrome";
    case BrowserFamily::kEdge:
      return "edge";
    case BrowserFamily::kFirefox:
      return "firefox";
    case BrowserFamily::kSafari:
      return "safari";
    case BrowserFamily::kOpera:
      return "opera";
    case BrowserFamily::kSamsungInternet:
      return "samsung_internet";
    case BrowserFamily::kInternetExplorer:
      return "internet_explorer";
  }
  return "unknown";
}

std::string_view OsFamilyName(OsFamily family) {
  switch (family) {
    case OsFamily::kUnknown:
      return "unknown";
    case OsFamily::kWindows:
      return "windows";
    case OsFamily::kMacOs:
      return "macos";
    case OsFamily::kLinux:
      return "linux";
    case OsFamily::kAndroid:
      return "android";
    case OsFamily::kIos:
      return "ios";
    case OsFamily::kChromeOs:
      return "chromeos";
  }
  return "unknown";
}

std::string_view DeviceClassName(DeviceClass device_class) {
  switch (device_class) {
    case DeviceClass::kUnknown:
      return "unknown";
    case DeviceClass::kDesktop:
      return "desktop";
    case DeviceClass::kMobile:
      return "mobile";
    case DeviceClass::kTablet:
      return "tablet";
  }
  return "unknown";
}

std::string_view CpuArchitectureName(CpuArchitecture architecture) {
  switch (architecture) {
    case CpuArchitecture::kUnknown:
      return "unknown";
    case CpuArchitecture::kX86:
      return "x86";
    case CpuArchitecture::kX64:
      return "x64";
    case CpuArchitecture::kArm:
      return "arm";
  }
  return "unknown";
}

}  // namespace devtrust::trust
