#!/usr/bin/env python3
"""End-to-end test of `devtrust replay-logins` against a real `devtrust serve`.

The test starts the devtrust binary as a server on 127.0.0.1 with a fresh
data directory in a temporary directory, an ephemeral port (listen.port 0)
and its notifier webhook pointing at the replay's receiver. It then replays a subset of the
real login records, chosen by scenario, with --limit 120 and checks the
JSON lines the replay writes. Python only prepares files, waits for the
server and reads the results; the code under test is the devtrust binary.

Subset (128 records in time order; --limit 120 cuts the last 8, all of
impossible-travel-03): routine-02, ip-geo-mismatch-05 and
impossible-travel-03 (same device throughout), browser-change-02 and
browser-change-07 (browser switches: soft drift), mobile-data-01 (screen
changes: soft drift), headless-02 and headless-11 (HeadlessChrome: hard), and
different-device-02 (another machine: hard).

Usage: replay_logins_e2e_test.py --devtrust PATH --records CSV [unittest arguments]
Exits with 77 (skipped) when the records file does not exist.
"""

import argparse
import csv
import json
import os
import sys
import tempfile
import unittest

# The helper module is imported from the source tree, which must stay free of
# compiled caches.
sys.dont_write_bytecode = True

from devtrust_server import ServerProcess

DEVTRUST = None  # set in main()
RECORDS = None  # set in main()

ACCOUNTS = [
    "routine-02", "ip-geo-mismatch-05", "impossible-travel-03", "browser-change-02",
    "browser-change-07", "mobile-data-01", "headless-02", "headless-11", "different-device-02",
]
LIMIT = 120
SKIPPED = 77


def write_subset(path):
    """Writes the ACCOUNTS' records in file order and returns their rows."""
    with open(RECORDS, newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        fields = reader.fieldnames
        rows = [row for row in reader if row["user"] in ACCOUNTS]
    with open(path, "w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(target, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def read_results(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


class ReplayLoginsEndToEndTest(unittest.TestCase):
    """Runs the server and one replay for the whole class; each test checks one property."""

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory(prefix="devtrust-replay-")
        cls.subset = os.path.join(cls.directory.name, "subset.csv")
        cls.results_path = os.path.join(cls.directory.name, "results.jsonl")
        cls.rows = write_subset(cls.subset)
        cls.server = ServerProcess(DEVTRUST, cls.directory.name)
        try:
            cls.server.start()
            cls.replay = cls.server.replay(cls.subset, cls.results_path,
                                           "--limit", str(LIMIT), "--concurrency", "4")
            cls.results = read_results(cls.results_path)
        finally:
            cls.server_status = cls.server.stop()
        cls.data_dir = cls.server.data_dir

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def logins(self, scenario=None, user=None):
        return [r for r in self.results if r["action"] == "login"
                and (scenario is None or r["scenario"] == scenario)
                and (user is None or r["user"] == user)]

    def test_replay_exits_successfully(self):
        self.assertEqual(self.replay.returncode, 0,
                         self.replay.stderr[-4000:] + self.replay.stdout[-4000:])

    def test_limit_keeps_first_records_in_order(self):
        self.assertEqual(len(self.rows), 128)
        self.assertEqual([r["login_id"] for r in self.results],
                         [int(row["login_id"]) for row in self.rows[:LIMIT]])

    def test_every_record_has_a_decision(self):
        decisions = {"enrolled", "trusted", "challenge", "denied"}
        for result in self.results:
            self.assertIn(result["decision"], decisions, result)
            self.assertIsNone(result["error"], result)
            self.assertTrue(result["trace_id"], result)

    def test_first_record_of_each_account_enrolls(self):
        seen = set()
        for result in self.results:
            expected = "enroll" if result["user"] not in seen else "login"
            self.assertEqual(result["action"], expected, result)
            seen.add(result["user"])
        self.assertEqual(len(seen), len(ACCOUNTS))

    def test_enrollments_complete_with_webhook_code(self):
        enrollments = [r for r in self.results if r["action"] == "enroll"]
        self.assertEqual(len(enrollments), len(ACCOUNTS))
        for result in enrollments:
            self.assertEqual(result["decision"], "enrolled", result)
            self.assertEqual(result["challenge"]["kind"], "registration", result)
            self.assertTrue(result["challenge"]["completed"], result)
            self.assertRegex(result["device_id"], r"^dev_[a-z2-7]{26}$")

    def test_routine_accounts_stay_trusted(self):
        routine = self.logins(scenario="routine")
        self.assertGreater(len(routine), 10)
        for result in routine:
            self.assertEqual(result["trust_result"], "trusted", result)
        self.assertEqual(routine[-1]["decision"], "trusted")

    def test_browser_change_raises_soft_drift_flag(self):
        soft = [r for r in self.logins() if r["trust_result"] == "challenge_soft"]
        self.assertTrue(any(r["scenario"] == "browser-change" for r in soft), soft)
        for result in soft:
            self.assertIn("fingerprint_drift", result["reasons"], result)
            self.assertGreaterEqual(result["drift"]["score"], 0.3, result)
            self.assertLess(result["drift"]["score"], 0.6, result)

    def test_soft_challenges_are_completed(self):
        soft = [r for r in self.logins() if r["trust_result"] == "challenge_soft"]
        self.assertTrue(soft)
        for result in soft:
            self.assertEqual(result["challenge"]["kind"], "soft", result)
            self.assertTrue(result["challenge"]["completed"], result)

    def test_headless_logins_get_hard_challenge(self):
        hard = [r for r in self.logins(scenario="headless")
                if r["trust_result"] == "challenge_hard"]
        self.assertTrue(hard)
        for result in hard:
            self.assertIn("headless_browser", result["reasons"], result)
            self.assertEqual(result["challenge"]["kind"], "hard", result)
            self.assertFalse(result["challenge"]["completed"], result)

    def test_different_device_gets_hard_challenge(self):
        hard = [r for r in self.logins(scenario="different-device")
                if r["trust_result"] == "challenge_hard"]
        self.assertTrue(hard)
        self.assertIn("fingerprint_mismatch", hard[0]["reasons"])

    def test_trusted_logins_agree_on_hybrid_session_key(self):
        trusted = [r for r in self.logins() if r["trust_result"] == "trusted"]
        self.assertTrue(trusted)
        for result in trusted:
            self.assertEqual(result["session_mode"], "hybrid", result)
            self.assertTrue(result["session_key_agreed"], result)
            self.assertIsNone(result["fallback"], result)

    def test_logins_report_latency(self):
        for result in self.logins():
            self.assertGreater(result["latency_us"], 0, result)

    def test_server_stops_cleanly(self):
        self.assertEqual(self.server_status, 0, self.server.log_text())

    def test_summary_is_printed(self):
        self.assertIn("Logins by scenario", self.replay.stdout)
        self.assertIn("soft drift flags (fingerprint_drift)", self.replay.stdout)
        self.assertIn("Validation round trip", self.replay.stdout)
        self.assertIn("Failures: 0", self.replay.stdout)

    def test_secrets_stay_out_of_output(self):
        with open(os.path.join(self.data_dir, "api-keys.env"), encoding="utf-8") as keys:
            values = [line.split("=", 1)[1].strip() for line in keys if "=" in line]
        with open(os.path.join(self.data_dir, "webhook-secret"), encoding="utf-8") as secret:
            values.append(secret.read().strip())
        with open(self.results_path, encoding="utf-8") as results:
            written = results.read()
        for value in values:
            self.assertNotIn(value, self.replay.stdout)
            self.assertNotIn(value, self.replay.stderr)
            self.assertNotIn(value, written)


class ReplayWithWrongWebhookSecretTest(unittest.TestCase):
    """Notifications signed with another secret are rejected, so enrollment cannot finish."""

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory(prefix="devtrust-replay-")
        root = cls.directory.name
        subset = os.path.join(root, "subset.csv")
        results_path = os.path.join(root, "results.jsonl")
        write_subset(subset)
        wrong_secret = os.path.join(root, "wrong-secret")
        with open(os.open(wrong_secret, os.O_WRONLY | os.O_CREAT, 0o600), "w") as out:
            out.write("not-the-server-secret-0123456789abcdefghij\n")
        cls.server = ServerProcess(DEVTRUST, root)
        try:
            cls.server.start()
            cls.replay = cls.server.replay(subset, results_path, "--limit", "2",
                                           "--code-timeout", "2", webhook_secret=wrong_secret)
            cls.results = read_results(results_path)
        finally:
            cls.server.stop()

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def test_replay_fails(self):
        self.assertEqual(self.replay.returncode, 1, self.replay.stderr)

    def test_enrollment_times_out_waiting_for_code(self):
        self.assertEqual(self.results[0]["decision"], "error")
        self.assertTrue(self.results[0]["error"].startswith("code_timeout:"), self.results[0])

    def test_login_of_unenrolled_account_is_skipped(self):
        self.assertEqual(self.results[1]["decision"], "skipped")

    def test_rejected_signatures_are_reported(self):
        self.assertIn("rejected a notification: signature_invalid", self.replay.stderr)
        self.assertRegex(self.replay.stdout, r"rejected: [1-9][0-9]* bad signature")


def main():
    global DEVTRUST, RECORDS
    parser = argparse.ArgumentParser()
    parser.add_argument("--devtrust", required=True)
    parser.add_argument("--records", required=True)
    options, remaining = parser.parse_known_args()
    DEVTRUST = options.devtrust
    RECORDS = options.records
    if not os.path.exists(RECORDS):
        print(f"SKIP: the login records file {RECORDS} does not exist")
        sys.exit(SKIPPED)
    unittest.main(argv=[sys.argv[0]] + remaining)


if __name__ == "__main__":
    main()
