#include <boost/json/object.hpp>

#include "api/handlers.h"
#include "api/resource_json.h"
#include "base/encoding.h"
#include "server/json_body.h"
#include "server/response.h"

namespace devtrust::api {

server::Handler CreateChallengeHandler(const ApiServices& services) {
  return [services](const server::Request& request,
                    server::RequestContext& context) -> server::Response {
    const auto fail = [&](const Error& error) {
      return ErrorResponse(error, context, *services.logger);
    };

    Result<server::JsonBody> body = server::ReadJsonBody(request);
    if (!body) return fail(body.error());
    server::JsonObjectReader fields = body->Root();
    Result<std::string_view> purpose = fields.RequiredString("purpose", 16);
    if (!purpose) return fail(purpose.error());
    Result<std::string_view> user_id = fields.RequiredString("user_id", 128);
    if (!user_id) return fail(user_id.error());
    Result<std::optional<std::string_view>> device_id = fields.OptionalString("device_id", 64);
    if (!device_id) return fail(device_id.error());
    if (Status done = fields.Finish(); !done) return fail(done.error());

    service::ChallengeRequest challenge;
    if (*purpose == "register") {
      challenge.purpose = store::NoncePurpose::kRegister;
    } else if (*purpose == "login") {
      challenge.purpose = store::NoncePurpose::kLogin;
    } else {
      return fail(Error(StatusCode::kInvalidArgument, "invalid_field",
                        "purpose must be register or login"));
    }
    challenge.user_id = std::string(*user_id);
    challenge.device_id = std::string(device_id->value_or(""));

    Result<service::IssuedChallenge> issued =
        services.challenges.Issue(challenge, FactsOf(context));
    if (!issued) return fail(issued.error());

    boost::json::object json{{"nonce", Base64UrlEncode(issued->nonce)},
                             {"purpose", store::NoncePurposeName(issued->purpose)},
                             {"user_id", issued->user_id},
                             {"expires_at", Rfc3339(issued->expires_at)}};
    if (!issued->device_id.empty()) json["device_id"] = issued->device_id;
    return server::MakeJsonResponse(server::http::status::created, json);
  };
}

}  // namespace devtrust::api
