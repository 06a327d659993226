#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/handlers.h"
#include "api/resource_json.h"
#include "server/json_body.h"
#include "server/response.h"

namespace devtrust::api {

server::Handler GetDeviceHandler(const ApiServices& services) {
  return [services](const server::Request&, server::RequestContext& context) -> server::Response {
    Result<store::DeviceRecord> device = services.devices.Get(context.PathParameter("device_id"));
    if (!device) return ErrorResponse(device.error(), context, *services.logger);
    return server::MakeJsonResponse(server::http::status::ok, DeviceJson(*device));
  };
}

server::Handler ListUserDevicesHandler(const ApiServices& services) {
  return [services](const server::Request&, server::RequestContext& context) -> server::Response {
    Result<std::vector<store::DeviceRecord>> devices =
        services.devices.ListByUser(context.PathParameter("user_id"));
    if (!devices) return ErrorResponse(devices.error(), context, *services.logger);
    boost::json::array items;
    for (const store::DeviceRecord& device : *devices) items.emplace_back(DeviceJson(device));
    return server::MakeJsonResponse(server::http::status::ok,
                                    boost::json::object{{"devices", std::move(items)}});
  };
}

server::Handler RevokeDeviceHandler(const ApiServices& services) {
  return [services](const server::Request& request,
                    server::RequestContext& context) -> server::Response {
    const auto fail = [&](const Error& error) {
      return ErrorResponse(error, context, *services.logger);
    };

    // Every member is optional, so an empty body means {}.
    std::string reason;
    if (!request.body().empty()) {
      Result<server::JsonBody> body = server::ReadJsonBody(request);
      if (!body) return fail(body.error());
      server::JsonObjectReader fields = body->Root();
      Result<std::optional<std::string_view>> requested = fields.OptionalString("reason", 64);
      if (!requested) return fail(requested.error());
      if (Status done = fields.Finish(); !done) return fail(done.error());
      reason = std::string(requested->value_or(""));
    }

    Result<store::DeviceRecord> device =
        services.devices.Revoke(context.PathParameter("device_id"), reason, FactsOf(context));
    if (!device) return fail(device.error());
    return server::MakeJsonResponse(server::http::status::ok, DeviceJson(*device));
  };
}

}  // namespace devtrust::api
