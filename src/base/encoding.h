// Text encodings of binary data: hexadecimal and base64 (RFC 4648).
//
// Decoders are strict because their input is untrusted: they reject characters
// outside the alphabet, wrong padding, non-zero trailing bits and inputs larger
// than the caller's limit, with reason "invalid_hex" or "invalid_base64".
#ifndef DEVTRUST_BASE_ENCODING_H_
#define DEVTRUST_BASE_ENCODING_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace devtrust {

// Lowercase hexadecimal.
std::string HexEncode(ByteView bytes);
Result<Bytes> HexDecode(std::string_view text);

// Standard base64 with padding (RFC 4648 section 4).
std::string Base64Encode(ByteView bytes);
Result<Bytes> Base64Decode(std::string_view text, std::size_t max_decoded_size);

// URL-safe base64 without padding (RFC 4648 section 5), as JSON fields and
// tokens carry it. Decoding also rejects padding characters.
std::string Base64UrlEncode(ByteView bytes);
Result<Bytes> Base64UrlDecode(std::string_view text, std::size_t max_decoded_size);

}  // namespace devtrust

#endif  // DEVTRUST_BASE_ENCODING_H_
