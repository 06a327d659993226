#include "base/encoding.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>

namespace devtrust {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint8_t kInvalid = 0xff;

std::array<std::uint8_t, 256> ReverseTable(std::string_view alphabet) {
  std::array<std::uint8_t, 256> table{};
  table.fill(kInvalid);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Encode(ByteView bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out.push_back(alphabet[(group >> 18) & 0x3f]);
    out.push_back(alphabet[(group >> 12) & 0x3f]);
    out.push_back(alphabet[(group >> 6) & 0x3f]);
    out.push_back(alphabet[group & 0x3f]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t group = std::uint32_t{bytes[i]} << 16;
    out.push_back(alphabet[(group >> 18) & 0x3f]);
    out.push_back(alphabet[(group >> 12) & 0x3f]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    const std::uint32_t group =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
    out.push_back(alphabet[(group >> 18) & 0x3f]);
    out.push_back(alphabet[(group >> 12) & 0x3f]);
    out.push_back(alphabet[(group >> 6) & 0x3f]);
    if (pad) out.push_back('=');
  }
  return out;
}

// Decodes base64 text whose padding, if any, was already removed.
Result<Bytes> DecodeUnpadded(std::string_view text, const std::array<std::uint8_t, 256>& table,
                             std::size_t max_decoded_size) {
  if (text.size() % 4 == 1) {
    return MakeError(
        StatusCode::kInvalidArgument, "invalid_base64",
        fmt::format("base64 text of {} characters has an impossible length", text.size()));
  }
  const std::size_t decoded_size =
      text.size() / 4 * 3 + (text.size() % 4 == 0 ? 0 : text.size() % 4 - 1);
  if (decoded_size > max_decoded_size) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_base64",
                     fmt::format("base64 value decodes to {} bytes, more than the limit of {}",
                                 decoded_size, max_decoded_size));
  }

  Bytes out;
  out.reserve(decoded_size);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::uint8_t value = table[static_cast<unsigned char>(text[i])];
    if (value == kInvalid) {
      return MakeError(StatusCode::kInvalidArgument, "invalid_base64",
                       fmt::format("invalid base64 character at offset {}", i));
    }
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xff));
    }
  }
  // RFC 4648 section 3.5: the unused low bits of the last character must be
  // zero, so that every byte string has exactly one encoding.
  if ((buffer & ((1u << bits) - 1)) != 0) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_base64",
                     "base64 text has non-zero trailing bits");
  }
  return out;
}

}  // namespace

std::string HexEncode(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t byte : bytes) {
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0x0f]);
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_hex",
                     fmt::format("hex text has an odd length of {}", text.size()));
  }
  Bytes out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = HexValue(text[i]);
    const int low = HexValue(text[i + 1]);
    if (high < 0 || low < 0) {
      return MakeError(StatusCode::kInvalidArgument, "invalid_hex",
                       fmt::format("invalid hex digit near offset {}", i));
    }
    out.push_back(static_cast<std::uint8_t>((high << 4) | low));
  }
  return out;
}

std::string Base64Encode(ByteView bytes) { return Encode(bytes, kBase64Alphabet, true); }

Result<Bytes> Base64Decode(std::string_view text, std::size_t max_decoded_size) {
  static const std::array<std::uint8_t, 256> table = ReverseTable(kBase64Alphabet);
  if (text.size() % 4 != 0) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_base64",
                     "padded base64 text must be a multiple of 4 characters long");
  }
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  return DecodeUnpadded(text.substr(0, text.size() - padding), table, max_decoded_size);
}

std::string Base64UrlEncode(ByteView bytes) { return Encode(bytes, kBase64UrlAlphabet, false); }

Result<Bytes> Base64UrlDecode(std::string_view text, std::size_t max_decoded_size) {
  static const std::array<std::uint8_t, 256> table = ReverseTable(kBase64UrlAlphabet);
  return DecodeUnpadded(text, table, max_decoded_size);
}

}  // namespace devtrust
