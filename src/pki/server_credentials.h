// TLS server keys and certificates for the devtrust HTTPS endpoint, issued by
// CertificateAuthority::IssueServerCredentials, and the files the server
// loads them from.
#ifndef DEVTRUST_PKI_SERVER_CREDENTIALS_H_
#define DEVTRUST_PKI_SERVER_CREDENTIALS_H_

#include <filesystem>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/x509.h"

namespace devtrust::pki {

// The names a server certificate covers as subjectAltName entries.
struct ServerNames {
  // Host names: dot-separated labels of letters, digits and '-' (RFC 1123
  // section 2.1), each 1 to 63 characters, 253 in total.
  std::vector<std::string> dns_names = {"localhost"};
  // IPv4 dotted-quad or IPv6 text addresses.
  std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};
};

// A name list in the form CertificateBuilder takes.
struct ParsedServerNames {
  std::vector<std::string> dns_names;
  std::vector<Bytes> ip_addresses;  // 4 or 16 bytes in network order
  // The first DNS name if it fits a commonName, else the first address, else
  // "devtrust server".
  std::string common_name;
};

// Checks every name and converts the addresses. Fails with reason
// "invalid_server_name" on an invalid host name or address, or when both
// lists are empty.
Result<ParsedServerNames> ParseServerNames(const ServerNames& names);

struct ServerCredential {
  crypto::PrivateKey key;
  crypto::Certificate certificate;  // issued by the root of the key's algorithm
};

struct ServerCredentials {
  ServerCredential ml_dsa;  // ML-DSA-65 key, under the ML-DSA-65 root
  ServerCredential ecdsa;   // P-256 key, under the ECDSA root
};

// Writes the credentials into `directory`, replacing earlier ones:
//   server-ml-dsa-65.key.pem   server-ml-dsa-65.cert.pem
//   server-ecdsa-p256.key.pem  server-ecdsa-p256.cert.pem
// Keys are seed-only PKCS#8 PEM with mode 0600, certificates PEM with mode
// 0644, each written atomically (see WriteFileAtomically). Clients trust the
// root certificates in the CA's key directory.
Status WriteServerCredentials(const ServerCredentials& credentials,
                              const std::filesystem::path& directory);

}  // namespace devtrust::pki

#endif  // DEVTRUST_PKI_SERVER_CREDENTIALS_H_
