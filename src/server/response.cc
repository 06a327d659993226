#include "server/response.h"

#include <boost/json/serialize.hpp>
#include <utility>

namespace devtrust::server {

Response MakeJsonResponse(http::status status, const boost::json::value& body) {
  Response response(status, 11);
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.body() = boost::json::serialize(body);
  return response;
}

Response MakeTextResponse(http::status status, std::string body, std::string_view content_type) {
  Response response(status, 11);
  response.set(http::field::content_type, content_type);
  response.set(http::field::cache_control, "no-store");
  response.body() = std::move(body);
  return response;
}

}  // namespace devtrust::server
