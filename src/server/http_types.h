// The HTTP message types that handlers receive and return: Boost.Beast
// messages with the whole body in a std::string.
#ifndef DEVTRUST_SERVER_HTTP_TYPES_H_
#define DEVTRUST_SERVER_HTTP_TYPES_H_

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

namespace devtrust::server {

namespace http = boost::beast::http;

// A complete request. The server has checked the header and body limits before
// a handler receives it.
using Request = http::request<http::string_body>;

// A response. Handlers set the status, Content-Type and body, and the server sets
// Content-Length, Connection, the trace id header and the HTTP version.
using Response = http::response<http::string_body>;

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_HTTP_TYPES_H_
