#include "crypto/tls_context.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <string>

#include "crypto/internal/algorithm_info.h"
#include "crypto/internal/openssl_error.h"
#include "crypto/keys.h"

namespace devtrust::crypto {
namespace {

// Signature schemes the server may sign its CertificateVerify with, in order of
// preference. With SSL_OP_CIPHER_SERVER_PREFERENCE, OpenSSL walks this list and
// takes the first scheme that the client offers and that a loaded certificate
// can produce, so an ML-DSA-capable client gets the ML-DSA certificate even
// when it lists ECDSA first.
constexpr const char* kServerSignatureAlgorithms = "mldsa65:ecdsa_secp256r1_sha256";

// The ALPN protocol name of HTTP/1.1 (RFC 7301 section 6).
constexpr std::string_view kHttp11Alpn = "http/1.1";

Error TlsConfigError(std::string_view operation) {
  return internal::OpenSslError(StatusCode::kInternal, "tls_config_failed", operation);
}

Error CredentialError(std::string message) {
  return Error(StatusCode::kInvalidArgument, "tls_credential_invalid", std::move(message));
}

// Chooses "http/1.1" when the client's ALPN list contains it, and otherwise
// continues without ALPN, so that a client offering only "h2" still gets a
// clear HTTP/1.1 error instead of a handshake failure. Selecting http/1.1
// keeps a client that speaks another protocol from being served HTTP by
// mistake.
int SelectHttp11Alpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* out_length,
                     const unsigned char* client_list, unsigned int client_list_length,
                     void* /*arg*/) {
  // The list is a sequence of length-prefixed names (RFC 7301 section 3.1).
  unsigned int offset = 0;
  while (offset < client_list_length) {
    const unsigned int name_length = client_list[offset];
    const unsigned int name_start = offset + 1;
    if (name_length == 0 || name_start + name_length > client_list_length) {
      return SSL_TLSEXT_ERR_NOACK;
    }

    const std::string_view name(reinterpret_cast<const char*>(client_list + name_start),
                                name_length);
    if (name == kHttp11Alpn) {
      *out = client_list + name_start;
      *out_length = static_cast<unsigned char>(name_length);
      return SSL_TLSEXT_ERR_OK;
    }
    offset = name_start + name_length;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

Result<KeyAlgorithm> KeyAlgorithmOf(const EVP_PKEY* key, std::string_view description) {
  if (key == nullptr) {
    return std::unexpected(CredentialError(std::string(description) + " has no usable public key"));
  }
  Result<KeyAlgorithm> algorithm = internal::IdentifyKeyAlgorithm(key);
  if (!algorithm.has_value()) {
    return std::unexpected(
        CredentialError(std::string(description) + ": " + algorithm.error().message()));
  }
  return algorithm;
}

// Loads one chain and its key into the context. OpenSSL keeps one certificate
// slot per key type, so an ML-DSA and an ECDSA credential live side by side and
// the handshake picks the one matching the negotiated signature scheme. Each
// SSL_CTX_use_* call makes the slot of its key type current, which is what
// SSL_CTX_get0_certificate and SSL_CTX_check_private_key look at.
Status LoadCredential(SSL_CTX* context, const TlsCredentialFiles& files, KeyAlgorithm expected) {
  const std::string label(KeyAlgorithmName(expected));

  if (files.certificate_chain_file.empty()) {
    return std::unexpected(
        CredentialError("the " + label + " certificate chain file is not set; configure it"));
  }
  if (files.private_key_file.empty()) {
    return std::unexpected(
        CredentialError("the " + label + " private key file is not set; configure it"));
  }

  // 1. The chain, leaf first.
  if (SSL_CTX_use_certificate_chain_file(context, files.certificate_chain_file.c_str()) != 1) {
    return std::unexpected(internal::OpenSslError(
        StatusCode::kInvalidArgument, "tls_credential_invalid",
        "loading the " + label + " certificate chain from " + files.certificate_chain_file));
  }
  const EVP_PKEY* leaf_key = X509_get0_pubkey(SSL_CTX_get0_certificate(context));
  Result<KeyAlgorithm> leaf_algorithm =
      KeyAlgorithmOf(leaf_key, "the leaf certificate in " + files.certificate_chain_file);
  if (!leaf_algorithm.has_value()) {
    return std::unexpected(leaf_algorithm.error());
  }
  if (*leaf_algorithm != expected) {
    return std::unexpected(CredentialError(
        "the leaf certificate in " + files.certificate_chain_file + " has a " +
        std::string(KeyAlgorithmName(*leaf_algorithm)) + " key where " + label + " is required"));
  }

  // 2. The private key, which must have the same algorithm and match the leaf.
  if (SSL_CTX_use_PrivateKey_file(context, files.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return std::unexpected(internal::OpenSslError(
        StatusCode::kInvalidArgument, "tls_credential_invalid",
        "loading the " + label + " private key from " + files.private_key_file));
  }
  Result<KeyAlgorithm> key_algorithm =
      KeyAlgorithmOf(SSL_CTX_get0_privatekey(context), "the key in " + files.private_key_file);
  if (!key_algorithm.has_value()) {
    return std::unexpected(key_algorithm.error());
  }
  if (*key_algorithm != expected) {
    return std::unexpected(CredentialError("the key in " + files.private_key_file + " is " +
                                           std::string(KeyAlgorithmName(*key_algorithm)) +
                                           " where " + label + " is required"));
  }
  if (SSL_CTX_check_private_key(context) != 1) {
    return std::unexpected(
        internal::OpenSslError(StatusCode::kInvalidArgument, "tls_credential_invalid",
                               "checking that the key in " + files.private_key_file +
                                   " matches the certificate in " + files.certificate_chain_file));
  }
  return {};
}

// The settings both sides share: the protocol version and the cipher suites.
Status ConfigureCommon(SSL_CTX* context) {
  if (SSL_CTX_set_min_proto_version(context, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION) != 1) {
    return std::unexpected(TlsConfigError("restricting the context to TLS 1.3"));
  }
  if (SSL_CTX_set_ciphersuites(context, std::string(kTlsCipherSuites).c_str()) != 1) {
    return std::unexpected(TlsConfigError("setting the TLS 1.3 cipher suites"));
  }
  return {};
}

bool IsIpAddressLiteral(const std::string& name) {
  std::array<unsigned char, sizeof(in6_addr)> address{};
  return inet_pton(AF_INET, name.c_str(), address.data()) == 1 ||
         inet_pton(AF_INET6, name.c_str(), address.data()) == 1;
}

}  // namespace

Status ConfigureTlsServerContext(SSL_CTX* context, const TlsServerConfig& config) {
  if (context == nullptr) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_argument",
                     "ConfigureTlsServerContext needs a TLS context, got null");
  }

  // 1. Protocol, cipher suites, groups and signature schemes, server's order.
  if (Status common = ConfigureCommon(context); !common.has_value()) {
    return common;
  }
  SSL_CTX_set_options(context, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set1_groups_list(context, std::string(kServerTlsGroups).c_str()) != 1) {
    return std::unexpected(TlsConfigError("setting the key exchange groups"));
  }
  if (SSL_CTX_set1_sigalgs_list(context, kServerSignatureAlgorithms) != 1) {
    return std::unexpected(TlsConfigError("setting the signature algorithms"));
  }

  // 2. No resumption: no tickets (stateless or stateful) and no session cache.
  SSL_CTX_set_options(context, SSL_OP_NO_TICKET);
  if (SSL_CTX_set_num_tickets(context, 0) != 1) {
    return std::unexpected(TlsConfigError("disabling TLS 1.3 session tickets"));
  }
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);

  // 3. ALPN.
  SSL_CTX_set_alpn_select_cb(context, SelectHttp11Alpn, nullptr);

  // 4. Both credentials.
  if (Status loaded = LoadCredential(context, config.ml_dsa, KeyAlgorithm::kMlDsa65);
      !loaded.has_value()) {
    return loaded;
  }
  if (Status loaded = LoadCredential(context, config.ecdsa, KeyAlgorithm::kEcdsaP256);
      !loaded.has_value()) {
    return loaded;
  }
  return {};
}

Status ConfigureTlsClientContext(SSL_CTX* context, const TlsClientConfig& config) {
  if (context == nullptr) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_argument",
                     "ConfigureTlsClientContext needs a TLS context, got null");
  }
  if (config.ca_file.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "tls_credential_invalid",
                     "the CA file for verifying the server is not set; configure it");
  }

  // 1. Protocol, cipher suites, groups and signature schemes.
  if (Status common = ConfigureCommon(context); !common.has_value()) {
    return common;
  }
  if (SSL_CTX_set1_groups_list(context, config.groups.c_str()) != 1) {
    return std::unexpected(TlsConfigError("setting the key exchange groups " + config.groups));
  }
  if (SSL_CTX_set1_sigalgs_list(context, config.signature_algorithms.c_str()) != 1) {
    return std::unexpected(
        TlsConfigError("setting the signature algorithms " + config.signature_algorithms));
  }

  // 2. Chain verification against the configured CAs only.
  if (SSL_CTX_load_verify_locations(context, config.ca_file.c_str(), nullptr) != 1) {
    return std::unexpected(internal::OpenSslError(StatusCode::kInvalidArgument,
                                                  "tls_credential_invalid",
                                                  "loading the CA file " + config.ca_file));
  }
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  return {};
}

Status ConfigureTlsClientConnection(SSL* connection, std::string_view server_name) {
  if (connection == nullptr) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_argument",
                     "ConfigureTlsClientConnection needs a TLS connection, got null");
  }
  if (server_name.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_argument",
                     "the server name to verify is empty; pass a host name or IP address");
  }

  const std::string name(server_name);
  if (IsIpAddressLiteral(name)) {
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(connection), name.c_str()) != 1) {
      return std::unexpected(TlsConfigError("setting the expected server IP address " + name));
    }
    return {};
  }

  // SSL_set_tlsext_host_name expands to this call with a C-style cast.
  if (SSL_ctrl(connection, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(name.c_str())) != 1) {
    return std::unexpected(TlsConfigError("setting the SNI host name " + name));
  }
  SSL_set_hostflags(connection, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (SSL_set1_host(connection, name.c_str()) != 1) {
    return std::unexpected(TlsConfigError("setting the expected server host name " + name));
  }
  return {};
}

Result<TlsSessionInfo> DescribeTlsSession(SSL* connection) {
  if (connection == nullptr || SSL_is_init_finished(connection) != 1) {
    return MakeError(StatusCode::kFailedPrecondition, "tls_handshake_incomplete",
                     "the TLS handshake has not completed; describe the session after it");
  }

  TlsSessionInfo info;
  info.protocol = SSL_get_version(connection);

  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(connection); cipher != nullptr) {
    const char* name = SSL_CIPHER_standard_name(cipher);
    info.cipher_suite = name != nullptr ? name : SSL_CIPHER_get_name(cipher);
  }

  if (const char* group = SSL_get0_group_name(connection); group != nullptr) {
    info.group = group;
  }
  info.key_exchange = ClassifyTlsGroup(info.group);

  // The server's signature: our own on the server, the peer's on the client.
  const bool is_server = SSL_is_server(connection) == 1;
  const char* signature = nullptr;
  const long have_signature = is_server ? SSL_get0_signature_name(connection, &signature)
                                        : SSL_get0_peer_signature_name(connection, &signature);
  if (have_signature == 1 && signature != nullptr) {
    info.server_signature_algorithm = signature;
  }

  X509* certificate =
      is_server ? SSL_get_certificate(connection) : SSL_get0_peer_certificate(connection);
  if (certificate != nullptr) {
    if (const EVP_PKEY* key = X509_get0_pubkey(certificate); key != nullptr) {
      if (const char* type = EVP_PKEY_get0_type_name(key); type != nullptr) {
        info.server_certificate_type = type;
      }
    }
  }

  // Lookups that found nothing may have queued errors that belong to no one.
  internal::ClearOpenSslErrors();
  return info;
}

TlsKeyExchange ClassifyTlsGroup(std::string_view group_name) {
  // The IANA registry names the pure groups "MLKEM512", "MLKEM768" and
  // "MLKEM1024", and the hybrids "X25519MLKEM768", "SecP256r1MLKEM768" and
  // "SecP384r1MLKEM1024" (draft-ietf-tls-mlkem, draft-ietf-tls-ecdhe-mlkem).
  if (group_name.starts_with("MLKEM")) {
    return TlsKeyExchange::kMlKem;
  }
  if (group_name.find("MLKEM") != std::string_view::npos) {
    return TlsKeyExchange::kHybridMlKem;
  }
  return TlsKeyExchange::kClassical;
}

std::string_view TlsKeyExchangeName(TlsKeyExchange key_exchange) {
  switch (key_exchange) {
    case TlsKeyExchange::kHybridMlKem:
      return "hybrid_mlkem";
    case TlsKeyExchange::kMlKem:
      return "mlkem";
    case TlsKeyExchange::kClassical:
      return "classical";
  }
  return "classical";
}

}  // namespace devtrust::crypto
