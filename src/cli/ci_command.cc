// `devtrust ci`: tools for CI pipelines. `check-docs` enforces the trust
// pipeline documentation rule on a pull request; `notify` posts a CI result to
// a Slack incoming webhook.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "ops/ci_docs_check.h"
#include "ops/ci_docs_check_comment.h"
#include "ops/slack_notify.h"
#include "ops/webhook_client.h"

namespace devtrust::cli {
namespace {

// Exit codes of `ci check-docs`, part of its interface for pipelines.
constexpr int kDocsPassed = 0;
constexpr int kDocsMissing = 1;
constexpr int kDocsUsageOrGitError = 2;

// Exit codes of `ci notify`.
constexpr int kNotifySent = 0;
constexpr int kNotifyDeliveryFailed = 1;
constexpr int kNotifyUsageError = 2;

constexpr std::string_view kCheckDocsFooter = R"(
Exit status:
  0  the documentation rules pass
  1  documentation is missing: a required document is absent at the head
     commit, or trust pipeline paths changed without an update of
     DEVICE_TRUST.md or SECURITY.md
  2  usage or git error: a bad option or revision, base and head without a
     merge base, git missing or timed out; nothing was checked
  A command line that cannot be parsed at all, such as an option without its
  value, exits with the argument parser's codes (100 and above).

The change is the diff from the merge base of --base and --head to --head,
the same range a pull request shows. The head commit's tree is read, not the
working directory. The default trust pipeline paths are src/crypto/**,
src/pki/**, src/trust/**, src/server/**, src/service/** and src/api/**;
--config replaces them with a YAML file of the form:

  trust_paths:
    - src/crypto/**
    - lib/attestation/**
)";

constexpr std::string_view kNotifyFooter = R"(
Exit status:
  0  Slack accepted the message
  1  delivery failed after the last attempt (network error, HTTP 4xx, or 5xx
     and 429 until the attempts ran out)
  2  usage error: a bad option value or an unusable webhook URL file
  A command line that cannot be parsed at all exits with the argument
  parser's codes (100 and above).

The webhook URL is a credential: it is read from a file that only its owner
may access (chmod 600) and is never printed.
)";

struct CheckDocsArguments {
  std::string base;
  std::string head;
  std::string repository = ".";
  std::string config;
  std::string comment_file;
};

struct NotifyArguments {
  std::string webhook_url_file;
  std::string status;
  std::string sha;
  std::string run_url;
  std::string branch;
  std::string repository;
  std::string channel;
  std::string ca_file;
  int max_attempts = 4;
};

// Options are checked here rather than with CLI11's required() and validators
// so that every usage error exits with the documented code 2 and a message
// that names the option. Arguments that CLI11 cannot parse at all, such as an
// option missing its value, still exit with CLI11's own codes (100 and up).
bool CheckRequired(const std::string& value, std::string_view option, std::string_view command) {
  if (!value.empty()) {
    return true;
  }
  std::cerr << fmt::format("devtrust ci {}: {} is required (see --help)\n", command, option);
  return false;
}

bool CheckNoExtras(CLI::App* command) {
  std::vector<std::string> extras = command->remaining();
  if (extras.empty()) {
    return true;
  }
  std::cerr << fmt::format("devtrust ci {}: unexpected argument \"{}\" (see --help)\n",
                           command->get_name(), extras.front());
  return false;
}

bool WriteComment(const std::string& path, const std::string& comment) {
  if (path.empty()) {
    std::cout << comment;
    return true;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << comment;
  file.close();
  if (!file) {
    std::cerr << fmt::format("devtrust ci check-docs: cannot write the comment file {}\n", path);
    return false;
  }
  return true;
}

int RunCheckDocs(CLI::App* command, const CheckDocsArguments& arguments) {
  if (!CheckNoExtras(command) || !CheckRequired(arguments.base, "--base", "check-docs") ||
      !CheckRequired(arguments.head, "--head", "check-docs")) {
    return kDocsUsageOrGitError;
  }

  ops::DocsCheckRequest request;
  request.repository = arguments.repository;
  request.base_revision = arguments.base;
  request.head_revision = arguments.head;
  if (!arguments.config.empty()) {
    Result<ops::DocsCheckConfig> config = ops::LoadDocsCheckConfig(arguments.config);
    if (!config) {
      std::cerr << "devtrust ci check-docs: " << config.error().ToString() << "\n";
      return kDocsUsageOrGitError;
    }
    request.config = std::move(*config);
  }

  Result<ops::DocsCheckReport> report = ops::RunDocsCheck(request);
  if (!report) {
    std::cerr << "devtrust ci check-docs: " << report.error().ToString() << "\n";
    return kDocsUsageOrGitError;
  }

  // The comment goes out in both outcomes, so that a bot can replace a
  // failure comment with the passing note.
  if (!WriteComment(arguments.comment_file, ops::RenderDocsCheckComment(*report))) {
    return kDocsUsageOrGitError;
  }
  if (report->passed()) {
    std::cerr << fmt::format(
        "devtrust ci check-docs: passed ({} changed paths, {} in the trust "
        "pipeline)\n",
        report->changed_path_count, report->trust_changes.size());
    return kDocsPassed;
  }
  std::cerr << fmt::format(
      "devtrust ci check-docs: failed: {} missing documents, {} "
      "undocumented trust pipeline changes; see the comment\n",
      report->missing_docs.size(),
      report->trust_change_undocumented() ? report->trust_changes.size() : 0);
  return kDocsMissing;
}

int RunNotify(CLI::App* command, const NotifyArguments& arguments) {
  if (!CheckNoExtras(command) ||
      !CheckRequired(arguments.webhook_url_file, "--webhook-url-file", "notify") ||
      !CheckRequired(arguments.status, "--status", "notify") ||
      !CheckRequired(arguments.sha, "--sha", "notify") ||
      !CheckRequired(arguments.run_url, "--run-url", "notify")) {
    return kNotifyUsageError;
  }
  if (arguments.max_attempts < 1 || arguments.max_attempts > 10) {
    std::cerr << "devtrust ci notify: --max-attempts must be between 1 and 10\n";
    return kNotifyUsageError;
  }

  // Validate everything before reading the credential.
  Result<ops::CiStatus> status = ops::ParseCiStatus(arguments.status);
  if (!status) {
    std::cerr << "devtrust ci notify: " << status.error().ToString() << "\n";
    return kNotifyUsageError;
  }
  ops::CiRunInfo info{*status,          arguments.sha,        arguments.run_url,
                      arguments.branch, arguments.repository, arguments.channel};
  if (Status valid = ops::ValidateCiRunInfo(info); !valid) {
    std::cerr << "devtrust ci notify: " << valid.error().ToString() << "\n";
    return kNotifyUsageError;
  }
  Result<crypto::SecretBytes> url = ops::ReadWebhookUrlFile(arguments.webhook_url_file);
  if (!url) {
    std::cerr << "devtrust ci notify: " << url.error().ToString() << "\n";
    return kNotifyUsageError;
  }

  ops::WebhookClientOptions options;
  options.max_attempts = arguments.max_attempts;
  options.ca_file = arguments.ca_file;
  options.on_retry = [](const ops::WebhookRetryNotice& notice) {
    std::cerr << fmt::format(
        "devtrust ci notify: attempt {} of {} failed: {}; retrying in {} ms{}\n", notice.attempt,
        notice.max_attempts, notice.reason, notice.delay.count(),
        notice.from_retry_after ? " as the server's Retry-After header requests" : "");
  };
  ops::WebhookClient client(options);

  Result<ops::WebhookResponse> response = ops::SendSlackCiNotification(client, *url, info);
  if (!response) {
    // Invalid URLs are a usage error; everything else failed on the way.
    std::cerr << "devtrust ci notify: " << response.error().ToString() << "\n";
    return response.error().code() == StatusCode::kInvalidArgument ? kNotifyUsageError
                                                                   : kNotifyDeliveryFailed;
  }
  std::cerr << fmt::format("devtrust ci notify: sent the {} notification for {} (HTTP {}, {} {})\n",
                           ops::CiStatusName(info.status), info.commit_sha.substr(0, 12),
                           response->status, response->attempts,
                           response->attempts == 1 ? "attempt" : "attempts");
  return kNotifySent;
}

void AddCheckDocsCommand(CLI::App& ci) {
  CLI::App* command = ci.add_subcommand(
      "check-docs",
      "Fail a pull request that lacks DEVICE_TRUST.md, SECURITY.md or PR_SECURITY_CHECKLIST.md, "
      "or that changes trust pipeline code without updating DEVICE_TRUST.md or SECURITY.md");
  command->allow_extras();
  command->footer(std::string(kCheckDocsFooter));
  auto arguments = std::make_shared<CheckDocsArguments>();
  command->add_option("--base", arguments->base,
                      "Base revision of the pull request (commit SHA, branch or tag)");
  command->add_option("--head", arguments->head, "Head revision of the pull request");
  command->add_option("--repo", arguments->repository, "Git repository directory (default: .)");
  command->add_option("--config", arguments->config,
                      "YAML file with trust_paths globs that replace the defaults");
  command->add_option("--comment-file", arguments->comment_file,
                      "Write the Markdown pull request comment to this file instead of stdout");
  command->callback([command, arguments] { SetExitCode(RunCheckDocs(command, *arguments)); });
}

void AddNotifyCommand(CLI::App& ci) {
  CLI::App* command = ci.add_subcommand(
      "notify", "Post a CI result to a Slack incoming webhook, retrying with backoff");
  command->allow_extras();
  command->footer(std::string(kNotifyFooter));
  auto arguments = std::make_shared<NotifyArguments>();
  command->add_option("--webhook-url-file", arguments->webhook_url_file,
                      "File that contains the Slack webhook URL (mode 600)");
  command->add_option("--status", arguments->status, "CI result: failure, success or cancelled");
  command->add_option("--sha", arguments->sha, "Full commit SHA the CI run tested");
  command->add_option("--run-url", arguments->run_url, "URL of the CI run");
  command->add_option("--branch", arguments->branch, "Branch name shown in the message");
  command->add_option("--repository", arguments->repository,
                      "Repository as OWNER/NAME shown in the message");
  command->add_option("--channel", arguments->channel,
                      "Channel such as #trust-ops (honoured by legacy webhooks only)");
  command->add_option("--ca-file", arguments->ca_file,
                      "PEM file of CA certificates to trust instead of the system store");
  command->add_option("--max-attempts", arguments->max_attempts,
                      "Attempts in total, 1 to 10 (default: 4)");
  command->callback([command, arguments] { SetExitCode(RunNotify(command, *arguments)); });
}

}  // namespace

void AddCiCommand(CLI::App& app) {
  CLI::App* ci = app.add_subcommand("ci", "CI pipeline tools: documentation check, Slack notify");
  ci->require_subcommand(1);
  AddCheckDocsCommand(*ci);
  AddNotifyCommand(*ci);
}

}  // namespace devtrust::cli
