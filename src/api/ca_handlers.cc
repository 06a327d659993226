#include <boost/json/object.hpp>

#include "api/handlers.h"
#include "server/response.h"

namespace devtrust::api {

server::Handler CaCertificatesHandler(const ApiServices& services) {
  return [services](const server::Request&, server::RequestContext&) -> server::Response {
    const service::RootCertificates roots = services.ca.Roots();
    return server::MakeJsonResponse(
        server::http::status::ok,
        boost::json::object{{"ml_dsa_65", roots.ml_dsa_pem}, {"ecdsa_p256", roots.ecdsa_pem}});
  };
}

server::Handler CrlHandler(const ApiServices& services) {
  return [services](const server::Request&, server::RequestContext& context) -> server::Response {
    pki::RootAlgorithm algorithm = pki::RootAlgorithm::kMlDsa65;
    const std::string_view kind = context.QueryParameter("kind").value_or("ml_dsa_65");
    if (kind == "ecdsa_p256") {
      algorithm = pki::RootAlgorithm::kEcdsaP256;
    } else if (kind != "ml_dsa_65") {
      return ErrorResponse(Error(StatusCode::kInvalidArgument, "invalid_kind",
                                 "kind must be ml_dsa_65 or ecdsa_p256"),
                           context, *services.logger);
    }

    Result<Bytes> crl = services.ca.Crl(algorithm);
    if (!crl) return ErrorResponse(crl.error(), context, *services.logger);
    return server::MakeTextResponse(server::http::status::ok, std::string(crl->begin(), crl->end()),
                                    "application/pkix-crl");
  };
}

}  // namespace devtrust::api
