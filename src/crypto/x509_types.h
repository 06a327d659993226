// Value types shared by the X.509 certificate and CRL code: time points,
// signature algorithms, names and the standard extensions' contents
// (RFC 5280).
#ifndef DEVTRUST_CRYPTO_X509_TYPES_H_
#define DEVTRUST_CRYPTO_X509_TYPES_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"

namespace devtrust::crypto {

// Certificate and CRL times. X.509 encodes whole seconds, so builders drop any
// fraction of a second (they round down).
using TimePoint = std::chrono::system_clock::time_point;

// The signature algorithms devtrust issues and accepts.
enum class SignatureAlgorithm {
  kMlDsa65,          // id-ml-dsa-65, pure ML-DSA with an empty context (RFC 9881)
  kMlDsa87,          // id-ml-dsa-87, pure ML-DSA with an empty context (RFC 9881)
  kEcdsaP256Sha256,  // ecdsa-with-SHA256 (RFC 5758 section 3.2) with a P-256 key
};

// "ML-DSA-65", "ML-DSA-87" or "ecdsa-with-SHA256".
std::string_view SignatureAlgorithmName(SignatureAlgorithm algorithm);

// The signature algorithm that a key of `algorithm` signs certificates and
// CRLs with. Fails with reason "unexpected_key_algorithm" for ML-KEM and
// X25519 keys, which cannot sign.
Result<SignatureAlgorithm> SignatureAlgorithmForKey(KeyAlgorithm algorithm);

// The key algorithm that verifies signatures of `algorithm`.
KeyAlgorithm KeyAlgorithmForSignature(SignatureAlgorithm algorithm);

// The subject or issuer of a certificate as devtrust writes it: an optional
// organizationName followed by a commonName, both UTF8String. RFC 5280
// appendix A limits each to 64 characters.
struct DistinguishedName {
  std::string organization;  // empty: no organizationName attribute
  std::string common_name;
};

// The keyUsage bits (RFC 5280 section 4.2.1.3) that devtrust sets or reads.
struct KeyUsage {
  bool digital_signature = false;
  bool content_commitment = false;
  bool key_encipherment = false;
  bool data_encipherment = false;
  bool key_agreement = false;
  bool key_cert_sign = false;
  bool crl_sign = false;

  friend bool operator==(const KeyUsage&, const KeyUsage&) = default;
};

// The basicConstraints extension (RFC 5280 section 4.2.1.9).
struct BasicConstraints {
  bool is_ca = false;
  // Only meaningful when is_ca is set; nullopt means no limit.
  std::optional<std::uint32_t> path_length = std::nullopt;

  friend bool operator==(const BasicConstraints&, const BasicConstraints&) = default;
};

// Extended key usage purposes (RFC 5280 section 4.2.1.12) in dotted form.
inline constexpr std::string_view kExtendedKeyUsageServerAuth = "1.3.6.1.5.5.7.3.1";
inline constexpr std::string_view kExtendedKeyUsageClientAuth = "1.3.6.1.5.5.7.3.2";

// A SHA-256 digest of a DER encoding.
using Sha256Digest = std::array<std::uint8_t, 32>;

// Serial numbers are positive integers of at most 20 octets (RFC 5280
// section 4.1.2.2). devtrust carries them as the big-endian magnitude without
// leading zero bytes.
inline constexpr std::size_t kMaxSerialNumberOctets = 20;

// Lowercase hexadecimal of a serial number's magnitude, such as "1f03a9".
std::string SerialNumberToHex(ByteView serial_number);

// Parses the hexadecimal form back, accepting either case. Fails with reason
// "invalid_serial_number" on non-hexadecimal text, leading zero bytes, zero,
// or a value that takes more than 20 octets in DER.
Result<Bytes> SerialNumberFromHex(std::string_view hex);

// Draws a 128-bit serial number from the CSPRNG. RFC 5280 section 4.1.2.2
// requires a positive INTEGER of at most 20 octets. When the top bit is set,
// the DER encoding gains a leading zero byte and takes 17 octets, so all 128
// bits stay random. A zero draw is replaced, so the result is never zero.
Result<Bytes> GenerateSerialNumber();

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_X509_TYPES_H_
