#!/usr/bin/env python3
"""End-to-end tests of `devtrust ci notify` against slack_receiver.py.

The code under test is the devtrust binary; Python only starts the local
receiver on 127.0.0.1 and reads what it recorded.

Usage: notify_e2e_test.py --devtrust PATH [unittest arguments]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEVTRUST = None  # set in main()

SHA = "4f2a9c0e1b7d3a5f6e8c9b0a1d2e3f4a5b6c7d8e"
RUN_URL = "https://github.com/acme/devtrust/actions/runs/123456"
# A distinctive path, so a leak of the webhook URL into any output is found.
WEBHOOK_PATH = "/services/T0DEVTRUST/B0CITEST/s3cr3t-webhook-token-9f8e7d"
# Requests to the local receiver never go through a proxy from the environment.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class NotifyEndToEndTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory(prefix="devtrust-notify-")
        self.addCleanup(self.directory.cleanup)
        self.record = os.path.join(self.directory.name, "requests.jsonl")
        self.url_file = os.path.join(self.directory.name, "webhook-url")
        self.receiver = None

    def start_receiver(self, *options):
        port_file = os.path.join(self.directory.name, "port")
        self.receiver = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "slack_receiver.py"), "--path", WEBHOOK_PATH,
             "--port-file", port_file, "--record", self.record, "--lifetime", "60", *options])
        self.addCleanup(self.stop_receiver)
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            self.assertIsNone(self.receiver.poll(), "the receiver exited during startup")
            self.assertLess(time.monotonic(), deadline, "the receiver did not start in 10 s")
            time.sleep(0.05)
        with open(port_file, encoding="utf-8") as port:
            self.url = f"http://127.0.0.1:{port.read().strip()}{WEBHOOK_PATH}"
        self.write_url_file(self.url + "\n", 0o600)

    def stop_receiver(self):
        self.receiver.terminate()
        self.receiver.wait(timeout=10)

    def write_url_file(self, content, mode):
        with open(self.url_file, "w", encoding="utf-8") as url_file:
            url_file.write(content)
        os.chmod(self.url_file, mode)

    def notify(self, *extra, status="failure", sha=SHA, run_url=RUN_URL):
        command = [DEVTRUST, "ci", "notify", "--webhook-url-file", self.url_file,
                   "--status", status, "--sha", sha, "--run-url", run_url, *extra]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        output = result.stdout + result.stderr
        # The webhook URL is a credential; no output may contain it or its path.
        self.assertNotIn(WEBHOOK_PATH, output)
        self.assertNotIn("s3cr3t", output)
        return result

    def requests(self):
        if not os.path.exists(self.record):
            return []
        with open(self.record, encoding="utf-8") as record:
            return [json.loads(line) for line in record]

    def test_failure_payload_as_slack_expects(self):
        self.start_receiver()

        result = self.notify("--branch", "main", "--repository", "acme/devtrust",
                             "--channel", "#trust-ops")

        self.assertEqual(result.returncode, 0, result.stderr)
        requests = self.requests()
        self.assertEqual(len(requests), 1)
        self.assertEqual(requests[0]["status"], 200, requests[0]["reason"])
        self.assertTrue(requests[0]["path_matches"])
        self.assertEqual(requests[0]["content_type"], "application/json")
        payload = json.loads(requests[0]["body"])
        print("payload received by the Slack receiver:")
        print(json.dumps(payload, indent=2))

        self.assertEqual(payload["channel"], "#trust-ops")
        self.assertEqual(payload["text"],
                         ":x: CI failed: acme/devtrust on main at 4f2a9c0. "
                         f"<{RUN_URL}|View the CI run>")
        blocks = payload["blocks"]
        self.assertEqual([block["type"] for block in blocks], ["header", "section", "section"])
        self.assertEqual(blocks[0]["text"],
                         {"type": "plain_text", "text": ":x: CI failed: acme/devtrust",
                          "emoji": True})
        self.assertEqual([field["text"] for field in blocks[1]["fields"]],
                         ["*Status*\nfailure", "*Repository*\nacme/devtrust", "*Branch*\nmain",
                          "*Commit*\n`4f2a9c0`"])
        self.assertEqual(blocks[2]["text"]["text"],
                         f"Full commit SHA: `{SHA}`\n<{RUN_URL}|View the CI run>")
        self.assertIn("sent the failure notification", result.stderr)

    def test_channel_left_out_when_not_given(self):
        self.start_receiver()

        result = self.notify(status="success")

        self.assertEqual(result.returncode, 0, result.stderr)
        payload = json.loads(self.requests()[0]["body"])
        self.assertNotIn("channel", payload)
        self.assertTrue(payload["text"].startswith(":white_check_mark: CI passed"))

    def test_escapes_user_text(self):
        self.start_receiver()

        result = self.notify("--branch", "fix/<!channel>&more")

        self.assertEqual(result.returncode, 0, result.stderr)
        payload = json.loads(self.requests()[0]["body"])
        self.assertIn("on fix/&lt;!channel&gt;&amp;more at", payload["text"])
        self.assertNotIn("<!channel>", self.requests()[0]["body"])

    def test_retries_429_with_retry_after(self):
        self.start_receiver("--rate-limit", "2", "--retry-after", "1")

        result = self.notify()

        self.assertEqual(result.returncode, 0, result.stderr)
        print(result.stderr)
        statuses = [request["status"] for request in self.requests()]
        self.assertEqual(statuses, [429, 429, 200])
        self.assertIn("attempt 1 of 4 failed: HTTP 429; retrying in 1000 ms as the server's "
                      "Retry-After header requests", result.stderr)
        self.assertIn("attempt 2 of 4 failed: HTTP 429; retrying in 1000 ms", result.stderr)
        self.assertIn("(HTTP 200, 3 attempts)", result.stderr)

    def test_gives_up_after_last_attempt(self):
        self.start_receiver("--always-status", "500")

        result = self.notify("--max-attempts", "2")

        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(self.requests()), 2)
        self.assertIn("webhook_http_error: webhook POST failed after 2 attempts: HTTP 500",
                      result.stderr)

    def test_client_error_is_not_retried(self):
        self.start_receiver()
        # The right host and port but the wrong path: Slack responds with 404.
        self.write_url_file(self.url.replace("B0CITEST", "B0OTHER") + "\n", 0o600)

        result = self.notify()

        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(self.requests()), 1)
        self.assertIn("failed after 1 attempt: HTTP 404, which is not retried "
                      "(response: \"no_service\")", result.stderr)

    def test_rejects_url_file_readable_by_others(self):
        self.start_receiver()
        os.chmod(self.url_file, 0o644)

        result = self.notify()

        self.assertEqual(result.returncode, 2)
        self.assertIn("webhook_url_file_permissions", result.stderr)
        self.assertIn("chmod 600", result.stderr)
        self.assertEqual(self.requests(), [])

    def test_rejects_bad_arguments_before_sending(self):
        self.start_receiver()
        cases = [
            ({"status": "broken"}, "ci_status_invalid"),
            ({"sha": "abc123"}, "ci_run_invalid"),
            ({"run_url": "javascript:alert(1)"}, "ci_run_invalid"),
            ({"run_url": RUN_URL + " x"}, "ci_run_invalid"),
        ]
        for arguments, reason in cases:
            with self.subTest(arguments=arguments):
                result = self.notify(**arguments)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(reason, result.stderr)
        result = self.notify("--repository", "not a repo")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("ci_run_invalid", result.stderr)
        self.assertEqual(self.requests(), [])

    def test_receiver_rejects_invalid_payloads(self):
        # The receiver's checks must be able to fail, or the tests above prove
        # nothing about the payload.
        self.start_receiver()
        cases = [
            ({"blocks": [{"type": "banner"}]}, "application/json", "invalid_payload"),
            ({"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]},
             "application/json", "invalid_payload"),
            ({"blocks": [{"type": "section", "text": {"type": "markdown", "text": "x"}}]},
             "application/json", "invalid_payload"),
            ({"blocks": [{"type": "divider"}] * 51, "text": "x"}, "application/json",
             "invalid_payload"),
            ({"channel": "#trust-ops"}, "application/json", "no_text"),
            ({"text": "fine"}, "text/plain", "invalid_payload"),
        ]
        for payload, content_type, answer in cases:
            with self.subTest(payload=str(payload)[:60]):
                request = urllib.request.Request(self.url, data=json.dumps(payload).encode(),
                                                 headers={"Content-Type": content_type})
                with self.assertRaises(urllib.error.HTTPError) as raised:
                    DIRECT.open(request, timeout=10)
                self.assertEqual(raised.exception.code, 400)
                self.assertEqual(raised.exception.read().decode(), answer)

    def test_missing_required_option(self):
        result = subprocess.run([DEVTRUST, "ci", "notify", "--status", "failure"],
                                capture_output=True, text=True, timeout=60)

        self.assertEqual(result.returncode, 2)
        self.assertIn("--webhook-url-file is required", result.stderr)


def main():
    global DEVTRUST
    parser = argparse.ArgumentParser()
    parser.add_argument("--devtrust", required=True)
    arguments, rest = parser.parse_known_args()
    DEVTRUST = os.path.abspath(arguments.devtrust)
    unittest.main(argv=[sys.argv[0], "-v", *rest])


if __name__ == "__main__":
    main()
