#!/usr/bin/env python3
"""A receiver for ChatOps's generic JSON webhook, Python 3 standard library only.

It refuses (401) any request whose signature does not verify or whose timestamp is more than
five minutes from this machine's clock, takes each delivery once (a second copy is acknowledged
and ignored), and prints every notification it accepts as one JSON line on standard output.
Replace handle() with what you want done.

    CHATOPS_WEBHOOK_SECRET_FILE=/etc/chatops/webhook-secret \\
        python3 webhook_receiver.py --bind 127.0.0.1 --port 8099

The secret file holds the same secret as the channel's secret_file (surrounding whitespace is
ignored). See docs/NOTIFY.md.
"""

import argparse
import collections
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time

WINDOW_SECONDS = 300  # how far X-ChatOps-Timestamp may be from our clock
MAX_BODY_BYTES = 1 << 20  # ChatOps's documents stay far below this
REMEMBERED_DELIVERIES = 10_000  # a real receiver keeps these in its database


def read_secret():
    path = os.environ.get("CHATOPS_WEBHOOK_SECRET_FILE")
    if not path:
        sys.exit("set CHATOPS_WEBHOOK_SECRET_FILE to the file holding the signing secret")
    with open(path, "rb") as f:
        secret = f.read().strip()
    if not secret:
        sys.exit("the signing secret file is empty")
    return secret


def expected_signature(secret, timestamp, body):
    """sha256= and the hex HMAC-SHA256 of TIMESTAMP.BODY, over the body's exact bytes."""
    mac = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class Deliveries:
    """The delivery ids already taken, oldest forgotten first."""

    def __init__(self, size):
        self._ids = collections.OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first_time(self, delivery_id):
        with self._lock:
            if delivery_id in self._ids:
                return False
            self._ids[delivery_id] = True
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


def handle(document):
    """What to do with one notification: here, print it."""
    print(json.dumps({k: document[k] for k in ("id", "event", "tone", "title", "link")}),
          flush=True)


class Receiver(http.server.BaseHTTPRequestHandler):
    # Keep-alive, as HTTP clients expect: an HTTP/1.0 server closes every connection after its
    # answer, and a client that sent its next request on it meanwhile gets no answer at all.
    protocol_version = "HTTP/1.1"
    secret = b""
    deliveries = Deliveries(REMEMBERED_DELIVERIES)

    def do_POST(self):
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self.answer(411, "Content-Length required", close=True)
        if length < 0 or length > MAX_BODY_BYTES:
            return self.answer(413, "too large", close=True)
        body = self.rfile.read(length)

        # 1. Authenticity, before anything in the body is believed.
        timestamp = self.headers.get("X-ChatOps-Timestamp", "")
        signature = self.headers.get("X-ChatOps-Signature", "")
        if not timestamp.isdigit() or len(timestamp) > 12:
            return self.answer(401, "bad signature")
        if not hmac.compare_digest(signature.encode(),
                                   expected_signature(self.secret, timestamp, body).encode()):
            return self.answer(401, "bad signature")
        # 2. Freshness: a captured request cannot be replayed later.
        if abs(time.time() - int(timestamp)) > WINDOW_SECONDS:
            return self.answer(401, "stale timestamp")

        try:
            document = json.loads(body)
        except ValueError:
            return self.answer(400, "not JSON")
        if not isinstance(document, dict) or document.get("version") != 1:
            return self.answer(400, "unknown document version")
        delivery = self.headers.get("X-ChatOps-Delivery", "")
        if not delivery or delivery != document.get("id"):
            return self.answer(400, "delivery id missing or not the document's")

        # 3. Once only: ChatOps retries until it gets a 2xx, so a copy may come twice (and a
        # replay inside the window is such a copy): acknowledge it, do nothing again.
        if not self.deliveries.first_time(delivery):
            return self.answer(200, "duplicate")
        handle(document)
        return self.answer(200, "ok")

    def answer(self, status, text, close=False):
        """close: the body was not read, so the connection cannot carry another request."""
        data = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    args = parser.parse_args()
    Receiver.secret = read_secret()
    server = http.server.ThreadingHTTPServer((args.bind, args.port), Receiver)
    print("listening on %s:%d" % server.server_address[:2], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
