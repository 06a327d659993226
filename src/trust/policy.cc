#include "trust/policy.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <string>
#include <utility>

#include "trust/yaml_fields.h"

namespace devtrust::trust {
namespace {

constexpr std::string_view kReason = "fallback_policy_invalid";

constexpr std::array<std::pair<FallbackKind, std::string_view>, 3> kKindNames = {{
    {FallbackKind::kClassicalSessionKey, "classical_session_key"},
    {FallbackKind::kEcdsaCertificate, "ecdsa_certificate"},
    {FallbackKind::kTlsWithoutHybridGroup, "tls_without_hybrid_group"},
}};

void SetAllowed(FallbackPolicy& policy, FallbackKind kind, bool allowed) {
  switch (kind) {
    case FallbackKind::kClassicalSessionKey:
      policy.allow_classical_session_key = allowed;
      return;
    case FallbackKind::kEcdsaCertificate:
      policy.allow_ecdsa_certificate = allowed;
      return;
    case FallbackKind::kTlsWithoutHybridGroup:
      policy.allow_tls_without_hybrid_group = allowed;
      return;
  }
}

}  // namespace

std::string_view FallbackKindName(FallbackKind kind) {
  for (const auto& [candidate, name] : kKindNames) {
    if (candidate == kind) {
      return name;
    }
  }
  return "unknown";
}

std::optional<FallbackKind> ParseFallbackKind(std::string_view name) {
  for (const auto& [kind, kind_name] : kKindNames) {
    if (kind_name == name) {
      return kind;
    }
  }
  return std::nullopt;
}

bool FallbackPolicy::Allows(FallbackKind kind) const {
  switch (kind) {
    case FallbackKind::kClassicalSessionKey:
      return allow_classical_session_key;
    case FallbackKind::kEcdsaCertificate:
      return allow_ecdsa_certificate;
    case FallbackKind::kTlsWithoutHybridGroup:
      return allow_tls_without_hybrid_group;
  }
  return false;
}

Decision FallbackPolicy::Decide(FallbackKind kind) const {
  return DecideFor(Allows(kind) ? ReasonCode::kClassicalFallback : ReasonCode::kFallbackNotAllowed);
}

Result<FallbackPolicy> FallbackPolicy::FromYaml(const YAML::Node& node) {
  std::array<std::string_view, kKindNames.size()> keys{};
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    keys[i] = kKindNames[i].second;
  }

  FallbackPolicy policy;
  try {
    if (Status mapping = CheckYamlMapping(node, keys, "fallback policy", kReason); !mapping) {
      return std::unexpected(mapping.error());
    }
    for (const auto& [kind, name] : kKindNames) {
      const YAML::Node value = node[std::string(name)];
      if (!value) {
        continue;
      }
      const Result<bool> allowed = ReadYamlBool(value, name, kReason);
      if (!allowed) {
        return std::unexpected(allowed.error());
      }
      SetAllowed(policy, kind, *allowed);
    }
  } catch (const YAML::Exception& exception) {
    return MakeError(StatusCode::kInvalidArgument, std::string(kReason),
                     fmt::format("fallback policy could not be read: {}", exception.what()));
  }
  return policy;
}

}  // namespace devtrust::trust
