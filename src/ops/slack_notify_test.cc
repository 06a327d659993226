#include "ops/slack_notify.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

namespace devtrust::ops {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kSha = "0123456789abcdef0123456789abcdef01234567";

CiRunInfo ValidInfo() {
  CiRunInfo info;
  info.status = CiStatus::kFailure;
  info.commit_sha = std::string(kSha);
  info.run_url = "https://github.com/acme/devtrust/actions/runs/42";
  info.branch = "main";
  info.repository = "acme/devtrust";
  return info;
}

json::object BuildObject(const CiRunInfo& info) {
  Result<std::string> message = BuildSlackCiMessage(info);
  EXPECT_TRUE(message.has_value()) << message.error().ToString();
  return json::parse(message.value_or("{}")).as_object();
}

std::string Text(const json::value& value) { return std::string(value.as_string()); }

TEST(SlackCiMessageTest, FailureMessageHasTextAndBlocks) {
  json::object message = BuildObject(ValidInfo());

  EXPECT_EQ(Text(message.at("text")),
            ":x: CI failed: acme/devtrust on main at 0123456. "
            "<https://github.com/acme/devtrust/actions/runs/42|View the CI run>");
  EXPECT_FALSE(message.contains("channel"));

  const json::array& blocks = message.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 3u);
  const json::object& header = blocks[0].as_object();
  EXPECT_EQ(Text(header.at("type")), "header");
  EXPECT_EQ(Text(header.at("text").at("type")), "plain_text");
  EXPECT_EQ(Text(header.at("text").at("text")), ":x: CI failed: acme/devtrust");

  const json::array& fields = blocks[1].at("fields").as_array();
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(Text(fields[0].at("text")), "*Status*\nfailure");
  EXPECT_EQ(Text(fields[1].at("text")), "*Repository*\nacme/devtrust");
  EXPECT_EQ(Text(fields[2].at("text")), "*Branch*\nmain");
  EXPECT_EQ(Text(fields[3].at("text")), "*Commit*\n`0123456`");
  for (const json::value& field : fields) {
    EXPECT_EQ(Text(field.at("type")), "mrkdwn");
  }

  EXPECT_EQ(Text(blocks[2].at("text").at("text")),
            "Full commit SHA: `0123456789abcdef0123456789abcdef01234567`\n"
            "<https://github.com/acme/devtrust/actions/runs/42|View the CI run>");
}

TEST(SlackCiMessageTest, SuccessAndCancelledWording) {
  CiRunInfo info = ValidInfo();
  info.status = CiStatus::kSuccess;
  EXPECT_EQ(Text(BuildObject(info).at("blocks").at(0).at("text").at("text")),
            ":white_check_mark: CI passed: acme/devtrust");

  info.status = CiStatus::kCancelled;
  EXPECT_EQ(Text(BuildObject(info).at("blocks").at(0).at("text").at("text")),
            ":heavy_minus_sign: CI cancelled: acme/devtrust");
}

TEST(SlackCiMessageTest, ChannelOnlyWhenGiven) {
  CiRunInfo info = ValidInfo();
  info.channel = "#trust-ops";

  json::object message = BuildObject(info);

  ASSERT_TRUE(message.contains("channel"));
  EXPECT_EQ(Text(message.at("channel")), "#trust-ops");
}

TEST(SlackCiMessageTest, EscapesBranchAndLink) {
  CiRunInfo info = ValidInfo();
  info.branch = "feat/<!channel>&co";
  info.run_url = "https://ci.example.invalid/run?a=1&b=<2>|x";

  json::object message = BuildObject(info);

  std::string text = Text(message.at("text"));
  EXPECT_NE(text.find("on feat/&lt;!channel&gt;&amp;co at"), std::string::npos) << text;
  EXPECT_EQ(text.find("<!channel>"), std::string::npos) << text;
  EXPECT_NE(text.find("<https://ci.example.invalid/run?a=1&amp;b=&lt;2&gt;%7Cx|View the CI run>"),
            std::string::npos)
      << text;
  EXPECT_EQ(Text(message.at("blocks").at(1).at("fields").at(2).at("text")),
            "*Branch*\nfeat/&lt;!channel&gt;&amp;co");
}

TEST(SlackCiMessageTest, MissingOptionalFieldsSayNotGiven) {
  CiRunInfo info = ValidInfo();
  info.branch.clear();
  info.repository.clear();

  json::object message = BuildObject(info);

  EXPECT_EQ(Text(message.at("blocks").at(0).at("text").at("text")), ":x: CI failed");
  EXPECT_EQ(Text(message.at("blocks").at(1).at("fields").at(1).at("text")),
            "*Repository*\n(not given)");
  EXPECT_EQ(Text(message.at("blocks").at(1).at("fields").at(2).at("text")),
            "*Branch*\n(not given)");
}

TEST(SlackCiMessageTest, AcceptsSha256Commits) {
  CiRunInfo info = ValidInfo();
  info.commit_sha = std::string(64, 'e');

  EXPECT_TRUE(BuildSlackCiMessage(info).has_value());
}

TEST(SlackCiMessageTest, StaysWithinSlackLimits) {
  CiRunInfo info = ValidInfo();
  info.branch = std::string(255, '&');
  info.run_url = "https://ci.example.invalid/" + std::string(500, '&');

  json::object message = BuildObject(info);

  const json::array& blocks = message.at("blocks").as_array();
  EXPECT_LE(blocks[0].at("text").at("text").as_string().size(), 150u);
  for (const json::value& field : blocks[1].at("fields").as_array()) {
    EXPECT_LE(field.at("text").as_string().size(), 2000u);
  }
  EXPECT_LE(blocks[2].at("text").at("text").as_string().size(), 3000u);
}

TEST(SlackCiMessageTest, RejectsOverlongEscapedLink) {
  CiRunInfo info = ValidInfo();
  info.run_url = "https://ci.example.invalid/" + std::string(1000, '&');

  Result<std::string> message = BuildSlackCiMessage(info);

  ASSERT_FALSE(message.has_value());
  EXPECT_EQ(message.error().reason(), "ci_run_invalid");
}

TEST(ValidateCiRunInfoTest, RejectsBadFields) {
  struct Case {
    std::string_view name;
    void (*change)(CiRunInfo&);
  };
  const Case cases[] = {
      {"short sha", [](CiRunInfo& info) { info.commit_sha = "0123456"; }},
      {"non-hex sha", [](CiRunInfo& info) { info.commit_sha = std::string(40, 'g'); }},
      {"url scheme", [](CiRunInfo& info) { info.run_url = "javascript:alert(1)"; }},
      {"url space", [](CiRunInfo& info) { info.run_url = "https://a.invalid/x y"; }},
      {"url length",
       [](CiRunInfo& info) { info.run_url = "https://a.invalid/" + std::string(2000, 'a'); }},
      {"branch newline", [](CiRunInfo& info) { info.branch = "main\nfake line"; }},
      {"branch length", [](CiRunInfo& info) { info.branch = std::string(256, 'b'); }},
      {"repository form", [](CiRunInfo& info) { info.repository = "no-slash"; }},
      {"repository chars", [](CiRunInfo& info) { info.repository = "acme/<dev>"; }},
      {"repository empty owner", [](CiRunInfo& info) { info.repository = "/devtrust"; }},
      {"channel chars", [](CiRunInfo& info) { info.channel = "#trust ops"; }},
      {"channel mention", [](CiRunInfo& info) { info.channel = "<!here>"; }},
      {"channel length", [](CiRunInfo& info) { info.channel = "#" + std::string(81, 'c'); }},
  };
  for (const Case& c : cases) {
    CiRunInfo info = ValidInfo();
    c.change(info);
    Status status = ValidateCiRunInfo(info);
    ASSERT_FALSE(status.has_value()) << c.name;
    EXPECT_EQ(status.error().reason(), "ci_run_invalid") << c.name;
  }
}

TEST(ParseCiStatusTest, AcceptsGithubJobStatuses) {
  EXPECT_EQ(ParseCiStatus("failure"), CiStatus::kFailure);
  EXPECT_EQ(ParseCiStatus("success"), CiStatus::kSuccess);
  EXPECT_EQ(ParseCiStatus("cancelled"), CiStatus::kCancelled);
  Result<CiStatus> unknown = ParseCiStatus("Failure");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().reason(), "ci_status_invalid");
}

TEST(EscapeSlackTextTest, EscapesControlCharactersOnly) {
  EXPECT_EQ(EscapeSlackText("a & b < c > d"), "a &amp; b &lt; c &gt; d");
  EXPECT_EQ(EscapeSlackText("*bold* _x_ `y`"), "*bold* _x_ `y`");
  EXPECT_EQ(EscapeSlackText("&amp;"), "&amp;amp;");
}

class WebhookUrlFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "devtrust-slack-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  fs::path WriteFile(const std::string& content, mode_t mode) {
    fs::path path = dir_ / "webhook-url";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    ::chmod(path.c_str(), mode);
    return path;
  }

  fs::path dir_;
};

TEST_F(WebhookUrlFileTest, ReadsAndTrimsUrl) {
  fs::path path = WriteFile("  https://hooks.example.invalid/services/T/B/secret\n", 0600);

  Result<crypto::SecretBytes> url = ReadWebhookUrlFile(path);

  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(url->AsStringView(), "https://hooks.example.invalid/services/T/B/secret");
}

TEST_F(WebhookUrlFileTest, RejectsGroupOrOtherAccess) {
  for (mode_t mode : {0640u, 0604u, 0660u, 0602u}) {
    fs::path path = WriteFile("https://hooks.example.invalid/services/T/B/secret\n", mode);

    Result<crypto::SecretBytes> url = ReadWebhookUrlFile(path);

    ASSERT_FALSE(url.has_value()) << std::oct << mode;
    EXPECT_EQ(url.error().reason(), "webhook_url_file_permissions");
    EXPECT_NE(url.error().message().find("chmod 600"), std::string::npos);
    EXPECT_EQ(url.error().message().find("secret"), std::string::npos);
  }
}

TEST_F(WebhookUrlFileTest, RejectsEmptyFile) {
  fs::path path = WriteFile(" \n\n", 0600);

  Result<crypto::SecretBytes> url = ReadWebhookUrlFile(path);

  ASSERT_FALSE(url.has_value());
  EXPECT_EQ(url.error().reason(), "webhook_url_file_invalid");
}

TEST_F(WebhookUrlFileTest, RejectsSpaceInsideUrl) {
  fs::path path = WriteFile("https://hooks.example.invalid/secret one\n", 0600);

  Result<crypto::SecretBytes> url = ReadWebhookUrlFile(path);

  ASSERT_FALSE(url.has_value());
  EXPECT_EQ(url.error().reason(), "webhook_url_file_invalid");
  EXPECT_EQ(url.error().message().find("secret"), std::string::npos);
}

TEST_F(WebhookUrlFileTest, RejectsOversizedFile) {
  fs::path path = WriteFile("https://x.invalid/" + std::string(5000, 'a'), 0600);

  Result<crypto::SecretBytes> url = ReadWebhookUrlFile(path);

  ASSERT_FALSE(url.has_value());
  EXPECT_EQ(url.error().reason(), "webhook_url_file_invalid");
}

TEST_F(WebhookUrlFileTest, RejectsDirectoryAndMissingFile) {
  Result<crypto::SecretBytes> directory = ReadWebhookUrlFile(dir_);
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().reason(), "webhook_url_file_invalid");

  Result<crypto::SecretBytes> missing = ReadWebhookUrlFile(dir_ / "absent");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().reason(), "webhook_url_file_unreadable");
}

}  // namespace
}  // namespace devtrust::ops
