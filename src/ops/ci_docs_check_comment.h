// The pull request comment that reports a documentation check.
#ifndef DEVTRUST_OPS_CI_DOCS_CHECK_COMMENT_H_
#define DEVTRUST_OPS_CI_DOCS_CHECK_COMMENT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "ops/ci_docs_check.h"

namespace devtrust::ops {

// The first line of every comment, so that a bot can find and update its own
// comment instead of adding a new one on each run.
inline constexpr std::string_view kDocsCheckCommentMarker = "<!-- devtrust-check-docs -->";

// Maximum trust changes listed by path; the rest are counted.
inline constexpr std::size_t kMaxListedChanges = 50;

// Renders the comment in GitHub Markdown. It starts with
// kDocsCheckCommentMarker and a heading that ends in "passed" or "failed",
// names each problem with the files involved and what to do, and is a short
// note when the check passed. The wording is stable across runs with the same
// result, so a bot can compare it with its previous comment. Paths appear in
// code spans with control characters escaped, and at most kMaxListedChanges
// are listed, which keeps the comment far below GitHub's limit of 65,536
// characters.
std::string RenderDocsCheckComment(const DocsCheckReport& report);

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_CI_DOCS_CHECK_COMMENT_H_
