// TLS settings for the devtrust HTTPS server and for devtrust's own client.
//
// This is the only code that calls OpenSSL's SSL_CTX_* and SSL_* functions.
// Callers hand in the handles that boost::asio::ssl::context::native_handle()
// and boost::asio::ssl::stream::native_handle() return, so src/server can use
// Asio's TLS streams without touching OpenSSL directly.
//
// Both sides speak TLS 1.3 only (RFC 8446). Key exchange groups, in order of
// preference: X25519MLKEM768 (the hybrid of X25519 and ML-KEM-768,
// draft-ietf-tls-ecdhe-mlkem), then X25519, then P-256. Cipher suites:
// TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256.
#ifndef DEVTRUST_CRYPTO_TLS_CONTEXT_H_
#define DEVTRUST_CRYPTO_TLS_CONTEXT_H_

#include <string>
#include <string_view>

#include "base/error.h"

// OpenSSL's context and connection types, declared here so that callers need
// no OpenSSL header.
struct ssl_ctx_st;
struct ssl_st;

namespace devtrust::crypto {

// The server's key exchange groups in OpenSSL 3.5 list syntax. "/" separates
// tuples in order of server preference: a client that supports X25519MLKEM768
// gets it, through a HelloRetryRequest if its first key share was classical,
// so an attacker cannot downgrade it by dropping the hybrid key share. Inside
// the second tuple the client's key share decides between X25519 and P-256.
inline constexpr std::string_view kServerTlsGroups = "X25519MLKEM768/X25519:P-256";

// The client's groups. The client sends a key share for the first one only.
inline constexpr std::string_view kClientTlsGroups = "X25519MLKEM768:X25519:P-256";

// TLS 1.3 cipher suites in order of preference (RFC 8446 section B.4).
inline constexpr std::string_view kTlsCipherSuites =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";

// A certificate chain and its private key, as PEM files. The chain file starts
// with the leaf certificate, followed by the intermediates. The root is not
// needed.
struct TlsCredentialFiles {
  std::string certificate_chain_file;
  std::string private_key_file;
};

struct TlsServerConfig {
  // Served to clients whose signature_algorithms extension offers mldsa65.
  // The leaf key must be ML-DSA-65 (FIPS 204).
  TlsCredentialFiles ml_dsa;
  // Served to every other client, such as those linked to OpenSSL 3.0. The
  // leaf key must be ECDSA on P-256.
  TlsCredentialFiles ecdsa;
};

// Configures a server context: TLS 1.3 only, the groups, cipher suites and
// signature algorithms above with server preference, both credentials, ALPN
// "http/1.1" when the client offers it, and no session resumption.
//
// Resumption is off: the context issues no session tickets and keeps no
// session cache. devtrust's clients are backends that keep connections alive,
// so resumption would save little, and a ticket key would be a long-lived
// secret whose theft exposes every resumed session. A full handshake costs one
// ML-KEM encapsulation and one signature. Early data (0-RTT) stays disabled,
// which is OpenSSL's default.
//
// `context` must come from a TLS server method, such as
// boost::asio::ssl::context(boost::asio::ssl::context::tls_server). Errors:
// "tls_credential_invalid" (a file is missing or unreadable, not PEM, the key
// does not match its certificate, or a key has the wrong algorithm) and
// "tls_config_failed" (OpenSSL rejected a setting).
Status ConfigureTlsServerContext(ssl_ctx_st* context, const TlsServerConfig& config);

struct TlsClientConfig {
  // PEM file with the certificate authorities that may issue the server's
  // certificate. The system's default trust store is not loaded.
  std::string ca_file;
  // Signature algorithms offered to the server. The default lists ML-DSA-65
  // first, so a devtrust server responds with its ML-DSA certificate.
  std::string signature_algorithms = "mldsa65:ecdsa_secp256r1_sha256";
  // Key exchange groups offered to the server.
  std::string groups = std::string(kClientTlsGroups);
};

// Configures a client context: TLS 1.3 only, the groups, cipher suites and
// signature algorithms of `config`, and verification of the server's chain
// against `config.ca_file`. Call ConfigureTlsClientConnection on each
// connection to check the server's name too. Errors: "tls_credential_invalid"
// (the CA file cannot be loaded) and "tls_config_failed".
Status ConfigureTlsClientContext(ssl_ctx_st* context, const TlsClientConfig& config);

// Sets the name that the server's certificate must match, before the
// handshake. An IP address literal (IPv4 or IPv6) must match an iPAddress
// subjectAltName and is not sent as SNI, because RFC 6066 section 3 allows only
// host names there. Any other value is sent as SNI and must match a dNSName
// (RFC 6125, no partial wildcards). Errors: "invalid_argument" for an empty
// name, "tls_config_failed".
Status ConfigureTlsClientConnection(ssl_st* connection, std::string_view server_name);

// The key exchange of a TLS 1.3 handshake.
enum class TlsKeyExchange {
  kHybridMlKem,  // ML-KEM combined with a classical group, such as X25519MLKEM768
  kMlKem,        // ML-KEM alone, such as MLKEM768
  kClassical,    // elliptic curve or finite field Diffie-Hellman only
};

// Facts about an established connection, for request contexts, logs and
// metric labels. Nothing in it is secret.
struct TlsSessionInfo {
  std::string protocol;      // "TLSv1.3"
  std::string cipher_suite;  // "TLS_AES_256_GCM_SHA384"
  // The key exchange group by its name in the IANA TLS Supported Groups
  // registry: "X25519MLKEM768", "x25519", "secp256r1", ...
  std::string group;
  TlsKeyExchange key_exchange = TlsKeyExchange::kClassical;
  // The algorithm of the server's CertificateVerify signature, as OpenSSL
  // names TLS signature schemes: "mldsa65", "ecdsa_secp256r1_sha256", ...
  std::string server_signature_algorithm;
  // The key type of the server's leaf certificate: "ML-DSA-65", "EC", ...
  std::string server_certificate_type;

  bool hybrid_group() const { return key_exchange == TlsKeyExchange::kHybridMlKem; }
};

// Describes `connection` after its handshake has completed, from either side.
// On the server the certificate is its own, on the client the peer's.
// Errors: "tls_handshake_incomplete" before the handshake has finished.
Result<TlsSessionInfo> DescribeTlsSession(ssl_st* connection);

// Classifies a TLS group by its IANA name, as TlsSessionInfo::group has it.
TlsKeyExchange ClassifyTlsGroup(std::string_view group_name);

// "hybrid_mlkem", "mlkem" or "classical", for logs and metric labels.
std::string_view TlsKeyExchangeName(TlsKeyExchange key_exchange);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_TLS_CONTEXT_H_
