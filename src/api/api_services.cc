#include "api/api_services.h"

#include "server/error_mapping.h"

namespace devtrust::api {

service::RequestFacts FactsOf(const server::RequestContext& context) {
  service::RequestFacts facts;
  facts.trace_id = context.trace_id;
  facts.tls_hybrid_group = context.tls.hybrid_group();
  facts.tls_group = context.tls.group;
  facts.actor = context.api_key_name;
  return facts;
}

server::Response ErrorResponse(const Error& error, const server::RequestContext& context,
                               telemetry::Logger& logger) {
  const unsigned status = static_cast<unsigned>(server::HttpStatusFor(error));
  if (status >= 500) {
    logger.Error({{"trace_id", context.trace_id},
                  {"route", context.route_template},
                  {"error", error.reason()}},
                 "request failed: {}", error.message());
  }
  return server::MakeErrorResponse(error, context.trace_id);
}

}  // namespace devtrust::api
