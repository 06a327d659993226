// Checks and values that certificate and CRL issuance share about the issuing
// CA certificate.
//
// Internal to src/crypto.
#ifndef DEVTRUST_CRYPTO_INTERNAL_X509_ISSUER_H_
#define DEVTRUST_CRYPTO_INTERNAL_X509_ISSUER_H_

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/x509.h"

namespace devtrust::crypto::internal {

// The kind of object an issuer signs. Certificates need the keyCertSign key
// usage and CRLs need cRLSign (RFC 5280 section 4.2.1.3), each checked only
// when the issuer has a keyUsage extension.
enum class IssuedObject { kCertificate, kCrl };

// Fails with reason "issuer_not_ca" when `issuer` lacks basicConstraints cA
// or the keyUsage bit for `object`, and "issuer_key_mismatch" when
// `issuer_key` is not the private key of `issuer`'s public key.
Status CheckIssuer(const Certificate& issuer, const PrivateKey& issuer_key, IssuedObject object);

// The issuer's key identifier for an authorityKeyIdentifier: its
// subjectKeyIdentifier, or one computed from its public key when the
// certificate has none.
Bytes IssuerKeyIdentifier(const Certificate& issuer);

}  // namespace devtrust::crypto::internal

#endif  // DEVTRUST_CRYPTO_INTERNAL_X509_ISSUER_H_
