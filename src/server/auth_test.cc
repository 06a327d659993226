#include "server/auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "crypto/secret_bytes.h"

namespace devtrust::server {
namespace {

constexpr std::string_view kRelyingPartyKey = "rp-key-0123456789abcdefghijklmnopqrstuv";
constexpr std::string_view kAdminKey = "admin-key-0123456789abcdefghijklmnopqrstu";

crypto::SecretBytes Secret(std::string_view text) { return crypto::SecretBytes(AsBytes(text)); }

ApiKeyAuthenticator MakeAuthenticator() {
  ApiKeyAuthenticator authenticator;
  EXPECT_TRUE(authenticator.AddKey("shop", Role::kRelyingParty, Secret(kRelyingPartyKey)));
  EXPECT_TRUE(authenticator.AddKey("ops", Role::kAdmin, Secret(kAdminKey)));
  return authenticator;
}

std::string Bearer(std::string_view key) { return "Bearer " + std::string(key); }

TEST(ApiKeyAuthenticator, FindsEachKeyWithItsRole) {
  const ApiKeyAuthenticator authenticator = MakeAuthenticator();

  const Result<Principal> relying_party = authenticator.Authenticate(Bearer(kRelyingPartyKey));
  ASSERT_TRUE(relying_party.has_value());
  EXPECT_EQ(relying_party->key_name, "shop");
  EXPECT_EQ(relying_party->role, Role::kRelyingParty);

  const Result<Principal> admin = authenticator.Authenticate(Bearer(kAdminKey));
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->key_name, "ops");
  EXPECT_EQ(admin->role, Role::kAdmin);
}

TEST(ApiKeyAuthenticator, AcceptsSchemeInAnyCaseAndExtraSpaces) {
  const ApiKeyAuthenticator authenticator = MakeAuthenticator();
  EXPECT_TRUE(authenticator.Authenticate("bearer " + std::string(kAdminKey)).has_value());
  EXPECT_TRUE(authenticator.Authenticate("BEARER   " + std::string(kAdminKey)).has_value());
}

TEST(ApiKeyAuthenticator, RejectsWrongAndMalformedCredentials) {
  const ApiKeyAuthenticator authenticator = MakeAuthenticator();
  std::string flipped(kAdminKey);
  flipped.back() = flipped.back() == 'u' ? 'v' : 'u';

  struct Case {
    std::string header;
    std::string_view reason;
  };
  const Case cases[] = {
      {"", "missing_api_key"},
      {"Bearer", "malformed_authorization"},
      {"Bearer ", "malformed_authorization"},
      {"Basic dXNlcjpwYXNz", "malformed_authorization"},
      {std::string(kAdminKey), "malformed_authorization"},
      {"Bearer" + std::string(kAdminKey), "malformed_authorization"},
      {"Bearer " + std::string(kAdminKey) + " extra", "malformed_authorization"},
      {"Bearer =abc", "malformed_authorization"},
      {"Bearer " + std::string(600, 'a'), "malformed_authorization"},
      {Bearer(flipped), "invalid_api_key"},
      {Bearer(kAdminKey.substr(1)), "invalid_api_key"},
      {Bearer(std::string(kAdminKey) + "x"), "invalid_api_key"},
  };
  for (const Case& test_case : cases) {
    const Result<Principal> principal = authenticator.Authenticate(test_case.header);
    ASSERT_FALSE(principal.has_value()) << test_case.header;
    EXPECT_EQ(principal.error().code(), StatusCode::kUnauthenticated) << test_case.header;
    EXPECT_EQ(principal.error().reason(), test_case.reason) << test_case.header;
  }
}

// Counts the comparisons made through ConstantTimeEquals.
std::atomic<int> comparisons{0};
bool CountingConstantTimeEquals(ByteView a, ByteView b) {
  comparisons.fetch_add(1);
  return crypto::ConstantTimeEquals(a, b);
}

TEST(ApiKeyAuthenticator, ComparesEveryKeyInConstantTime) {
  ApiKeyAuthenticator authenticator(&CountingConstantTimeEquals);
  ASSERT_TRUE(authenticator.AddKey("first", Role::kAdmin, Secret(kAdminKey)));
  ASSERT_TRUE(authenticator.AddKey("second", Role::kRelyingParty, Secret(kRelyingPartyKey)));
  ASSERT_TRUE(authenticator.AddKey("third", Role::kRelyingParty,
                                   Secret("third-key-0123456789abcdefghijklmnopqrst")));

  // A match on the first key still compares the others, so timing does not
  // reveal which key matched or how many were checked.
  comparisons = 0;
  EXPECT_TRUE(authenticator.Authenticate(Bearer(kAdminKey)).has_value());
  EXPECT_EQ(comparisons.load(), 3);

  comparisons = 0;
  EXPECT_FALSE(authenticator.Authenticate(Bearer("no-such-key-0123456789abcdefghijklmnop")));
  EXPECT_EQ(comparisons.load(), 3);
}

TEST(ApiKeyAuthenticator, AcceptsDigestsFromConfiguration) {
  ApiKeyAuthenticator authenticator;
  const std::string digest = ApiKeyDigestHex(Secret(kAdminKey));
  EXPECT_EQ(digest.size(), 64u);
  ASSERT_TRUE(authenticator.AddKeyDigest("ops", Role::kAdmin, digest));

  const Result<Principal> principal = authenticator.Authenticate(Bearer(kAdminKey));
  ASSERT_TRUE(principal.has_value());
  EXPECT_EQ(principal->key_name, "ops");
}

TEST(ApiKeyAuthenticator, RejectsBadKeyConfiguration) {
  ApiKeyAuthenticator authenticator;
  ASSERT_TRUE(authenticator.AddKey("ops", Role::kAdmin, Secret(kAdminKey)));

  const Status short_key = authenticator.AddKey("short", Role::kAdmin, Secret("too-short"));
  ASSERT_FALSE(short_key.has_value());
  EXPECT_EQ(short_key.error().reason(), "invalid_api_key_config");

  const Status bad_characters = authenticator.AddKey(
      "spaces", Role::kAdmin, Secret("a key with spaces 0123456789abcdefghijkl"));
  ASSERT_FALSE(bad_characters.has_value());
  EXPECT_EQ(bad_characters.error().reason(), "invalid_api_key_config");

  EXPECT_FALSE(authenticator.AddKey("ops", Role::kAdmin, Secret(kRelyingPartyKey)));
  EXPECT_FALSE(authenticator.AddKey("again", Role::kRelyingParty, Secret(kAdminKey)));
  EXPECT_FALSE(authenticator.AddKey("", Role::kAdmin, Secret(kRelyingPartyKey)));
  EXPECT_FALSE(authenticator.AddKeyDigest("hex", Role::kAdmin, "abcd"));
  EXPECT_FALSE(authenticator.AddKeyDigest("hex", Role::kAdmin, std::string(64, 'g')));
  EXPECT_EQ(authenticator.size(), 1u);
}

TEST(AuthorizeRequest, AdminMayCallRelyingPartyRoutes) {
  const ApiKeyAuthenticator authenticator = MakeAuthenticator();

  RequestContext context;
  ASSERT_TRUE(AuthorizeRequest(authenticator, Access::kRelyingParty, Bearer(kAdminKey), context));
  EXPECT_EQ(context.role, Role::kAdmin);
  EXPECT_EQ(context.api_key_name, "ops");
}

TEST(AuthorizeRequest, RelyingPartyMayNotCallAdminRoutes) {
  const ApiKeyAuthenticator authenticator = MakeAuthenticator();

  RequestContext context;
  const Status denied =
      AuthorizeRequest(authenticator, Access::kAdmin, Bearer(kRelyingPartyKey), context);
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.error().reason(), "permission_denied");
}

TEST(AuthorizeRequest, PublicRoutesIgnoreCredentials) {
  const ApiKeyAuthenticator authenticator = MakeAuthenticator();

  RequestContext context;
  EXPECT_TRUE(AuthorizeRequest(authenticator, Access::kPublic, "", context));
  EXPECT_TRUE(AuthorizeRequest(authenticator, Access::kPublic, "Bearer wrong", context));
  EXPECT_FALSE(context.role.has_value());
}

TEST(AuthorizeRequest, LoopbackOrAdminChecksPeerAndKey) {
  const ApiKeyAuthenticator authenticator = MakeAuthenticator();

  RequestContext loopback;
  loopback.remote_is_loopback = true;
  EXPECT_TRUE(AuthorizeRequest(authenticator, Access::kLoopbackOrAdmin, "", loopback));
  // A key sent from loopback is still checked.
  EXPECT_FALSE(
      AuthorizeRequest(authenticator, Access::kLoopbackOrAdmin, "Bearer wrong-key", loopback));

  RequestContext remote;
  remote.remote_is_loopback = false;
  const Status no_key = AuthorizeRequest(authenticator, Access::kLoopbackOrAdmin, "", remote);
  ASSERT_FALSE(no_key.has_value());
  EXPECT_EQ(no_key.error().code(), StatusCode::kUnauthenticated);
  EXPECT_FALSE(
      AuthorizeRequest(authenticator, Access::kLoopbackOrAdmin, Bearer(kRelyingPartyKey), remote));
  EXPECT_TRUE(AuthorizeRequest(authenticator, Access::kLoopbackOrAdmin, Bearer(kAdminKey), remote));
}

TEST(Role, ParsesAndNamesRoles) {
  EXPECT_EQ(ParseRole("admin"), Role::kAdmin);
  EXPECT_EQ(ParseRole("relying_party"), Role::kRelyingParty);
  const Result<Role> unknown = ParseRole("root");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().reason(), "invalid_role");
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
  EXPECT_EQ(RoleName(Role::kRelyingParty), "relying_party");
}

}  // namespace
}  // namespace devtrust::server
