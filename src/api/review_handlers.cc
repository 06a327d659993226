#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "api/handlers.h"
#include "api/resource_json.h"
#include "server/json_body.h"
#include "server/response.h"

namespace devtrust::api {
namespace {

constexpr std::int64_t kDefaultPageSize = 100;

Result<std::int64_t> ParseLimit(std::string_view text) {
  std::int64_t limit = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_limit",
                     "limit must be an integer from 1 to 500");
  }
  return limit;
}

}  // namespace

server::Handler ListReviewItemsHandler(const ApiServices& services) {
  return [services](const server::Request&, server::RequestContext& context) -> server::Response {
    const auto fail = [&](const Error& error) {
      return ErrorResponse(error, context, *services.logger);
    };

    store::ReviewStatus status = store::ReviewStatus::kOpen;
    if (std::optional<std::string_view> requested = context.QueryParameter("status")) {
      Result<store::ReviewStatus> parsed = store::ParseReviewStatus(*requested);
      if (!parsed) {
        return fail(Error(StatusCode::kInvalidArgument, "invalid_status",
                          "status must be open or resolved"));
      }
      status = *parsed;
    }
    std::int64_t limit = kDefaultPageSize;
    if (std::optional<std::string_view> requested = context.QueryParameter("limit")) {
      Result<std::int64_t> parsed = ParseLimit(*requested);
      if (!parsed) return fail(parsed.error());
      limit = *parsed;
    }
    const std::string_view after = context.QueryParameter("after").value_or("");

    Result<std::vector<store::ReviewItem>> items = services.reviews.List(status, limit, after);
    if (!items) return fail(items.error());
    boost::json::array json;
    for (const store::ReviewItem& item : *items) json.emplace_back(ReviewItemJson(item));
    return server::MakeJsonResponse(server::http::status::ok,
                                    boost::json::object{{"items", std::move(json)}});
  };
}

server::Handler ResolveReviewItemHandler(const ApiServices& services) {
  return [services](const server::Request& request,
                    server::RequestContext& context) -> server::Response {
    const auto fail = [&](const Error& error) {
      return ErrorResponse(error, context, *services.logger);
    };

    Result<server::JsonBody> body = server::ReadJsonBody(request);
    if (!body) return fail(body.error());
    server::JsonObjectReader fields = body->Root();
    Result<std::string_view> resolution = fields.RequiredString("resolution", 16);
    if (!resolution) return fail(resolution.error());
    Result<std::optional<std::string_view>> note =
        fields.OptionalString("note", service::kMaxReviewNoteBytes);
    if (!note) return fail(note.error());
    if (Status done = fields.Finish(); !done) return fail(done.error());

    service::ReviewResolution chosen = service::ReviewResolution::kBenign;
    if (*resolution == "revoke") {
      chosen = service::ReviewResolution::kRevoke;
    } else if (*resolution != "benign") {
      return fail(Error(StatusCode::kInvalidArgument, "invalid_field",
                        "resolution must be benign or revoke"));
    }

    Result<store::ReviewItem> item = services.reviews.Resolve(
        context.PathParameter("review_id"), chosen, note->value_or(""), FactsOf(context));
    if (!item) return fail(item.error());
    return server::MakeJsonResponse(server::http::status::ok, ReviewItemJson(*item));
  };
}

}  // namespace devtrust::api
