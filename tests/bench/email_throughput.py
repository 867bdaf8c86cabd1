#!/usr/bin/env python3
"""Emails per second through the notification worker to a local SMTP server.

Starts an SMTP sink of its own on a local port (standard library only: it accepts
every message and counts it), then `samrad serve` with a fresh data folder and
`SAMRAD_SMTP_URL` pointing at the sink, makes a planner token with `samrad token
create`, a plan and a group over the API, and invites N people at once with a CSV
roster (`POST /api/v1/groups/{id}/invitations/import`): one transaction queues N
invitation letters in the outbox. It reports how long the import took (queueing)
and how long from the import's answer until the sink had accepted all N messages
(rendering the HTML and text letters, SMTP to the sink, marking each job sent).

    cargo build --release -p samrad
    python3 tests/bench/email_throughput.py --bin target/release/samrad -n 2000

Prints one JSON line. Run it on the machine you report, with a release build, and
say what else was running; repeat it and quote the median.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


class Sink:
    """A minimal SMTP server: every message is accepted and counted."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.count = 0
        self.lock = threading.Lock()
        self.all_in = threading.Event()
        self.expected = None
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            conn, _ = self.listener.accept()
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        reader = conn.makefile("rb")
        send = lambda line: conn.sendall(line.encode() + b"\r\n")
        send("220 sink ESMTP")
        try:
            while True:
                line = reader.readline()
                if not line:
                    return
                verb = line[:4].upper()
                if verb == b"EHLO":
                    send("250-sink")
                    send("250-8BITMIME")
                    send("250 SMTPUTF8")
                elif verb == b"DATA":
                    send("354 go on")
                    while reader.readline() not in (b".\r\n", b""):
                        pass
                    with self.lock:
                        self.count += 1
                        if self.expected is not None and self.count >= self.expected:
                            self.all_in.set()
                    send("250 accepted")
                elif verb == b"QUIT":
                    send("221 bye")
                    return
                else:
                    send("250 ok")
        finally:
            conn.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, method, path, token, body=None, content_type="application/json"):
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=600) as response:
        return json.loads(response.read() or b"null")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the samrad binary (a release build)")
    parser.add_argument("-n", type=int, default=2000, help="emails to send (at most 5000)")
    args = parser.parse_args()

    sink = Sink()
    sink.expected = args.n
    data_dir = tempfile.mkdtemp(prefix="samrad-email-bench-")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, SAMRAD_SMTP_URL=f"smtp://127.0.0.1:{sink.port}", RUST_LOG="warn")
    server = subprocess.Popen(
        [args.bin, "serve", "--demo", "--bind", f"127.0.0.1:{port}", "--data-dir", data_dir],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        token = subprocess.run(
            [args.bin, "token", "create", "--municipality", "fjordvik", "--data-dir", data_dir],
            env=env, check=True, capture_output=True, text=True,
        ).stdout.strip().split()[-1]
        plan = request(url, "POST", "/api/v1/plans", token, {
            "slug": "maaling", "title": "Plan for måling", "period_start": 2026, "period_end": 2030,
        })
        group = request(url, "POST", f"/api/v1/plans/{plan['id']}/groups", token, {
            "kind": "reference_group", "name": "Referansegruppa",
        })
        roster = "name,email,organisation,group\n" + "".join(
            f"Deltakar {i},deltakar{i}@maaling.example,,Referansegruppa\n" for i in range(args.n)
        )
        before = sink.count
        sink.expected = before + args.n
        started = time.monotonic()
        request(url, "POST", f"/api/v1/groups/{group['id']}/invitations/import", token,
                roster.encode(), content_type="text/csv")
        queued = time.monotonic()
        if not sink.all_in.wait(timeout=600):
            print(f"only {sink.count - before} of {args.n} emails arrived", file=sys.stderr)
            sys.exit(1)
        done = time.monotonic()
        print(json.dumps({
            "emails": args.n,
            "queue_ms": round((queued - started) * 1000),
            "deliver_s": round(done - queued, 3),
            "emails_per_second": round(args.n / (done - queued), 1),
            "emails_per_second_with_queueing": round(args.n / (done - started), 1),
        }))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
