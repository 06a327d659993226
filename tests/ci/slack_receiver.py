#!/usr/bin/env python3
"""A local stand-in for a Slack incoming webhook, for tests only.

It listens on 127.0.0.1, accepts POSTs to one webhook path, and checks each
payload the way Slack's incoming webhook and Block Kit reference describe it:

- Content-Type is application/json and the body is a JSON object;
- `text` is a non-empty string, or `blocks` is present;
- `blocks` is a list of at most 50 objects, each with a known `type`;
- a section has a `text` object or at most 10 `fields`;
- text objects have `type` mrkdwn or plain_text;
- section text is at most 3000 characters, and a field at most 2000;
- a header's text is plain_text of at most 150 characters.

A valid payload gets 200 "ok". Otherwise it answers like Slack: 400
"invalid_payload" (or "no_text" when neither text nor blocks is present), and
404 "no_service" for another path. It can answer 429 with Retry-After to the
first N requests, or always answer a fixed status. Every request is appended
to a JSON-lines record file, and the server exits by itself after --lifetime
seconds so that a failed test cannot leave it running.
"""

import argparse
import http.server
import json
import os
import sys
import threading

KNOWN_BLOCK_TYPES = {
    "actions", "context", "divider", "file", "header", "image", "input",
    "rich_text", "section", "video",
}
MAX_BODY_BYTES = 1 << 20


def text_object_problem(value, max_chars, allowed_types):
    """Return why a Block Kit text object is invalid, or None."""
    if not isinstance(value, dict):
        return "text object is not an object"
    if value.get("type") not in allowed_types:
        return f"text object type {value.get('type')!r} is not one of {sorted(allowed_types)}"
    text = value.get("text")
    if not isinstance(text, str) or not text:
        return "text object has no text"
    if len(text) > max_chars:
        return f"text object has {len(text)} characters, more than {max_chars}"
    return None


def block_problem(block):
    """Return why one block is invalid, or None."""
    if not isinstance(block, dict):
        return "block is not an object"
    block_type = block.get("type")
    if block_type not in KNOWN_BLOCK_TYPES:
        return f"unknown block type {block_type!r}"
    if block_type == "header":
        return text_object_problem(block.get("text"), 150, {"plain_text"})
    if block_type == "section":
        if "text" not in block and "fields" not in block:
            return "section has neither text nor fields"
        if "text" in block:
            problem = text_object_problem(block["text"], 3000, {"mrkdwn", "plain_text"})
            if problem:
                return "section " + problem
        if "fields" in block:
            fields = block["fields"]
            if not isinstance(fields, list) or not fields or len(fields) > 10:
                return "section fields must be a list of 1 to 10 text objects"
            for field in fields:
                problem = text_object_problem(field, 2000, {"mrkdwn", "plain_text"})
                if problem:
                    return "section field " + problem
    return None


def payload_problem(content_type, body):
    """Return (error code, reason) for an invalid payload, or None."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        return "invalid_payload", f"Content-Type is {content_type!r}"
    try:
        payload = json.loads(body)
    except ValueError as error:
        return "invalid_payload", f"body is not JSON: {error}"
    if not isinstance(payload, dict):
        return "invalid_payload", "body is not a JSON object"
    text = payload.get("text")
    if "blocks" not in payload and (not isinstance(text, str) or not text):
        return "no_text", "neither text nor blocks"
    if "text" in payload and not isinstance(text, str):
        return "invalid_payload", "text is not a string"
    if "blocks" in payload:
        blocks = payload["blocks"]
        if not isinstance(blocks, list) or len(blocks) > 50:
            return "invalid_payload", "blocks must be a list of at most 50 blocks"
        for index, block in enumerate(blocks):
            problem = block_problem(block)
            if problem:
                return "invalid_payload", f"block {index}: {problem}"
    if "channel" in payload and not isinstance(payload["channel"], str):
        return "invalid_payload", "channel is not a string"
    return None


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "slack-receiver"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        # The request line contains the secret webhook path; log nothing.
        pass

    def respond(self, status, body, headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802 - the http.server hook name
        config = self.server.config
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(min(length, MAX_BODY_BYTES)).decode("utf-8", "replace")
        content_type = self.headers.get("Content-Type", "")

        with self.server.lock:
            self.server.count += 1
            number = self.server.count

        if self.path != config.path:
            status, answer, reason, headers = 404, "no_service", "unknown webhook path", ()
        elif number <= config.rate_limit:
            status, answer, reason = 429, "rate_limited", "rate limit requested by the test"
            headers = (("Retry-After", config.retry_after),)
        elif config.always_status:
            status, answer, reason, headers = config.always_status, "forced_status", "", ()
        else:
            problem = payload_problem(content_type, body)
            if problem:
                status, answer, reason, headers = 400, problem[0], problem[1], ()
            else:
                status, answer, reason, headers = 200, "ok", "", ()

        record = {
            "number": number,
            "path_matches": self.path == config.path,
            "content_type": content_type,
            "body": body,
            "status": status,
            "answer": answer,
            "reason": reason,
        }
        with self.server.lock, open(config.record, "a", encoding="utf-8") as record_file:
            record_file.write(json.dumps(record) + "\n")
        self.respond(status, answer, headers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", required=True, help="webhook path to accept, such as /services/T/B/X")
    parser.add_argument("--port-file", required=True, help="file to write the listening port to")
    parser.add_argument("--record", required=True, help="JSON-lines file that receives each request")
    parser.add_argument("--rate-limit", type=int, default=0,
                        help="answer 429 to this many first requests")
    parser.add_argument("--retry-after", default="1", help="Retry-After value sent with 429")
    parser.add_argument("--always-status", type=int, default=0,
                        help="answer every request on the path with this HTTP status")
    parser.add_argument("--lifetime", type=float, default=120.0,
                        help="seconds after which the server exits by itself")
    config = parser.parse_args()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ReceiverHandler)
    server.config = config
    server.lock = threading.Lock()
    server.count = 0
    stopper = threading.Timer(config.lifetime, server.shutdown)
    stopper.daemon = True
    stopper.start()

    # Write the port atomically so the test never reads a partial file.
    temporary = config.port_file + ".tmp"
    with open(temporary, "w", encoding="utf-8") as port_file:
        port_file.write(str(server.server_address[1]))
    os.replace(temporary, config.port_file)

    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
