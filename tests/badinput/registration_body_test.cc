// Bad registrations against the real `devtrust serve`: invalid and padded
// base64, truncated, oversized and foreign keys (another algorithm, another
// size, random bytes, another device's key), truncated, bit-flipped and
// oversized proofs of possession, and bad fingerprints. Each alteration of a
// correctly signed registration must get its 4xx and stable code, leave no
// device behind, and leave the nonce unconsumed: the registration
// transaction is the only step that consumes it (RegistrationService).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <initializer_list>
#include <string>
#include <vector>

#include "bad_input_fixture.h"
#include "base/encoding.h"
#include "client/api_messages.h"
#include "client/device_keys.h"
#include "crypto/keys.h"

namespace devtrust::hardening {
namespace {

constexpr std::string_view kUser = "mallory";

// A member path such as {"public_keys", "ml_dsa_65"}.
using MemberPath = std::initializer_list<std::string_view>;

boost::json::value* Find(boost::json::object& root, MemberPath path) {
  boost::json::object* object = &root;
  boost::json::value* value = nullptr;
  for (const std::string_view name : path) {
    value = object->if_contains(name);
    if (value == nullptr) return nullptr;
    if (value->is_object()) object = &value->as_object();
  }
  return value;
}

class RegistrationBodyTest : public BadInputTest {
 protected:
  void SetUp() override {
    BadInputTest::SetUp();
    if (HasFatalFailure()) return;

    Result<client::DeviceKeys> keys = client::GenerateDeviceKeys();
    ASSERT_TRUE(keys.has_value());
    keys_.emplace(*std::move(keys));
    Result<client::RegistrationRequest> request =
        NewSignedRegistration(*client_, *keys_, kUser, LaptopFingerprint());
    ASSERT_TRUE(request.has_value()) << request.error().ToString();
    request_.emplace(*std::move(request));
    base_ = ParseObject(client::EncodeRegistrationRequest(*request_));

    // Another device's keys and a registration it signed, for swapped keys
    // and signatures that are valid in themselves.
    Result<client::DeviceKeys> other = client::GenerateDeviceKeys();
    ASSERT_TRUE(other.has_value());
    other_keys_.emplace(*std::move(other));
    Result<client::RegistrationRequest> other_request =
        SignRegistration(*other_keys_, kUser, request_->nonce, LaptopFingerprint());
    ASSERT_TRUE(other_request.has_value());
    other_request_.emplace(*std::move(other_request));
  }

  // The correctly signed body with the member at `path` replaced.
  std::string With(MemberPath path, boost::json::value value) const {
    boost::json::object copy = base_;
    boost::json::value* member = Find(copy, path);
    if (member == nullptr) std::abort();
    *member = std::move(value);
    return boost::json::serialize(copy);
  }

  // The body with the base64url member at `path` replaced by `bytes`.
  std::string WithBytes(MemberPath path, ByteView bytes) const {
    return With(path, boost::json::value(Base64UrlEncode(bytes)));
  }

  // The body without the member at `path`.
  std::string Without(MemberPath path) const {
    boost::json::object copy = base_;
    std::vector<std::string_view> names(path);
    boost::json::object* parent = &copy;
    for (std::size_t i = 0; i + 1 < names.size(); ++i) {
      parent = &parent->at(names[i]).as_object();
    }
    parent->erase(names.back());
    return boost::json::serialize(copy);
  }

  // The decoded bytes of the base64url member at `path` of the base.
  Bytes BaseBytes(MemberPath path) const {
    boost::json::object copy = base_;
    Result<Bytes> bytes = Base64UrlDecode(Find(copy, path)->as_string(), 1 << 20);
    if (!bytes) std::abort();
    return *std::move(bytes);
  }

  std::string BaseText(MemberPath path) const {
    boost::json::object copy = base_;
    return std::string(Find(copy, path)->as_string());
  }

  std::optional<client::DeviceKeys> keys_;
  std::optional<client::RegistrationRequest> request_;
  boost::json::object base_;
  std::optional<client::DeviceKeys> other_keys_;
  std::optional<client::RegistrationRequest> other_request_;
};

TEST_F(RegistrationBodyTest, AlteredRegistrationsAreRejected) {
  const MemberPath nonce = {"nonce"};
  const MemberPath ml_dsa = {"public_keys", "ml_dsa_65"};
  const MemberPath ecdsa = {"public_keys", "ecdsa_p256"};
  const MemberPath ml_kem = {"public_keys", "ml_kem_768"};
  const MemberPath x25519 = {"public_keys", "x25519"};
  const MemberPath ml_dsa_signature = {"signatures", "ml_dsa_65"};
  const MemberPath ecdsa_signature = {"signatures", "ecdsa_p256"};

  const Bytes ml_dsa_key = BaseBytes(ml_dsa);
  const Bytes ecdsa_key = BaseBytes(ecdsa);
  const Bytes ml_kem_key = BaseBytes(ml_kem);
  const Bytes x25519_key = BaseBytes(x25519);
  const Bytes ml_dsa_proof = BaseBytes(ml_dsa_signature);
  const Bytes ecdsa_proof = BaseBytes(ecdsa_signature);
  const client::DevicePublicKeys other = client::PublicKeysOf(*other_keys_);

  // Keys of other algorithms and sizes: devtrust's own generator where it
  // supports the algorithm, the OpenSSL 3.5 command line for the rest.
  Result<crypto::PrivateKey> ml_dsa_87 =
      crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlDsa87);
  ASSERT_TRUE(ml_dsa_87.has_value());
  Result<crypto::PrivateKey> ml_kem_1024 =
      crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlKem1024);
  ASSERT_TRUE(ml_kem_1024.has_value());
  const Bytes ml_dsa_44 = OpenSslPublicKey({"-algorithm", "ML-DSA-44"});
  const Bytes ml_kem_512 = OpenSslPublicKey({"-algorithm", "ML-KEM-512"});
  const Bytes p384 = OpenSslPublicKey({"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"});
  const Bytes ed25519 = OpenSslPublicKey({"-algorithm", "ED25519"});
  const Bytes x448 = OpenSslPublicKey({"-algorithm", "X448"});
  ASSERT_FALSE(ml_dsa_44.empty() || ml_kem_512.empty() || p384.empty() || ed25519.empty() ||
               x448.empty());

  // An X25519 SubjectPublicKeyInfo whose point is 0, of small order
  // (RFC 7748 section 6.1).
  Bytes zero_point = Truncated(x25519_key, x25519_key.size() - 32);
  zero_point.resize(x25519_key.size(), 0x00);

  const std::string nonce_text = BaseText(nonce);
  const std::string body = boost::json::serialize(base_);

  const std::vector<BodyCase> cases = {
      // Base64url (RFC 4648 section 5): no padding, no other alphabet, no
      // non-zero trailing bits.
      {"nonce padded", With(nonce, boost::json::value(nonce_text + "=")), 400, "invalid_base64"},
      {"nonce standard alphabet", With(nonce, boost::json::value("+" + nonce_text.substr(1))),
       400, "invalid_base64"},
      {"nonce with a space", With(nonce, boost::json::value(nonce_text.substr(1) + " ")), 400,
       "invalid_base64"},
      {"nonce impossible length", With(nonce, boost::json::value(nonce_text + "AA")), 400,
       "invalid_base64"},
      {"nonce non-zero trailing bits",
       With(nonce, boost::json::value(nonce_text.substr(0, 42) +
                                      (nonce_text[42] == 'B' ? "C" : "B"))),
       400, "invalid_base64"},
      {"key padded", With(ml_dsa, boost::json::value(BaseText(ml_dsa) + "==")), 400,
       "invalid_base64"},
      {"signature in standard base64",
       With(ml_dsa_signature, boost::json::value(Base64Encode(ml_dsa_proof))), 400,
       "invalid_base64"},
      {"nonce number", With(nonce, boost::json::value(42)), 400, "invalid_field_type"},
      {"nonce null", With(nonce, boost::json::value(nullptr)), 400, "invalid_field_type"},
      // Nonce sizes.
      {"nonce empty", WithBytes(nonce, Bytes()), 400, "invalid_nonce"},
      {"nonce 31 bytes", WithBytes(nonce, RandomData(31)), 400, "invalid_nonce"},
      {"nonce 33 bytes", WithBytes(nonce, RandomData(33)), 400, "invalid_nonce"},
      {"nonce 65 bytes", WithBytes(nonce, RandomData(65)), 400, "field_too_long"},
      // ML-DSA-65 key.
      {"ml_dsa_65 truncated", WithBytes(ml_dsa, Truncated(ml_dsa_key, 1000)), 400, "invalid_key"},
      {"ml_dsa_65 one byte short", WithBytes(ml_dsa, Truncated(ml_dsa_key, ml_dsa_key.size() - 1)),
       400, "invalid_key"},
      {"ml_dsa_65 trailing byte", WithBytes(ml_dsa, Appended(ml_dsa_key, 1)), 400, "invalid_key"},
      {"ml_dsa_65 empty", WithBytes(ml_dsa, Bytes()), 400, "invalid_key"},
      {"ml_dsa_65 random bytes", WithBytes(ml_dsa, RandomData(ml_dsa_key.size())), 400,
       "invalid_key"},
      {"ml_dsa_65 DER tag flipped", WithBytes(ml_dsa, FlipBit(ml_dsa_key, 0)), 400,
       "invalid_key"},
      {"ml_dsa_65 is ECDSA P-256", WithBytes(ml_dsa, ecdsa_key), 400, "invalid_key"},
      {"ml_dsa_65 is ML-KEM-768", WithBytes(ml_dsa, ml_kem_key), 400, "invalid_key"},
      {"ml_dsa_65 is ML-DSA-44", WithBytes(ml_dsa, ml_dsa_44), 400, "invalid_key"},
      {"ml_dsa_65 is ML-DSA-87", WithBytes(ml_dsa, ml_dsa_87->GetPublicKey().ToSpkiDer()), 400,
       "field_too_long"},
      {"ml_dsa_65 over 2048 bytes", WithBytes(ml_dsa, RandomData(2049)), 400, "field_too_long"},
      {"ml_dsa_65 of another device", WithBytes(ml_dsa, other.ml_dsa), 400,
       "pop_signature_invalid"},
      {"ml_dsa_65 last bit flipped",
       WithBytes(ml_dsa, FlipBit(ml_dsa_key, ml_dsa_key.size() - 1)), 400,
       "pop_signature_invalid"},
      // ECDSA P-256 key.
      {"ecdsa_p256 truncated", WithBytes(ecdsa, Truncated(ecdsa_key, 60)), 400, "invalid_key"},
      {"ecdsa_p256 point off the curve", WithBytes(ecdsa, FlipBit(ecdsa_key, ecdsa_key.size() - 1)),
       400, "invalid_key"},
      {"ecdsa_p256 is P-384", WithBytes(ecdsa, p384), 400, "invalid_key"},
      {"ecdsa_p256 is X25519", WithBytes(ecdsa, x25519_key), 400, "invalid_key"},
      {"ecdsa_p256 is Ed25519", WithBytes(ecdsa, ed25519), 400, "invalid_key"},
      {"ecdsa_p256 over 128 bytes", WithBytes(ecdsa, RandomData(129)), 400, "field_too_long"},
      {"ecdsa_p256 of another device", WithBytes(ecdsa, other.ecdsa), 400,
       "pop_signature_invalid"},
      // ML-KEM-768 key.
      {"ml_kem_768 truncated", WithBytes(ml_kem, Truncated(ml_kem_key, 600)), 400, "invalid_key"},
      {"ml_kem_768 is ML-KEM-512", WithBytes(ml_kem, ml_kem_512), 400, "invalid_key"},
      {"ml_kem_768 is ML-KEM-1024", WithBytes(ml_kem, ml_kem_1024->GetPublicKey().ToSpkiDer()),
       400, "field_too_long"},
      {"ml_kem_768 is ML-DSA-44", WithBytes(ml_kem, ml_dsa_44), 400, "invalid_key"},
      {"ml_kem_768 random bytes", WithBytes(ml_kem, RandomData(ml_kem_key.size())), 400,
       "invalid_key"},
      // The proof covers the ML-KEM key, so leaving it out breaks the proof.
      {"ml_kem_768 left out", Without(ml_kem), 400, "pop_signature_invalid"},
      // X25519 key.
      {"x25519 small order point", WithBytes(x25519, zero_point), 400, "invalid_key"},
      {"x25519 is Ed25519", WithBytes(x25519, ed25519), 400, "invalid_key"},
      {"x25519 truncated", WithBytes(x25519, Truncated(x25519_key, 40)), 400, "invalid_key"},
      {"x25519 is X448", WithBytes(x25519, x448), 400, "field_too_long"},
      {"x25519 missing", Without(x25519), 400, "missing_field"},
      {"x25519 of another device", WithBytes(x25519, other.x25519), 400, "pop_signature_invalid"},
      {"public_keys unknown member", With({"public_keys"}, [&] {
         boost::json::object keys = base_.at("public_keys").as_object();
         keys["rsa_2048"] = "AAAA";
         return boost::json::value(std::move(keys));
       }()),
       400, "unknown_field"},
      {"public_keys array", With({"public_keys"}, boost::json::array{}), 400,
       "invalid_field_type"},
      {"public_keys missing", Without({"public_keys"}), 400, "missing_field"},
      // Proofs of possession.
      {"ml_dsa_65 signature one byte short",
       WithBytes(ml_dsa_signature, Truncated(ml_dsa_proof, ml_dsa_proof.size() - 1)), 400,
       "pop_signature_invalid"},
      {"ml_dsa_65 signature half", WithBytes(ml_dsa_signature, Truncated(ml_dsa_proof, 1654)),
       400, "pop_signature_invalid"},
      {"ml_dsa_65 signature empty", WithBytes(ml_dsa_signature, Bytes()), 400,
       "pop_signature_invalid"},
      {"ml_dsa_65 signature first bit flipped", WithBytes(ml_dsa_signature, FlipBit(ml_dsa_proof, 0)),
       400, "pop_signature_invalid"},
      {"ml_dsa_65 signature middle bit flipped",
       WithBytes(ml_dsa_signature, FlipBit(ml_dsa_proof, ml_dsa_proof.size() / 2)), 400,
       "pop_signature_invalid"},
      {"ml_dsa_65 signature last bit flipped",
       WithBytes(ml_dsa_signature, FlipBit(ml_dsa_proof, ml_dsa_proof.size() - 1)), 400,
       "pop_signature_invalid"},
      {"ml_dsa_65 signature all zero", WithBytes(ml_dsa_signature, Bytes(ml_dsa_proof.size(), 0)),
       400, "pop_signature_invalid"},
      {"ml_dsa_65 signature one byte over the limit",
       WithBytes(ml_dsa_signature, Appended(ml_dsa_proof, 1)), 400, "field_too_long"},
      {"ml_dsa_65 signature of another device",
       WithBytes(ml_dsa_signature, other_request_->signatures.ml_dsa), 400,
       "pop_signature_invalid"},
      {"ecdsa_p256 signature bit flipped",
       WithBytes(ecdsa_signature, FlipBit(ecdsa_proof, ecdsa_proof.size() - 1)), 400,
       "pop_signature_invalid"},
      {"ecdsa_p256 signature truncated", WithBytes(ecdsa_signature, Truncated(ecdsa_proof, 20)),
       400, "pop_signature_invalid"},
      {"ecdsa_p256 signature random bytes", WithBytes(ecdsa_signature, RandomData(70)), 400,
       "pop_signature_invalid"},
      {"ecdsa_p256 signature over 72 bytes", WithBytes(ecdsa_signature, RandomData(73)), 400,
       "field_too_long"},
      {"ecdsa_p256 signature of another device",
       WithBytes(ecdsa_signature, other_request_->signatures.ecdsa), 400,
       "pop_signature_invalid"},
      {"signatures swapped", [&] {
         boost::json::object copy = base_;
         copy["signatures"] = boost::json::object{{"ml_dsa_65", BaseText(ecdsa_signature)},
                                                  {"ecdsa_p256", BaseText(ml_dsa_signature)}};
         return boost::json::serialize(copy);
       }(),
       400, "field_too_long"},
      {"ecdsa_p256 signature missing", Without(ecdsa_signature), 400, "missing_field"},
      {"signatures unknown member", With({"signatures"}, [&] {
         boost::json::object signatures = base_.at("signatures").as_object();
         signatures["ed25519"] = "AAAA";
         return boost::json::value(std::move(signatures));
       }()),
       400, "unknown_field"},
      // Fields the proof covers.
      {"user_id of another user", With({"user_id"}, boost::json::value("alice")), 400,
       "pop_signature_invalid"},
      {"fingerprint attribute changed", With({"fingerprint", "screen_width"},
                                             boost::json::value("1280")),
       400, "pop_signature_invalid"},
      // Fingerprints.
      {"fingerprint of a headless browser",
       With({"fingerprint", "user_agent"},
            boost::json::value("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/126.0.0.0")),
       400, "headless_browser"},
      {"fingerprint string", With({"fingerprint"}, boost::json::value("laptop")), 400,
       "fingerprint_invalid"},
      {"fingerprint empty", With({"fingerprint"}, boost::json::object{}), 400,
       "fingerprint_invalid"},
      {"fingerprint 33 attributes", With({"fingerprint"}, [] {
         boost::json::object attributes;
         for (int i = 0; i < 33; ++i) attributes["a" + std::to_string(i)] = "x";
         return boost::json::value(std::move(attributes));
       }()),
       400, "fingerprint_invalid"},
      {"fingerprint value 513 bytes",
       With({"fingerprint", "platform"}, boost::json::value(Repeated(513, 'x'))), 400,
       "fingerprint_invalid"},
      {"fingerprint value control character",
       With({"fingerprint", "platform"}, boost::json::value("Linux\x1b[31m")), 400,
       "fingerprint_invalid"},
      {"fingerprint value 1e400", [&] {
         std::string text = With({"fingerprint", "platform"}, boost::json::value(0));
         const std::size_t at = text.find("\"platform\":0");
         return text.replace(at, 12, "\"platform\":1e400");
       }(),
       400, "invalid_json"},
      {"fingerprint value object",
       With({"fingerprint", "platform"}, boost::json::object{{"os", "Linux"}}), 400,
       "fingerprint_invalid"},
      {"fingerprint value null", With({"fingerprint", "platform"}, boost::json::value(nullptr)),
       400, "fingerprint_invalid"},
      {"fingerprint name upper case", [&] {
         boost::json::object copy = base_;
         copy["fingerprint"].as_object()["Platform"] = "Linux";
         return boost::json::serialize(copy);
       }(),
       400, "fingerprint_invalid"},
      {"fingerprint missing", Without({"fingerprint"}), 400, "missing_field"},
      // The whole body.
      {"user_id control character", With({"user_id"}, boost::json::value("mal\tlory")), 400,
       "invalid_user_id"},
      {"user_id 65 characters", With({"user_id"}, boost::json::value(Repeated(65, 'm'))), 400,
       "invalid_user_id"},
      {"unknown top-level member", [&] {
         boost::json::object copy = base_;
         copy["status"] = "trusted";
         return boost::json::serialize(copy);
       }(),
       400, "unknown_field"},
      {"duplicate nonce", "{\"nonce\":\"" + nonce_text + "\"," + body.substr(1), 400,
       "duplicate_field"},
      {"truncated body", body.substr(0, body.size() / 2), 400, "invalid_json"},
      {"body with trailing data", body + "]", 400, "invalid_json"},
  };
  ExpectRejected("/v1/devices", cases);

  // No registration was stored, and the nonce of all of them is unused, so
  // the unaltered request registers once and only once.
  EXPECT_TRUE(DeviceIdsOf(kUser).empty());
  const client::HttpResponse registered = Post("/v1/devices", body);
  ASSERT_EQ(registered.status, 201u) << registered.body;
  const client::HttpResponse again = Post("/v1/devices", body);
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(ErrorCodeOf(again.body), "nonce_reused") << again.body;
  const std::vector<std::string> devices = DeviceIdsOf(kUser);
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0], boost::json::parse(registered.body).at("device_id").as_string());

  ExpectServerStillServes();
}

// A correctly signed registration over a nonce the server did not issue for
// it: never issued, issued for another user, or issued for a login.
TEST_F(RegistrationBodyTest, ForeignNoncesAreRejected) {
  const auto register_with = [&](ByteView nonce) {
    Result<client::RegistrationRequest> request =
        SignRegistration(*keys_, kUser, nonce, LaptopFingerprint());
    EXPECT_TRUE(request.has_value());
    return Post("/v1/devices", client::EncodeRegistrationRequest(*request));
  };

  const client::HttpResponse unknown = register_with(RandomData(32));
  EXPECT_EQ(unknown.status, 409u) << unknown.body;
  EXPECT_EQ(ErrorCodeOf(unknown.body), "nonce_unknown") << unknown.body;

  Result<client::Challenge> for_alice = client_->CreateRegistrationChallenge("alice");
  ASSERT_TRUE(for_alice.has_value()) << for_alice.error().ToString();
  const client::HttpResponse other_user = register_with(for_alice->nonce);
  EXPECT_EQ(other_user.status, 409u) << other_user.body;
  EXPECT_EQ(ErrorCodeOf(other_user.body), "nonce_mismatch") << other_user.body;

  Result<EnrolledDevice> device = EnrollTrustedDevice(*client_, harness_->receiver(), kUser);
  ASSERT_TRUE(device.has_value()) << device.error().ToString();
  Result<client::Challenge> login = client_->CreateLoginChallenge(kUser, device->device_id);
  ASSERT_TRUE(login.has_value()) << login.error().ToString();
  const client::HttpResponse login_nonce = register_with(login->nonce);
  EXPECT_EQ(login_nonce.status, 409u) << login_nonce.body;
  EXPECT_EQ(ErrorCodeOf(login_nonce.body), "nonce_mismatch") << login_nonce.body;

  // Only the device enrolled above exists, and the base request's own nonce
  // still registers.
  EXPECT_EQ(DeviceIdsOf(kUser), std::vector<std::string>{device->device_id});
  const client::HttpResponse registered =
      Post("/v1/devices", client::EncodeRegistrationRequest(*request_));
  EXPECT_EQ(registered.status, 201u) << registered.body;
  EXPECT_EQ(DeviceIdsOf(kUser).size(), 2u);

  // The nonce issued for alice was not consumed by the mismatch either.
  Result<client::DeviceKeys> alice_keys = client::GenerateDeviceKeys();
  ASSERT_TRUE(alice_keys.has_value());
  Result<client::RegistrationRequest> alice =
      SignRegistration(*alice_keys, "alice", for_alice->nonce, LaptopFingerprint());
  ASSERT_TRUE(alice.has_value());
  const client::HttpResponse alice_registered =
      Post("/v1/devices", client::EncodeRegistrationRequest(*alice));
  EXPECT_EQ(alice_registered.status, 201u) << alice_registered.body;

  ExpectServerStillServes();
}

}  // namespace
}  // namespace devtrust::hardening
