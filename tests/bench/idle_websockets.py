#!/usr/bin/env python3
"""Memory per idle websocket connection of a running `samrad serve`.

Opens N websocket connections to the server (plain sockets, no libraries), each
subscribed to one document room as a reader of a hearing page would be, then reads
the server's resident memory (VmRSS in /proc/<pid>/status) before and after.

    samrad serve --demo --bind 127.0.0.1:8080 &
    python3 tests/bench/idle_websockets.py --pid $! --url http://127.0.0.1:8080 -n 1000

Prints one JSON line. Run it on the machine you report, with a release build.
"""

import argparse
import base64
import json
import os
import re
import socket
import struct
import time
import urllib.request


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def frame(text):
    """A masked client text frame."""
    payload = text.encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    if len(payload) < 126:
        header = struct.pack("!BB", 0x81, 0x80 | len(payload))
    else:
        header = struct.pack("!BBH", 0x81, 0x80 | 126, len(payload))
    return header + mask + masked


def open_socket(host, port, room):
    s = socket.create_connection((host, port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(
        (
            f"GET /ws HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += s.recv(4096)
    if b" 101 " not in answer.split(b"\r\n")[0]:
        raise RuntimeError(answer.decode(errors="replace"))
    s.sendall(frame(json.dumps({"type": "subscribe", "room": room})))
    return s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True, help="the samrad serve process")
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args()
    host, port = re.match(r"https?://([^:/]+):(\d+)", args.url).groups()
    port = int(port)
    front = urllib.request.urlopen(args.url + "/").read().decode()
    hearing = re.search(r'href="(/hearings/[0-9a-f-]{36})"', front).group(1)
    page = urllib.request.urlopen(args.url + hearing).read().decode()
    document = re.search(r'data-document-id="([0-9a-f-]{36})"', page).group(1)
    room = f"document:{document}"

    # Warm up: one connection, so lazily allocated state is not counted per socket.
    warm = open_socket(host, port, room)
    time.sleep(1)
    before = rss_kib(args.pid)
    sockets = [open_socket(host, port, room) for _ in range(args.n)]
    # Let the server answer every subscription (subscribed + presence).
    time.sleep(3)
    for s in sockets:
        s.setblocking(False)
        try:
            s.recv(65536)
        except BlockingIOError:
            pass
    time.sleep(1)
    after = rss_kib(args.pid)
    print(
        json.dumps(
            {
                "connections": args.n,
                "rss_before_kib": before,
                "rss_after_kib": after,
                "bytes_per_connection": round((after - before) * 1024 / args.n),
            }
        )
    )
    for s in sockets + [warm]:
        s.close()


if __name__ == "__main__":
    main()
