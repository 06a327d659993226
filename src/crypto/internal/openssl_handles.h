// Owning handles for the OpenSSL objects that src/crypto uses: one
// std::unique_ptr alias per type, each with the type's own free function, so
// that no code path frees an OpenSSL object by hand.
//
// Internal to src/crypto; no other component includes OpenSSL headers.
#ifndef DEVTRUST_CRYPTO_INTERNAL_OPENSSL_HANDLES_H_
#define DEVTRUST_CRYPTO_INTERNAL_OPENSSL_HANDLES_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include <memory>

namespace devtrust::crypto::internal {

// Adapts a C free function to the deleter interface of std::unique_ptr.
template <typename T, void (*kFree)(T*)>
struct OpenSslDeleter {
  void operator()(T* object) const { kFree(object); }
};

template <typename T, void (*kFree)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, kFree>>;

using BigNumPtr = OpenSslPtr<BIGNUM, BN_clear_free>;  // clears: may hold a private scalar
using BigNumCtxPtr = OpenSslPtr<BN_CTX, BN_CTX_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free_all>;
using EcGroupPtr = OpenSslPtr<EC_GROUP, EC_GROUP_free>;
using EcPointPtr = OpenSslPtr<EC_POINT, EC_POINT_free>;
using EvpCipherCtxPtr = OpenSslPtr<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using EvpCipherPtr = OpenSslPtr<EVP_CIPHER, EVP_CIPHER_free>;
using EvpKdfCtxPtr = OpenSslPtr<EVP_KDF_CTX, EVP_KDF_CTX_free>;
using EvpKdfPtr = OpenSslPtr<EVP_KDF, EVP_KDF_free>;
using EvpMacCtxPtr = OpenSslPtr<EVP_MAC_CTX, EVP_MAC_CTX_free>;
using EvpMacPtr = OpenSslPtr<EVP_MAC, EVP_MAC_free>;
using EvpMdCtxPtr = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using EvpMdPtr = OpenSslPtr<EVP_MD, EVP_MD_free>;
using EvpPkeyCtxPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpSignaturePtr = OpenSslPtr<EVP_SIGNATURE, EVP_SIGNATURE_free>;
using OsslParamBldPtr = OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using OsslParamPtr = OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free>;
using Pkcs8PrivKeyInfoPtr = OpenSslPtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>;

}  // namespace devtrust::crypto::internal

#endif  // DEVTRUST_CRYPTO_INTERNAL_OPENSSL_HANDLES_H_
