#include "api/handlers.h"
#include "api/resource_json.h"
#include "server/json_body.h"
#include "server/response.h"

namespace devtrust::api {

server::Handler VerifyDeviceHandler(const ApiServices& services) {
  return [services](const server::Request& request,
                    server::RequestContext& context) -> server::Response {
    const auto fail = [&](const Error& error) {
      return ErrorResponse(error, context, *services.logger);
    };

    // NOTE: the parsed body keeps a copy of the code in an ordinary buffer
    // until the handler returns; only the service's copy is wiped.
    Result<server::JsonBody> body = server::ReadJsonBody(request);
    if (!body) return fail(body.error());
    server::JsonObjectReader fields = body->Root();
    Result<std::string_view> challenge_id = fields.RequiredString("challenge_id", 64);
    if (!challenge_id) return fail(challenge_id.error());
    Result<std::string_view> code = fields.RequiredString("code", 8);
    if (!code) return fail(code.error());
    if (Status done = fields.Finish(); !done) return fail(done.error());

    service::VerifyRequest verify;
    verify.device_id = std::string(context.PathParameter("device_id"));
    verify.challenge_id = std::string(*challenge_id);
    verify.code = crypto::SecretBytes(AsBytes(*code));

    Result<store::DeviceRecord> device = services.verifications.Verify(verify, FactsOf(context));
    if (!device) return fail(device.error());
    return server::MakeJsonResponse(server::http::status::ok, DeviceJson(*device));
  };
}

}  // namespace devtrust::api
