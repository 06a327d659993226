// libFuzzer target for the decoders that take keys, certificates and CRLs
// from untrusted peers: a device's SPKI public keys at registration, its
// certificates at validation, and CRLs; raw keys and PKCS#8 are covered too.
// The first byte of the input picks the decoder and the rest is its input.
// Besides the sanitizers it checks that whatever a decoder accepts encodes
// back to bytes that decode to the same value, and traps when that breaks.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/bytes.h"
#include "crypto/crl.h"
#include "crypto/keys.h"
#include "crypto/x509.h"
#include "pki/device_identity.h"

namespace {

using devtrust::ByteView;
using devtrust::Result;
using devtrust::crypto::Certificate;
using devtrust::crypto::Crl;
using devtrust::crypto::KeyAlgorithm;
using devtrust::crypto::PrivateKey;
using devtrust::crypto::PublicKey;

void CheckInvariant(bool condition) {
  if (!condition) __builtin_trap();
}

constexpr KeyAlgorithm kAlgorithms[] = {KeyAlgorithm::kMlDsa65,   KeyAlgorithm::kMlDsa87,
                                        KeyAlgorithm::kMlKem768,  KeyAlgorithm::kMlKem1024,
                                        KeyAlgorithm::kEcdsaP256, KeyAlgorithm::kX25519};

void CheckCertificate(const Result<Certificate>& certificate) {
  if (!certificate) return;
  Result<Certificate> again = Certificate::FromDer(certificate->ToDer());
  CheckInvariant(again.has_value());
  CheckInvariant(again->ToDer() == certificate->ToDer());
  CheckInvariant(again->serial_number() == certificate->serial_number());
  CheckInvariant(Certificate::FromPem(certificate->ToPem()).has_value());
  // The identity extraction reads the SAN URIs of any accepted certificate.
  (void)devtrust::pki::DeviceIdentityFromCertificate(*certificate);
}

void CheckPublicKey(const Result<PublicKey>& key) {
  if (!key) return;
  Result<PublicKey> again = PublicKey::FromSpkiDer(key->ToSpkiDer(), key->algorithm());
  CheckInvariant(again.has_value());
  CheckInvariant(again->ToRaw() == key->ToRaw());
  Result<PublicKey> raw = PublicKey::FromRaw(key->algorithm(), key->ToRaw());
  CheckInvariant(raw.has_value());
  CheckInvariant(raw->ToRaw() == key->ToRaw());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const ByteView input(data + 1, size - 1);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  switch (selector % 8) {
    case 0:
      CheckCertificate(Certificate::FromDer(input));
      break;
    case 1:
      CheckCertificate(Certificate::FromPem(text));
      break;
    case 2:
      CheckPublicKey(PublicKey::FromSpkiDer(input));
      break;
    case 3:
      CheckPublicKey(PublicKey::FromPem(text));
      break;
    case 4: {
      // The second byte picks the algorithm of a raw key.
      if (input.empty()) break;
      const KeyAlgorithm algorithm = kAlgorithms[input[0] % std::size(kAlgorithms)];
      CheckPublicKey(PublicKey::FromRaw(algorithm, input.subspan(1)));
      break;
    }
    case 5: {
      Result<PrivateKey> key = PrivateKey::FromPkcs8Der(input);
      if (key) (void)key->GetPublicKey();
      break;
    }
    case 6: {
      Result<Crl> crl = Crl::FromDer(input);
      if (crl) {
        Result<Crl> again = Crl::FromDer(crl->ToDer());
        CheckInvariant(again.has_value());
        CheckInvariant(again->ToDer() == crl->ToDer());
      }
      break;
    }
    case 7:
      (void)Crl::FromPem(text);
      break;
  }
  return 0;
}
