#include "crypto/tls_context.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace devtrust::crypto {
namespace {

namespace fs = std::filesystem;

struct SslCtxDeleter {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
struct SslDeleter {
  void operator()(SSL* connection) const { SSL_free(connection); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
using SslPtr = std::unique_ptr<SSL, SslDeleter>;

// Runs the OpenSSL 3.5 command line with `arguments`, quiet; true on success.
bool RunOpenSsl(const std::string& arguments) {
  const std::string command =
      std::string(DEVTRUST_OPENSSL_BIN) + " " + arguments + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// A CA and a leaf for "localhost", 127.0.0.1 and ::1, with keys of `key_options`.
bool MakeChain(const fs::path& directory, const std::string& prefix,
               const std::string& key_options) {
  const std::string ca = (directory / (prefix + "_ca")).string();
  const std::string leaf = (directory / (prefix + "_leaf")).string();
  return RunOpenSsl("req -x509 " + key_options + " -nodes -days 2 -keyout " + ca + ".key -out " +
                    ca + ".pem -subj /CN=" + prefix +
                    "-test-ca -addext basicConstraints=critical,CA:TRUE"
                    " -addext keyUsage=critical,keyCertSign") &&
         RunOpenSsl("req -x509 " + key_options + " -nodes -days 2 -keyout " + leaf + ".key -out " +
                    leaf + ".pem -subj /CN=localhost -CA " + ca + ".pem -CAkey " + ca +
                    ".key -addext subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
                    " -addext basicConstraints=critical,CA:FALSE"
                    " -addext extendedKeyUsage=serverAuth");
}

class TlsContextTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = testing::TempDir() + "devtrust_tls_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = new fs::path(pattern);
    ASSERT_TRUE(MakeChain(*directory_, "mldsa", "-newkey ML-DSA-65"));
    ASSERT_TRUE(MakeChain(*directory_, "ecdsa", "-newkey EC -pkeyopt ec_paramgen_curve:P-256"));
    ASSERT_TRUE(MakeChain(*directory_, "other", "-newkey ML-DSA-65"));
  }

  static void TearDownTestSuite() {
    if (directory_ != nullptr) {
      fs::remove_all(*directory_);
      delete directory_;
      directory_ = nullptr;
    }
  }

  static std::string File(const std::string& name) { return (*directory_ / name).string(); }

  static TlsServerConfig ServerConfig() {
    return TlsServerConfig{
        .ml_dsa = {File("mldsa_leaf.pem"), File("mldsa_leaf.key")},
        .ecdsa = {File("ecdsa_leaf.pem"), File("ecdsa_leaf.key")},
    };
  }

  static SslCtxPtr NewServerContext() {
    SslCtxPtr context(SSL_CTX_new(TLS_server_method()));
    EXPECT_TRUE(ConfigureTlsServerContext(context.get(), ServerConfig()).has_value());
    return context;
  }

  static SslCtxPtr NewClientContext(TlsClientConfig config) {
    SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
    const Status configured = ConfigureTlsClientContext(context.get(), config);
    EXPECT_TRUE(configured.has_value()) << configured.error().ToString();
    return context;
  }

  // Connects `client` and `server` through an in-memory BIO pair and drives
  // both handshakes; true when both complete.
  static bool Handshake(SSL* client, SSL* server) {
    BIO* client_bio = nullptr;
    BIO* server_bio = nullptr;
    if (BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) != 1) {
      return false;
    }
    SSL_set_bio(client, client_bio, client_bio);
    SSL_set_bio(server, server_bio, server_bio);
    SSL_set_connect_state(client);
    SSL_set_accept_state(server);

    for (int round = 0; round < 32; ++round) {
      const int client_result = SSL_do_handshake(client);
      const int server_result = SSL_do_handshake(server);
      if (client_result == 1 && server_result == 1) {
        return true;
      }
      for (auto [connection, result] :
           {std::pair{client, client_result}, {server, server_result}}) {
        if (result == 1) {
          continue;
        }
        const int error = SSL_get_error(connection, result);
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
          return false;
        }
      }
    }
    return false;
  }

  struct Connection {
    SslPtr client;
    SslPtr server;
    bool established = false;
  };

  // Connects a client built from `client_config`, verifying `server_name`, to
  // a server built from ServerConfig().
  Connection Connect(const TlsClientConfig& client_config,
                     const std::string& server_name = "localhost") {
    client_context_ = NewClientContext(client_config);
    server_context_ = NewServerContext();
    Connection connection{SslPtr(SSL_new(client_context_.get())),
                          SslPtr(SSL_new(server_context_.get()))};
    EXPECT_TRUE(ConfigureTlsClientConnection(connection.client.get(), server_name).has_value());
    connection.established = Handshake(connection.client.get(), connection.server.get());
    return connection;
  }

  static inline fs::path* directory_ = nullptr;
  SslCtxPtr client_context_;
  SslCtxPtr server_context_;
};

TEST_F(TlsContextTest, DevtrustClientGetsHybridGroupAndMlDsa) {
  Connection connection = Connect({.ca_file = File("mldsa_ca.pem")});
  ASSERT_TRUE(connection.established);

  for (SSL* side : {connection.server.get(), connection.client.get()}) {
    const Result<TlsSessionInfo> info = DescribeTlsSession(side);
    ASSERT_TRUE(info.has_value()) << info.error().ToString();
    EXPECT_EQ(info->protocol, "TLSv1.3");
    EXPECT_EQ(info->cipher_suite, "TLS_AES_256_GCM_SHA384");
    EXPECT_EQ(info->group, "X25519MLKEM768");
    EXPECT_EQ(info->key_exchange, TlsKeyExchange::kHybridMlKem);
    EXPECT_TRUE(info->hybrid_group());
    EXPECT_EQ(info->server_signature_algorithm, "mldsa65");
    EXPECT_EQ(info->server_certificate_type, "ML-DSA-65");
  }
}

TEST_F(TlsContextTest, ClassicalClientGetsEcdsaAndX25519) {
  Connection connection = Connect({.ca_file = File("ecdsa_ca.pem"),
                                   .signature_algorithms = "ecdsa_secp256r1_sha256",
                                   .groups = "X25519"});
  ASSERT_TRUE(connection.established);

  const Result<TlsSessionInfo> info = DescribeTlsSession(connection.server.get());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->group, "x25519");
  EXPECT_EQ(info->key_exchange, TlsKeyExchange::kClassical);
  EXPECT_FALSE(info->hybrid_group());
  EXPECT_EQ(info->server_signature_algorithm, "ecdsa_secp256r1_sha256");
  EXPECT_EQ(info->server_certificate_type, "EC");
}

TEST_F(TlsContextTest, ServerPrefersMlDsaOverClientOrder) {
  Connection connection = Connect(
      {.ca_file = File("mldsa_ca.pem"), .signature_algorithms = "ecdsa_secp256r1_sha256:mldsa65"});
  ASSERT_TRUE(connection.established);

  const Result<TlsSessionInfo> info = DescribeTlsSession(connection.server.get());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->server_signature_algorithm, "mldsa65");
  EXPECT_EQ(info->server_certificate_type, "ML-DSA-65");
}

TEST_F(TlsContextTest, HybridWinsOverClassicalKeyShare) {
  // The client sends a key share for X25519 only but supports the hybrid; the
  // server requests the hybrid share with a HelloRetryRequest.
  Connection connection =
      Connect({.ca_file = File("mldsa_ca.pem"), .groups = "X25519:X25519MLKEM768"});
  ASSERT_TRUE(connection.established);

  const Result<TlsSessionInfo> info = DescribeTlsSession(connection.server.get());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->group, "X25519MLKEM768");
  EXPECT_TRUE(info->hybrid_group());
}

TEST_F(TlsContextTest, P256OnlyClientIsClassical) {
  Connection connection = Connect({.ca_file = File("mldsa_ca.pem"), .groups = "P-256"});
  ASSERT_TRUE(connection.established);

  const Result<TlsSessionInfo> info = DescribeTlsSession(connection.server.get());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->group, "secp256r1");
  EXPECT_EQ(info->key_exchange, TlsKeyExchange::kClassical);
}

TEST_F(TlsContextTest, ChaChaClientGetsChaCha) {
  client_context_ = NewClientContext({.ca_file = File("mldsa_ca.pem")});
  ASSERT_EQ(SSL_CTX_set_ciphersuites(client_context_.get(), "TLS_CHACHA20_POLY1305_SHA256"), 1);
  server_context_ = NewServerContext();
  SslPtr client(SSL_new(client_context_.get()));
  SslPtr server(SSL_new(server_context_.get()));
  ASSERT_TRUE(Handshake(client.get(), server.get()));

  const Result<TlsSessionInfo> info = DescribeTlsSession(server.get());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->cipher_suite, "TLS_CHACHA20_POLY1305_SHA256");
}

TEST_F(TlsContextTest, RejectsTls12Client) {
  SslCtxPtr client_context(SSL_CTX_new(TLS_client_method()));
  ASSERT_EQ(SSL_CTX_set_max_proto_version(client_context.get(), TLS1_2_VERSION), 1);
  SSL_CTX_set_verify(client_context.get(), SSL_VERIFY_NONE, nullptr);
  server_context_ = NewServerContext();
  SslPtr client(SSL_new(client_context.get()));
  SslPtr server(SSL_new(server_context_.get()));

  EXPECT_FALSE(Handshake(client.get(), server.get()));
}

TEST_F(TlsContextTest, RejectsServerNameMismatch) {
  EXPECT_FALSE(Connect({.ca_file = File("mldsa_ca.pem")}, "devtrust.example").established);
  EXPECT_FALSE(Connect({.ca_file = File("mldsa_ca.pem")}, "10.0.0.1").established);
  EXPECT_FALSE(Connect({.ca_file = File("mldsa_ca.pem")}, "::2").established);
}

TEST_F(TlsContextTest, AcceptsIpAddressNames) {
  EXPECT_TRUE(Connect({.ca_file = File("mldsa_ca.pem")}, "127.0.0.1").established);
  EXPECT_TRUE(Connect({.ca_file = File("mldsa_ca.pem")}, "::1").established);
}

TEST_F(TlsContextTest, RejectsServerFromOtherCa) {
  EXPECT_FALSE(Connect({.ca_file = File("other_ca.pem")}).established);
  // The ECDSA CA did not issue the ML-DSA certificate the client requests.
  EXPECT_FALSE(Connect({.ca_file = File("ecdsa_ca.pem")}).established);
}

TEST_F(TlsContextTest, NegotiatesHttp11Alpn) {
  client_context_ = NewClientContext({.ca_file = File("mldsa_ca.pem")});
  static constexpr unsigned char kOffer[] = {2,   'h', '2', 8,   'h', 't',
                                             't', 'p', '/', '1', '.', '1'};
  ASSERT_EQ(SSL_CTX_set_alpn_protos(client_context_.get(), kOffer, sizeof(kOffer)), 0);
  server_context_ = NewServerContext();
  SslPtr client(SSL_new(client_context_.get()));
  SslPtr server(SSL_new(server_context_.get()));
  ASSERT_TRUE(Handshake(client.get(), server.get()));

  const unsigned char* selected = nullptr;
  unsigned int selected_length = 0;
  SSL_get0_alpn_selected(client.get(), &selected, &selected_length);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(selected), selected_length), "http/1.1");
}

TEST_F(TlsContextTest, ContinuesWithoutAlpnForH2Only) {
  client_context_ = NewClientContext({.ca_file = File("mldsa_ca.pem")});
  static constexpr unsigned char kOffer[] = {2, 'h', '2'};
  ASSERT_EQ(SSL_CTX_set_alpn_protos(client_context_.get(), kOffer, sizeof(kOffer)), 0);
  server_context_ = NewServerContext();
  SslPtr client(SSL_new(client_context_.get()));
  SslPtr server(SSL_new(server_context_.get()));
  ASSERT_TRUE(Handshake(client.get(), server.get()));

  const unsigned char* selected = nullptr;
  unsigned int selected_length = 0;
  SSL_get0_alpn_selected(client.get(), &selected, &selected_length);
  EXPECT_EQ(selected_length, 0u);
}

TEST_F(TlsContextTest, IssuesNoSessionTickets) {
  Connection connection = Connect({.ca_file = File("mldsa_ca.pem")});
  ASSERT_TRUE(connection.established);

  // TLS 1.3 tickets arrive after the handshake, so move a byte to let the
  // client read whatever the server sent.
  const char byte = 'x';
  ASSERT_EQ(SSL_write(connection.server.get(), &byte, 1), 1);
  char received = 0;
  ASSERT_EQ(SSL_read(connection.client.get(), &received, 1), 1);

  SSL_SESSION* session = SSL_get_session(connection.client.get());
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(SSL_SESSION_is_resumable(session), 0);
}

TEST_F(TlsContextTest, DescribeRejectsUnfinishedHandshake) {
  server_context_ = NewServerContext();
  SslPtr server(SSL_new(server_context_.get()));

  const Result<TlsSessionInfo> info = DescribeTlsSession(server.get());
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().reason(), "tls_handshake_incomplete");
  EXPECT_FALSE(DescribeTlsSession(nullptr).has_value());
}

TEST_F(TlsContextTest, RejectsBadServerCredentials) {
  struct Case {
    const char* name;
    TlsServerConfig config;
  };
  const std::vector<Case> cases = {
      {"missing chain file",
       {.ml_dsa = {File("absent.pem"), File("mldsa_leaf.key")}, .ecdsa = ServerConfig().ecdsa}},
      {"missing key file",
       {.ml_dsa = {File("mldsa_leaf.pem"), File("absent.key")}, .ecdsa = ServerConfig().ecdsa}},
      {"empty chain path", {.ml_dsa = {"", File("mldsa_leaf.key")}, .ecdsa = ServerConfig().ecdsa}},
      {"empty key path", {.ml_dsa = ServerConfig().ml_dsa, .ecdsa = {File("ecdsa_leaf.pem"), ""}}},
      {"ECDSA chain in the ML-DSA slot",
       {.ml_dsa = ServerConfig().ecdsa, .ecdsa = ServerConfig().ecdsa}},
      {"ML-DSA chain in the ECDSA slot",
       {.ml_dsa = ServerConfig().ml_dsa, .ecdsa = ServerConfig().ml_dsa}},
      {"key of another certificate",
       {.ml_dsa = {File("mldsa_leaf.pem"), File("other_leaf.key")}, .ecdsa = ServerConfig().ecdsa}},
      {"ECDSA key for the ML-DSA chain",
       {.ml_dsa = {File("mldsa_leaf.pem"), File("ecdsa_leaf.key")}, .ecdsa = ServerConfig().ecdsa}},
      {"key file as chain file",
       {.ml_dsa = {File("mldsa_leaf.key"), File("mldsa_leaf.key")}, .ecdsa = ServerConfig().ecdsa}},
  };

  for (const Case& test_case : cases) {
    SslCtxPtr context(SSL_CTX_new(TLS_server_method()));
    const Status configured = ConfigureTlsServerContext(context.get(), test_case.config);
    ASSERT_FALSE(configured.has_value()) << test_case.name;
    EXPECT_EQ(configured.error().reason(), "tls_credential_invalid") << test_case.name;
  }
}

TEST_F(TlsContextTest, RejectsNullAndMissingArguments) {
  EXPECT_FALSE(ConfigureTlsServerContext(nullptr, ServerConfig()).has_value());
  EXPECT_FALSE(ConfigureTlsClientContext(nullptr, {.ca_file = File("mldsa_ca.pem")}).has_value());

  SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
  const Status no_ca = ConfigureTlsClientContext(context.get(), {});
  ASSERT_FALSE(no_ca.has_value());
  EXPECT_EQ(no_ca.error().reason(), "tls_credential_invalid");

  const Status missing_ca =
      ConfigureTlsClientContext(context.get(), {.ca_file = File("absent.pem")});
  ASSERT_FALSE(missing_ca.has_value());
  EXPECT_EQ(missing_ca.error().reason(), "tls_credential_invalid");

  const Status bad_groups = ConfigureTlsClientContext(
      context.get(), {.ca_file = File("mldsa_ca.pem"), .groups = "NoSuchGroup"});
  ASSERT_FALSE(bad_groups.has_value());
  EXPECT_EQ(bad_groups.error().reason(), "tls_config_failed");

  SslPtr connection(SSL_new(context.get()));
  EXPECT_FALSE(ConfigureTlsClientConnection(connection.get(), "").has_value());
  EXPECT_FALSE(ConfigureTlsClientConnection(nullptr, "localhost").has_value());
}

TEST(TlsGroupTest, ClassifiesGroupNames) {
  EXPECT_EQ(ClassifyTlsGroup("X25519MLKEM768"), TlsKeyExchange::kHybridMlKem);
  EXPECT_EQ(ClassifyTlsGroup("SecP256r1MLKEM768"), TlsKeyExchange::kHybridMlKem);
  EXPECT_EQ(ClassifyTlsGroup("SecP384r1MLKEM1024"), TlsKeyExchange::kHybridMlKem);
  EXPECT_EQ(ClassifyTlsGroup("MLKEM768"), TlsKeyExchange::kMlKem);
  EXPECT_EQ(ClassifyTlsGroup("X25519"), TlsKeyExchange::kClassical);
  EXPECT_EQ(ClassifyTlsGroup("secp256r1"), TlsKeyExchange::kClassical);
  EXPECT_EQ(ClassifyTlsGroup(""), TlsKeyExchange::kClassical);
  EXPECT_EQ(TlsKeyExchangeName(TlsKeyExchange::kHybridMlKem), "hybrid_mlkem");
  EXPECT_EQ(TlsKeyExchangeName(TlsKeyExchange::kClassical), "classical");
}

}  // namespace
}  // namespace devtrust::crypto
