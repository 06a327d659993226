// The test fixture of the bad-input tests: a real `devtrust serve` on
// 127.0.0.1 with a temporary data directory, clients that send the relying
// party key, table helpers that check a rejection's status and error code,
// and the checks that follow every table (the server still serves and its
// state stayed consistent).
#ifndef DEVTRUST_TESTS_BADINPUT_BAD_INPUT_FIXTURE_H_
#define DEVTRUST_TESTS_BADINPUT_BAD_INPUT_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "client/device_trust_client.h"
#include "client/https_client.h"
#include "crypto/secret_bytes.h"
#include "device_helpers.h"
#include "serve_harness.h"

namespace devtrust::hardening {

// One bad request body and the rejection it must get.
struct BodyCase {
  std::string name;
  std::string body;
  unsigned status = 400;
  std::string code;
};

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The server settings of this test; the defaults of serve unless a test
  // overrides them.
  virtual ServeHarnessOptions Options() const { return {}; }

  // Sends a request with the relying party key (or `key` when given). Adds a
  // test failure and returns status 0 when no response arrives.
  client::HttpResponse Send(std::string_view method, std::string_view target, std::string_view body,
                            const crypto::SecretBytes* key);
  client::HttpResponse Post(std::string_view target, std::string_view body);
  client::HttpResponse Get(std::string_view target);

  // Posts every case to `target` and checks its status and error code.
  void ExpectRejected(std::string_view target, const std::vector<BodyCase>& cases);

  // The ids of the devices GET /v1/users/{user_id}/devices lists.
  std::vector<std::string> DeviceIdsOf(std::string_view user_id);

  // Checks that /healthz and /readyz answer 200 on a new connection and that
  // a new device still enrolls, passes its challenge and logs in trusted.
  void ExpectServerStillServes();

  // The SubjectPublicKeyInfo DER of a fresh key from the OpenSSL 3.5 command
  // line, for algorithms devtrust does not generate: `genpkey_arguments` such
  // as {"-algorithm", "ML-DSA-44"}.
  Bytes OpenSslPublicKey(const std::vector<std::string>& genpkey_arguments);

  std::unique_ptr<ServeHarness> harness_;
  std::unique_ptr<client::DeviceTrustClient> client_;
  std::unique_ptr<client::HttpsClient> https_;
  crypto::SecretBytes relying_party_key_;
  crypto::SecretBytes admin_key_;
  int openssl_keys_ = 0;
};

// Bytes helpers for tampering.
Bytes FlipBit(ByteView bytes, std::size_t byte_index);
Bytes Truncated(ByteView bytes, std::size_t size);
Bytes Appended(ByteView bytes, std::size_t extra_bytes);
// `size` bytes from the CSPRNG.
Bytes RandomData(std::size_t size);
// `size` copies of `value`.
std::string Repeated(std::size_t size, char value);

}  // namespace devtrust::hardening

#endif  // DEVTRUST_TESTS_BADINPUT_BAD_INPUT_FIXTURE_H_
