#include "ops/slack_notify.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>

namespace devtrust::ops {
namespace {

constexpr std::size_t kMaxWebhookUrlBytes = 4096;
constexpr std::size_t kMaxRunUrlBytes = 2000;
constexpr std::size_t kMaxBranchBytes = 255;
constexpr std::size_t kMaxChannelChars = 80;
constexpr std::size_t kShortShaLength = 7;
// Keeps the section that carries the link below Slack's 3,000 character limit
// for a section's text, with room for the SHA line.
constexpr std::size_t kMaxLinkChars = 2800;

// The text for an errno value. GNU strerror_r is used because strerror may
// share one buffer between threads.
std::string ErrnoText(int error) {
  std::array<char, 256> buffer{};
  return ::strerror_r(error, buffer.data(), buffer.size());
}

std::unexpected<Error> InvalidRun(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "ci_run_invalid", std::move(message));
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool HasControlOrSpace(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
}

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool IsNameList(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsNameChar);
}

// A URL for Slack's <url|label> link syntax. Besides the usual escapes, '|'
// is percent-encoded because Slack reads it as the start of the label.
std::string EscapeLinkUrl(std::string_view url) {
  std::string escaped;
  for (char c : url) {
    if (c == '|') {
      escaped += "%7C";
    } else {
      escaped += c;
    }
  }
  return EscapeSlackText(escaped);
}

struct StatusWording {
  std::string_view emoji;
  std::string_view headline;
};

StatusWording WordingFor(CiStatus status) {
  switch (status) {
    case CiStatus::kFailure:
      return {":x:", "CI failed"};
    case CiStatus::kSuccess:
      return {":white_check_mark:", "CI passed"};
    case CiStatus::kCancelled:
      return {":heavy_minus_sign:", "CI cancelled"};
  }
  return {":grey_question:", "CI finished"};
}

boost::json::object MrkdwnText(std::string text) {
  return boost::json::object{{"type", "mrkdwn"}, {"text", std::move(text)}};
}

}  // namespace

Result<CiStatus> ParseCiStatus(std::string_view text) {
  if (text == "failure") return CiStatus::kFailure;
  if (text == "success") return CiStatus::kSuccess;
  if (text == "cancelled") return CiStatus::kCancelled;
  return MakeError(
      StatusCode::kInvalidArgument, "ci_status_invalid",
      fmt::format("unknown CI status \"{}\"; use failure, success or cancelled",
                  HasControl(text) ? std::string("(not printable)") : std::string(text)));
}

std::string_view CiStatusName(CiStatus status) {
  switch (status) {
    case CiStatus::kFailure:
      return "failure";
    case CiStatus::kSuccess:
      return "success";
    case CiStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

Status ValidateCiRunInfo(const CiRunInfo& info) {
  const std::string& sha = info.commit_sha;
  if ((sha.size() != 40 && sha.size() != 64) || !std::all_of(sha.begin(), sha.end(), IsHexDigit)) {
    return InvalidRun(
        "the commit SHA must be the full 40 (SHA-1) or 64 (SHA-256) hex digits, as "
        "in ${{ github.sha }}");
  }

  std::string_view url = info.run_url;
  bool url_scheme_ok = url.starts_with("https://") || url.starts_with("http://");
  if (!url_scheme_ok || url.size() > kMaxRunUrlBytes || HasControlOrSpace(url)) {
    return InvalidRun(fmt::format(
        "the run URL must be an http(s) URL of at most {} bytes without spaces or control "
        "characters, such as https://github.com/OWNER/NAME/actions/runs/ID",
        kMaxRunUrlBytes));
  }

  if (info.branch.size() > kMaxBranchBytes || HasControl(info.branch)) {
    return InvalidRun(fmt::format(
        "the branch name must be at most {} bytes without control characters", kMaxBranchBytes));
  }

  if (!info.repository.empty()) {
    std::size_t slash = info.repository.find('/');
    bool repository_ok = slash != std::string::npos &&
                         IsNameList(std::string_view(info.repository).substr(0, slash)) &&
                         IsNameList(std::string_view(info.repository).substr(slash + 1));
    if (!repository_ok) {
      return InvalidRun(fmt::format(
          "the repository \"{}\" is not of the form OWNER/NAME (letters, digits, '.', '_', '-')",
          HasControl(info.repository) ? std::string("(not printable)") : info.repository));
    }
  }

  if (!info.channel.empty()) {
    std::string_view name = info.channel;
    if (name.starts_with('#')) {
      name.remove_prefix(1);
    }
    if (name.size() > kMaxChannelChars || !IsNameList(name)) {
      return InvalidRun(fmt::format(
          "the channel must be '#' and 1 to {} letters, digits, '.', '_' or '-', such as "
          "#trust-ops",
          kMaxChannelChars));
    }
  }
  return {};
}

std::string EscapeSlackText(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

Result<std::string> BuildSlackCiMessage(const CiRunInfo& info) {
  if (Status valid = ValidateCiRunInfo(info); !valid) {
    return std::unexpected(valid.error());
  }

  // The values shown. The repository and channel passed validation, so they
  // contain no characters that need escaping, but the branch may.
  StatusWording wording = WordingFor(info.status);
  std::string short_sha = info.commit_sha.substr(0, kShortShaLength);
  std::string repository = info.repository.empty() ? std::string("(not given)") : info.repository;
  std::string branch =
      info.branch.empty() ? std::string("(not given)") : EscapeSlackText(info.branch);
  std::string link = fmt::format("<{}|View the CI run>", EscapeLinkUrl(info.run_url));
  if (link.size() > kMaxLinkChars) {
    return InvalidRun(fmt::format(
        "the run URL is {} characters long once escaped for Slack, more than the maximum of {}",
        link.size(), kMaxLinkChars));
  }

  // Header text is plain_text of at most 150 characters, so the repository is
  // left out when it would not fit.
  std::string header = fmt::format("{} {}", wording.emoji, wording.headline);
  if (!info.repository.empty() && header.size() + 2 + info.repository.size() <= 150) {
    header += ": " + info.repository;
  }

  std::string fallback = fmt::format("{} {}: {} on {} at {}. {}", wording.emoji, wording.headline,
                                     repository, branch, short_sha, link);

  boost::json::array fields{
      MrkdwnText(fmt::format("*Status*\n{}", CiStatusName(info.status))),
      MrkdwnText(fmt::format("*Repository*\n{}", repository)),
      MrkdwnText(fmt::format("*Branch*\n{}", branch)),
      MrkdwnText(fmt::format("*Commit*\n`{}`", short_sha)),
  };
  boost::json::array blocks{
      boost::json::object{
          {"type", "header"},
          {"text", boost::json::object{{"type", "plain_text"}, {"text", header}, {"emoji", true}}}},
      boost::json::object{{"type", "section"}, {"fields", std::move(fields)}},
      boost::json::object{
          {"type", "section"},
          {"text", MrkdwnText(fmt::format("Full commit SHA: `{}`\n{}", info.commit_sha, link))}},
  };

  boost::json::object message{{"text", fallback}, {"blocks", std::move(blocks)}};
  if (!info.channel.empty()) {
    message["channel"] = info.channel;
  }
  return boost::json::serialize(message);
}

Result<crypto::SecretBytes> ReadWebhookUrlFile(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return MakeError(
        StatusCode::kNotFound, "webhook_url_file_unreadable",
        fmt::format("cannot open the webhook URL file {}: {}", path.string(), ErrnoText(errno)));
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};

  // Check the opened file itself, so a swap of the path after the check
  // cannot pass.
  struct stat info{};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    return MakeError(StatusCode::kInvalidArgument, "webhook_url_file_invalid",
                     fmt::format("the webhook URL file {} is not a regular file", path.string()));
  }
  if ((info.st_mode & 077) != 0) {
    return MakeError(
        StatusCode::kPermissionDenied, "webhook_url_file_permissions",
        fmt::format("the webhook URL file {} has mode {:04o}, so group or others can access "
                    "the credential; run chmod 600 {}",
                    path.string(), info.st_mode & 07777, path.string()));
  }

  // Read one byte more than allowed to detect an oversized file.
  crypto::SecretBytes buffer(kMaxWebhookUrlBytes + 1);
  std::size_t length = 0;
  while (length < buffer.size()) {
    ssize_t count = ::read(fd, buffer.data() + length, buffer.size() - length);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      return MakeError(StatusCode::kNotFound, "webhook_url_file_unreadable",
                       fmt::format("reading the webhook URL file {} failed: {}", path.string(),
                                   ErrnoText(errno)));
    }
    if (count == 0) {
      break;
    }
    length += static_cast<std::size_t>(count);
  }
  if (length > kMaxWebhookUrlBytes) {
    return MakeError(StatusCode::kInvalidArgument, "webhook_url_file_invalid",
                     fmt::format("the webhook URL file {} is larger than {} bytes; it must "
                                 "contain only the URL",
                                 path.string(), kMaxWebhookUrlBytes));
  }

  // Trim surrounding whitespace (a trailing newline is usual).
  std::string_view text(reinterpret_cast<const char*>(buffer.data()), length);
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "webhook_url_file_invalid",
                     fmt::format("the webhook URL file {} is empty; write the Slack incoming "
                                 "webhook URL into it",
                                 path.string()));
  }
  if (HasControlOrSpace(text)) {
    return MakeError(StatusCode::kInvalidArgument, "webhook_url_file_invalid",
                     fmt::format("the webhook URL file {} contains whitespace or control "
                                 "characters inside the URL; it must contain only the URL",
                                 path.string()));
  }
  return crypto::SecretBytes(AsBytes(text));
}

Result<WebhookResponse> SendSlackCiNotification(const WebhookClient& client,
                                                const crypto::SecretBytes& webhook_url,
                                                const CiRunInfo& info) {
  Result<std::string> message = BuildSlackCiMessage(info);
  if (!message) {
    return std::unexpected(message.error());
  }
  return client.PostJson(webhook_url.AsStringView(), *message);
}

}  // namespace devtrust::ops
