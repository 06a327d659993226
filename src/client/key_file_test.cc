#include "client/key_file.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "client/device_keys.h"
#include "client/test_util.h"
#include "pki/device_identity.h"

namespace devtrust::client {
namespace {

using testing::FileMode;
using testing::ReadText;
using testing::ScratchDirectory;
using testing::TestCa;
using testing::WriteText;

constexpr std::string_view kDeviceId = "dev_abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kOtherDeviceId = "dev_zyxwvutsrqponmlkjihgfedcba";

KeyFile NewKeyFile(MlKemChoice ml_kem = MlKemChoice::kInclude) {
  Result<DeviceKeys> keys = GenerateDeviceKeys(ml_kem);
  EXPECT_TRUE(keys.has_value()) << keys.error().ToString();
  return KeyFile{.user_id = "alice", .keys = std::move(*keys), .enrollment = {}};
}

// Issues real device certificates for the key file's keys and records an
// enrollment with a pending registration challenge.
void Enroll(KeyFile& key_file, TestCa& ca, std::string_view device_id = kDeviceId) {
  Result<pki::DeviceCertificates> certificates = ca.authority().IssueDeviceCertificates(
      {.device_id = std::string(device_id), .user_id = key_file.user_id},
      key_file.keys.ml_dsa.GetPublicKey(), key_file.keys.ecdsa.GetPublicKey(),
      std::chrono::system_clock::now());
  ASSERT_TRUE(certificates.has_value()) << certificates.error().ToString();
  key_file.enrollment = Enrollment{
      .server_url = "https://127.0.0.1:8443",
      .ca_file = ca.ca_file().string(),
      .device_id = std::string(device_id),
      .status = "pending",
      .ml_dsa_certificate = certificates->ml_dsa,
      .ecdsa_certificate = certificates->ecdsa,
      .pending_challenge = PendingChallenge{
          .challenge_id = "chl_123", .kind = "registration", .expires_at = "2030-01-01T00:00:00Z"}};
}

std::string Text(const crypto::SecretBytes& bytes) { return std::string(bytes.AsStringView()); }

Result<KeyFile> ParseText(const std::string& text) {
  return ParseKeyFile(AsBytes(text), "test.json");
}

// Replaces the first occurrence of `from` in `text`.
std::string Replace(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) {
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST(KeyFile, RoundTripsKeysBeforeEnrollment) {
  const KeyFile original = NewKeyFile();
  Result<crypto::SecretBytes> text = SerializeKeyFile(original);
  ASSERT_TRUE(text.has_value()) << text.error().ToString();

  Result<KeyFile> parsed = ParseKeyFile(text->view(), "test.json");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->user_id, "alice");
  EXPECT_FALSE(parsed->enrollment.has_value());
  const DevicePublicKeys expected = PublicKeysOf(original.keys);
  const DevicePublicKeys actual = PublicKeysOf(parsed->keys);
  EXPECT_EQ(actual.ml_dsa, expected.ml_dsa);
  EXPECT_EQ(actual.ecdsa, expected.ecdsa);
  EXPECT_EQ(actual.ml_kem, expected.ml_kem);
  EXPECT_EQ(actual.x25519, expected.x25519);
}

TEST(KeyFile, StoresSeedOnlyPkcs8Pem) {
  Result<crypto::SecretBytes> text = SerializeKeyFile(NewKeyFile());
  ASSERT_TRUE(text.has_value());
  EXPECT_NE(Text(*text).find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  // A seed-only ML-DSA-65 PKCS#8 key is 54 bytes of DER, 72 characters of
  // base64, where the expanded form would take over 5 KB.
  EXPECT_LT(text->size(), 4000u);
  EXPECT_EQ(Text(*text).back(), '\n');
}

TEST(KeyFile, RoundTripsWithoutMlKem) {
  Result<crypto::SecretBytes> text = SerializeKeyFile(NewKeyFile(MlKemChoice::kOmit));
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(Text(*text).find("ml_kem_768"), std::string::npos);
  Result<KeyFile> parsed = ParseKeyFile(text->view(), "test.json");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_FALSE(parsed->keys.ml_kem.has_value());
}

TEST(KeyFile, RoundTripsEnrollment) {
  Result<std::unique_ptr<TestCa>> ca = TestCa::Create();
  ASSERT_TRUE(ca.has_value()) << ca.error().ToString();
  KeyFile original = NewKeyFile();
  Enroll(original, **ca);

  Result<crypto::SecretBytes> text = SerializeKeyFile(original);
  ASSERT_TRUE(text.has_value());
  Result<KeyFile> parsed = ParseKeyFile(text->view(), "test.json");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  ASSERT_TRUE(parsed->enrollment.has_value());
  const Enrollment& enrollment = *parsed->enrollment;
  EXPECT_EQ(enrollment.device_id, kDeviceId);
  EXPECT_EQ(enrollment.server_url, "https://127.0.0.1:8443");
  EXPECT_EQ(enrollment.ca_file, (*ca)->ca_file().string());
  EXPECT_EQ(enrollment.status, "pending");
  EXPECT_EQ(enrollment.ml_dsa_certificate.ToDer(), original.enrollment->ml_dsa_certificate.ToDer());
  EXPECT_EQ(enrollment.ecdsa_certificate.ToDer(), original.enrollment->ecdsa_certificate.ToDer());
  ASSERT_TRUE(enrollment.pending_challenge.has_value());
  EXPECT_EQ(enrollment.pending_challenge->challenge_id, "chl_123");
  EXPECT_EQ(enrollment.pending_challenge->kind, "registration");
}

TEST(KeyFile, SaveWritesMode0600) {
  ScratchDirectory directory;
  const auto path = directory.path() / "device.json";
  ASSERT_TRUE(SaveKeyFile(path, NewKeyFile(), KeyFileWrite::kCreateNew).has_value());
  EXPECT_EQ(FileMode(path), 0600u);

  Result<KeyFile> loaded = LoadKeyFile(path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(loaded->user_id, "alice");
}

TEST(KeyFile, SaveCreatesPrivateParentDirectory) {
  ScratchDirectory directory;
  const auto path = directory.path() / "config" / "devtrust" / "device.json";
  ASSERT_TRUE(SaveKeyFile(path, NewKeyFile(), KeyFileWrite::kCreateNew).has_value());
  EXPECT_EQ(FileMode(path.parent_path()), 0700u);
  EXPECT_EQ(FileMode(path), 0600u);
}

TEST(KeyFile, CreateNewKeepsExistingFile) {
  ScratchDirectory directory;
  const auto path = directory.path() / "device.json";
  ASSERT_TRUE(SaveKeyFile(path, NewKeyFile(), KeyFileWrite::kCreateNew).has_value());
  const std::string before = ReadText(path);

  Status second = SaveKeyFile(path, NewKeyFile(), KeyFileWrite::kCreateNew);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().reason(), "key_file_exists");
  EXPECT_EQ(ReadText(path), before);
}

TEST(KeyFile, ReplaceExistingUpdatesFileAndKeepsMode) {
  Result<std::unique_ptr<TestCa>> ca = TestCa::Create();
  ASSERT_TRUE(ca.has_value());
  ScratchDirectory directory;
  const auto path = directory.path() / "device.json";
  KeyFile key_file = NewKeyFile();
  ASSERT_TRUE(SaveKeyFile(path, key_file, KeyFileWrite::kCreateNew).has_value());

  Enroll(key_file, **ca);
  ASSERT_TRUE(SaveKeyFile(path, key_file, KeyFileWrite::kReplaceExisting).has_value());
  EXPECT_EQ(FileMode(path), 0600u);
  Result<KeyFile> loaded = LoadKeyFile(path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_TRUE(loaded->enrollment.has_value());
}

TEST(KeyFile, LoadRejectsGroupReadableFile) {
  ScratchDirectory directory;
  const auto path = directory.path() / "device.json";
  ASSERT_TRUE(SaveKeyFile(path, NewKeyFile(), KeyFileWrite::kCreateNew).has_value());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);

  Result<KeyFile> loaded = LoadKeyFile(path);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().reason(), "key_file_permissions");
  EXPECT_NE(loaded.error().message().find("chmod 600"), std::string::npos)
      << loaded.error().message();
  EXPECT_NE(loaded.error().message().find(path.string()), std::string::npos);
}

TEST(KeyFile, LoadRejectsOtherWritableFile) {
  ScratchDirectory directory;
  const auto path = directory.path() / "device.json";
  ASSERT_TRUE(SaveKeyFile(path, NewKeyFile(), KeyFileWrite::kCreateNew).has_value());
  ASSERT_EQ(::chmod(path.c_str(), 0602), 0);

  Result<KeyFile> loaded = LoadKeyFile(path);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().reason(), "key_file_permissions");
}

TEST(KeyFile, LoadReportsMissingFile) {
  ScratchDirectory directory;
  Result<KeyFile> loaded = LoadKeyFile(directory.path() / "absent.json");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().reason(), "file_not_found");
}

TEST(KeyFile, SecretsStayOutOfErrors) {
  Result<crypto::SecretBytes> text = SerializeKeyFile(NewKeyFile());
  ASSERT_TRUE(text.has_value());
  const std::string tampered = Replace(Text(*text), "\"format\"", "\"formats\"");

  Result<KeyFile> parsed = ParseText(tampered);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message().find("PRIVATE KEY"), std::string::npos);
}

// Tampering: each case changes one thing in a valid enrolled key file.
class KeyFileTamperTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::unique_ptr<TestCa>> ca = TestCa::Create();
    ASSERT_TRUE(ca.has_value()) << ca.error().ToString();
    ca_ = ca->release();
  }
  static void TearDownTestSuite() {
    delete ca_;
    ca_ = nullptr;
  }

  void SetUp() override {
    key_file_ = NewKeyFile();
    Enroll(key_file_, *ca_);
    Result<crypto::SecretBytes> text = SerializeKeyFile(key_file_);
    ASSERT_TRUE(text.has_value());
    text_ = Text(*text);
  }

  void ExpectInvalid(const std::string& tampered, std::string_view message_part) {
    Result<KeyFile> parsed = ParseText(tampered);
    ASSERT_FALSE(parsed.has_value()) << "accepted a key file changed at " << message_part;
    EXPECT_EQ(parsed.error().reason(), "key_file_invalid");
    EXPECT_EQ(parsed.error().code(), StatusCode::kDataLoss);
    EXPECT_NE(parsed.error().message().find(message_part), std::string::npos)
        << parsed.error().message();
  }

  static TestCa* ca_;
  KeyFile key_file_ = NewKeyFile();
  std::string text_;
};

TestCa* KeyFileTamperTest::ca_ = nullptr;

TEST_F(KeyFileTamperTest, UntouchedFileParses) { EXPECT_TRUE(ParseText(text_).has_value()); }

TEST_F(KeyFileTamperTest, TruncatedText) {
  ExpectInvalid(text_.substr(0, text_.size() / 2), "not valid JSON");
}

TEST_F(KeyFileTamperTest, ChangedFormat) {
  ExpectInvalid(Replace(text_, "devtrust-device-key-file/1", "devtrust-device-key-file/2"),
                "format");
}

TEST_F(KeyFileTamperTest, UnknownField) {
  ExpectInvalid(Replace(text_, "\"user_id\"", "\"extra\":1,\"user_id\""), "unknown field");
}

TEST_F(KeyFileTamperTest, ChangedUserId) {
  ExpectInvalid(Replace(text_, "\"user_id\":\"alice\"", "\"user_id\":\"mallory\""),
                "names another device or user");
}

TEST_F(KeyFileTamperTest, ChangedDeviceId) {
  ExpectInvalid(Replace(text_, kDeviceId, kOtherDeviceId), "names another device or user");
}

TEST_F(KeyFileTamperTest, ChangedPublicKeyDigest) {
  const std::size_t at = text_.find("\"public_key_digest\":\"") + 21;
  std::string tampered = text_;
  tampered[at] = tampered[at] == '0' ? '1' : '0';
  ExpectInvalid(tampered, "public_key_digest");
}

TEST_F(KeyFileTamperTest, SwappedPrivateKey) {
  // Another valid X25519 key in place of the device's: it parses, but the
  // digest over the public keys no longer matches.
  const KeyFile other = NewKeyFile();
  Result<crypto::SecretBytes> own_pem = key_file_.keys.x25519.ToPem();
  Result<crypto::SecretBytes> other_pem = other.keys.x25519.ToPem();
  ASSERT_TRUE(own_pem.has_value());
  ASSERT_TRUE(other_pem.has_value());
  std::string own = Text(*own_pem);
  std::string replacement = Text(*other_pem);
  // The file stores newlines as \n escapes.
  for (std::string* pem : {&own, &replacement}) {
    std::string escaped;
    for (char c : *pem) {
      escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
    }
    *pem = escaped;
  }
  ExpectInvalid(Replace(text_, own, replacement), "public_key_digest");
}

TEST_F(KeyFileTamperTest, CorruptedPrivateKeyBlock) {
  const std::size_t block = text_.find("\"ml_dsa_65\":\"-----BEGIN PRIVATE KEY-----\\n");
  ASSERT_NE(block, std::string::npos);
  std::string tampered = text_;
  // A character inside the base64 of the DER, which breaks its structure.
  const std::size_t at = block + 46;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  Result<KeyFile> parsed = ParseText(tampered);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().reason(), "key_file_invalid");
}

TEST_F(KeyFileTamperTest, MissingPrivateKey) {
  const std::size_t start = text_.find("\"x25519\":\"");
  const std::size_t end = text_.find('"', start + 10);
  ASSERT_NE(start, std::string::npos);
  std::string tampered = text_;
  tampered.erase(start, end - start + 2);  // the member and the comma after it
  ExpectInvalid(tampered, "x25519");
}

TEST_F(KeyFileTamperTest, CertificateOfAnotherDevice) {
  KeyFile other = NewKeyFile();
  Enroll(other, *ca_);
  Result<crypto::SecretBytes> other_text = SerializeKeyFile(other);
  ASSERT_TRUE(other_text.has_value());
  const std::string own_certificate =
      text_.substr(text_.find("\"certificates\""),
                   text_.find("\"pending_challenge\"") - text_.find("\"certificates\""));
  const std::string other_all = Text(*other_text);
  const std::string other_certificate =
      other_all.substr(other_all.find("\"certificates\""), other_all.find("\"pending_challenge\"") -
                                                               other_all.find("\"certificates\""));
  ExpectInvalid(Replace(text_, own_certificate, other_certificate), "certifies another key");
}

TEST_F(KeyFileTamperTest, InvalidStatus) {
  ExpectInvalid(Replace(text_, "\"status\":\"pending\"", "\"status\":\"approved\""), "status");
}

TEST_F(KeyFileTamperTest, NonHttpsServerUrl) {
  ExpectInvalid(Replace(text_, "https://127.0.0.1:8443", "http://127.0.0.1:8443"), "server_url");
}

TEST(KeyFileDefaultPath, UsesXdgConfigHome) {
  ::setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
  Result<std::filesystem::path> path = DefaultKeyFilePath();
  ::unsetenv("XDG_CONFIG_HOME");
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path->string(), "/tmp/xdg-test/devtrust/device-key.json");
}

}  // namespace
}  // namespace devtrust::client
