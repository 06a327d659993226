// Checks what .github/workflows/ci.yml must do for devtrust, beyond being a
// valid workflow:
// - the docs job runs `devtrust ci check-docs` on the pull request's range
//   (base.sha to head.sha) with the full history, and posts its comment;
// - permissions are minimal;
// - jobs are ordered so that a failed job stops the jobs after it;
// - a failure notifies Slack through `devtrust ci notify`, with the webhook
//   URL in a 0600 file;
// - test results are uploaded under a name with the commit SHA.
//
// Usage: node check_workflow_contract.mjs WORKFLOW.yml
// Exit status: 0 all checks pass, 1 a check failed, 77 node_modules is not
// installed (skip).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const kSkip = 77;
const kBaseSha = '${{ github.event.pull_request.base.sha }}';
const kHeadSha = '${{ github.event.pull_request.head.sha }}';

let failures = 0;

function check(condition, description) {
  console.log(`${condition ? 'ok' : 'not ok'} - ${description}`);
  if (!condition) failures += 1;
}

function steps(job) {
  return Array.isArray(job?.steps) ? job.steps : [];
}

function findRunStep(job, command) {
  return steps(job).find((step) => typeof step.run === 'string' && step.run.includes(command));
}

function usesAction(step, action) {
  return typeof step.uses === 'string' && step.uses.startsWith(`${action}@`);
}

function needsOf(job) {
  if (job?.needs === undefined) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}

// Splits the command line that starts with `command` (continued over lines
// ending in a backslash) into words: a ${{ }} expression, a double-quoted
// string or a run of non-space characters each make one word.
function commandWords(run, command) {
  const start = run.indexOf(command);
  if (start < 0) return [];
  const line = run.slice(start).replace(/\\\n/g, ' ').split('\n')[0];
  return line.match(/\$\{\{.*?\}\}|"[^"]*"|\S+/g) ?? [];
}

function flagValue(words, flag) {
  const index = words.indexOf(flag);
  return index >= 0 ? words[index + 1] : undefined;
}

function checkTriggersAndPermissions(workflow) {
  const triggers = workflow.on ?? {};
  check('push' in triggers, 'the workflow runs on push');
  check('pull_request' in triggers, 'the workflow runs on pull_request');
  check(JSON.stringify(workflow.permissions) === JSON.stringify({ contents: 'read' }),
        'top-level permissions are only contents: read');
  for (const [name, job] of Object.entries(workflow.jobs)) {
    const writesPullRequests = job.permissions?.['pull-requests'] === 'write';
    if (name === 'docs') {
      check(writesPullRequests && job.permissions?.contents === 'read' &&
            Object.keys(job.permissions).length === 2,
            'docs job permissions are contents: read and pull-requests: write');
    } else {
      check(job.permissions === undefined, `job ${name} inherits the read-only permissions`);
    }
  }
}

function checkOrdering(jobs) {
  check(needsOf(jobs.build).includes('format'), 'build waits for format');
  for (const name of ['clang-tidy', 'test', 'docs']) {
    check(needsOf(jobs[name]).includes('build'), `${name} waits for build`);
  }
  check(jobs.notify?.if === 'failure()', 'notify runs only when a job failed');
  for (const name of ['format', 'build', 'clang-tidy', 'test', 'docs']) {
    check(needsOf(jobs.notify).includes(name), `notify waits for ${name}`);
  }
}

function checkFormatAndTidy(jobs) {
  const format = findRunStep(jobs.format, 'git diff --name-only');
  check(format !== undefined && format.run.includes('--dry-run') && format.run.includes('-Werror'),
        'format job runs clang-format --dry-run -Werror');
  check(format !== undefined && format.run.includes('git diff --name-only'),
        'format job checks the changed files');
  const tidy = findRunStep(jobs['clang-tidy'], 'git diff --name-only');
  check(tidy !== undefined && /clang-tidy\S* -p build\/ci/.test(tidy.run),
        'clang-tidy job checks the changed files with build/ci/compile_commands.json');
}

function checkBuildAndTests(jobs) {
  check(findRunStep(jobs.build, 'scripts/setup') !== undefined, 'build job runs scripts/setup');
  check(findRunStep(jobs.build, 'cmake --preset ci') !== undefined,
        'build job configures with the ci preset');
  const ctest = findRunStep(jobs.test, 'ctest');
  check(ctest !== undefined && ctest.run.includes('--output-junit'),
        'test job runs ctest with --output-junit');
  const upload = steps(jobs.test).find((step) => usesAction(step, 'actions/upload-artifact'));
  check(upload !== undefined && String(upload.with?.name).includes('${{ github.sha }}'),
        'test results are uploaded under a name with the commit SHA');
  check(upload !== undefined && upload.if === 'always()',
        'test results are uploaded when tests fail too');
}

function checkDocsJob(job) {
  check(typeof job?.if === 'string' && job.if.includes("github.event_name == 'pull_request'"),
        'docs job runs on pull requests only');
  const checkout = steps(job).find((step) => usesAction(step, 'actions/checkout'));
  check(checkout?.with?.['fetch-depth'] === 0, 'docs job checks out the full history');

  const docsStep = findRunStep(job, 'devtrust ci check-docs');
  check(docsStep !== undefined, 'docs job runs devtrust ci check-docs');
  const words = docsStep ? commandWords(docsStep.run, 'devtrust ci check-docs') : [];
  check(flagValue(words, '--base') === kBaseSha, `check-docs --base is ${kBaseSha}`);
  check(flagValue(words, '--head') === kHeadSha, `check-docs --head is ${kHeadSha}`);
  const commentFile = flagValue(words, '--comment-file');
  check(commentFile !== undefined, 'check-docs writes a comment file');

  const comment = steps(job).find((step) => usesAction(step, 'actions/github-script'));
  check(comment !== undefined && String(comment.with?.script).includes(commentFile) &&
        String(comment.with?.script).includes('<!-- devtrust-check-docs -->'),
        'docs job posts or updates the comment with the devtrust-check-docs marker');
  const fail = steps(job).at(-1);
  check(typeof fail?.if === 'string' && fail.if.includes(`steps.${docsStep?.id}.outputs.exit_code`) &&
        /exit 1/.test(fail.run ?? ''),
        'docs job fails when check-docs did not exit 0');
}

function checkNotifyJob(job) {
  check(job?.env?.SLACK_WEBHOOK_URL === '${{ secrets.SLACK_WEBHOOK_URL }}',
        'notify job reads the SLACK_WEBHOOK_URL repository secret');
  const post = findRunStep(job, 'devtrust ci notify');
  check(post !== undefined, 'notify job runs devtrust ci notify');
  const run = post?.run ?? '';
  check(run.includes('umask 077') && run.includes('chmod 600'),
        'the webhook URL file is created with mode 0600');
  const words = commandWords(run, 'devtrust ci notify');
  check(flagValue(words, '--status') === 'failure', 'notify sends --status failure');
  check(flagValue(words, '--channel') === '"#trust-ops"', 'notify targets #trust-ops');
  for (const flag of ['--webhook-url-file', '--sha', '--run-url', '--branch', '--repository']) {
    check(flagValue(words, flag) !== undefined, `notify passes ${flag}`);
  }
  check(!run.includes('echo "$SLACK_WEBHOOK_URL"') && !/set -x/.test(run),
        'the webhook URL is not echoed to the log');
}

async function main() {
  const workflowPath = process.argv[2];
  if (!workflowPath) {
    console.error('usage: node check_workflow_contract.mjs WORKFLOW.yml');
    return 2;
  }
  if (!existsSync(new URL('./node_modules/yaml/package.json', import.meta.url))) {
    console.log('SKIP: tests/ci/node_modules is missing; run "npm ci" in tests/ci');
    return kSkip;
  }
  const { parse } = await import('yaml');
  const workflow = parse(await readFile(workflowPath, 'utf8'));
  const jobs = workflow?.jobs ?? {};

  for (const name of ['format', 'build', 'clang-tidy', 'test', 'docs', 'notify']) {
    check(name in jobs, `job ${name} exists`);
  }
  checkTriggersAndPermissions(workflow);
  checkOrdering(jobs);
  checkFormatAndTidy(jobs);
  checkBuildAndTests(jobs);
  checkDocsJob(jobs.docs);
  checkNotifyJob(jobs.notify);

  console.log(failures === 0 ? 'workflow contract: all checks pass'
                             : `workflow contract: ${failures} checks failed`);
  return failures === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
