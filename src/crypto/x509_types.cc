#include "crypto/x509_types.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

#include "base/encoding.h"
#include "crypto/internal/openssl_error.h"

namespace devtrust::crypto {
namespace {

constexpr std::size_t kGeneratedSerialNumberSize = 16;

std::unexpected<Error> InvalidSerialNumber(std::string_view what) {
  return MakeError(StatusCode::kInvalidArgument, "invalid_serial_number",
                   "serial number " + std::string(what));
}

}  // namespace

std::string_view SignatureAlgorithmName(SignatureAlgorithm algorithm) {
  switch (algorithm) {
    case SignatureAlgorithm::kMlDsa65:
      return "ML-DSA-65";
    case SignatureAlgorithm::kMlDsa87:
      return "ML-DSA-87";
    case SignatureAlgorithm::kEcdsaP256Sha256:
      return "ecdsa-with-SHA256";
  }
  std::abort();
}

Result<SignatureAlgorithm> SignatureAlgorithmForKey(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kMlDsa65:
      return SignatureAlgorithm::kMlDsa65;
    case KeyAlgorithm::kMlDsa87:
      return SignatureAlgorithm::kMlDsa87;
    case KeyAlgorithm::kEcdsaP256:
      return SignatureAlgorithm::kEcdsaP256Sha256;
    case KeyAlgorithm::kMlKem768:
    case KeyAlgorithm::kMlKem1024:
    case KeyAlgorithm::kX25519:
      break;
  }
  return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                   std::string(KeyAlgorithmName(algorithm)) +
                       " keys cannot sign; use an ML-DSA-65, ML-DSA-87 or ECDSA-P256 key");
}

KeyAlgorithm KeyAlgorithmForSignature(SignatureAlgorithm algorithm) {
  switch (algorithm) {
    case SignatureAlgorithm::kMlDsa65:
      return KeyAlgorithm::kMlDsa65;
    case SignatureAlgorithm::kMlDsa87:
      return KeyAlgorithm::kMlDsa87;
    case SignatureAlgorithm::kEcdsaP256Sha256:
      return KeyAlgorithm::kEcdsaP256;
  }
  std::abort();
}

std::string SerialNumberToHex(ByteView serial_number) { return HexEncode(serial_number); }

Result<Bytes> SerialNumberFromHex(std::string_view hex) {
  if (hex.empty() || hex.size() > 2 * kMaxSerialNumberOctets) {
    return InvalidSerialNumber("must be 1 to 40 hexadecimal digits, got " +
                               std::to_string(hex.size()));
  }

  // HexDecode takes whole bytes, so an odd digit count gets a leading zero.
  std::string padded(hex.size() % 2, '0');
  padded += hex;
  Result<Bytes> magnitude = HexDecode(padded);
  if (!magnitude) {
    return InvalidSerialNumber("is not hexadecimal");
  }

  if (magnitude->empty() || magnitude->front() == 0) {
    return InvalidSerialNumber("has leading zeros or is zero; write the minimal form");
  }
  const std::size_t der_octets = magnitude->size() + ((magnitude->front() & 0x80) ? 1 : 0);
  if (der_octets > kMaxSerialNumberOctets) {
    return InvalidSerialNumber("takes more than the 20 octets RFC 5280 allows");
  }
  return magnitude;
}

Result<Bytes> GenerateSerialNumber() {
  Bytes serial_number(kGeneratedSerialNumberSize);
  do {
    if (RAND_bytes(serial_number.data(), static_cast<int>(serial_number.size())) != 1) {
      return std::unexpected(internal::OpenSslError(StatusCode::kUnavailable, "random_failed",
                                                    "drawing a serial number"));
    }
  } while (std::all_of(serial_number.begin(), serial_number.end(),
                       [](std::uint8_t byte) { return byte == 0; }));

  // Strip leading zero bytes so that the value is in the minimal form every
  // serial number comparison in devtrust expects.
  const auto first_nonzero = std::find_if(serial_number.begin(), serial_number.end(),
                                          [](std::uint8_t byte) { return byte != 0; });
  serial_number.erase(serial_number.begin(), first_nonzero);
  return serial_number;
}

}  // namespace devtrust::crypto
