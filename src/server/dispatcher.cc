#include "server/dispatcher.h"

#include <exception>
#include <string>
#include <utility>

#include "server/error_mapping.h"

namespace devtrust::server {

RequestDispatcher::RequestDispatcher(Router router, ApiKeyAuthenticator authenticator,
                                     std::shared_ptr<telemetry::Logger> logger)
    : router_(std::move(router)),
      authenticator_(std::move(authenticator)),
      logger_(std::move(logger)) {}

Response RequestDispatcher::Dispatch(const Request& request, RequestContext& context) const {
  // 1. Target.
  Result<RequestTarget> target = ParseRequestTarget(request.target());
  if (!target.has_value()) {
    return MakeErrorResponse(target.error(), context.trace_id);
  }
  context.query_parameters = std::move(target->query);

  // 2. Route.
  Router::Match match = router_.Find(request.method(), target->path);
  if (match.route == nullptr && match.allowed_methods.empty()) {
    return MakeErrorResponse(
        Error(StatusCode::kNotFound, "not_found", "no API operation has this path"),
        context.trace_id);
  }
  if (match.route == nullptr) {
    Response response = MakeErrorResponse(
        Error(StatusCode::kNotFound, "method_not_allowed",
              "this path does not accept " + std::string(request.method_string()) +
                  "; see the Allow header"),
        context.trace_id);
    response.set(http::field::allow, FormatAllowHeader(match.allowed_methods));
    return response;
  }
  const Route& route = *match.route;
  context.route_template = route.path_template;
  context.path_parameters = std::move(match.path_parameters);

  // 3. Access.
  const auto authorization = request.find(http::field::authorization);
  const std::string_view authorization_value = authorization == request.end()
                                                   ? std::string_view()
                                                   : std::string_view(authorization->value());
  if (Status allowed = AuthorizeRequest(authenticator_, route.access, authorization_value, context);
      !allowed.has_value()) {
    return MakeErrorResponse(allowed.error(), context.trace_id);
  }

  // 4. Path parameters.
  if (Status valid = router_.ValidateParameters(context.path_parameters); !valid.has_value()) {
    return MakeErrorResponse(valid.error(), context.trace_id);
  }

  // 5. Handler. Handlers report failures as responses, so an exception is a
  // bug or a library failure. Its text goes to the log, never to the client.
  try {
    return route.handler(request, context);
  } catch (const std::exception& exception) {
    logger_->Error({{"trace_id", context.trace_id}, {"route", route.path_template}},
                   "handler for {} {} threw: {}", std::string(request.method_string()),
                   route.path_template, exception.what());
  } catch (...) {
    logger_->Error({{"trace_id", context.trace_id}, {"route", route.path_template}},
                   "handler for {} {} threw a non-standard exception",
                   std::string(request.method_string()), route.path_template);
  }
  return MakeErrorResponse(Error(StatusCode::kInternal, "handler_exception", "handler threw"),
                           context.trace_id);
}

}  // namespace devtrust::server
