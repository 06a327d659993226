// CI result notifications for Slack incoming webhooks.
//
// The message has a `text` fallback, which notifications and clients without
// Block Kit show. Its `blocks` are a header with the result, a section with
// the repository, branch and commit as fields, and a section with the full
// SHA and a link to the CI run. Slack reads '&', '<' and '>' as control
// characters, so user-controlled text has them escaped as "&amp;", "&lt;"
// and "&gt;", following Slack's guide to formatting text.
#ifndef DEVTRUST_OPS_SLACK_NOTIFY_H_
#define DEVTRUST_OPS_SLACK_NOTIFY_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/error.h"
#include "crypto/secret_bytes.h"
#include "ops/webhook_client.h"

namespace devtrust::ops {

enum class CiStatus : std::uint8_t { kFailure, kSuccess, kCancelled };

// Parses "failure", "success" or "cancelled", the values of GitHub's
// job.status. Errors: kInvalidArgument "ci_status_invalid".
Result<CiStatus> ParseCiStatus(std::string_view text);

std::string_view CiStatusName(CiStatus status);

struct CiRunInfo {
  CiStatus status = CiStatus::kFailure;
  std::string commit_sha;  // 40 (SHA-1) or 64 (SHA-256) hex digits
  std::string run_url;     // https URL of the CI run
  std::string branch;      // optional
  std::string repository;  // optional, "owner/name"
  std::string channel;     // optional, such as "#trust-ops"
};

// Checks every field before anything is sent. Errors: kInvalidArgument
// "ci_run_invalid" naming the field when
// - the SHA is not 40 or 64 hex digits;
// - the run URL is not http(s), is longer than 2000 bytes, or contains
//   whitespace or control characters;
// - the branch is longer than 255 bytes or contains control characters;
// - the repository is not OWNER/NAME of letters, digits, '.', '_' and '-';
// - the channel is not an optional '#' and 1 to 80 letters, digits, '.', '_'
//   or '-'.
Status ValidateCiRunInfo(const CiRunInfo& info);

// Escapes '&', '<' and '>' for Slack text.
std::string EscapeSlackText(std::string_view text);

// Builds the JSON payload for a validated CiRunInfo. The `channel` field is
// present only when info.channel is set (legacy webhooks honour it; app
// webhooks post to their own channel). Errors: those of ValidateCiRunInfo.
Result<std::string> BuildSlackCiMessage(const CiRunInfo& info);

// Reads a webhook URL from a file of at most 4 KiB and trims surrounding
// whitespace. The file must not be readable or writable by group or others,
// because the URL is a credential. No message contains the file's content.
// Errors:
// - kNotFound "webhook_url_file_unreadable": the file cannot be read.
// - kPermissionDenied "webhook_url_file_permissions": group or others have
//   access; the message gives the mode and the chmod to run.
// - kInvalidArgument "webhook_url_file_invalid": not a regular file, empty,
//   larger than 4 KiB, or whitespace inside the URL.
Result<crypto::SecretBytes> ReadWebhookUrlFile(const std::filesystem::path& path);

// Builds the message and posts it with `client`. Errors: those of
// BuildSlackCiMessage and WebhookClient::PostJson.
Result<WebhookResponse> SendSlackCiNotification(const WebhookClient& client,
                                                const crypto::SecretBytes& webhook_url,
                                                const CiRunInfo& info);

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_SLACK_NOTIFY_H_
