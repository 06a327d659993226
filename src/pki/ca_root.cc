#include "pki/ca_root.h"

#include <cstdlib>
#include <optional>
#include <utility>

#include "crypto/x509_builder.h"
#include "pki/secure_file.h"

namespace devtrust::pki {
namespace {

namespace fs = std::filesystem;

// The limit only bounds what a corrupt file can cost. PEM files of either
// root stay far below it, because an ML-DSA-65 certificate is about 7.5 KB.
constexpr std::size_t kMaxRootFileSize = 64 * 1024;

std::string_view FileStem(RootAlgorithm algorithm) {
  switch (algorithm) {
    case RootAlgorithm::kMlDsa65:
      return "ml-dsa-65-root";
    case RootAlgorithm::kEcdsaP256:
      return "ecdsa-p256-root";
  }
  std::abort();
}

std::unexpected<Error> RootInvalid(std::string message) {
  return MakeError(StatusCode::kDataLoss, "root_invalid", std::move(message));
}

bool IsNotFound(const Error& error) { return error.reason() == "file_not_found"; }

Result<crypto::Certificate> SelfSignRoot(const crypto::PrivateKey& key, RootAlgorithm algorithm,
                                         const RootOptions& options, crypto::TimePoint now) {
  Result<Bytes> serial_number = crypto::GenerateSerialNumber();
  if (!serial_number) {
    return std::unexpected(serial_number.error());
  }
  crypto::CertificateBuilder builder;
  builder.SetSerialNumber(*std::move(serial_number))
      .SetSubject({options.organization, std::string(RootAlgorithmName(algorithm)) + " Root CA"})
      .SetValidity(now, now + options.validity)
      // Path length 0: the roots sign device and server certificates only.
      .SetBasicConstraints({.is_ca = true, .path_length = 0})
      .SetKeyUsage({.key_cert_sign = true, .crl_sign = true});
  return builder.SelfSign(key);
}

// Checks that a loaded certificate is the self-signed CA certificate of
// `key`, so that a mixed-up or edited file cannot become a root.
Status CheckRootCertificate(const crypto::Certificate& certificate, const crypto::PrivateKey& key,
                            const fs::path& path) {
  Result<crypto::PublicKey> certified_key = certificate.public_key();
  if (!certified_key || certified_key->ToSpkiDer() != key.GetPublicKey().ToSpkiDer()) {
    return RootInvalid("root certificate " + path.string() +
                       " certifies a different key than the root key file beside it");
  }
  const bool is_ca = certificate.basic_constraints() && certificate.basic_constraints()->is_ca;
  const bool can_sign = certificate.key_usage() && certificate.key_usage()->key_cert_sign &&
                        certificate.key_usage()->crl_sign;
  if (!is_ca || !can_sign) {
    return RootInvalid("root certificate " + path.string() +
                       " is not a CA certificate with keyCertSign and cRLSign");
  }
  // Device certificates name their root by this identifier.
  if (!certificate.subject_key_identifier()) {
    return RootInvalid("root certificate " + path.string() + " has no subjectKeyIdentifier");
  }
  if (certificate.issuer_der() != certificate.subject_der() ||
      !certificate.VerifySignature(*certified_key)) {
    return RootInvalid("root certificate " + path.string() + " is not validly self-signed");
  }
  return {};
}

Result<crypto::PrivateKey> ParseRootKey(const crypto::SecretBytes& pem, RootAlgorithm algorithm,
                                        const fs::path& path) {
  Result<crypto::PrivateKey> key =
      crypto::PrivateKey::FromPem(pem.AsStringView(), RootKeyAlgorithm(algorithm));
  if (!key) {
    return RootInvalid("root key file " + path.string() + " does not hold a valid " +
                       std::string(RootAlgorithmName(algorithm)) +
                       " key: " + key.error().ToString());
  }
  return key;
}

// Reads the root key, or creates it when neither the key nor the
// certificate exists yet.
Result<crypto::PrivateKey> LoadOrCreateRootKey(const fs::path& directory, RootAlgorithm algorithm) {
  const fs::path key_path = RootKeyPath(directory, algorithm);
  const fs::path certificate_path = RootCertificatePath(directory, algorithm);

  Result<crypto::SecretBytes> pem = ReadPrivateKeyFile(key_path, kMaxRootFileSize);
  if (pem) {
    return ParseRootKey(*pem, algorithm, key_path);
  }
  if (!IsNotFound(pem.error())) {
    return std::unexpected(pem.error());
  }

  // A certificate without its key cannot sign anything; replacing it silently
  // would invalidate every certificate it issued. The key is read once more
  // first, because another process may have created both files meanwhile.
  std::error_code error;
  if (fs::exists(certificate_path, error)) {
    Result<crypto::SecretBytes> created = ReadPrivateKeyFile(key_path, kMaxRootFileSize);
    if (created) {
      return ParseRootKey(*created, algorithm, key_path);
    }
    return RootInvalid("root certificate " + certificate_path.string() + " exists but its key " +
                       key_path.string() +
                       " does not; restore the key, or remove the certificate to create a new "
                       "root");
  }

  Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate(RootKeyAlgorithm(algorithm));
  if (!key) {
    return std::unexpected(key.error());
  }
  Result<crypto::SecretBytes> key_pem = key->ToPem();
  if (!key_pem) {
    return std::unexpected(key_pem.error());
  }
  Status written =
      WriteFileAtomically(key_path, key_pem->view(), kPrivateFileMode, ExistingFile::kKeep);
  if (!written && written.error().reason() == "file_exists") {
    // Another process created the root first; use its key.
    Result<crypto::SecretBytes> existing = ReadPrivateKeyFile(key_path, kMaxRootFileSize);
    if (!existing) {
      return std::unexpected(existing.error());
    }
    return ParseRootKey(*existing, algorithm, key_path);
  }
  if (!written) {
    return std::unexpected(written.error());
  }
  return key;
}

Result<crypto::Certificate> LoadOrCreateRootCertificate(const fs::path& directory,
                                                        RootAlgorithm algorithm,
                                                        const crypto::PrivateKey& key,
                                                        const RootOptions& options,
                                                        crypto::TimePoint now) {
  const fs::path path = RootCertificatePath(directory, algorithm);

  Result<std::string> pem = ReadPublicFile(path, kMaxRootFileSize);
  if (!pem && IsNotFound(pem.error())) {
    Result<crypto::Certificate> created = SelfSignRoot(key, algorithm, options, now);
    if (!created) {
      return std::unexpected(created.error());
    }
    const std::string created_pem = created->ToPem();
    Status written =
        WriteFileAtomically(path, AsBytes(created_pem), kPublicFileMode, ExistingFile::kKeep);
    if (written) {
      return created;
    }
    if (written.error().reason() != "file_exists") {
      return std::unexpected(written.error());
    }
    // Another process wrote the certificate first; load and check its copy.
    pem = ReadPublicFile(path, kMaxRootFileSize);
  }
  if (!pem) {
    return std::unexpected(pem.error());
  }

  Result<crypto::Certificate> certificate = crypto::Certificate::FromPem(*pem);
  if (!certificate) {
    return RootInvalid("root certificate " + path.string() +
                       " does not parse: " + certificate.error().ToString());
  }
  if (Status checked = CheckRootCertificate(*certificate, key, path); !checked) {
    return std::unexpected(checked.error());
  }
  return certificate;
}

}  // namespace

std::string_view RootAlgorithmName(RootAlgorithm algorithm) {
  return crypto::KeyAlgorithmName(RootKeyAlgorithm(algorithm));
}

crypto::KeyAlgorithm RootKeyAlgorithm(RootAlgorithm algorithm) {
  switch (algorithm) {
    case RootAlgorithm::kMlDsa65:
      return crypto::KeyAlgorithm::kMlDsa65;
    case RootAlgorithm::kEcdsaP256:
      return crypto::KeyAlgorithm::kEcdsaP256;
  }
  std::abort();
}

fs::path RootKeyPath(const fs::path& directory, RootAlgorithm algorithm) {
  return directory / (std::string(FileStem(algorithm)) + ".key.pem");
}

fs::path RootCertificatePath(const fs::path& directory, RootAlgorithm algorithm) {
  return directory / (std::string(FileStem(algorithm)) + ".cert.pem");
}

Result<CaRoot> LoadOrCreateRoot(const fs::path& directory, RootAlgorithm algorithm,
                                const RootOptions& options, crypto::TimePoint now) {
  if (Status created = CreatePrivateDirectory(directory); !created) {
    return std::unexpected(created.error());
  }

  Result<crypto::PrivateKey> key = LoadOrCreateRootKey(directory, algorithm);
  if (!key) {
    return std::unexpected(key.error());
  }
  Result<crypto::Certificate> certificate =
      LoadOrCreateRootCertificate(directory, algorithm, *key, options, now);
  if (!certificate) {
    return std::unexpected(certificate.error());
  }

  crypto::PublicKey public_key = key->GetPublicKey();
  return CaRoot{algorithm, *std::move(key), *std::move(certificate), std::move(public_key)};
}

}  // namespace devtrust::pki
