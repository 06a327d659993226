// Quoting of untrusted text for error messages.
#ifndef DEVTRUST_TRUST_QUOTED_H_
#define DEVTRUST_TRUST_QUOTED_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace devtrust::trust {

// Returns `text` in double quotes, safe to print in a message or a log line:
// bytes outside printable ASCII, the quote and the backslash are written as
// \xNN, and text longer than `max_bytes` is cut there and ends in "...".
std::string Quoted(std::string_view text, std::size_t max_bytes = 64);

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_QUOTED_H_
