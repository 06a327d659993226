#!/usr/bin/env python3
"""End-to-end test of `devtrust device enroll|verify|login` against `devtrust serve`.

The server runs as in replay_logins_e2e_test.py. The user's inbox is a small
HTTP receiver in this test that checks each notification's
X-Devtrust-Signature with Python's own HMAC-SHA256, independently of
devtrust's code, and keeps the codes by challenge id. The code under test is
the devtrust binary; the test checks its output, exit codes and key file.

Usage: device_command_e2e_test.py --devtrust PATH [unittest arguments]
"""

import argparse
import hashlib
import hmac
import http.server
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest

# The helper module is imported from the source tree, which must stay free of
# compiled caches.
sys.dont_write_bytecode = True

from devtrust_server import ServerProcess, environment_without_devtrust_variables

DEVTRUST = None  # set in main()

WINDOWS_CHROME = {
    "platform": "Win32",
    "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                  "(KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36",
    "language": "en-US", "screen_width": 1536, "screen_height": 864, "pixel_ratio": 1.25,
    "cookies_enabled": True,
}
# The same machine with Edge: a browser switch, which is a soft challenge.
WINDOWS_EDGE = dict(WINDOWS_CHROME, user_agent=WINDOWS_CHROME["user_agent"]
                    + " Edg/136.0.0.0")
# Another system altogether, which is a hard challenge.
LINUX_FIREFOX = {
    "platform": "Linux x86_64",
    "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:139.0) Gecko/20100101 Firefox/139.0",
    "language": "de-DE", "screen_width": 1920, "screen_height": 1080, "pixel_ratio": 1,
    "cookies_enabled": True,
}


class Inbox:
    """Receives devtrust's webhook notifications on 127.0.0.1:`port`."""

    def __init__(self, port, secret):
        self.secret = secret
        self.codes = {}
        self.rejected = 0
        self.condition = threading.Condition()
        inbox = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if inbox.accept(self.headers.get("X-Devtrust-Signature", ""), body):
                    self.send_response(204)
                else:
                    self.send_response(401)
                self.end_headers()

            def log_message(self, *arguments):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def accept(self, header, body):
        fields = dict(part.strip().split("=", 1) for part in header.split(",") if "=" in part)
        expected = hmac.new(self.secret, fields.get("t", "").encode() + b"." + body,
                            hashlib.sha256).hexdigest()
        with self.condition:
            if not hmac.compare_digest(expected, fields.get("v1", "")):
                self.rejected += 1
                return False
            notification = json.loads(body)
            if "code" in notification:
                self.codes[notification["challenge_id"]] = notification["code"]
                self.condition.notify_all()
            return True

    def code_for(self, challenge_id, timeout=30):
        with self.condition:
            self.condition.wait_for(lambda: challenge_id in self.codes, timeout)
            return self.codes.get(challenge_id)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class DeviceCommandEndToEndTest(unittest.TestCase):
    """One device goes through enrollment and logins in test order."""

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory(prefix="devtrust-device-")
        root = cls.directory.name
        cls.key_file = os.path.join(root, "config", "device.json")
        cls.fingerprints = {}
        for name, attributes in {"chrome": WINDOWS_CHROME, "edge": WINDOWS_EDGE,
                                 "linux": LINUX_FIREFOX}.items():
            cls.fingerprints[name] = os.path.join(root, name + ".json")
            with open(cls.fingerprints[name], "w", encoding="utf-8") as out:
                json.dump(attributes, out)
        cls.server = ServerProcess(DEVTRUST, root)
        cls.server.start()
        with open(cls.server.webhook_secret, "rb") as secret:
            cls.inbox = Inbox(cls.server.notify_port, secret.read().strip())

    @classmethod
    def tearDownClass(cls):
        cls.inbox.close()
        cls.server.stop()
        cls.directory.cleanup()

    def device(self, *arguments):
        """Runs `devtrust device ...` with the relying party key file and this key file."""
        return subprocess.run(
            [DEVTRUST, "device", *arguments, "--key-file", self.key_file,
             "--api-key-file", self.server.api_keys],
            capture_output=True, text=True, timeout=120,
            env=environment_without_devtrust_variables())

    def field(self, output, name):
        match = re.search(rf"^{name}: (\S+)", output, re.MULTILINE)
        self.assertIsNotNone(match, f"no '{name}:' line in:\n{output}")
        return match.group(1)

    def verify(self, challenge_id):
        code = self.inbox.code_for(challenge_id)
        self.assertIsNotNone(code, f"no code arrived for {challenge_id}")
        return self.device("verify", "--code", code)

    def test_1_enroll_creates_private_key_file(self):
        enrolled = self.device("enroll", "--server", f"https://127.0.0.1:{self.server.port}",
                               "--user", "alice", "--ca-file", self.server.ca_bundle,
                               "--fingerprint-file", self.fingerprints["chrome"])
        self.assertEqual(enrolled.returncode, 0, enrolled.stderr)
        self.assertRegex(self.field(enrolled.stdout, "device id"), r"^dev_[a-z2-7]{26}$")
        self.assertEqual(self.field(enrolled.stdout, "status"), "pending")
        self.assertIn("devtrust device verify --code", enrolled.stdout)
        self.assertEqual(stat.S_IMODE(os.stat(self.key_file).st_mode), 0o600)
        self.__class__.registration_challenge = self.field(enrolled.stdout, "challenge id")

    def test_2_login_before_verification_is_denied(self):
        login = self.device("login", "--fingerprint-file", self.fingerprints["chrome"])
        self.assertEqual(login.returncode, 4, login.stdout + login.stderr)
        self.assertIn("device_not_trusted", login.stdout)

    def test_3_wrong_code_is_an_error(self):
        wrong = self.device("verify", "--code", "000000")
        self.assertEqual(wrong.returncode, 1, wrong.stdout)
        self.assertIn("verification_code_invalid", wrong.stderr)

    def test_4_verify_with_webhook_code_trusts_device(self):
        verified = self.verify(self.registration_challenge)
        self.assertEqual(verified.returncode, 0, verified.stderr)
        self.assertEqual(self.field(verified.stdout, "status"), "trusted")

    def test_5_login_on_enrolled_browser_is_trusted(self):
        login = self.device("login", "--fingerprint-file", self.fingerprints["chrome"])
        self.assertEqual(login.returncode, 0, login.stderr)
        self.assertIn("decision: trusted", login.stdout)
        self.assertRegex(self.field(login.stdout, "trace id"), r"^[0-9a-f]{32}$")
        self.assertIn("session key agreed (hybrid)", login.stdout)

    def test_6_browser_switch_is_soft_challenge(self):
        login = self.device("login", "--fingerprint-file", self.fingerprints["edge"])
        self.assertEqual(login.returncode, 3, login.stdout + login.stderr)
        self.assertIn("decision: challenge (challenge_soft)", login.stdout)
        self.assertIn("fingerprint_drift", login.stdout)
        verified = self.verify(self.field(login.stdout, "challenge id"))
        self.assertEqual(verified.returncode, 0, verified.stderr)

    def test_7_accepted_browser_is_trusted(self):
        login = self.device("login", "--fingerprint-file", self.fingerprints["edge"])
        self.assertEqual(login.returncode, 0, login.stdout + login.stderr)

    def test_8_other_system_is_hard_challenge(self):
        login = self.device("login", "--fingerprint-file", self.fingerprints["linux"])
        self.assertEqual(login.returncode, 3, login.stdout + login.stderr)
        self.assertIn("decision: challenge (challenge_hard)", login.stdout)
        self.assertIn("fingerprint_mismatch", login.stdout)

    def test_9_readable_key_file_is_rejected(self):
        os.chmod(self.key_file, 0o644)
        try:
            login = self.device("login", "--fingerprint-file", self.fingerprints["chrome"])
        finally:
            os.chmod(self.key_file, 0o600)
        self.assertEqual(login.returncode, 1)
        self.assertIn("key_file_permissions", login.stderr)
        self.assertIn("chmod 600", login.stderr)

    def test_usage_errors_exit_2(self):
        for arguments in (["enroll", "--user", "bob"],
                          ["enroll", "--server", "http://127.0.0.1:1", "--user", "bob",
                           "--ca-file", "x.pem"],
                          ["verify", "--code", "12ab"]):
            result = self.device(*arguments)
            self.assertEqual(result.returncode, 2, arguments)
            self.assertIn("see --help", result.stderr)

    def test_signatures_verify_independently(self):
        self.assertEqual(self.inbox.rejected, 0)


def main():
    global DEVTRUST
    parser = argparse.ArgumentParser()
    parser.add_argument("--devtrust", required=True)
    options, remaining = parser.parse_known_args()
    DEVTRUST = options.devtrust
    unittest.main(argv=[sys.argv[0]] + remaining)


if __name__ == "__main__":
    main()
