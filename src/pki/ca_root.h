// The devtrust CA's two self-signed roots, an ML-DSA-65 root for the
// post-quantum certificates and an ECDSA P-256 root for the classical twins,
// kept in a key directory:
//
//   ml-dsa-65-root.key.pem    seed-only PKCS#8 private key, mode 0600
//   ml-dsa-65-root.cert.pem   self-signed certificate
//   ecdsa-p256-root.key.pem   PKCS#8 private key, mode 0600
//   ecdsa-p256-root.cert.pem  self-signed certificate
#ifndef DEVTRUST_PKI_CA_ROOT_H_
#define DEVTRUST_PKI_CA_ROOT_H_

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/x509.h"
#include "crypto/x509_types.h"

namespace devtrust::pki {

enum class RootAlgorithm {
  kMlDsa65,    // signs the ML-DSA-65 device and server certificates
  kEcdsaP256,  // signs their ECDSA P-256 twins
};

// "ML-DSA-65" or "ECDSA-P256".
std::string_view RootAlgorithmName(RootAlgorithm algorithm);
// The key algorithm of the root key, which is also the algorithm of the keys
// this root certifies.
crypto::KeyAlgorithm RootKeyAlgorithm(RootAlgorithm algorithm);

std::filesystem::path RootKeyPath(const std::filesystem::path& directory, RootAlgorithm algorithm);
std::filesystem::path RootCertificatePath(const std::filesystem::path& directory,
                                          RootAlgorithm algorithm);

struct RootOptions {
  std::string organization = "devtrust";
  std::chrono::seconds validity = std::chrono::days(3650);
};

struct CaRoot {
  RootAlgorithm algorithm;
  crypto::PrivateKey key;
  crypto::Certificate certificate;
  crypto::PublicKey public_key;
};

// Loads the root of `algorithm` from `directory`, creating the directory
// (mode 0700), the key and the certificate on first use. A new root is valid
// from `now` for options.validity, with basicConstraints cA and path length 0
// (it signs only end-entity certificates) and keyUsage keyCertSign and
// cRLSign.
//
// When the key exists but the certificate does not (a crash between the two
// writes), a new self-signed certificate is made for the existing key. Errors:
//   "key_file_permissions"  the key file has group or other permission bits;
//   "root_invalid"          kDataLoss: a certificate without its key, a key
//                           or certificate that does not parse, a certificate
//                           for another key, or one that is not a CA or
//                           has no subjectKeyIdentifier;
//   "file_write_failed", "file_read_failed"  I/O failures.
Result<CaRoot> LoadOrCreateRoot(const std::filesystem::path& directory, RootAlgorithm algorithm,
                                const RootOptions& options, crypto::TimePoint now);

}  // namespace devtrust::pki

#endif  // DEVTRUST_PKI_CA_ROOT_H_
