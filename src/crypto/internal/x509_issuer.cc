#include "crypto/internal/x509_issuer.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "crypto/internal/openssl_error.h"
#include "crypto/internal/x509_asn1.h"

namespace devtrust::crypto::internal {

Status CheckIssuer(const Certificate& issuer, const PrivateKey& issuer_key, IssuedObject object) {
  if (!issuer.basic_constraints() || !issuer.basic_constraints()->is_ca) {
    return MakeError(
        StatusCode::kFailedPrecondition, "issuer_not_ca",
        "issuer certificate " + issuer.subject() + " is not a CA: basicConstraints cA is not set");
  }
  if (issuer.key_usage()) {
    const bool allowed = object == IssuedObject::kCertificate ? issuer.key_usage()->key_cert_sign
                                                              : issuer.key_usage()->crl_sign;
    if (!allowed) {
      return MakeError(StatusCode::kFailedPrecondition, "issuer_not_ca",
                       "issuer certificate " + issuer.subject() + " lacks the " +
                           (object == IssuedObject::kCertificate ? "keyCertSign" : "cRLSign") +
                           " key usage");
    }
  }

  // EVP_PKEY_eq compares the public parts, so a private key matches the
  // certificate that carries its public key.
  if (EVP_PKEY_eq(X509_get0_pubkey(issuer.native()), issuer_key.native()) != 1) {
    ClearOpenSslErrors();
    return MakeError(
        StatusCode::kInvalidArgument, "issuer_key_mismatch",
        "issuer key does not match the public key of issuer certificate " + issuer.subject());
  }
  return {};
}

Bytes IssuerKeyIdentifier(const Certificate& issuer) {
  if (issuer.subject_key_identifier()) {
    return *issuer.subject_key_identifier();
  }
  return KeyIdentifier(Asn1StringBytes(X509_get0_pubkey_bitstr(issuer.native())));
}

}  // namespace devtrust::crypto::internal
