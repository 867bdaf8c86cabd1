#!/usr/bin/env python3
"""Search and filter answers of a plan's input register at many inputs.

Times `GET /api/v1/plans/{id}/inputs` of a running `samrad serve` on a plan whose
register was filled with `samrad bench-seed` (comments, replies, official responses
and letters in nynorsk and bokmål): the first page unfiltered and newest first,
searches with Norwegian stemming (one word, two words, a word nobody used), filters
(kind, section, state, late) alone and with a search, and a deep keyset page (the
page after the middle number). Each query is asked `--repeat` times after one
unmeasured warm-up; the script prints one JSON line with the median, the 90th
percentile and the rows found per query, in milliseconds (request sent until the
whole answer is read, over one kept-alive connection).

    DIR=$(mktemp -d)
    samrad bench-seed --inputs 20000 --data-dir "$DIR"        # prints plan_id
    TOKEN=$(samrad token create --municipality fjordvik --data-dir "$DIR")
    samrad serve --bind 127.0.0.1:18558 --data-dir "$DIR" &
    python3 tests/bench/register_search.py --url http://127.0.0.1:18558 \\
        --token "$TOKEN" --plan PLAN_ID [--repeat 30]

Use a release build, and say on what machine it ran and what else was running:
the script shares the machine with the server.
"""

import argparse
import http.client
import json
import statistics
import time
import urllib.parse


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Client:
    def __init__(self, url, token):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def get(self, path):
        """(milliseconds, status, JSON answer)."""
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, response.status, json.loads(body) if body else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--plan", required=True, help="the plan id bench-seed printed")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    client = Client(args.url, args.token)
    base = f"/api/v1/plans/{args.plan}/inputs"

    def path(**query):
        return base + ("?" + urllib.parse.urlencode(query) if query else "")

    _, status, first = client.get(path(limit=1))
    if status != 200:
        raise SystemExit(f"GET {base}: {status} {first}")
    total = first["total"]
    section = first["inputs"][0]["section_ids"][0] if first["inputs"][0]["section_ids"] else None
    middle = total // 2
    queries = {
        "page_1": path(limit=50),
        "page_1_newest_first": path(limit=50, sort="-number"),
        "deep_keyset_page": path(limit=50, after=middle),
        "search_one_word": path(q="barnehagar", limit=50),
        "search_two_words": path(q="eldre sentrum", limit=50),
        "search_no_match": path(q="vindkraftverk", limit=50),
        "search_deep_page": path(q="sjukeheimen", limit=50, after=middle),
        "filter_kind_letter": path(kind="letter", limit=50),
        "filter_state_unassessed": path(state="unassessed", limit=50),
        "filter_late": path(late="true", limit=50),
        "filter_kind_and_search": path(kind="response", q="heimetenesta", limit=50),
    }
    if section:
        queries["filter_section"] = path(section=section, limit=50)
        queries["filter_section_and_search"] = path(section=section, q="buss", limit=50)
    results = {}
    for name, query in queries.items():
        _, status, answer = client.get(query)  # warm-up, not measured
        if status != 200:
            raise SystemExit(f"GET {query}: {status} {answer}")
        times = []
        for _ in range(args.repeat):
            elapsed, status, answer = client.get(query)
            if status != 200:
                raise SystemExit(f"GET {query}: {status} {answer}")
            times.append(elapsed)
        results[name] = {
            "median_ms": round(statistics.median(times), 2),
            "p90_ms": round(percentile(times, 90), 2),
            "found": answer["total"],
            "rows": len(answer["inputs"]),
        }
    print(json.dumps({"inputs": total, "repeat": args.repeat, "queries": results}))


if __name__ == "__main__":
    main()
