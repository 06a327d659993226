#include "pki/server_credentials.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "pki/secure_file.h"

namespace devtrust::pki {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxDnsNameLength = 253;
constexpr std::size_t kMaxDnsLabelLength = 63;

std::unexpected<Error> InvalidName(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "invalid_server_name", std::move(message));
}

bool IsValidLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxDnsLabelLength) {
    return false;
  }
  if (label.front() == '-' || label.back() == '-') {
    return false;
  }
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsValidHostName(std::string_view name) {
  if (name.empty() || name.size() > kMaxDnsNameLength) {
    return false;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label = name.substr(start, dot - start);
    if (!IsValidLabel(label)) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    start = dot + 1;
  }
}

std::optional<Bytes> ParseIpAddress(const std::string& text) {
  std::array<std::uint8_t, 16> buffer{};
  if (inet_pton(AF_INET, text.c_str(), buffer.data()) == 1) {
    return Bytes(buffer.begin(), buffer.begin() + 4);
  }
  if (inet_pton(AF_INET6, text.c_str(), buffer.data()) == 1) {
    return Bytes(buffer.begin(), buffer.end());
  }
  return std::nullopt;
}

Status WriteCredential(const ServerCredential& credential, const fs::path& directory,
                       std::string_view stem) {
  Result<crypto::SecretBytes> key_pem = credential.key.ToPem();
  if (!key_pem) {
    return std::unexpected(key_pem.error());
  }
  Status key_written =
      WriteFileAtomically(directory / (std::string(stem) + ".key.pem"), key_pem->view(),
                          kPrivateFileMode, ExistingFile::kReplace);
  if (!key_written) {
    return key_written;
  }
  const std::string certificate_pem = credential.certificate.ToPem();
  return WriteFileAtomically(directory / (std::string(stem) + ".cert.pem"),
                             AsBytes(certificate_pem), kPublicFileMode, ExistingFile::kReplace);
}

}  // namespace

Result<ParsedServerNames> ParseServerNames(const ServerNames& names) {
  if (names.dns_names.empty() && names.ip_addresses.empty()) {
    return InvalidName("server certificate needs at least one DNS name or IP address");
  }

  ParsedServerNames parsed;
  for (const std::string& name : names.dns_names) {
    if (!IsValidHostName(name)) {
      return InvalidName("\"" + name.substr(0, kMaxDnsNameLength) +
                         "\" is not a valid host name; use labels of letters, digits and '-' "
                         "separated by dots");
    }
    parsed.dns_names.push_back(name);
  }
  for (const std::string& text : names.ip_addresses) {
    std::optional<Bytes> address = ParseIpAddress(text);
    if (!address) {
      return InvalidName("\"" + text.substr(0, 64) + "\" is not an IPv4 or IPv6 address");
    }
    parsed.ip_addresses.push_back(*std::move(address));
  }
  // A commonName has at most 64 characters (RFC 5280 appendix A). TLS clients
  // match the subjectAltName entries, so the fallback is harmless.
  parsed.common_name = names.ip_addresses.empty() ? "devtrust server" : names.ip_addresses.front();
  if (!names.dns_names.empty() && names.dns_names.front().size() <= 64) {
    parsed.common_name = names.dns_names.front();
  }
  return parsed;
}

Status WriteServerCredentials(const ServerCredentials& credentials, const fs::path& directory) {
  if (Status created = CreatePrivateDirectory(directory); !created) {
    return created;
  }
  if (Status written = WriteCredential(credentials.ml_dsa, directory, "server-ml-dsa-65");
      !written) {
    return written;
  }
  return WriteCredential(credentials.ecdsa, directory, "server-ecdsa-p256");
}

}  // namespace devtrust::pki
