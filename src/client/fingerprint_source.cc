#include "client/fingerprint_source.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "pki/secure_file.h"
#include "trust/attributes.h"

namespace devtrust::client {
namespace {

// The system files read here are a few hundred bytes.
constexpr std::size_t kMaxSourceFileBytes = 64 * 1024;

std::string Trim(std::string_view text) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  const auto begin = std::find_if_not(text.begin(), text.end(), is_space);
  const auto end = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
  return begin < end ? std::string(begin, end) : std::string();
}

std::optional<std::string> ReadSmallFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string text;
  text.resize(kMaxSourceFileBytes);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    return std::nullopt;
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// A value the fingerprint rules accept: not empty, at most 512 bytes and
// without control characters. Other values are left out rather than failing
// the whole fingerprint, because one odd system file should not stop a
// login.
bool IsUsableValue(std::string_view value) {
  return !value.empty() && value.size() <= trust::kMaxAttributeValueBytes &&
         std::none_of(value.begin(), value.end(), [](char c) {
           const auto byte = static_cast<unsigned char>(c);
           return byte < 0x20 || byte == 0x7f;
         });
}

std::optional<std::string> DefaultEnvironment(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

std::string UnamePlatform() {
  struct utsname names{};
  if (::uname(&names) != 0) {
    return "";
  }
  return std::string(names.sysname) + " " + std::string(names.machine);
}

// Removes the quotes and backslash escapes of an os-release value
// (os-release(5): shell-compatible variable assignments).
std::string UnquoteOsReleaseValue(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  std::string result;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      ++i;
    }
    result.push_back(value[i]);
  }
  return result;
}

std::optional<std::string> Timezone(
    const LocalMachineSources& sources,
    const std::function<std::optional<std::string>(std::string_view)>& environment) {
  if (std::optional<std::string> tz = environment("TZ"); tz && !tz->empty()) {
    std::string_view zone = *tz;
    if (zone.front() == ':') {
      zone.remove_prefix(1);
    }
    if (!zone.empty() && zone.front() == '/') {
      return ZoneFromZoneinfoPath(zone);
    }
    if (!zone.empty()) {
      return std::string(zone);
    }
  }
  if (std::optional<std::string> text = ReadSmallFile(sources.timezone_file)) {
    const std::string first_line = Trim(text->substr(0, text->find('\n')));
    if (!first_line.empty()) {
      return first_line;
    }
  }
  std::error_code error;
  const std::filesystem::path target = std::filesystem::read_symlink(sources.localtime_link, error);
  if (!error) {
    return ZoneFromZoneinfoPath(target.string());
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> LanguageTagFromLocale(std::string_view locale) {
  // POSIX locale names: language[_territory][.codeset][@modifier].
  const std::size_t end = locale.find_first_of(".@");
  std::string_view name = locale.substr(0, end);
  if (name.empty() || name == "C" || name == "POSIX") {
    return std::nullopt;
  }
  std::string tag;
  for (char c : name) {
    if (c == '_') {
      tag.push_back('-');
    } else if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      tag.push_back(c);
    } else {
      return std::nullopt;
    }
  }
  const std::string_view language = std::string_view(tag).substr(0, tag.find('-'));
  if (language.size() < 2 || language.size() > 8) {
    return std::nullopt;
  }
  return tag;
}

std::optional<std::string> OsBuildFromOsRelease(std::string_view text) {
  std::optional<std::string> pretty_name;
  std::optional<std::string> id;
  std::optional<std::string> version_id;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string line = Trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);

    const std::size_t equals = line.find('=');
    if (line.empty() || line.front() == '#' || equals == std::string::npos) {
      continue;
    }
    const std::string_view key = std::string_view(line).substr(0, equals);
    std::string value = UnquoteOsReleaseValue(std::string_view(line).substr(equals + 1));
    if (value.empty()) {
      continue;
    }
    if (key == "PRETTY_NAME") {
      pretty_name = std::move(value);
    } else if (key == "ID") {
      id = std::move(value);
    } else if (key == "VERSION_ID") {
      version_id = std::move(value);
    }
  }
  if (pretty_name) {
    return pretty_name;
  }
  if (id && version_id) {
    return *id + " " + *version_id;
  }
  return id;
}

std::optional<std::string> ZoneFromZoneinfoPath(std::string_view path) {
  constexpr std::string_view kMarker = "zoneinfo/";
  const std::size_t marker = path.rfind(kMarker);
  if (marker == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view zone = path.substr(marker + kMarker.size());
  // tzdata also installs the zones under posix/ and right/ (leap seconds).
  for (std::string_view prefix : {"posix/", "right/"}) {
    if (zone.starts_with(prefix)) {
      zone.remove_prefix(prefix.size());
    }
  }
  if (zone.empty()) {
    return std::nullopt;
  }
  return std::string(zone);
}

Result<trust::Fingerprint> ReadFingerprintFile(const std::filesystem::path& path) {
  Result<std::string> text = pki::ReadPublicFile(path, trust::kMaxFingerprintJsonBytes);
  if (!text) {
    return std::unexpected(text.error());
  }
  Result<trust::Fingerprint> fingerprint = trust::Fingerprint::FromJsonText(*text);
  if (!fingerprint) {
    return MakeError(StatusCode::kInvalidArgument, "fingerprint_invalid",
                     "fingerprint file " + path.string() + ": " + fingerprint.error().message() +
                         "; it must hold one JSON object of attribute names and values");
  }
  return fingerprint;
}

Result<trust::Fingerprint> CollectLocalFingerprint(const LocalMachineSources& sources) {
  const auto environment = sources.environment ? sources.environment : DefaultEnvironment;
  std::vector<std::pair<std::string, std::string>> attributes;
  const auto add = [&attributes](std::string_view name, std::optional<std::string> value) {
    if (value && IsUsableValue(*value)) {
      attributes.emplace_back(std::string(name), std::move(*value));
    }
  };

  add(trust::kPlatform, sources.platform.empty() ? UnamePlatform() : sources.platform);

  if (std::optional<std::string> product = ReadSmallFile(sources.dmi_product_name)) {
    add(trust::kHardwareModel, Trim(*product));
  }

  if (std::optional<std::string> os_release = ReadSmallFile(sources.os_release)) {
    add(trust::kOsBuild, OsBuildFromOsRelease(*os_release));
  }

  // LC_ALL overrides LANG for every category (POSIX.1-2017 section 8.2).
  std::optional<std::string> locale = environment("LC_ALL");
  if (!locale || locale->empty()) {
    locale = environment("LANG");
  }
  if (locale) {
    add(trust::kLanguage, LanguageTagFromLocale(*locale));
  }

  add(trust::kTimezone, Timezone(sources, environment));

  if (attributes.empty()) {
    return MakeError(StatusCode::kFailedPrecondition, "fingerprint_invalid",
                     "no attribute of the local machine could be read; pass "
                     "--fingerprint-file with a JSON object of attributes");
  }
  std::vector<std::pair<std::string_view, std::string_view>> views;
  views.reserve(attributes.size());
  for (const auto& [name, value] : attributes) {
    views.emplace_back(name, value);
  }
  return trust::Fingerprint::FromAttributes(views);
}

}  // namespace devtrust::client
