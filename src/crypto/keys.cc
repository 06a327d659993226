#include "crypto/keys.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "crypto/internal/algorithm_info.h"
#include "crypto/internal/openssl_error.h"
#include "crypto/internal/openssl_handles.h"
#include "crypto/internal/pem.h"
#include "crypto/internal/seed_pkcs8.h"

namespace devtrust::crypto {
namespace {

using internal::BigNumCtxPtr;
using internal::BigNumPtr;
using internal::EcGroupPtr;
using internal::EcPointPtr;
using internal::EvpPkeyCtxPtr;
using internal::EvpPkeyPtr;
using internal::GetAlgorithmInfo;
using internal::OsslParamBldPtr;
using internal::OsslParamPtr;
using internal::Pkcs8PrivKeyInfoPtr;

// Larger than any key devtrust handles (an ML-DSA-87 PKCS#8 with the expanded
// key is 4,900 bytes); bigger inputs are rejected before parsing.
constexpr std::size_t kMaxEncodedKeySize = 16 * 1024;

constexpr char kPublicKeyPemLabel[] = "PUBLIC KEY";
constexpr char kPrivateKeyPemLabel[] = "PRIVATE KEY";

std::shared_ptr<evp_pkey_st> Share(EvpPkeyPtr key) {
  return std::shared_ptr<evp_pkey_st>(key.release(), EVP_PKEY_free);
}

std::unexpected<Error> InvalidKey(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "invalid_key", std::move(message));
}

Status CheckExpected(KeyAlgorithm actual, std::optional<KeyAlgorithm> expected) {
  if (expected.has_value() && *expected != actual) {
    return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                     "key is " + std::string(KeyAlgorithmName(actual)) + ", expected " +
                         std::string(KeyAlgorithmName(*expected)));
  }
  return {};
}

Status CheckEncodedSize(std::size_t size, std::string_view encoding) {
  if (size == 0) {
    return InvalidKey(std::string(encoding) + " is empty");
  }
  if (size > kMaxEncodedKeySize) {
    return InvalidKey(std::string(encoding) + " is " + std::to_string(size) +
                      " bytes, more than the maximum of " + std::to_string(kMaxEncodedKeySize));
  }
  return {};
}

Result<EvpPkeyPtr> GenerateWithParams(KeyAlgorithm algorithm, const OSSL_PARAM* params) {
  const internal::AlgorithmInfo& info = GetAlgorithmInfo(algorithm);
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, info.openssl_name, nullptr));
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1) {
    return std::unexpected(internal::OpenSslInternalError("key generation setup"));
  }
  if (algorithm == KeyAlgorithm::kEcdsaP256 &&
      EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") != 1) {
    return std::unexpected(internal::OpenSslInternalError("selecting curve P-256"));
  }
  if (params != nullptr && EVP_PKEY_CTX_set_params(ctx.get(), params) != 1) {
    return std::unexpected(internal::OpenSslInternalError("setting the key generation seed"));
  }

  EVP_PKEY* raw_key = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw_key) != 1) {
    return std::unexpected(
        internal::OpenSslInternalError("generating a " + std::string(info.name) + " key"));
  }
  return EvpPkeyPtr(raw_key);
}

// P-256 from a private scalar: OpenSSL's EC import does not derive the public
// point, so compute Q = d * G here and import both.
Result<EvpPkeyPtr> P256FromScalar(ByteView scalar) {
  EcGroupPtr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  BigNumCtxPtr bn_ctx(BN_CTX_new());
  BigNumPtr d(BN_secure_new());
  if (group == nullptr || bn_ctx == nullptr || d == nullptr ||
      BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) == nullptr) {
    return std::unexpected(internal::OpenSslInternalError("P-256 scalar setup"));
  }

  // SEC 1 section 3.2.1: the private key is an integer in [1, n - 1].
  const BIGNUM* order = EC_GROUP_get0_order(group.get());
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), order) >= 0) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_seed",
                     "P-256 private scalar must be in [1, n - 1]");
  }

  EcPointPtr q(EC_POINT_new(group.get()));
  if (q == nullptr ||
      EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1) {
    return std::unexpected(internal::OpenSslInternalError("computing the P-256 public point"));
  }
  std::array<std::uint8_t, 65> public_point{};
  if (EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, public_point.data(),
                         public_point.size(), bn_ctx.get()) != public_point.size()) {
    return std::unexpected(internal::OpenSslInternalError("encoding the P-256 public point"));
  }

  OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, public_point.data(),
                                       public_point.size()) != 1) {
    return std::unexpected(internal::OpenSslInternalError("building P-256 key parameters"));
  }
  OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw_key = nullptr;
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw_key, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return std::unexpected(internal::OpenSslInternalError("importing the P-256 key"));
  }
  return EvpPkeyPtr(raw_key);
}

// Checks, for keys parsed from untrusted bytes, what the parsers leave out.
// OpenSSL's EC decoder accepts a PKCS#8 whose embedded public point does not
// belong to the private scalar; ML-DSA and ML-KEM imports are checked by the
// provider itself (FIPS 203 section 7.2 modulus check, seed/key consistency).
Status CheckParsedKey(const EVP_PKEY* key, KeyAlgorithm algorithm, bool has_private) {
  if (algorithm != KeyAlgorithm::kEcdsaP256) {
    return {};
  }
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, const_cast<EVP_PKEY*>(key), nullptr));
  if (ctx == nullptr) {
    return std::unexpected(internal::OpenSslInternalError("P-256 key check setup"));
  }
  const int checked =
      has_private ? EVP_PKEY_pairwise_check(ctx.get()) : EVP_PKEY_public_check(ctx.get());
  if (checked != 1) {
    return std::unexpected(internal::OpenSslError(StatusCode::kInvalidArgument, "invalid_key",
                                                  "P-256 key validation"));
  }
  return {};
}

Result<PublicKey> ParsePublicKeyOrFail(const ByteView der) {
  const unsigned char* cursor = der.data();
  EvpPkeyPtr key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  if (key == nullptr) {
    return std::unexpected(internal::OpenSslError(StatusCode::kInvalidArgument, "invalid_key",
                                                  "parsing the SubjectPublicKeyInfo"));
  }
  if (cursor != der.data() + der.size()) {
    return InvalidKey("SubjectPublicKeyInfo has " +
                      std::to_string(der.data() + der.size() - cursor) + " bytes of trailing data");
  }
  return PublicKey::FromNative(key.release());
}

}  // namespace

// --- PublicKey ---

Result<PublicKey> PublicKey::FromSpkiDer(ByteView der, std::optional<KeyAlgorithm> expected) {
  if (Status size = CheckEncodedSize(der.size(), "SubjectPublicKeyInfo"); !size) {
    return std::unexpected(size.error());
  }

  Result<PublicKey> key = ParsePublicKeyOrFail(der);
  if (!key) {
    return key;
  }
  if (Status match = CheckExpected(key->algorithm(), expected); !match) {
    return std::unexpected(match.error());
  }
  return key;
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem, std::optional<KeyAlgorithm> expected) {
  Result<SecretBytes> der = internal::DecodePem(pem, kPublicKeyPemLabel, kMaxEncodedKeySize);
  if (!der) {
    return std::unexpected(der.error());
  }
  return FromSpkiDer(der->view(), expected);
}

Result<PublicKey> PublicKey::FromRaw(KeyAlgorithm algorithm, ByteView raw) {
  const internal::AlgorithmInfo& info = GetAlgorithmInfo(algorithm);
  if (raw.size() != info.raw_public_key_size) {
    return InvalidKey(std::string(info.name) + " raw public key must be " +
                      std::to_string(info.raw_public_key_size) + " bytes, got " +
                      std::to_string(raw.size()));
  }

  EVP_PKEY* raw_key = nullptr;
  if (algorithm == KeyAlgorithm::kEcdsaP256) {
    // SEC 1 section 2.3.3: 0x04 marks the uncompressed form X || Y.
    if (raw[0] != 0x04) {
      return InvalidKey("P-256 raw public key must be an uncompressed point starting with 0x04");
    }
    OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (builder == nullptr ||
        OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) !=
            1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, raw.data(),
                                         raw.size()) != 1) {
      return std::unexpected(internal::OpenSslInternalError("building P-256 key parameters"));
    }
    OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
      return std::unexpected(internal::OpenSslInternalError("P-256 import setup"));
    }
    if (EVP_PKEY_fromdata(ctx.get(), &raw_key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
      return std::unexpected(internal::OpenSslError(StatusCode::kInvalidArgument, "invalid_key",
                                                    "importing the P-256 public point"));
    }
  } else {
    raw_key =
        EVP_PKEY_new_raw_public_key_ex(nullptr, info.openssl_name, nullptr, raw.data(), raw.size());
    if (raw_key == nullptr) {
      return std::unexpected(
          internal::OpenSslError(StatusCode::kInvalidArgument, "invalid_key",
                                 "importing the " + std::string(info.name) + " raw public key"));
    }
  }

  EvpPkeyPtr key(raw_key);
  if (Status valid = CheckParsedKey(key.get(), algorithm, /*has_private=*/false); !valid) {
    return std::unexpected(valid.error());
  }
  return PublicKey(algorithm, Share(std::move(key)));
}

Result<PublicKey> PublicKey::FromNative(evp_pkey_st* key) {
  EvpPkeyPtr owned(key);
  if (owned == nullptr) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_key", "public key handle is null");
  }
  Result<KeyAlgorithm> algorithm = internal::IdentifyKeyAlgorithm(owned.get());
  if (!algorithm) {
    return std::unexpected(algorithm.error());
  }
  if (Status valid = CheckParsedKey(owned.get(), *algorithm, /*has_private=*/false); !valid) {
    return std::unexpected(valid.error());
  }
  return PublicKey(*algorithm, Share(std::move(owned)));
}

Bytes PublicKey::ToSpkiDer() const {
  const int size = i2d_PUBKEY(key_.get(), nullptr);
  if (size <= 0) {
    // A key that was imported or generated always encodes; a failure here is
    // a library fault that no caller could handle.
    std::abort();
  }
  Bytes der(static_cast<std::size_t>(size));
  unsigned char* cursor = der.data();
  if (i2d_PUBKEY(key_.get(), &cursor) != size) {
    std::abort();
  }
  return der;
}

std::string PublicKey::ToPem() const {
  const SecretBytes pem = internal::EncodePem(kPublicKeyPemLabel, ToSpkiDer());
  return std::string(pem.AsStringView());
}

Bytes PublicKey::ToRaw() const {
  const internal::AlgorithmInfo& info = GetAlgorithmInfo(algorithm_);
  Bytes raw(info.raw_public_key_size);

  if (algorithm_ == KeyAlgorithm::kEcdsaP256) {
    // Built from the affine coordinates, so that a key imported from a
    // compressed SubjectPublicKeyInfo point still yields the 65-byte form.
    BIGNUM* x_raw = nullptr;
    BIGNUM* y_raw = nullptr;
    const int got_x = EVP_PKEY_get_bn_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, &x_raw);
    BigNumPtr x(x_raw);
    const int got_y = EVP_PKEY_get_bn_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, &y_raw);
    BigNumPtr y(y_raw);
    raw[0] = 0x04;
    if (got_x != 1 || got_y != 1 || BN_bn2binpad(x.get(), raw.data() + 1, 32) != 32 ||
        BN_bn2binpad(y.get(), raw.data() + 33, 32) != 32) {
      std::abort();
    }
    return raw;
  }

  std::size_t size = raw.size();
  if (EVP_PKEY_get_raw_public_key(key_.get(), raw.data(), &size) != 1 || size != raw.size()) {
    std::abort();
  }
  return raw;
}

// --- PrivateKey ---

Result<PrivateKey> PrivateKey::Generate(KeyAlgorithm algorithm) {
  Result<EvpPkeyPtr> key = GenerateWithParams(algorithm, nullptr);
  if (!key) {
    return std::unexpected(key.error());
  }
  return PrivateKey(algorithm, Share(std::move(*key)));
}

Result<PrivateKey> PrivateKey::FromSeed(KeyAlgorithm algorithm, ByteView seed) {
  const internal::AlgorithmInfo& info = GetAlgorithmInfo(algorithm);
  if (seed.size() != info.seed_size) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_seed",
                     std::string(info.name) + " seed must be " + std::to_string(info.seed_size) +
                         " bytes, got " + std::to_string(seed.size()));
  }

  if (algorithm == KeyAlgorithm::kEcdsaP256) {
    Result<EvpPkeyPtr> key = P256FromScalar(seed);
    if (!key) {
      return std::unexpected(key.error());
    }
    return PrivateKey(algorithm, Share(std::move(*key)));
  }

  if (algorithm == KeyAlgorithm::kX25519) {
    // RFC 7748 section 5: any 32 bytes are a valid scalar; X25519 clamps it.
    EvpPkeyPtr key(
        EVP_PKEY_new_raw_private_key_ex(nullptr, "X25519", nullptr, seed.data(), seed.size()));
    if (key == nullptr) {
      return std::unexpected(internal::OpenSslInternalError("importing the X25519 scalar"));
    }
    return PrivateKey(algorithm, Share(std::move(key)));
  }

  // ML-DSA (FIPS 204 algorithm 6, ML-DSA.KeyGen_internal) and ML-KEM (FIPS 203
  // algorithm 16, ML-KEM.KeyGen_internal) expand the seed deterministically.
  // The parameter's name is "seed" for both algorithms.
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_ML_DSA_SEED,
                                        const_cast<std::uint8_t*>(seed.data()), seed.size()),
      OSSL_PARAM_construct_end(),
  };
  Result<EvpPkeyPtr> key = GenerateWithParams(algorithm, params);
  if (!key) {
    return std::unexpected(key.error());
  }
  return PrivateKey(algorithm, Share(std::move(*key)));
}

Result<PrivateKey> PrivateKey::FromPkcs8Der(ByteView der, std::optional<KeyAlgorithm> expected) {
  if (Status size = CheckEncodedSize(der.size(), "PKCS#8 private key"); !size) {
    return std::unexpected(size.error());
  }

  const unsigned char* cursor = der.data();
  Pkcs8PrivKeyInfoPtr info(
      d2i_PKCS8_PRIV_KEY_INFO(nullptr, &cursor, static_cast<long>(der.size())));
  if (info == nullptr) {
    return std::unexpected(internal::OpenSslError(StatusCode::kInvalidArgument, "invalid_key",
                                                  "parsing the PKCS#8 PrivateKeyInfo"));
  }
  if (cursor != der.data() + der.size()) {
    return InvalidKey("PKCS#8 private key has " + std::to_string(der.data() + der.size() - cursor) +
                      " bytes of trailing data");
  }
  EvpPkeyPtr key(EVP_PKCS82PKEY(info.get()));
  if (key == nullptr) {
    return std::unexpected(internal::OpenSslError(StatusCode::kInvalidArgument, "invalid_key",
                                                  "decoding the PKCS#8 private key"));
  }

  Result<KeyAlgorithm> algorithm = internal::IdentifyKeyAlgorithm(key.get());
  if (!algorithm) {
    return std::unexpected(algorithm.error());
  }
  if (Status match = CheckExpected(*algorithm, expected); !match) {
    return std::unexpected(match.error());
  }
  if (Status valid = CheckParsedKey(key.get(), *algorithm, /*has_private=*/true); !valid) {
    return std::unexpected(valid.error());
  }
  return PrivateKey(*algorithm, Share(std::move(key)));
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem, std::optional<KeyAlgorithm> expected) {
  Result<SecretBytes> der = internal::DecodePem(pem, kPrivateKeyPemLabel, kMaxEncodedKeySize);
  if (!der) {
    return std::unexpected(der.error());
  }
  return FromPkcs8Der(der->view(), expected);
}

PublicKey PrivateKey::GetPublicKey() const {
  // Re-imported from the SubjectPublicKeyInfo rather than sharing this
  // handle, so that a long-lived PublicKey never keeps the private key alive.
  const int size = i2d_PUBKEY(key_.get(), nullptr);
  Bytes der(size > 0 ? static_cast<std::size_t>(size) : 0);
  unsigned char* cursor = der.data();
  if (size <= 0 || i2d_PUBKEY(key_.get(), &cursor) != size) {
    std::abort();
  }
  Result<PublicKey> key = ParsePublicKeyOrFail(der);
  if (!key) {
    std::abort();
  }
  return *std::move(key);
}

Result<SecretBytes> PrivateKey::ToPkcs8Der() const {
  if (internal::IsMlDsa(algorithm_) || internal::IsMlKem(algorithm_)) {
    const std::size_t seed_size = SeedSize(algorithm_);
    SecretBytes seed(seed_size);
    std::size_t written = 0;
    if (EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_ML_DSA_SEED, seed.data(),
                                        seed.size(), &written) != 1 ||
        written != seed_size) {
      internal::ClearOpenSslErrors();
      return MakeError(StatusCode::kFailedPrecondition, "seed_unavailable",
                       std::string(KeyAlgorithmName(algorithm_)) +
                           " key was imported without its seed, so it cannot be written in "
                           "the seed-only PKCS#8 form; re-import it from a seed or a PKCS#8 "
                           "file that contains the seed");
    }
    return internal::EncodeSeedOnlyPkcs8(algorithm_, seed.view());
  }

  Pkcs8PrivKeyInfoPtr info(EVP_PKEY2PKCS8(key_.get()));
  if (info == nullptr) {
    return std::unexpected(internal::OpenSslInternalError("building the PKCS#8 private key"));
  }
  const int size = i2d_PKCS8_PRIV_KEY_INFO(info.get(), nullptr);
  if (size <= 0) {
    return std::unexpected(internal::OpenSslInternalError("encoding the PKCS#8 private key"));
  }
  SecretBytes der(static_cast<std::size_t>(size));
  unsigned char* cursor = der.data();
  if (i2d_PKCS8_PRIV_KEY_INFO(info.get(), &cursor) != size) {
    return std::unexpected(internal::OpenSslInternalError("encoding the PKCS#8 private key"));
  }
  return der;
}

Result<SecretBytes> PrivateKey::ToPem() const {
  Result<SecretBytes> der = ToPkcs8Der();
  if (!der) {
    return der;
  }
  return internal::EncodePem(kPrivateKeyPemLabel, der->view());
}

}  // namespace devtrust::crypto
