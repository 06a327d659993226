#include "crypto/signature.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <string>

#include "crypto/internal/algorithm_info.h"
#include "crypto/internal/openssl_error.h"
#include "crypto/internal/openssl_handles.h"

namespace devtrust::crypto {
namespace {

using internal::EvpMdCtxPtr;
using internal::EvpPkeyCtxPtr;
using internal::EvpSignaturePtr;

bool IsSigningAlgorithm(KeyAlgorithm algorithm) {
  return internal::IsMlDsa(algorithm) || algorithm == KeyAlgorithm::kEcdsaP256;
}

// Checks what Sign and Verify share: the key type and the context string.
Status CheckSignatureInputs(KeyAlgorithm algorithm, std::string_view context) {
  if (!IsSigningAlgorithm(algorithm)) {
    return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                     std::string(KeyAlgorithmName(algorithm)) +
                         " keys cannot sign; use ML-DSA-65, ML-DSA-87 or ECDSA-P256");
  }
  if (context.size() > kMaxSignatureContextSize) {
    return MakeError(StatusCode::kInvalidArgument, "context_too_long",
                     "signature context is " + std::to_string(context.size()) +
                         " bytes; FIPS 204 allows at most 255");
  }
  if (algorithm == KeyAlgorithm::kEcdsaP256 && !context.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "context_not_supported",
                     "ECDSA-P256 signatures have no context string; pass an empty context");
  }
  return {};
}

// Starts a pure ML-DSA sign or verify operation with the context string and,
// for signing, the deterministic flag.
Result<EvpPkeyCtxPtr> InitMlDsa(evp_pkey_st* key, KeyAlgorithm algorithm, bool for_signing,
                                std::string_view context, bool deterministic) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  EvpSignaturePtr signature(
      EVP_SIGNATURE_fetch(nullptr, internal::GetAlgorithmInfo(algorithm).openssl_name, nullptr));
  if (ctx == nullptr || signature == nullptr) {
    return std::unexpected(internal::OpenSslInternalError("ML-DSA setup"));
  }

  int deterministic_flag = deterministic ? 1 : 0;
  OSSL_PARAM params[3];
  std::size_t count = 0;
  // The empty context is OpenSSL's default; passing it explicitly would hand
  // the provider a null pointer, which it rejects.
  if (!context.empty()) {
    params[count++] = OSSL_PARAM_construct_octet_string(
        OSSL_SIGNATURE_PARAM_CONTEXT_STRING, const_cast<char*>(context.data()), context.size());
  }
  if (for_signing) {
    params[count++] =
        OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_DETERMINISTIC, &deterministic_flag);
  }
  params[count] = OSSL_PARAM_construct_end();

  const int initialized = for_signing
                              ? EVP_PKEY_sign_message_init(ctx.get(), signature.get(), params)
                              : EVP_PKEY_verify_message_init(ctx.get(), signature.get(), params);
  if (initialized != 1) {
    return std::unexpected(internal::OpenSslInternalError("ML-DSA initialization"));
  }
  return ctx;
}

Result<Bytes> SignMlDsa(const PrivateKey& key, ByteView message, const SignOptions& options) {
  Result<EvpPkeyCtxPtr> ctx = InitMlDsa(key.native(), key.algorithm(), /*for_signing=*/true,
                                        options.context, options.deterministic);
  if (!ctx) {
    return std::unexpected(ctx.error());
  }

  std::size_t size = 0;
  if (EVP_PKEY_sign(ctx->get(), nullptr, &size, message.data(), message.size()) != 1) {
    return std::unexpected(internal::OpenSslInternalError("ML-DSA signature sizing"));
  }
  Bytes signature(size);
  if (EVP_PKEY_sign(ctx->get(), signature.data(), &size, message.data(), message.size()) != 1) {
    return std::unexpected(internal::OpenSslInternalError("ML-DSA signing"));
  }
  signature.resize(size);
  return signature;
}

Result<Bytes> SignEcdsa(const PrivateKey& key, ByteView message, bool deterministic) {
  EvpMdCtxPtr md_ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by md_ctx
  if (md_ctx == nullptr || EVP_DigestSignInit_ex(md_ctx.get(), &pkey_ctx, "SHA256", nullptr,
                                                 nullptr, key.native(), nullptr) != 1) {
    return std::unexpected(internal::OpenSslInternalError("ECDSA setup"));
  }
  if (deterministic) {
    // RFC 6979 section 3.2 nonces; OpenSSL names this nonce type 1.
    unsigned int nonce_type = 1;
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_uint(OSSL_SIGNATURE_PARAM_NONCE_TYPE, &nonce_type),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_PKEY_CTX_set_params(pkey_ctx, params) != 1) {
      return std::unexpected(internal::OpenSslInternalError("selecting RFC 6979 nonces"));
    }
  }

  std::size_t size = 0;
  if (EVP_DigestSign(md_ctx.get(), nullptr, &size, message.data(), message.size()) != 1) {
    return std::unexpected(internal::OpenSslInternalError("ECDSA signature sizing"));
  }
  Bytes signature(size);
  if (EVP_DigestSign(md_ctx.get(), signature.data(), &size, message.data(), message.size()) != 1) {
    return std::unexpected(internal::OpenSslInternalError("ECDSA signing"));
  }
  // DER signatures vary in length; the first call returned the maximum.
  signature.resize(size);
  return signature;
}

std::unexpected<Error> SignatureInvalid(KeyAlgorithm algorithm, std::string_view detail) {
  internal::ClearOpenSslErrors();
  return MakeError(
      StatusCode::kInvalidArgument, "signature_invalid",
      std::string(KeyAlgorithmName(algorithm)) + " signature is invalid: " + std::string(detail));
}

Status VerifyMlDsa(const PublicKey& key, ByteView message, ByteView signature,
                   std::string_view context) {
  // FIPS 204 signatures have one fixed size; checking it first gives a
  // clearer message than the library's decoder would.
  const std::size_t expected_size = MaxSignatureSize(key.algorithm());
  if (signature.size() != expected_size) {
    return SignatureInvalid(key.algorithm(), "it must be " + std::to_string(expected_size) +
                                                 " bytes, got " + std::to_string(signature.size()));
  }

  Result<EvpPkeyCtxPtr> ctx = InitMlDsa(key.native(), key.algorithm(), /*for_signing=*/false,
                                        context, /*deterministic=*/false);
  if (!ctx) {
    return std::unexpected(ctx.error());
  }
  const int verified = EVP_PKEY_verify(ctx->get(), signature.data(), signature.size(),
                                       message.data(), message.size());
  if (verified != 1) {
    // 0 means the signature does not verify. A negative value means it is
    // malformed, for example a hint vector that FIPS 204 algorithm 21 rejects.
    // Either way the signature is rejected.
    return SignatureInvalid(key.algorithm(), "it does not match the message, key and context");
  }
  return {};
}

Status VerifyEcdsa(const PublicKey& key, ByteView message, ByteView signature) {
  if (signature.empty() || signature.size() > MaxSignatureSize(KeyAlgorithm::kEcdsaP256)) {
    return SignatureInvalid(KeyAlgorithm::kEcdsaP256, "it must be 1 to 72 bytes of DER, got " +
                                                          std::to_string(signature.size()));
  }

  EvpMdCtxPtr md_ctx(EVP_MD_CTX_new());
  if (md_ctx == nullptr || EVP_DigestVerifyInit_ex(md_ctx.get(), nullptr, "SHA256", nullptr,
                                                   nullptr, key.native(), nullptr) != 1) {
    return std::unexpected(internal::OpenSslInternalError("ECDSA setup"));
  }
  // OpenSSL re-encodes the parsed signature and rejects it unless the bytes
  // match, so BER variants and trailing data fail here too.
  if (EVP_DigestVerify(md_ctx.get(), signature.data(), signature.size(), message.data(),
                       message.size()) != 1) {
    return SignatureInvalid(KeyAlgorithm::kEcdsaP256, "it does not match the message and key");
  }
  return {};
}

}  // namespace

Result<Bytes> Sign(const PrivateKey& key, ByteView message, const SignOptions& options) {
  if (Status inputs = CheckSignatureInputs(key.algorithm(), options.context); !inputs) {
    return std::unexpected(inputs.error());
  }

  if (key.algorithm() == KeyAlgorithm::kEcdsaP256) {
    return SignEcdsa(key, message, options.deterministic);
  }
  return SignMlDsa(key, message, options);
}

Status Verify(const PublicKey& key, ByteView message, ByteView signature,
              std::string_view context) {
  if (Status inputs = CheckSignatureInputs(key.algorithm(), context); !inputs) {
    return inputs;
  }

  if (key.algorithm() == KeyAlgorithm::kEcdsaP256) {
    return VerifyEcdsa(key, message, signature);
  }
  return VerifyMlDsa(key, message, signature, context);
}

std::size_t MaxSignatureSize(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kMlDsa65:
      return 3309;
    case KeyAlgorithm::kMlDsa87:
      return 4627;
    case KeyAlgorithm::kEcdsaP256:
      // SEQUENCE of two INTEGERs of up to 33 bytes each: 2 + 2 * (2 + 33).
      return 72;
    case KeyAlgorithm::kMlKem768:
    case KeyAlgorithm::kMlKem1024:
    case KeyAlgorithm::kX25519:
      return 0;
  }
  return 0;
}

}  // namespace devtrust::crypto
