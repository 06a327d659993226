// The application services the HTTP handlers call, and what every handler
// shares: mapping the request's transport facts and errors.
#ifndef DEVTRUST_API_API_SERVICES_H_
#define DEVTRUST_API_API_SERVICES_H_

#include <memory>

#include "base/error.h"
#include "server/http_types.h"
#include "server/request_context.h"
#include "service/ca_service.h"
#include "service/challenge_service.h"
#include "service/device_service.h"
#include "service/registration_service.h"
#include "service/request_facts.h"
#include "service/review_service.h"
#include "service/validation_service.h"
#include "service/verification_service.h"
#include "telemetry/logger.h"

namespace devtrust::api {

// Every member must outlive the router the handlers are added to.
struct ApiServices {
  service::ChallengeService& challenges;
  service::RegistrationService& registrations;
  service::VerificationService& verifications;
  service::ValidationService& validations;
  service::DeviceService& devices;
  service::ReviewService& reviews;
  service::CaService& ca;
  std::shared_ptr<telemetry::Logger> logger;
};

// The trace id, TLS group and caller of a request, as the services take them.
service::RequestFacts FactsOf(const server::RequestContext& context);

// The error response for `error` (server/error_mapping.h). A server error is
// logged with the trace id first, because its response body contains only
// "internal" or "unavailable".
server::Response ErrorResponse(const Error& error, const server::RequestContext& context,
                               telemetry::Logger& logger);

}  // namespace devtrust::api

#endif  // DEVTRUST_API_API_SERVICES_H_
