// Helpers shared by the certificate and CRL tests: test CAs and leaves made
// with CertificateBuilder, and raw OpenSSL certificates for inputs the
// builder refuses to produce.
#ifndef DEVTRUST_CRYPTO_X509_TEST_UTIL_H_
#define DEVTRUST_CRYPTO_X509_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <functional>
#include <string>
#include <utility>

#include "base/bytes.h"
#include "crypto/keys.h"
#include "crypto/x509.h"
#include "crypto/x509_builder.h"
#include "crypto/x509_types.h"

namespace devtrust::crypto::testing {

// A fixed time, so that expected validity periods are exact.
inline TimePoint TestTime() {
  return TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 3 / 14) + std::chrono::hours(9));
}

struct TestCa {
  PrivateKey key;
  Certificate certificate;
};

inline PrivateKey GenerateKey(KeyAlgorithm algorithm) {
  Result<PrivateKey> key = PrivateKey::Generate(algorithm);
  if (!key) {
    ADD_FAILURE() << key.error().ToString();
    std::abort();
  }
  return *std::move(key);
}

inline Bytes NewSerialNumber() {
  Result<Bytes> serial_number = GenerateSerialNumber();
  EXPECT_TRUE(serial_number.has_value());
  return serial_number.value_or(Bytes{1});
}

// A self-signed CA with keyCertSign and cRLSign, valid for a year from
// TestTime().
inline TestCa MakeTestCa(KeyAlgorithm algorithm, std::string common_name = "Test Root CA") {
  PrivateKey key = GenerateKey(algorithm);
  CertificateBuilder builder;
  builder.SetSerialNumber(NewSerialNumber())
      .SetSubject({"devtrust tests", std::move(common_name)})
      .SetValidity(TestTime(), TestTime() + std::chrono::days(365))
      .SetBasicConstraints({.is_ca = true, .path_length = 0})
      .SetKeyUsage({.key_cert_sign = true, .crl_sign = true});
  Result<Certificate> certificate = builder.SelfSign(key);
  if (!certificate) {
    ADD_FAILURE() << certificate.error().ToString();
    std::abort();
  }
  return TestCa{std::move(key), *std::move(certificate)};
}

// A builder for a client leaf under any CA, valid for 30 days from
// TestTime(); the caller adds the public key.
inline CertificateBuilder LeafBuilder(std::string common_name = "device-1") {
  CertificateBuilder builder;
  builder.SetSerialNumber(NewSerialNumber())
      .SetSubject({"", std::move(common_name)})
      .SetValidity(TestTime(), TestTime() + std::chrono::days(30))
      .SetBasicConstraints({.is_ca = false})
      .SetKeyUsage({.digital_signature = true})
      .AddExtendedKeyUsage(std::string(kExtendedKeyUsageClientAuth))
      .AddSanUri("urn:devtrust:device:device-1")
      .AddSanUri("urn:devtrust:user:user-1");
  return builder;
}

// Builds a certificate directly with OpenSSL: a version 3 certificate with
// a fixed serial number, subject and issuer "CN=raw", TestTime() validity
// and `key`'s public key, which `customize` may then change before it is
// signed with `key`. Returns its DER.
inline Bytes RawCertificate(const PrivateKey& key, const std::function<void(X509*)>& customize,
                            const EVP_MD* digest = nullptr) {
  X509* x509 = X509_new();
  X509_set_version(x509, X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(x509), 4242);
  X509_NAME* name = X509_get_subject_name(x509);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("raw"), -1, -1, 0);
  X509_set_issuer_name(x509, name);
  const auto start = std::chrono::system_clock::to_time_t(TestTime());
  ASN1_TIME_set(X509_getm_notBefore(x509), start);
  ASN1_TIME_set(X509_getm_notAfter(x509), start + 86400);
  X509_set_pubkey(x509, key.native());
  customize(x509);
  EXPECT_GT(X509_sign(x509, key.native(), digest), 0);

  unsigned char* der = nullptr;
  const int size = i2d_X509(x509, &der);
  Bytes result(der, der + std::max(size, 0));
  OPENSSL_free(der);
  X509_free(x509);
  return result;
}

// The DER AlgorithmIdentifier of id-ml-dsa-65 (2.16.840.1.101.3.4.3.18)
// without parameters, as RFC 9881 section 2 writes it.
inline const Bytes& MlDsa65AlgorithmIdentifier() {
  static const Bytes kIdentifier = {0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48,
                                    0x01, 0x65, 0x03, 0x04, 0x03, 0x12};
  return kIdentifier;
}

// Counts the non-overlapping occurrences of `needle` in `haystack`.
inline int CountOccurrences(ByteView haystack, ByteView needle) {
  int count = 0;
  auto position = haystack.begin();
  while (true) {
    position = std::search(position, haystack.end(), needle.begin(), needle.end());
    if (position == haystack.end()) {
      return count;
    }
    ++count;
    position += static_cast<std::ptrdiff_t>(needle.size());
  }
}

// Bit positions to flip in an encoding of `size` bytes: every bit of the
// first 64 bytes (the headers, algorithm identifiers and names) and then
// about 600 bits spread over the rest, so the test stays fast under ASan.
inline std::vector<std::size_t> TamperBitPositions(std::size_t size) {
  std::vector<std::size_t> positions;
  const std::size_t dense = std::min<std::size_t>(size, 64) * 8;
  for (std::size_t bit = 0; bit < dense; ++bit) {
    positions.push_back(bit);
  }
  const std::size_t total = size * 8;
  const std::size_t stride = std::max<std::size_t>(1, (total - dense) / 600) | 1;
  for (std::size_t bit = dense; bit < total; bit += stride) {
    positions.push_back(bit);
  }
  return positions;
}

}  // namespace devtrust::crypto::testing

#endif  // DEVTRUST_CRYPTO_X509_TEST_UTIL_H_
