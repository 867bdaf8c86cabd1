#!/usr/bin/env python3
"""Live delivery latency of a running `samrad serve`: POST a comment, time its event.

Opens N websocket readers (plain sockets, no libraries), each subscribed to the
document room of the demo's open public hearing as an open hearing page is, then
posts M comments over HTTP with a planner API token (published at once, so every
post is announced) and records, per comment,

- the POST response time (request sent until the response is read), and
- for every reader, the time from sending the POST until that reader has the
  `comment_posted` event (`presence` and other messages are read and ignored).

Readers run in a few child processes (`--reader-procs`), each one epoll loop that
answers the server's pings; times are CLOCK_MONOTONIC, shared by all processes.
Posters (`--posters`, default 1) each post their share of the M comments one after
another: the next as soon as the previous response is read, or, with `--rate R`, R
per second each (paced from the start). Delivery is reported over every (comment,
reader) pair and per comment for the first and the last reader to have it. Besides
the percentiles it reports the CPU time the server, this script and everything else
on the machine used while posting, how busy the machine was, the server's resident memory (VmRSS in
/proc/<pid>/status) before the readers connect, with them connected and after the
posts, and any reader that was closed or missed an event.

    samrad serve --demo --bind 127.0.0.1:18557 --data-dir "$DIR" &
    TOKEN=$(samrad token create --municipality fjordvik --data-dir "$DIR")
    python3 tests/bench/live_latency.py --pid $! --url http://127.0.0.1:18557 \
        --token "$TOKEN" -n 100 -m 200 [--rate 10] [--posters 4]

Prints one JSON line (times in milliseconds). The readers and posters share the
machine with the server: run it on the machine you report, with a release build,
and say what else was running.
"""

import argparse
import base64
import http.client
import json
import multiprocessing
import os
import re
import resource
import select
import socket
import struct
import threading
import time
import urllib.request
import uuid


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid):
    """User + system CPU time of a process."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy():
    """(busy, total) jiffies of all CPUs since boot."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def frame(payload, opcode=0x1):
    """A masked client frame (text by default)."""
    if isinstance(payload, str):
        payload = payload.encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    if len(payload) < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload))
    else:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, len(payload))
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
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("connection closed during the handshake")
        answer += chunk
    head, rest = answer.split(b"\r\n\r\n", 1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        raise RuntimeError(answer.decode(errors="replace"))
    s.sendall(frame(json.dumps({"type": "subscribe", "room": room})))
    return s, rest


def parse_frames(buf):
    """Complete server frames in buf: ([(opcode, payload)], rest). Servers do not mask."""
    frames = []
    pos = 0
    while True:
        if len(buf) - pos < 2:
            break
        b0, b1 = buf[pos], buf[pos + 1]
        length = b1 & 0x7F
        head = 2
        if length == 126:
            if len(buf) - pos < 4:
                break
            (length,) = struct.unpack_from("!H", buf, pos + 2)
            head = 4
        elif length == 127:
            if len(buf) - pos < 10:
                break
            (length,) = struct.unpack_from("!Q", buf, pos + 2)
            head = 10
        if len(buf) - pos < head + length:
            break
        frames.append((b0 & 0x0F, bytes(buf[pos + head : pos + head + length])))
        pos += head + length
    return frames, buf[pos:]


def reader_process(host, port, room, count, ready, stop, results):
    """Open `count` readers, report when all are subscribed, record comment_posted
    receipts until `stop` is set, then send {comment_id: [t, ...]} and problems back."""
    ep = select.epoll()
    conns = {}
    for _ in range(count):
        s, rest = open_socket(host, port, room)
        s.setblocking(False)
        conns[s.fileno()] = {"sock": s, "buf": bytearray(rest), "subscribed": False}
        ep.register(s.fileno(), select.EPOLLIN)
    received = {}
    closed = []
    pending = count
    errors = []

    def handle(fd, now):
        nonlocal pending
        c = conns[fd]
        frames, c["buf"] = parse_frames(c["buf"])
        for opcode, payload in frames:
            if opcode == 0x9:  # ping: answer, or the server closes us after 60 s
                c["sock"].setblocking(True)
                c["sock"].sendall(frame(payload, 0xA))
                c["sock"].setblocking(False)
            elif opcode == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                closed.append(code)
                ep.unregister(fd)
                c["sock"].close()
                del conns[fd]
                return
            elif opcode == 0x1:
                if b'"comment_posted"' in payload:
                    message = json.loads(payload)
                    cid = message["event"]["data"]["comment_id"]
                    received.setdefault(cid, []).append(now)
                elif not c["subscribed"] and b'"subscribed"' in payload:
                    c["subscribed"] = True
                    pending -= 1
                elif b'"error"' in payload:
                    errors.append(payload.decode(errors="replace"))

    announced = False
    while True:
        if not announced and pending == 0:
            ready.set()
            announced = True
        if stop.is_set():
            break
        for fd, _ in ep.poll(0.05):
            now = time.monotonic()
            c = conns.get(fd)
            if c is None:
                continue
            try:
                data = c["sock"].recv(262144)
            except BlockingIOError:
                continue
            except ConnectionError:
                data = b""
            if not data:
                closed.append("eof")
                ep.unregister(fd)
                c["sock"].close()
                del conns[fd]
                continue
            c["buf"] += data
            handle(fd, now)
    results.send({"received": received, "closed": closed, "errors": errors[:5]})
    for c in conns.values():
        c["sock"].close()


def percentiles(values):
    if not values:
        return None
    values = sorted(values)

    def at(q):
        return values[min(len(values) - 1, int(q * len(values)))]

    return {
        "p50": round(at(0.50), 2),
        "p95": round(at(0.95), 2),
        "p99": round(at(0.99), 2),
        "max": round(values[-1], 2),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True, help="the samrad serve process")
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--token", required=True, help="a planner API token (samrad token create)")
    parser.add_argument("-n", type=int, default=100, help="readers")
    parser.add_argument("-m", type=int, default=200, help="comments to post")
    parser.add_argument("--posters", type=int, default=1, help="concurrent posters")
    parser.add_argument(
        "--rate", type=float, default=0, help="posts per second per poster (0: the next as soon as the previous is answered)"
    )
    parser.add_argument("--reader-procs", type=int, default=2, help="processes the readers run in")
    parser.add_argument("--municipality", default="fjordvik")
    args = parser.parse_args()
    host, port = re.match(r"https?://([^:/]+):(\d+)", args.url).groups()
    port = int(port)

    hearings = json.load(urllib.request.urlopen(f"{args.url}/api/v1/municipalities/{args.municipality}/hearings"))
    hearing = next(h for h in hearings if h["state"] == "open" and h["audience"] == "public")
    page = urllib.request.urlopen(f"{args.url}/hearings/{hearing['id']}").read().decode()
    document = re.search(r'data-document-id="([0-9a-f-]{36})"', page).group(1)
    section = re.search(r'name="section_id" value="([0-9a-f-]{36})"', page).group(1)
    room = f"document:{document}"

    # Warm up: one reader and one post, so lazily allocated state is not counted.
    warm, _ = open_socket(host, port, room)
    post = make_poster(host, port, args.token, hearing["id"], section)
    post(http.client.HTTPConnection(host, port), "warm-up")
    time.sleep(1)
    warm.close()  # it reads nothing; left open it would fill its queue and be dropped
    time.sleep(1)
    rss_before = rss_kib(args.pid)
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[0]

    procs = []
    pipes = []
    stop = multiprocessing.Event()
    readies = []
    shares = [args.n // args.reader_procs + (i < args.n % args.reader_procs) for i in range(args.reader_procs)]
    for share in shares:
        if share == 0:
            continue
        ready = multiprocessing.Event()
        mine, theirs = multiprocessing.Pipe(duplex=False)
        p = multiprocessing.Process(target=reader_process, args=(host, port, room, share, ready, stop, theirs))
        p.start()
        procs.append(p)
        pipes.append(mine)
        readies.append(ready)
    for ready in readies:
        if not ready.wait(120):
            raise RuntimeError("readers did not all get subscribed")
    time.sleep(2)  # let the burst of presence messages pass
    rss_connected = rss_kib(args.pid)

    sent = {}  # comment_id -> (t_send, t_response)
    failures = []
    lock = threading.Lock()
    shares = [args.m // args.posters + (i < args.m % args.posters) for i in range(args.posters)]

    def poster(index, count):
        conn = http.client.HTTPConnection(host, port)
        for i in range(count):
            if args.rate:
                # Paced from the start, so a slow answer does not push later posts back.
                delay = started + (i + index / args.posters) / args.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            try:
                cid, t0, t1 = post(conn, f"latency {index}-{i}")
            except Exception as error:  # noqa: BLE001 - counted and reported
                with lock:
                    failures.append(str(error))
                conn = http.client.HTTPConnection(host, port)
                continue
            with lock:
                sent[cid] = (t0, t1)

    server_cpu = cpu_seconds(args.pid)
    client_cpu = sum(cpu_seconds(p.pid) for p in procs) + cpu_seconds(os.getpid())
    busy = machine_busy()
    started = time.monotonic()
    threads = [threading.Thread(target=poster, args=(i, c)) for i, c in enumerate(shares)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    posting_s = time.monotonic() - started
    server_cpu = cpu_seconds(args.pid) - server_cpu
    client_cpu = sum(cpu_seconds(p.pid) for p in procs) + cpu_seconds(os.getpid()) - client_cpu
    busy = [after - before for after, before in zip(machine_busy(), busy)]
    # CPU time of everything else on the machine while posting (other jobs, the kernel's
    # share not charged to these processes): how idle the machine really was.
    other_cpu = busy[0] / os.sysconf("SC_CLK_TCK") - server_cpu - client_cpu
    time.sleep(3)  # let the last events arrive
    rss_after = rss_kib(args.pid)
    stop.set()
    reports = [pipe.recv() for pipe in pipes]
    for p in procs:
        p.join()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    reader_cpu = children.ru_utime + children.ru_stime

    response_ms = [(t1 - t0) * 1000 for t0, t1 in sent.values()]
    delivery_ms = []
    first_ms = []  # per comment: the first reader to have it
    last_ms = []  # per comment: the last reader to have it (every reader has it then)
    missing = 0
    for cid, (t0, _) in sent.items():
        got = []
        for report in reports:
            got.extend((t - t0) * 1000 for t in report["received"].get(cid, []))
        delivery_ms.extend(got)
        if got:
            first_ms.append(min(got))
            last_ms.append(max(got))
        missing += args.n - len(got)
    closed = [c for report in reports for c in report["closed"]]
    print(
        json.dumps(
            {
                "readers": args.n,
                "comments": len(sent),
                "posters": args.posters,
                "rate_per_poster": args.rate,
                "post_failures": len(failures),
                "first_failure": failures[0] if failures else None,
                "posting_seconds": round(posting_s, 2),
                "posts_per_second": round(len(sent) / posting_s, 1),
                "server_cpu_seconds_posting": round(server_cpu, 2),
                "reader_cpu_seconds_whole_run": round(reader_cpu, 2),
                "client_cpu_seconds_posting": round(client_cpu, 2),
                "other_cpu_seconds_posting": round(other_cpu, 2),
                "machine_busy_percent": round(100 * busy[0] / busy[1], 1),
                "loadavg_before": load,
                "post_response_ms": percentiles(response_ms),
                "delivery_ms": percentiles(delivery_ms),
                "first_reader_ms": percentiles(first_ms),
                "last_reader_ms": percentiles(last_ms),
                "deliveries": len(delivery_ms),
                "missing_deliveries": missing,
                "readers_closed": len(closed),
                "close_codes": sorted({str(c) for c in closed}),
                "errors": [e for report in reports for e in report["errors"]][:5],
                "rss_before_kib": rss_before,
                "rss_connected_kib": rss_connected,
                "rss_after_kib": rss_after,
            }
        )
    )


def make_poster(host, port, token, hearing_id, section_id):
    path = f"/api/v1/hearings/{hearing_id}/comments"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def post(conn, text):
        body = json.dumps(
            {
                "section_id": section_id,
                "author_name": "Måling",
                "body": f"{text} {uuid.uuid4()}",
            }
        )
        t0 = time.monotonic()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        answer = response.read()
        t1 = time.monotonic()
        if response.status != 201:
            raise RuntimeError(f"{response.status} {answer[:200]!r}")
        return json.loads(answer)["id"], t0, t1

    return post


if __name__ == "__main__":
    main()
