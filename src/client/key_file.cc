#include "client/key_file.h"

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <initializer_list>
#include <utility>

#include "base/encoding.h"
#include "client/identifiers.h"
#include "client/internal/secret_json.h"
#include "client/server_url.h"
#include "crypto/hash.h"
#include "pki/device_identity.h"
#include "pki/secure_file.h"

namespace devtrust::client {
namespace {

namespace json = boost::json;

// Room for four PEM private keys, two certificates and the metadata, with
// a wide margin: an ML-DSA-65 certificate in PEM is about 7.5 KB.
constexpr std::size_t kSerializeArenaSize = 256 * 1024;

constexpr std::string_view kMlDsaName = "ml_dsa_65";
constexpr std::string_view kEcdsaName = "ecdsa_p256";
constexpr std::string_view kMlKemName = "ml_kem_768";
constexpr std::string_view kX25519Name = "x25519";

std::unexpected<Error> Invalid(std::string_view source, std::string_view problem) {
  return MakeError(StatusCode::kDataLoss, "key_file_invalid",
                   "key file " + std::string(source) + ": " + std::string(problem) +
                       "; restore it from a backup, or enroll again with a new key file");
}

void AppendLengthPrefixed(Bytes& out, ByteView value) {
  const auto size = static_cast<std::uint32_t>(value.size());
  out.push_back(static_cast<std::uint8_t>(size >> 24));
  out.push_back(static_cast<std::uint8_t>(size >> 16));
  out.push_back(static_cast<std::uint8_t>(size >> 8));
  out.push_back(static_cast<std::uint8_t>(size));
  out.insert(out.end(), value.begin(), value.end());
}

std::string PublicKeyDigestHex(const DeviceKeys& keys) {
  const DevicePublicKeys public_keys = PublicKeysOf(keys);
  Bytes input;
  AppendLengthPrefixed(input, public_keys.ml_dsa);
  AppendLengthPrefixed(input, public_keys.ecdsa);
  AppendLengthPrefixed(input, public_keys.ml_kem);
  AppendLengthPrefixed(input, public_keys.x25519);
  return HexEncode(crypto::Sha256(input));
}

// Fails on any member of `object` not named in `allowed`, so that a typo or
// an edit that adds a field is noticed rather than ignored.
Status CheckMembers(const json::object& object, std::initializer_list<std::string_view> allowed,
                    std::string_view where, std::string_view source) {
  for (const auto& member : object) {
    bool known = false;
    for (std::string_view name : allowed) {
      known = known || member.key() == name;
    }
    if (!known) {
      return Invalid(
          source, "unknown field \"" + std::string(member.key()) + "\" in " + std::string(where));
    }
  }
  return {};
}

Result<std::string_view> RequiredString(const json::object& object, std::string_view name,
                                        std::string_view where, std::string_view source) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) {
    return Invalid(source, std::string(where) + " has no \"" + std::string(name) + "\"");
  }
  if (!value->is_string()) {
    return Invalid(source,
                   std::string(where) + " field \"" + std::string(name) + "\" is not a string");
  }
  return std::string_view(value->get_string());
}

Result<const json::object*> RequiredObject(const json::object& object, std::string_view name,
                                           std::string_view where, std::string_view source) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_object()) {
    return Invalid(source, std::string(where) + " has no object \"" + std::string(name) + "\"");
  }
  return &value->get_object();
}

Result<crypto::PrivateKey> ParsePrivateKey(const json::object& keys, std::string_view name,
                                           crypto::KeyAlgorithm algorithm,
                                           std::string_view source) {
  Result<std::string_view> pem = RequiredString(keys, name, "private_keys", source);
  if (!pem) {
    return std::unexpected(pem.error());
  }
  Result<crypto::PrivateKey> key = crypto::PrivateKey::FromPem(*pem, algorithm);
  if (!key) {
    return Invalid(source, "private key \"" + std::string(name) + "\" is not a valid " +
                               std::string(crypto::KeyAlgorithmName(algorithm)) + " PKCS#8 key (" +
                               key.error().reason() + ")");
  }
  return key;
}

Result<DeviceKeys> ParsePrivateKeys(const json::object& keys, std::string_view source) {
  if (Status checked = CheckMembers(keys, {kMlDsaName, kEcdsaName, kMlKemName, kX25519Name},
                                    "private_keys", source);
      !checked) {
    return std::unexpected(checked.error());
  }
  Result<crypto::PrivateKey> ml_dsa =
      ParsePrivateKey(keys, kMlDsaName, crypto::KeyAlgorithm::kMlDsa65, source);
  if (!ml_dsa) {
    return std::unexpected(ml_dsa.error());
  }
  Result<crypto::PrivateKey> ecdsa =
      ParsePrivateKey(keys, kEcdsaName, crypto::KeyAlgorithm::kEcdsaP256, source);
  if (!ecdsa) {
    return std::unexpected(ecdsa.error());
  }
  Result<crypto::PrivateKey> x25519 =
      ParsePrivateKey(keys, kX25519Name, crypto::KeyAlgorithm::kX25519, source);
  if (!x25519) {
    return std::unexpected(x25519.error());
  }
  std::optional<crypto::PrivateKey> ml_kem;
  if (keys.contains(kMlKemName)) {
    Result<crypto::PrivateKey> parsed =
        ParsePrivateKey(keys, kMlKemName, crypto::KeyAlgorithm::kMlKem768, source);
    if (!parsed) {
      return std::unexpected(parsed.error());
    }
    ml_kem = std::move(*parsed);
  }
  return DeviceKeys{.ml_dsa = std::move(*ml_dsa),
                    .ecdsa = std::move(*ecdsa),
                    .ml_kem = std::move(ml_kem),
                    .x25519 = std::move(*x25519)};
}

Result<crypto::Certificate> ParseCertificate(const json::object& certificates,
                                             std::string_view name, const crypto::PrivateKey& key,
                                             std::string_view source) {
  Result<std::string_view> pem = RequiredString(certificates, name, "certificates", source);
  if (!pem) {
    return std::unexpected(pem.error());
  }
  Result<crypto::Certificate> certificate = crypto::Certificate::FromPem(*pem);
  if (!certificate) {
    return Invalid(source, "certificate \"" + std::string(name) + "\" does not parse (" +
                               certificate.error().reason() + ")");
  }
  Result<crypto::PublicKey> certified = certificate->public_key();
  if (!certified || certified->ToSpkiDer() != key.GetPublicKey().ToSpkiDer()) {
    return Invalid(source, "certificate \"" + std::string(name) +
                               "\" certifies another key than the private key of the same name");
  }
  return certificate;
}

Result<PendingChallenge> ParsePendingChallenge(const json::object& object,
                                               std::string_view source) {
  constexpr std::string_view kWhere = "pending_challenge";
  if (Status checked = CheckMembers(object, {"challenge_id", "kind", "expires_at"}, kWhere, source);
      !checked) {
    return std::unexpected(checked.error());
  }
  PendingChallenge challenge;
  for (auto [name, field] :
       {std::pair{"challenge_id", &challenge.challenge_id}, std::pair{"kind", &challenge.kind},
        std::pair{"expires_at", &challenge.expires_at}}) {
    Result<std::string_view> value = RequiredString(object, name, kWhere, source);
    if (!value) {
      return std::unexpected(value.error());
    }
    *field = std::string(*value);
  }
  return challenge;
}

Result<Enrollment> ParseEnrollment(const json::object& object, const KeyFile& key_file,
                                   std::string_view source) {
  constexpr std::string_view kWhere = "enrollment";
  if (Status checked = CheckMembers(
          object,
          {"server_url", "ca_file", "device_id", "status", "certificates", "pending_challenge"},
          kWhere, source);
      !checked) {
    return std::unexpected(checked.error());
  }

  Result<std::string_view> server_url = RequiredString(object, "server_url", kWhere, source);
  if (!server_url) {
    return std::unexpected(server_url.error());
  }
  if (!ParseServerUrl(*server_url)) {
    return Invalid(source, "enrollment server_url is not an https URL");
  }
  Result<std::string_view> ca_file = RequiredString(object, "ca_file", kWhere, source);
  if (!ca_file) {
    return std::unexpected(ca_file.error());
  }
  Result<std::string_view> device_id = RequiredString(object, "device_id", kWhere, source);
  if (!device_id) {
    return std::unexpected(device_id.error());
  }
  if (!ValidateDeviceId(*device_id)) {
    return Invalid(source, "enrollment device_id is not a devtrust device id");
  }
  Result<std::string_view> status = RequiredString(object, "status", kWhere, source);
  if (!status) {
    return std::unexpected(status.error());
  }
  if (*status != "pending" && *status != "trusted" && *status != "revoked") {
    return Invalid(source, "enrollment status must be pending, trusted or revoked");
  }

  Result<const json::object*> certificates = RequiredObject(object, "certificates", kWhere, source);
  if (!certificates) {
    return std::unexpected(certificates.error());
  }
  if (Status checked =
          CheckMembers(**certificates, {kMlDsaName, kEcdsaName}, "certificates", source);
      !checked) {
    return std::unexpected(checked.error());
  }
  Result<crypto::Certificate> ml_dsa_certificate =
      ParseCertificate(**certificates, kMlDsaName, key_file.keys.ml_dsa, source);
  if (!ml_dsa_certificate) {
    return std::unexpected(ml_dsa_certificate.error());
  }
  Result<crypto::Certificate> ecdsa_certificate =
      ParseCertificate(**certificates, kEcdsaName, key_file.keys.ecdsa, source);
  if (!ecdsa_certificate) {
    return std::unexpected(ecdsa_certificate.error());
  }
  const pki::DeviceIdentity expected{.device_id = std::string(*device_id),
                                     .user_id = key_file.user_id};
  for (const crypto::Certificate* certificate : {&*ml_dsa_certificate, &*ecdsa_certificate}) {
    Result<pki::DeviceIdentity> identity = pki::DeviceIdentityFromCertificate(*certificate);
    if (!identity || *identity != expected) {
      return Invalid(source,
                     "a certificate names another device or user than the enrollment and "
                     "user_id fields");
    }
  }

  std::optional<PendingChallenge> pending;
  if (const json::value* value = object.if_contains("pending_challenge"); value != nullptr) {
    if (!value->is_object()) {
      return Invalid(source, "enrollment pending_challenge is not an object");
    }
    Result<PendingChallenge> parsed = ParsePendingChallenge(value->get_object(), source);
    if (!parsed) {
      return std::unexpected(parsed.error());
    }
    pending = std::move(*parsed);
  }

  return Enrollment{.server_url = std::string(*server_url),
                    .ca_file = std::string(*ca_file),
                    .device_id = std::string(*device_id),
                    .status = std::string(*status),
                    .ml_dsa_certificate = std::move(*ml_dsa_certificate),
                    .ecdsa_certificate = std::move(*ecdsa_certificate),
                    .pending_challenge = std::move(pending)};
}

// Adds the PEM of `key` to `keys` under `name`.
Status AddPrivateKey(json::object& keys, std::string_view name, const crypto::PrivateKey& key,
                     const json::storage_ptr& storage) {
  Result<crypto::SecretBytes> pem = key.ToPem();
  if (!pem) {
    return std::unexpected(pem.error());
  }
  keys.emplace(name, json::string(pem->AsStringView(), storage));
  return {};
}

Result<json::object> EnrollmentToJson(const Enrollment& enrollment,
                                      const json::storage_ptr& storage) {
  json::object object(storage);
  object["server_url"] = enrollment.server_url;
  object["ca_file"] = enrollment.ca_file;
  object["device_id"] = enrollment.device_id;
  object["status"] = enrollment.status;
  json::object certificates(storage);
  certificates[kMlDsaName] = enrollment.ml_dsa_certificate.ToPem();
  certificates[kEcdsaName] = enrollment.ecdsa_certificate.ToPem();
  object["certificates"] = std::move(certificates);
  if (enrollment.pending_challenge) {
    json::object pending(storage);
    pending["challenge_id"] = enrollment.pending_challenge->challenge_id;
    pending["kind"] = enrollment.pending_challenge->kind;
    pending["expires_at"] = enrollment.pending_challenge->expires_at;
    object["pending_challenge"] = std::move(pending);
  }
  return object;
}

}  // namespace

Result<crypto::SecretBytes> SerializeKeyFile(const KeyFile& key_file) {
  internal::SecretJsonArena arena(kSerializeArenaSize);
  const json::storage_ptr storage = arena.storage();
  try {
    json::object root(storage);
    root["format"] = kKeyFileFormat;
    root["user_id"] = key_file.user_id;

    json::object keys(storage);
    const DeviceKeys& device_keys = key_file.keys;
    for (const auto& [name, key] :
         {std::pair{kMlDsaName, &device_keys.ml_dsa}, std::pair{kEcdsaName, &device_keys.ecdsa},
          std::pair{kX25519Name, &device_keys.x25519}}) {
      if (Status added = AddPrivateKey(keys, name, *key, storage); !added) {
        return std::unexpected(added.error());
      }
    }
    if (device_keys.ml_kem) {
      if (Status added = AddPrivateKey(keys, kMlKemName, *device_keys.ml_kem, storage); !added) {
        return std::unexpected(added.error());
      }
    }
    root["private_keys"] = std::move(keys);
    root["public_key_digest"] = PublicKeyDigestHex(device_keys);

    if (key_file.enrollment) {
      Result<json::object> enrollment = EnrollmentToJson(*key_file.enrollment, storage);
      if (!enrollment) {
        return std::unexpected(enrollment.error());
      }
      root["enrollment"] = std::move(*enrollment);
    }

    crypto::SecretBytes text = internal::SerializeToSecretBytes(json::value(std::move(root)));
    // End with a newline, as text files do.
    crypto::SecretBytes with_newline(text.size() + 1);
    std::copy(text.view().begin(), text.view().end(), with_newline.data());
    with_newline.data()[text.size()] = '\n';
    return with_newline;
  } catch (const std::bad_alloc&) {
    return MakeError(StatusCode::kInternal, "key_file_too_large",
                     "the key file does not fit the " + std::to_string(kSerializeArenaSize) +
                         "-byte serialization buffer");
  }
}

Result<KeyFile> ParseKeyFile(ByteView text, std::string_view source) {
  Result<std::unique_ptr<internal::SecretJsonDocument>> document =
      internal::SecretJsonDocument::Parse(AsString(text), "key file " + std::string(source));
  if (!document) {
    return Invalid(source, document.error().message());
  }
  const json::value& value = (*document)->value();
  if (!value.is_object()) {
    return Invalid(source, "the top level is not a JSON object");
  }
  const json::object& root = value.get_object();
  if (Status checked = CheckMembers(
          root, {"format", "user_id", "private_keys", "public_key_digest", "enrollment"},
          "the top level", source);
      !checked) {
    return std::unexpected(checked.error());
  }

  Result<std::string_view> format = RequiredString(root, "format", "the top level", source);
  if (!format) {
    return std::unexpected(format.error());
  }
  if (*format != kKeyFileFormat) {
    return Invalid(source, "format \"" + std::string(*format) + "\" is not \"" +
                               std::string(kKeyFileFormat) + "\"");
  }
  Result<std::string_view> user_id = RequiredString(root, "user_id", "the top level", source);
  if (!user_id) {
    return std::unexpected(user_id.error());
  }
  if (!ValidateUserId(*user_id)) {
    return Invalid(source, "user_id is not a valid devtrust user id");
  }

  Result<const json::object*> private_keys =
      RequiredObject(root, "private_keys", "the top level", source);
  if (!private_keys) {
    return std::unexpected(private_keys.error());
  }
  Result<DeviceKeys> keys = ParsePrivateKeys(**private_keys, source);
  if (!keys) {
    return std::unexpected(keys.error());
  }
  Result<std::string_view> digest =
      RequiredString(root, "public_key_digest", "the top level", source);
  if (!digest) {
    return std::unexpected(digest.error());
  }
  if (*digest != PublicKeyDigestHex(*keys)) {
    return Invalid(source, "the private keys do not match public_key_digest");
  }

  KeyFile key_file{.user_id = std::string(*user_id), .keys = std::move(*keys), .enrollment = {}};
  if (const json::value* enrollment = root.if_contains("enrollment"); enrollment != nullptr) {
    if (!enrollment->is_object()) {
      return Invalid(source, "enrollment is not an object");
    }
    Result<Enrollment> parsed = ParseEnrollment(enrollment->get_object(), key_file, source);
    if (!parsed) {
      return std::unexpected(parsed.error());
    }
    key_file.enrollment = std::move(*parsed);
  }
  return key_file;
}

Status SaveKeyFile(const std::filesystem::path& path, const KeyFile& key_file, KeyFileWrite write) {
  Result<crypto::SecretBytes> text = SerializeKeyFile(key_file);
  if (!text) {
    return std::unexpected(text.error());
  }
  if (path.has_parent_path()) {
    if (Status created = pki::CreatePrivateDirectory(path.parent_path()); !created) {
      return created;
    }
  }
  const pki::ExistingFile existing =
      write == KeyFileWrite::kCreateNew ? pki::ExistingFile::kKeep : pki::ExistingFile::kReplace;
  Status written = pki::WriteFileAtomically(path, text->view(), pki::kPrivateFileMode, existing);
  if (!written && written.error().reason() == "file_exists") {
    return MakeError(StatusCode::kAlreadyExists, "key_file_exists",
                     "key file " + path.string() +
                         " already exists and was left unchanged; choose another --key-file, "
                         "or remove the file if its device is no longer needed");
  }
  return written;
}

Result<KeyFile> LoadKeyFile(const std::filesystem::path& path) {
  Result<crypto::SecretBytes> text = pki::ReadPrivateKeyFile(path, kMaxKeyFileSize);
  if (!text) {
    return std::unexpected(text.error());
  }
  return ParseKeyFile(text->view(), path.string());
}

Result<std::filesystem::path> DefaultKeyFilePath() {
  const char* config_home = std::getenv("XDG_CONFIG_HOME");
  if (config_home != nullptr && *config_home != '\0') {
    return std::filesystem::path(config_home) / "devtrust" / "device-key.json";
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') {
    return std::filesystem::path(home) / ".config" / "devtrust" / "device-key.json";
  }
  return MakeError(StatusCode::kInvalidArgument, "key_file_missing",
                   "neither XDG_CONFIG_HOME nor HOME is set, so there is no default key file; "
                   "pass --key-file");
}

}  // namespace devtrust::client
