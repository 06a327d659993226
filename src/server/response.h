// Builders for the responses handlers return.
#ifndef DEVTRUST_SERVER_RESPONSE_H_
#define DEVTRUST_SERVER_RESPONSE_H_

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "server/http_types.h"

namespace devtrust::server {

// Serializes `body` as the response body, with Content-Type application/json
// and Cache-Control no-store, since API responses carry per-request data.
Response MakeJsonResponse(http::status status, const boost::json::value& body);

// A response with a text body and the given Content-Type.
Response MakeTextResponse(http::status status, std::string body, std::string_view content_type);

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_RESPONSE_H_
