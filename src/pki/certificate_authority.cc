#include "pki/certificate_authority.h"

#include <optional>
#include <string>
#include <utility>

#include "crypto/crl_builder.h"
#include "crypto/x509_builder.h"

namespace devtrust::pki {
namespace {

std::unexpected<Error> InvalidOptions(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "invalid_ca_options", std::move(message));
}

Status CheckOptions(const CaOptions& options) {
  if (options.key_directory.empty()) {
    return InvalidOptions("CA key directory is not set");
  }
  if (options.root_validity <= std::chrono::seconds(0) ||
      options.device_validity <= std::chrono::seconds(0) ||
      options.server_validity <= std::chrono::seconds(0)) {
    return InvalidOptions("CA validity periods must be positive");
  }
  if (options.device_validity > options.root_validity ||
      options.server_validity > options.root_validity) {
    return InvalidOptions("device and server validity must not exceed the root validity");
  }
  if (options.clock_skew < std::chrono::seconds(0)) {
    return InvalidOptions("CA clock skew must not be negative");
  }
  return {};
}

Status CheckSubjectKey(const crypto::PublicKey& key, crypto::KeyAlgorithm expected,
                       std::string_view role) {
  if (key.algorithm() != expected) {
    return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                     std::string(role) + " must be " +
                         std::string(crypto::KeyAlgorithmName(expected)) + ", got " +
                         std::string(crypto::KeyAlgorithmName(key.algorithm())));
  }
  return {};
}

std::unexpected<Error> CheckFailed(std::string reason, std::string message) {
  return MakeError(StatusCode::kUnauthenticated, std::move(reason), std::move(message));
}

// The device profile beyond what the signature covers; see the header.
Status CheckDeviceProfile(const crypto::Certificate& certificate, const CaRoot& root) {
  const auto invalid = [](std::string what) {
    return CheckFailed("certificate_profile_invalid", "device certificate " + std::move(what));
  };

  if (!certificate.basic_constraints() || certificate.basic_constraints()->is_ca) {
    return invalid("must carry basicConstraints with cA FALSE");
  }
  const std::optional<crypto::KeyUsage>& usage = certificate.key_usage();
  if (!usage || !usage->digital_signature || usage->key_cert_sign || usage->crl_sign) {
    return invalid("must have keyUsage digitalSignature and no CA key usage");
  }
  if (!certificate.HasExtendedKeyUsage(crypto::kExtendedKeyUsageClientAuth)) {
    return invalid("lacks extendedKeyUsage clientAuth");
  }

  const crypto::KeyAlgorithm expected = RootKeyAlgorithm(root.algorithm);
  Result<crypto::PublicKey> key = certificate.public_key();
  if (!key || key->algorithm() != expected) {
    return invalid("must certify a " + std::string(crypto::KeyAlgorithmName(expected)) +
                   " key under the " + std::string(RootAlgorithmName(root.algorithm)) + " root");
  }

  Result<DeviceIdentity> identity = DeviceIdentityFromCertificate(certificate);
  if (!identity) {
    return CheckFailed("certificate_profile_invalid", identity.error().message());
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<CertificateAuthority>> CertificateAuthority::Open(CaOptions options,
                                                                         crypto::TimePoint now) {
  if (Status valid = CheckOptions(options); !valid) {
    return std::unexpected(valid.error());
  }

  const RootOptions root_options{options.organization, options.root_validity};
  Result<CaRoot> ml_dsa_root =
      LoadOrCreateRoot(options.key_directory, RootAlgorithm::kMlDsa65, root_options, now);
  if (!ml_dsa_root) {
    return std::unexpected(ml_dsa_root.error());
  }
  Result<CaRoot> ecdsa_root =
      LoadOrCreateRoot(options.key_directory, RootAlgorithm::kEcdsaP256, root_options, now);
  if (!ecdsa_root) {
    return std::unexpected(ecdsa_root.error());
  }

  return std::unique_ptr<CertificateAuthority>(new CertificateAuthority(
      std::move(options), *std::move(ml_dsa_root), *std::move(ecdsa_root)));
}

CertificateAuthority::CertificateAuthority(CaOptions options, CaRoot ml_dsa_root, CaRoot ecdsa_root)
    : options_(std::move(options)),
      roots_{std::move(ml_dsa_root), std::move(ecdsa_root)},
      verified_(options_.verification_cache_capacity) {}

const CaRoot& CertificateAuthority::Root(RootAlgorithm algorithm) const {
  return algorithm == RootAlgorithm::kMlDsa65 ? roots_[0] : roots_[1];
}

Status CertificateAuthority::CheckRootValidity(const CaRoot& root,
                                               crypto::TimePoint not_after) const {
  // RFC 5280 does not forbid a certificate that outlives its issuer, but
  // relying parties reject it once the root expires, so fail early.
  // NOTE: the roots are not rotated; an expiring root needs a new key
  // directory and re-issued certificates.
  if (not_after > root.certificate.not_after()) {
    return MakeError(StatusCode::kFailedPrecondition, "root_expiring",
                     "the " + std::string(RootAlgorithmName(root.algorithm)) +
                         " root expires before a new certificate would; rotate the CA roots");
  }
  return {};
}

Result<crypto::Certificate> CertificateAuthority::IssueDeviceCertificate(
    const CaRoot& root, const crypto::PublicKey& key, const DeviceIdentity& identity,
    crypto::TimePoint now) const {
  const crypto::TimePoint not_after = now + options_.device_validity;
  if (Status valid = CheckRootValidity(root, not_after); !valid) {
    return std::unexpected(valid.error());
  }
  Result<Bytes> serial_number = crypto::GenerateSerialNumber();
  if (!serial_number) {
    return std::unexpected(serial_number.error());
  }

  crypto::CertificateBuilder builder;
  builder.SetSerialNumber(*std::move(serial_number))
      .SetSubject({"", identity.device_id})
      .SetValidity(now, not_after)
      .SetPublicKey(key)
      .SetBasicConstraints({.is_ca = false})
      .SetKeyUsage({.digital_signature = true})
      .AddExtendedKeyUsage(std::string(crypto::kExtendedKeyUsageClientAuth))
      .AddSanUri(DeviceUri(identity.device_id))
      .AddSanUri(UserUri(identity.user_id));
  return builder.Sign(root.certificate, root.key);
}

Result<DeviceCertificates> CertificateAuthority::IssueDeviceCertificates(
    const DeviceIdentity& identity, const crypto::PublicKey& ml_dsa_key,
    const crypto::PublicKey& ecdsa_key, crypto::TimePoint now) const {
  if (Status valid = ValidateDeviceIdentity(identity); !valid) {
    return std::unexpected(valid.error());
  }
  if (Status valid =
          CheckSubjectKey(ml_dsa_key, crypto::KeyAlgorithm::kMlDsa65, "device ML-DSA key");
      !valid) {
    return std::unexpected(valid.error());
  }
  if (Status valid =
          CheckSubjectKey(ecdsa_key, crypto::KeyAlgorithm::kEcdsaP256, "device ECDSA key");
      !valid) {
    return std::unexpected(valid.error());
  }

  Result<crypto::Certificate> ml_dsa =
      IssueDeviceCertificate(Root(RootAlgorithm::kMlDsa65), ml_dsa_key, identity, now);
  if (!ml_dsa) {
    return std::unexpected(ml_dsa.error());
  }
  Result<crypto::Certificate> ecdsa =
      IssueDeviceCertificate(Root(RootAlgorithm::kEcdsaP256), ecdsa_key, identity, now);
  if (!ecdsa) {
    return std::unexpected(ecdsa.error());
  }
  return DeviceCertificates{*std::move(ml_dsa), *std::move(ecdsa)};
}

Result<ServerCredentials> CertificateAuthority::IssueServerCredentials(
    const ServerNames& names, crypto::TimePoint now) const {
  Result<ParsedServerNames> parsed = ParseServerNames(names);
  if (!parsed) {
    return std::unexpected(parsed.error());
  }

  const auto issue = [&](const CaRoot& root) -> Result<ServerCredential> {
    const crypto::TimePoint not_after = now + options_.server_validity;
    if (Status valid = CheckRootValidity(root, not_after); !valid) {
      return std::unexpected(valid.error());
    }
    Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate(RootKeyAlgorithm(root.algorithm));
    if (!key) {
      return std::unexpected(key.error());
    }
    Result<Bytes> serial_number = crypto::GenerateSerialNumber();
    if (!serial_number) {
      return std::unexpected(serial_number.error());
    }

    crypto::CertificateBuilder builder;
    builder.SetSerialNumber(*std::move(serial_number))
        .SetSubject({options_.organization, parsed->common_name})
        .SetValidity(now, not_after)
        .SetPublicKey(key->GetPublicKey())
        .SetBasicConstraints({.is_ca = false})
        .SetKeyUsage({.digital_signature = true})
        .AddExtendedKeyUsage(std::string(crypto::kExtendedKeyUsageServerAuth));
    for (const std::string& dns_name : parsed->dns_names) {
      builder.AddSanDnsName(dns_name);
    }
    for (const Bytes& address : parsed->ip_addresses) {
      builder.AddSanIpAddress(address);
    }
    Result<crypto::Certificate> certificate = builder.Sign(root.certificate, root.key);
    if (!certificate) {
      return std::unexpected(certificate.error());
    }
    return ServerCredential{*std::move(key), *std::move(certificate)};
  };

  Result<ServerCredential> ml_dsa = issue(Root(RootAlgorithm::kMlDsa65));
  if (!ml_dsa) {
    return std::unexpected(ml_dsa.error());
  }
  Result<ServerCredential> ecdsa = issue(Root(RootAlgorithm::kEcdsaP256));
  if (!ecdsa) {
    return std::unexpected(ecdsa.error());
  }
  return ServerCredentials{*std::move(ml_dsa), *std::move(ecdsa)};
}

const CaRoot* CertificateAuthority::FindIssuer(const crypto::Certificate& certificate) const {
  for (const CaRoot& root : roots_) {
    if (certificate.issuer_der() == root.certificate.subject_der() &&
        certificate.authority_key_identifier() == root.certificate.subject_key_identifier()) {
      return &root;
    }
  }
  return nullptr;
}

Status CertificateAuthority::CheckDeviceCertificate(const crypto::Certificate& certificate,
                                                    crypto::TimePoint now) const {
  // Chain: the certificate must name one of the roots as its issuer, by
  // name and by key identifier (RFC 5280 sections 4.1.2.4 and 4.2.1.1).
  const CaRoot* root = FindIssuer(certificate);
  if (root == nullptr) {
    return CheckFailed("certificate_foreign_issuer",
                       "certificate issuer " + certificate.issuer() +
                           " with its authority key identifier is not a devtrust root");
  }

  // Signature and profile, unless these exact bytes passed them before.
  if (!verified_.Contains(certificate.fingerprint(), now)) {
    if (!certificate.VerifySignature(root->public_key)) {
      return CheckFailed("certificate_signature_invalid",
                         "certificate signature does not verify with the " +
                             std::string(RootAlgorithmName(root->algorithm)) + " root key");
    }
    if (Status profile = CheckDeviceProfile(certificate, *root); !profile) {
      return profile;
    }
    verified_.Insert(certificate.fingerprint(), certificate.not_after() + options_.clock_skew);
  }

  // Validity (RFC 5280 section 4.1.2.5), widened by the clock skew.
  if (now + options_.clock_skew < certificate.not_before()) {
    return CheckFailed("certificate_not_yet_valid",
                       "certificate serial " + certificate.serial_number_hex() +
                           " is not valid yet; check the device and server clocks");
  }
  if (now - options_.clock_skew > certificate.not_after()) {
    return CheckFailed("certificate_expired", "certificate serial " +
                                                  certificate.serial_number_hex() +
                                                  " has expired; the device must re-enroll");
  }

  if (revocations_.IsRevoked(certificate.serial_number())) {
    return CheckFailed("certificate_revoked",
                       "certificate serial " + certificate.serial_number_hex() + " is revoked");
  }
  return {};
}

Result<crypto::Certificate> CertificateAuthority::ParseAndCheckDeviceCertificate(
    ByteView der, crypto::TimePoint now) const {
  Result<crypto::Certificate> certificate = crypto::Certificate::FromDer(der);
  if (!certificate) {
    return MakeError(StatusCode::kInvalidArgument, "certificate_malformed",
                     certificate.error().message());
  }
  if (Status checked = CheckDeviceCertificate(*certificate, now); !checked) {
    return std::unexpected(checked.error());
  }
  return certificate;
}

Result<Bytes> CertificateAuthority::IssueCrl(RootAlgorithm algorithm,
                                             std::span<const crypto::RevokedCertificate> entries,
                                             crypto::TimePoint now,
                                             crypto::TimePoint next_update) const {
  if (next_update <= now) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_crl_request",
                     "CRL nextUpdate must be after thisUpdate");
  }
  const auto milliseconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  if (milliseconds < 0) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_crl_request",
                     "CRL thisUpdate is before 1970");
  }

  crypto::CrlBuilder builder;
  builder.SetCrlNumber(static_cast<std::uint64_t>(milliseconds)).SetValidity(now, next_update);
  for (const crypto::RevokedCertificate& entry : entries) {
    builder.AddRevokedCertificate(entry);
  }

  const CaRoot& root = Root(algorithm);
  Result<crypto::Crl> crl = builder.Sign(root.certificate, root.key);
  if (!crl) {
    return std::unexpected(crl.error());
  }
  return crl->ToDer();
}

}  // namespace devtrust::pki
