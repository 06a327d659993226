// Where the device side gets the fingerprint it reports: a JSON file, or the
// local machine.
//
// The local machine's fingerprint has these attributes, each left out when
// its source is unavailable:
//   platform        uname(2) sysname and machine, "Linux x86_64", the form
//                   a browser's navigator.platform takes on Linux;
//   hardware_model  /sys/class/dmi/id/product_name (SMBIOS product name),
//                   when readable and not empty;
//   os_build        PRETTY_NAME from /etc/os-release (os-release(5)), else
//                   "ID VERSION_ID";
//   language        LC_ALL, else LANG, as a BCP 47 tag: "en_US.UTF-8"
//                   becomes "en-US"; "C" and "POSIX" are left out;
//   timezone        TZ when it names a zone, else /etc/timezone, else the
//                   zone that /etc/localtime links to, such as
//                   "Europe/Berlin".
// The host name is never included: renaming a machine does not make it
// another device, and the name often identifies its owner.
#ifndef DEVTRUST_CLIENT_FINGERPRINT_SOURCE_H_
#define DEVTRUST_CLIENT_FINGERPRINT_SOURCE_H_

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "trust/fingerprint.h"

namespace devtrust::client {

// Reads a fingerprint from a JSON file holding one object of attributes, with
// the rules of trust::Fingerprint (strings, numbers or booleans; at most 32).
// Errors: "file_not_found", "file_read_failed", and "fingerprint_invalid"
// naming the file.
Result<trust::Fingerprint> ReadFingerprintFile(const std::filesystem::path& path);

// The sources of the local machine's attributes; tests point them elsewhere.
struct LocalMachineSources {
  std::filesystem::path dmi_product_name = "/sys/class/dmi/id/product_name";
  std::filesystem::path os_release = "/etc/os-release";
  std::filesystem::path timezone_file = "/etc/timezone";
  std::filesystem::path localtime_link = "/etc/localtime";
  // Returns an environment variable's value, or nullopt when it is unset.
  std::function<std::optional<std::string>(std::string_view name)> environment;
  // "sysname machine" as uname(2) reports it; empty reads uname.
  std::string platform;
};

// Collects the local machine's fingerprint as described above. Fails with
// reason "fingerprint_invalid" when no attribute could be read.
Result<trust::Fingerprint> CollectLocalFingerprint(const LocalMachineSources& sources = {});

// Helpers, exposed for tests.

// "en_US.UTF-8" -> "en-US", "de_DE@euro" -> "de-DE", "fr" -> "fr"; nullopt
// for "C", "POSIX", an empty value or one that is not a language tag.
std::optional<std::string> LanguageTagFromLocale(std::string_view locale);

// The PRETTY_NAME of os-release text, else "ID VERSION_ID", else nullopt.
// Values may be quoted with " or ' and contain backslash escapes.
std::optional<std::string> OsBuildFromOsRelease(std::string_view text);

// The IANA zone name in a path below a zoneinfo directory, such as
// "/usr/share/zoneinfo/Europe/Berlin" -> "Europe/Berlin"; nullopt otherwise.
std::optional<std::string> ZoneFromZoneinfoPath(std::string_view path);

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_FINGERPRINT_SOURCE_H_
