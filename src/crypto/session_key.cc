#include "crypto/session_key.h"

#include <string>

#include "crypto/hash.h"
#include "crypto/hkdf.h"
#include "crypto/internal/session_key_schedule.h"
#include "crypto/kem.h"
#include "crypto/x25519.h"

namespace devtrust::crypto {
namespace {

constexpr std::string_view kHybridModeLabel = "devtrust session v1 hybrid ML-KEM-768+X25519";
constexpr std::string_view kClassicalModeLabel = "devtrust session v1 classical X25519";

void AppendLengthPrefixed(Bytes& out, ByteView value) {
  const auto size = static_cast<std::uint32_t>(value.size());
  out.push_back(static_cast<std::uint8_t>(size >> 24));
  out.push_back(static_cast<std::uint8_t>(size >> 16));
  out.push_back(static_cast<std::uint8_t>(size >> 8));
  out.push_back(static_cast<std::uint8_t>(size));
  out.insert(out.end(), value.begin(), value.end());
}

Status CheckAlgorithm(const char* role, KeyAlgorithm actual, KeyAlgorithm expected) {
  if (actual != expected) {
    return MakeError(StatusCode::kInvalidArgument, "unexpected_key_algorithm",
                     std::string(role) + " key is " + std::string(KeyAlgorithmName(actual)) +
                         ", expected " + std::string(KeyAlgorithmName(expected)));
  }
  return {};
}

Status CheckTranscriptLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxTranscriptLabelSize) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_transcript_label",
                     "session transcript label is " + std::to_string(label.size()) +
                         " bytes; it must be 1 to 255 bytes");
  }
  return {};
}

Status CheckOfferMode(const SessionOffer& offer, SessionMode expected) {
  if (offer.mode != expected) {
    return MakeError(StatusCode::kInvalidArgument, "session_mode_mismatch",
                     "session offer is " + std::string(SessionModeName(offer.mode)) +
                         ", expected " + std::string(SessionModeName(expected)));
  }
  if (expected == SessionMode::kClassical && !offer.kem_ciphertext.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "session_mode_mismatch",
                     "classical session offer carries an ML-KEM ciphertext");
  }
  return {};
}

// The server half shared by both modes: an ephemeral X25519 key pair and the
// shared secret with the device's X25519 key.
struct EphemeralAgreement {
  Bytes public_key;
  SecretBytes shared_secret;
};

Result<EphemeralAgreement> AgreeWithEphemeralKey(const PublicKey& device_x25519) {
  Result<PrivateKey> ephemeral = PrivateKey::Generate(KeyAlgorithm::kX25519);
  if (!ephemeral) {
    return std::unexpected(ephemeral.error());
  }
  Result<SecretBytes> shared = ComputeX25519SharedSecret(*ephemeral, device_x25519);
  if (!shared) {
    return std::unexpected(shared.error());
  }
  return EphemeralAgreement{
      .public_key = ephemeral->GetPublicKey().ToRaw(),
      .shared_secret = *std::move(shared),
  };
}

// The device half shared by both modes: X25519 with the server's ephemeral key.
Result<SecretBytes> AgreeWithServer(const PrivateKey& device_x25519, const SessionOffer& offer) {
  Result<PublicKey> ephemeral =
      PublicKey::FromRaw(KeyAlgorithm::kX25519, offer.ephemeral_public_key);
  if (!ephemeral) {
    return std::unexpected(ephemeral.error());
  }
  return ComputeX25519SharedSecret(device_x25519, *ephemeral);
}

}  // namespace

std::string_view SessionModeName(SessionMode mode) {
  return mode == SessionMode::kHybrid ? "hybrid" : "classical";
}

namespace internal {

Result<SecretBytes> DeriveSessionKey(SessionMode mode, ByteView kem_shared_secret,
                                     ByteView x25519_shared_secret,
                                     const SessionTranscript& transcript) {
  Bytes encoded;
  AppendLengthPrefixed(encoded, AsBytes(transcript.label));
  AppendLengthPrefixed(encoded, transcript.device_ml_kem_public_key);
  AppendLengthPrefixed(encoded, transcript.device_x25519_public_key);
  AppendLengthPrefixed(encoded, transcript.kem_ciphertext);
  AppendLengthPrefixed(encoded, transcript.ephemeral_public_key);

  const std::string_view mode_label =
      mode == SessionMode::kHybrid ? kHybridModeLabel : kClassicalModeLabel;
  Bytes info(mode_label.begin(), mode_label.end());
  info.push_back(0x00);
  const Bytes transcript_hash = Sha256(encoded);
  info.insert(info.end(), transcript_hash.begin(), transcript_hash.end());

  SecretBytes ikm(kem_shared_secret.size() + x25519_shared_secret.size());
  std::copy(kem_shared_secret.begin(), kem_shared_secret.end(), ikm.data());
  std::copy(x25519_shared_secret.begin(), x25519_shared_secret.end(),
            ikm.data() + kem_shared_secret.size());

  return HkdfSha256(ikm.view(), ByteView(), info, kSessionKeySize);
}

}  // namespace internal

Result<ServerSession> EstablishHybridSession(const PublicKey& device_ml_kem,
                                             const PublicKey& device_x25519,
                                             std::string_view transcript_label) {
  if (Status kem =
          CheckAlgorithm("device ML-KEM", device_ml_kem.algorithm(), KeyAlgorithm::kMlKem768);
      !kem) {
    return std::unexpected(kem.error());
  }
  if (Status x25519 =
          CheckAlgorithm("device X25519", device_x25519.algorithm(), KeyAlgorithm::kX25519);
      !x25519) {
    return std::unexpected(x25519.error());
  }
  if (Status label = CheckTranscriptLabel(transcript_label); !label) {
    return std::unexpected(label.error());
  }

  // Encapsulate to the device's ML-KEM key and agree on an X25519 secret.
  Result<Encapsulation> encapsulation = Encapsulate(device_ml_kem);
  if (!encapsulation) {
    return std::unexpected(encapsulation.error());
  }
  Result<EphemeralAgreement> agreement = AgreeWithEphemeralKey(device_x25519);
  if (!agreement) {
    return std::unexpected(agreement.error());
  }

  // Combine both secrets, bound to every public value.
  const Bytes device_ml_kem_raw = device_ml_kem.ToRaw();
  const Bytes device_x25519_raw = device_x25519.ToRaw();
  Result<SecretBytes> key = internal::DeriveSessionKey(
      SessionMode::kHybrid, encapsulation->shared_secret.view(), agreement->shared_secret.view(),
      {
          .label = transcript_label,
          .device_ml_kem_public_key = device_ml_kem_raw,
          .device_x25519_public_key = device_x25519_raw,
          .kem_ciphertext = encapsulation->ciphertext,
          .ephemeral_public_key = agreement->public_key,
      });
  if (!key) {
    return std::unexpected(key.error());
  }
  return ServerSession{
      .offer =
          {
              .mode = SessionMode::kHybrid,
              .kem_ciphertext = std::move(encapsulation->ciphertext),
              .ephemeral_public_key = std::move(agreement->public_key),
          },
      .key = *std::move(key),
  };
}

Result<ServerSession> EstablishClassicalSession(const PublicKey& device_x25519,
                                                std::string_view transcript_label) {
  if (Status x25519 =
          CheckAlgorithm("device X25519", device_x25519.algorithm(), KeyAlgorithm::kX25519);
      !x25519) {
    return std::unexpected(x25519.error());
  }
  if (Status label = CheckTranscriptLabel(transcript_label); !label) {
    return std::unexpected(label.error());
  }

  Result<EphemeralAgreement> agreement = AgreeWithEphemeralKey(device_x25519);
  if (!agreement) {
    return std::unexpected(agreement.error());
  }

  const Bytes device_x25519_raw = device_x25519.ToRaw();
  Result<SecretBytes> key = internal::DeriveSessionKey(
      SessionMode::kClassical, ByteView(), agreement->shared_secret.view(),
      {
          .label = transcript_label,
          .device_ml_kem_public_key = {},
          .device_x25519_public_key = device_x25519_raw,
          .kem_ciphertext = {},
          .ephemeral_public_key = agreement->public_key,
      });
  if (!key) {
    return std::unexpected(key.error());
  }
  return ServerSession{
      .offer =
          {
              .mode = SessionMode::kClassical,
              .kem_ciphertext = {},
              .ephemeral_public_key = std::move(agreement->public_key),
          },
      .key = *std::move(key),
  };
}

Result<SecretBytes> AcceptHybridSession(const PrivateKey& device_ml_kem,
                                        const PrivateKey& device_x25519, const SessionOffer& offer,
                                        std::string_view transcript_label) {
  if (Status kem =
          CheckAlgorithm("device ML-KEM", device_ml_kem.algorithm(), KeyAlgorithm::kMlKem768);
      !kem) {
    return std::unexpected(kem.error());
  }
  if (Status x25519 =
          CheckAlgorithm("device X25519", device_x25519.algorithm(), KeyAlgorithm::kX25519);
      !x25519) {
    return std::unexpected(x25519.error());
  }
  if (Status label = CheckTranscriptLabel(transcript_label); !label) {
    return std::unexpected(label.error());
  }
  if (Status mode = CheckOfferMode(offer, SessionMode::kHybrid); !mode) {
    return std::unexpected(mode.error());
  }

  // Recover both shared secrets.
  Result<SecretBytes> kem_secret = Decapsulate(device_ml_kem, offer.kem_ciphertext);
  if (!kem_secret) {
    return std::unexpected(kem_secret.error());
  }
  Result<SecretBytes> x25519_secret = AgreeWithServer(device_x25519, offer);
  if (!x25519_secret) {
    return std::unexpected(x25519_secret.error());
  }

  const Bytes device_ml_kem_raw = device_ml_kem.GetPublicKey().ToRaw();
  const Bytes device_x25519_raw = device_x25519.GetPublicKey().ToRaw();
  return internal::DeriveSessionKey(SessionMode::kHybrid, kem_secret->view(), x25519_secret->view(),
                                    {
                                        .label = transcript_label,
                                        .device_ml_kem_public_key = device_ml_kem_raw,
                                        .device_x25519_public_key = device_x25519_raw,
                                        .kem_ciphertext = offer.kem_ciphertext,
                                        .ephemeral_public_key = offer.ephemeral_public_key,
                                    });
}

Result<SecretBytes> AcceptClassicalSession(const PrivateKey& device_x25519,
                                           const SessionOffer& offer,
                                           std::string_view transcript_label) {
  if (Status x25519 =
          CheckAlgorithm("device X25519", device_x25519.algorithm(), KeyAlgorithm::kX25519);
      !x25519) {
    return std::unexpected(x25519.error());
  }
  if (Status label = CheckTranscriptLabel(transcript_label); !label) {
    return std::unexpected(label.error());
  }
  if (Status mode = CheckOfferMode(offer, SessionMode::kClassical); !mode) {
    return std::unexpected(mode.error());
  }

  Result<SecretBytes> x25519_secret = AgreeWithServer(device_x25519, offer);
  if (!x25519_secret) {
    return std::unexpected(x25519_secret.error());
  }

  const Bytes device_x25519_raw = device_x25519.GetPublicKey().ToRaw();
  return internal::DeriveSessionKey(SessionMode::kClassical, ByteView(), x25519_secret->view(),
                                    {
                                        .label = transcript_label,
                                        .device_ml_kem_public_key = {},
                                        .device_x25519_public_key = device_x25519_raw,
                                        .kem_ciphertext = {},
                                        .ephemeral_public_key = offer.ephemeral_public_key,
                                    });
}

}  // namespace devtrust::crypto
