#include "trust/proof.h"

#include <cstdint>
#include <cstdlib>
#include <limits>

#include "base/encoding.h"

namespace devtrust::trust {
namespace {

void AppendLengthPrefixed(Bytes& out, ByteView value) {
  // The 4-byte length cannot describe a longer field. Request limits keep
  // every field far below it, so reaching this is a bug in the caller.
  if (value.size() > std::numeric_limits<std::uint32_t>::max()) {
    std::abort();
  }
  const auto size = static_cast<std::uint32_t>(value.size());
  out.push_back(static_cast<std::uint8_t>(size >> 24));
  out.push_back(static_cast<std::uint8_t>(size >> 16));
  out.push_back(static_cast<std::uint8_t>(size >> 8));
  out.push_back(static_cast<std::uint8_t>(size));
  out.insert(out.end(), value.begin(), value.end());
}

}  // namespace

Bytes EncodeRegistrationProof(const RegistrationProofFields& fields,
                              const Fingerprint& fingerprint) {
  const std::string canonical = fingerprint.CanonicalJson();
  Bytes out(kRegistrationProofLabel.begin(), kRegistrationProofLabel.end());
  out.reserve(out.size() + 7 * 4 + fields.user_id.size() + fields.nonce.size() +
              fields.ml_dsa_public_key.size() + fields.ecdsa_public_key.size() +
              fields.ml_kem_public_key.size() + fields.x25519_public_key.size() + canonical.size());
  AppendLengthPrefixed(out, AsBytes(fields.user_id));
  AppendLengthPrefixed(out, fields.nonce);
  AppendLengthPrefixed(out, fields.ml_dsa_public_key);
  AppendLengthPrefixed(out, fields.ecdsa_public_key);
  AppendLengthPrefixed(out, fields.ml_kem_public_key);
  AppendLengthPrefixed(out, fields.x25519_public_key);
  AppendLengthPrefixed(out, AsBytes(canonical));
  return out;
}

Bytes EncodeLoginProof(std::string_view user_id, std::string_view device_id, ByteView nonce,
                       const Fingerprint& fingerprint) {
  const std::string canonical = fingerprint.CanonicalJson();
  Bytes out(kLoginProofLabel.begin(), kLoginProofLabel.end());
  out.reserve(out.size() + 4 * 4 + user_id.size() + device_id.size() + nonce.size() +
              canonical.size());
  AppendLengthPrefixed(out, AsBytes(user_id));
  AppendLengthPrefixed(out, AsBytes(device_id));
  AppendLengthPrefixed(out, nonce);
  AppendLengthPrefixed(out, AsBytes(canonical));
  return out;
}

std::string LoginSessionLabel(std::string_view device_id, ByteView nonce) {
  std::string label = "login/";
  label += device_id;
  label += '/';
  label += Base64UrlEncode(nonce);
  return label;
}

}  // namespace devtrust::trust
