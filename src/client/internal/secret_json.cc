#include "client/internal/secret_json.h"

#include <boost/json/null_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serializer.hpp>
#include <cstring>
#include <exception>
#include <system_error>
#include <utility>

namespace devtrust::client::internal {
namespace {

constexpr std::size_t kArenaSlack = 64 * 1024;
constexpr std::size_t kArenaFactor = 4;
constexpr std::size_t kMaxDepth = 16;

}  // namespace

SecretJsonDocument::SecretJsonDocument(std::size_t arena_size)
    : arena_(arena_size),
      // With the null resource upstream, a value larger than the arena fails
      // instead of spilling into memory that is not wiped.
      resource_(arena_.data(), arena_.size(), boost::json::get_null_resource()) {}

Result<std::unique_ptr<SecretJsonDocument>> SecretJsonDocument::Parse(std::string_view text,
                                                                      std::string_view what) {
  std::unique_ptr<SecretJsonDocument> document(
      new SecretJsonDocument(text.size() * kArenaFactor + kArenaSlack));

  boost::json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::system::error_code error;
  try {
    document->value_ = boost::json::parse(text, error, &document->resource_, options);
  } catch (const std::exception&) {
    // The null resource throws std::bad_alloc when the arena is full.
    return MakeError(StatusCode::kInvalidArgument, "json_invalid",
                     std::string(what) + " is too complex to parse");
  }
  if (error) {
    return MakeError(StatusCode::kInvalidArgument, "json_invalid",
                     std::string(what) + " is not valid JSON: " + error.message());
  }
  return document;
}

SecretJsonArena::SecretJsonArena(std::size_t size)
    : arena_(size), resource_(arena_.data(), arena_.size(), boost::json::get_null_resource()) {}

crypto::SecretBytes SerializeToSecretBytes(const boost::json::value& value) {
  boost::json::serializer serializer;
  serializer.reset(&value);

  crypto::SecretBytes buffer(4096);
  std::size_t used = 0;
  while (!serializer.done()) {
    if (used == buffer.size()) {
      // Grow by copying into a larger wiping buffer; the old one is wiped
      // when it is replaced.
      crypto::SecretBytes larger(buffer.size() * 2);
      std::memcpy(larger.data(), buffer.data(), used);
      buffer = std::move(larger);
    }
    const std::string_view chunk =
        serializer.read(reinterpret_cast<char*>(buffer.data()) + used, buffer.size() - used);
    used += chunk.size();
  }
  return crypto::SecretBytes(ByteView(buffer.data(), used));
}

void WipeString(std::string& text) {
  // Volatile stores, so that the compiler cannot drop them as dead writes.
  volatile char* characters = text.data();
  for (std::size_t i = 0; i < text.size(); ++i) {
    characters[i] = 0;
  }
  text.clear();
}

}  // namespace devtrust::client::internal
