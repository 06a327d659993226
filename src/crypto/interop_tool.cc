// devtrust_crypto_interop_tool: a command-line front end to the crypto core
// that interop/node/crypto_interop.mjs drives, so that an independent
// implementation checks devtrust's signatures and KEM in both directions.
//
// Every binary argument and output is lowercase hex. Outputs are
// "name=value" lines on stdout. It prints private keys and shared secrets,
// so it is a test tool for throwaway keys only and is not installed.
//
//   sign ALGORITHM CONTEXT MESSAGE [deterministic]
//       new key; prints private_key (PKCS#8), public_key, signature
//   verify ALGORITHM PUBLIC_KEY CONTEXT MESSAGE SIGNATURE
//       prints "valid" (exit 0) or "invalid: <reason>" (exit 1)
//   kem-keygen ALGORITHM
//       new key; prints private_key (seed-only PKCS#8), public_key
//   encapsulate ALGORITHM PUBLIC_KEY
//       prints ciphertext, shared_secret
//   decapsulate PRIVATE_KEY CIPHERTEXT
//       prints shared_secret
//
// Exit codes: 0 success, 1 an operation failed, 2 wrong usage.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "base/encoding.h"
#include "crypto/kem.h"
#include "crypto/keys.h"
#include "crypto/signature.h"

namespace devtrust::crypto {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Fail(const Error& error) {
  std::fprintf(stderr, "%s\n", error.ToString().c_str());
  return kExitFailure;
}

int Usage() {
  std::fprintf(stderr,
               "usage: devtrust_crypto_interop_tool sign|verify|kem-keygen|encapsulate|"
               "decapsulate ARGUMENTS (hex); see interop_tool.cc\n");
  return kExitUsage;
}

void Print(std::string_view name, ByteView value) {
  std::printf("%.*s=%s\n", static_cast<int>(name.size()), name.data(), HexEncode(value).c_str());
}

int Sign(const std::vector<std::string>& args) {
  if (args.size() != 3 && !(args.size() == 4 && args[3] == "deterministic")) {
    return Usage();
  }
  Result<KeyAlgorithm> algorithm = ParseKeyAlgorithm(args[0]);
  Result<Bytes> context = HexDecode(args[1]);
  Result<Bytes> message = HexDecode(args[2]);
  if (!algorithm) return Fail(algorithm.error());
  if (!context) return Fail(context.error());
  if (!message) return Fail(message.error());

  Result<PrivateKey> key = PrivateKey::Generate(*algorithm);
  if (!key) return Fail(key.error());
  Result<Bytes> signature = crypto::Sign(
      *key, *message, {.context = AsString(*context), .deterministic = args.size() == 4});
  if (!signature) return Fail(signature.error());
  Result<SecretBytes> pkcs8 = key->ToPkcs8Der();
  if (!pkcs8) return Fail(pkcs8.error());

  Print("private_key", pkcs8->view());
  Print("public_key", key->GetPublicKey().ToRaw());
  Print("signature", *signature);
  return 0;
}

int Verify(const std::vector<std::string>& args) {
  if (args.size() != 5) {
    return Usage();
  }
  Result<KeyAlgorithm> algorithm = ParseKeyAlgorithm(args[0]);
  Result<Bytes> public_key = HexDecode(args[1]);
  Result<Bytes> context = HexDecode(args[2]);
  Result<Bytes> message = HexDecode(args[3]);
  Result<Bytes> signature = HexDecode(args[4]);
  if (!algorithm) return Fail(algorithm.error());
  if (!public_key) return Fail(public_key.error());
  if (!context) return Fail(context.error());
  if (!message) return Fail(message.error());
  if (!signature) return Fail(signature.error());

  Result<PublicKey> key = PublicKey::FromRaw(*algorithm, *public_key);
  if (!key) return Fail(key.error());
  Status verified = crypto::Verify(*key, *message, *signature, AsString(*context));
  if (!verified) {
    std::printf("invalid: %s\n", verified.error().reason().c_str());
    return kExitFailure;
  }
  std::printf("valid\n");
  return 0;
}

int KemKeygen(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    return Usage();
  }
  Result<KeyAlgorithm> algorithm = ParseKeyAlgorithm(args[0]);
  if (!algorithm) return Fail(algorithm.error());
  Result<PrivateKey> key = PrivateKey::Generate(*algorithm);
  if (!key) return Fail(key.error());
  Result<SecretBytes> pkcs8 = key->ToPkcs8Der();
  if (!pkcs8) return Fail(pkcs8.error());

  Print("private_key", pkcs8->view());
  Print("public_key", key->GetPublicKey().ToRaw());
  return 0;
}

int Encapsulate(const std::vector<std::string>& args) {
  if (args.size() != 2) {
    return Usage();
  }
  Result<KeyAlgorithm> algorithm = ParseKeyAlgorithm(args[0]);
  Result<Bytes> public_key = HexDecode(args[1]);
  if (!algorithm) return Fail(algorithm.error());
  if (!public_key) return Fail(public_key.error());

  Result<PublicKey> key = PublicKey::FromRaw(*algorithm, *public_key);
  if (!key) return Fail(key.error());
  Result<Encapsulation> encapsulation = crypto::Encapsulate(*key);
  if (!encapsulation) return Fail(encapsulation.error());

  Print("ciphertext", encapsulation->ciphertext);
  Print("shared_secret", encapsulation->shared_secret.view());
  return 0;
}

int Decapsulate(const std::vector<std::string>& args) {
  if (args.size() != 2) {
    return Usage();
  }
  Result<Bytes> pkcs8 = HexDecode(args[0]);
  Result<Bytes> ciphertext = HexDecode(args[1]);
  if (!pkcs8) return Fail(pkcs8.error());
  if (!ciphertext) return Fail(ciphertext.error());

  Result<PrivateKey> key = PrivateKey::FromPkcs8Der(*pkcs8);
  if (!key) return Fail(key.error());
  Result<SecretBytes> shared_secret = crypto::Decapsulate(*key, *ciphertext);
  if (!shared_secret) return Fail(shared_secret.error());

  Print("shared_secret", shared_secret->view());
  return 0;
}

}  // namespace
}  // namespace devtrust::crypto

int main(int argc, char** argv) {
  using namespace devtrust::crypto;  // NOLINT(google-build-using-namespace)
  if (argc < 2) {
    return Usage();
  }
  const std::string_view command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "sign") return Sign(args);
  if (command == "verify") return Verify(args);
  if (command == "kem-keygen") return KemKeygen(args);
  if (command == "encapsulate") return Encapsulate(args);
  if (command == "decapsulate") return Decapsulate(args);
  return Usage();
}
