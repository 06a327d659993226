"""Starts `devtrust serve` for the end-to-end tests in this directory.

The server listens on 127.0.0.1 with a fresh data directory, picks its own
port (listen.port 0, named in its JSON ready log line) and sends its webhook
notifications to a receiver port on 127.0.0.1 that the test chooses.
"""

import json
import os
import signal
import socket
import ssl
import subprocess
import time
import urllib.request


def free_port():
    """Returns a TCP port on 127.0.0.1 that the kernel reports free."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment_without_devtrust_variables():
    """The test's environment minus DEVTRUST_*, so every secret comes from the data directory."""
    return {name: value for name, value in os.environ.items() if not name.startswith("DEVTRUST_")}


class ServerProcess:
    """`devtrust serve` on 127.0.0.1 with a fresh data directory under `root`."""

    def __init__(self, devtrust, root):
        self.devtrust = devtrust
        self.root = root
        self.data_dir = os.path.join(root, "data")
        self.ca_bundle = os.path.join(self.data_dir, "ca-bundle.pem")
        self.api_keys = os.path.join(self.data_dir, "api-keys.env")
        self.webhook_secret = os.path.join(self.data_dir, "webhook-secret")
        self.log_path = os.path.join(root, "server.log")
        # The server picks its own port (listen.port 0) and names it in its
        # ready log line. The webhook receiver's port must be in the
        # configuration before the replay starts, so the kernel suggests one.
        self.port = None
        self.notify_port = free_port()
        self.process = None
        self.log = None

    def start(self):
        config = os.path.join(self.root, "devtrust.yaml")
        with open(config, "w", encoding="utf-8") as out:
            out.write(
                f'data_dir: "{self.data_dir}"\n'
                "listen:\n"
                '  addresses: ["127.0.0.1"]\n'
                "  port: 0\n"
                "notifications:\n"
                f'  webhook_url: "http://127.0.0.1:{self.notify_port}/"\n'
                "  poll_interval: 100ms\n"
                "  initial_backoff: 500ms\n")

        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([self.devtrust, "serve", "--config", config],
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        env=environment_without_devtrust_variables())

        deadline = time.monotonic() + 60
        while not self.ready():
            if self.process.poll() is not None:
                raise AssertionError(f"devtrust serve exited with {self.process.returncode}:\n"
                                     + self.log_text())
            if time.monotonic() > deadline:
                raise AssertionError("devtrust serve was not ready within 60 s:\n"
                                     + self.log_text())
            time.sleep(0.1)

    def ready_port(self):
        """The port from the server's JSON ready line, or None before it is logged."""
        self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            for line in log:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("msg", "").startswith("ready") and "port" in entry:
                    return int(entry["port"])
        return None

    def ready(self):
        if self.port is None:
            self.port = self.ready_port()
            if self.port is None:
                return False
        if not os.path.exists(self.ca_bundle):
            return False
        context = ssl.create_default_context(cafile=self.ca_bundle)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPSHandler(context=context))
        try:
            with opener.open(f"https://127.0.0.1:{self.port}/readyz", timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    def replay(self, records, results_path, *extra, webhook_secret=None):
        """Runs replay-logins against this server and returns the CompletedProcess."""
        return subprocess.run(
            [self.devtrust, "replay-logins", records,
             "--server", f"https://127.0.0.1:{self.port}",
             "--ca-file", self.ca_bundle,
             "--api-key-file", self.api_keys,
             "--webhook-secret-file", webhook_secret or self.webhook_secret,
             "--notify-listen", f"127.0.0.1:{self.notify_port}",
             "--out", results_path, *extra],
            capture_output=True, text=True, timeout=600,
            env=environment_without_devtrust_variables())

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return log.read()[-4000:]

    def stop(self):
        """Sends SIGTERM and returns the exit status, or None when it had to be killed."""
        status = None
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                status = self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        elif self.process is not None:
            status = self.process.returncode
        if self.log is not None:
            self.log.close()
        return status
