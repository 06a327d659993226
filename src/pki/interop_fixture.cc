// Writes a devtrust CA and the certificates the interoperability tests feed
// to other implementations (the openssl command and @peculiar/x509):
//
//   ca/                        the CA key directory with both roots
//   device-ml-dsa-65.pem       device "device-42" of user "user-7"
//   device-ecdsa-p256.pem      its ECDSA twin
//   revoked-ml-dsa-65.pem      device "device-43" of user "user-7", revoked
//   revoked-ecdsa-p256.pem     its ECDSA twin, revoked
//   crl-ml-dsa-65.pem          CRL of the ML-DSA-65 root listing the revoked one
//   crl-ecdsa-p256.pem         CRL of the ECDSA root listing the revoked one
//   server/                    TLS credentials for localhost, 127.0.0.1, ::1
//
// Certificates start at the current time, so that tools verify them without
// a fixed verification time.
//
// Usage: devtrust_pki_interop_fixture OUTPUT_DIRECTORY
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/crl.h"
#include "crypto/keys.h"
#include "pki/certificate_authority.h"
#include "pki/secure_file.h"

namespace {

namespace fs = std::filesystem;
using devtrust::Result;
using devtrust::Status;
namespace crypto = devtrust::crypto;
namespace pki = devtrust::pki;

// Exits with a message naming the step that failed.
template <typename T>
T OrExit(Result<T> result, std::string_view step) {
  if (!result) {
    std::cerr << "devtrust_pki_interop_fixture: " << step << ": " << result.error().ToString()
              << "\n";
    std::exit(1);
  }
  return *std::move(result);
}

void OrExit(const Status& status, std::string_view step) {
  if (!status) {
    std::cerr << "devtrust_pki_interop_fixture: " << step << ": " << status.error().ToString()
              << "\n";
    std::exit(1);
  }
}

void WritePem(const fs::path& path, const std::string& pem) {
  OrExit(pki::WriteFileAtomically(path, devtrust::AsBytes(pem), pki::kPublicFileMode,
                                  pki::ExistingFile::kReplace),
         "writing " + path.string());
}

pki::DeviceCertificates IssueDevice(const pki::CertificateAuthority& ca,
                                    const pki::DeviceIdentity& identity, crypto::TimePoint now) {
  const crypto::PrivateKey ml_dsa_key =
      OrExit(crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlDsa65), "generating a key");
  const crypto::PrivateKey ecdsa_key =
      OrExit(crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kEcdsaP256), "generating a key");
  return OrExit(ca.IssueDeviceCertificates(identity, ml_dsa_key.GetPublicKey(),
                                           ecdsa_key.GetPublicKey(), now),
                "issuing device certificates");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: devtrust_pki_interop_fixture OUTPUT_DIRECTORY\n";
    return 2;
  }
  const fs::path output = argv[1];
  const crypto::TimePoint now = std::chrono::system_clock::now();

  std::unique_ptr<pki::CertificateAuthority> ca = OrExit(
      pki::CertificateAuthority::Open({.key_directory = output / "ca"}, now), "opening the CA");

  const pki::DeviceCertificates device = IssueDevice(*ca, {"device-42", "user-7"}, now);
  const pki::DeviceCertificates revoked = IssueDevice(*ca, {"device-43", "user-7"}, now);
  WritePem(output / "device-ml-dsa-65.pem", device.ml_dsa.ToPem());
  WritePem(output / "device-ecdsa-p256.pem", device.ecdsa.ToPem());
  WritePem(output / "revoked-ml-dsa-65.pem", revoked.ml_dsa.ToPem());
  WritePem(output / "revoked-ecdsa-p256.pem", revoked.ecdsa.ToPem());

  // One CRL per root, each listing the serial number that root issued.
  const auto write_crl = [&](pki::RootAlgorithm algorithm, const crypto::Certificate& certificate,
                             const fs::path& path) {
    const std::vector<crypto::RevokedCertificate> entries = {
        {certificate.serial_number(), now, crypto::RevocationReason::kKeyCompromise}};
    const devtrust::Bytes der =
        OrExit(ca->IssueCrl(algorithm, entries, now, now + std::chrono::days(7)), "issuing a CRL");
    WritePem(path, OrExit(crypto::Crl::FromDer(der), "reading the CRL back").ToPem());
  };
  write_crl(pki::RootAlgorithm::kMlDsa65, revoked.ml_dsa, output / "crl-ml-dsa-65.pem");
  write_crl(pki::RootAlgorithm::kEcdsaP256, revoked.ecdsa, output / "crl-ecdsa-p256.pem");

  const pki::ServerCredentials server =
      OrExit(ca->IssueServerCredentials(pki::ServerNames{}, now), "issuing server credentials");
  OrExit(pki::WriteServerCredentials(server, output / "server"), "writing server credentials");

  std::cout << "wrote the devtrust interop fixture to " << output.string() << "\n";
  return 0;
}
