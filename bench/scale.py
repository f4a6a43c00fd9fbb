"""Scale benchmark (issue 8, part 5): the pages of bench/server.py with 1,000 and with
100,000 disputes in the database, both servers up at once and measured in turns, and the
slowdown between them. Also times the reviewer queue's own SQL, with and without the index
suggested for it. Prints ratios and goals, never asserts.

    .venv/bin/python bench/scale.py [--seconds 5] [--sizes 1000 100000]

Data: a fresh migrated SQLite database (flask db upgrade, then seed-demo for the accounts
that sign in), then N disputes bulk-inserted with SQLAlchemy Core executemany in one
transaction, spread over many buyers, sellers and orders. Everything runs on 127.0.0.1.
"""

import argparse
import contextlib
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _load  # noqa: E402
from _load import BUYER, REVIEWER, BenchError  # noqa: E402
from scale_data import generate  # noqa: E402
from scale_queue import print_queue, queue_sql  # noqa: E402
from summary import record  # noqa: E402

CONNECTIONS = (8, 32)
WORKERS = 2
GOAL_SLOWDOWN = 1.5


def pages_for(server, db_path: Path):
    buyer = _load.signed_in(server.url, BUYER)
    reviewer = _load.signed_in(server.url, REVIEWER)
    with closing(sqlite3.connect(db_path)) as db:
        reference = db.execute(
            "SELECT d.reference FROM disputes d JOIN orders o ON o.id = d.order_id "
            "WHERE o.order_number = '1008' ORDER BY d.id LIMIT 1"
        ).fetchone()[0]
    return [
        ("/orders (buyer)", "/orders", buyer, "Your orders"),
        ("/disputes/<ref> (buyer)", f"/disputes/{reference}", buyer, "Dispute"),
        ("/disputes (reviewer queue)", "/disputes", reviewer, "Disputes"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs=2, default=(1_000, 100_000))
    args = parser.parse_args()
    small, large = args.sizes
    began = time.monotonic()
    print(f"Scale benchmark — {_load.machine_line()}, {_load.other_load()}")
    print(
        f"gunicorn.conf.py (gthread, WEB_CONCURRENCY={WORKERS}), load from "
        f"{_load.load_tool()} on 127.0.0.1, {args.seconds} s per run after a 1 s warm-up"
    )
    with contextlib.ExitStack() as stack:
        servers, dbs, envs, pages = {}, {}, {}, {}
        for size in (small, large):
            instance, envs[size] = stack.enter_context(_load.portal_instance(WORKERS))
            dbs[size] = instance / "portal.sqlite"
            t = time.monotonic()
            counts = generate(dbs[size], size)
            print(
                f"{size:,} disputes: generated in {time.monotonic() - t:.1f} s — "
                + ", ".join(f"{k} +{v:,}" for k, v in counts.items()),
                flush=True,
            )
        print(
            "  (demo data from seed-demo first: the measured buyer has its 10 orders and 4 "
            "disputes at both sizes; the rest belong to other buyers: buyers = N/2, "
            "sellers = N/200, one order of 1–3 items per dispute, created over two years: "
            "under 25 days old open (draft, awaiting seller, negotiating, under review), "
            "older closed (35 % of them decided by a reviewer) or withdrawn; 1–4 photo "
            "rows each (0–2 on drafts), 1–4 events each; no ANALYZE run)"
        )
        for size in (small, large):
            servers[size] = stack.enter_context(_load.gunicorn(envs[size]))
            pages[size] = pages_for(servers[size], dbs[size])

        results = {}
        for i, (label, _path, _client, _title) in enumerate(pages[small]):
            for connections in CONNECTIONS:
                for size in (small, large):  # in turns, so drifting load hits both alike
                    _l, path, client, title = pages[size][i]
                    if connections == CONNECTIONS[0]:
                        _load.expect_page(client, path, title)
                        _load.load(servers[size], path, client.cookie_header, 8, 1)
                    results[label, connections, size] = _load.load(
                        servers[size], path, client.cookie_header, connections, args.seconds
                    )
                    _load.expect_page(client, path, title)
        print_table(results, pages[small], small, large)
        # The servers are idle now: time the queue's SQL alone, then with the index.
        queue = {size: queue_sql(dbs[size]) for size in (small, large)}
    print_queue(queue, small, large)
    print(f"(ran {time.monotonic() - began:.0f} s)")


def print_table(results, pages, small: int, large: int) -> None:
    a, b = f"{small // 1000}k", f"{large // 1000}k"
    print()
    print(
        f"{'page':28} {'conns':>5} {a + ' req/s':>10} {b + ' req/s':>11} {'slowdown':>8} "
        f"{a + ' p50':>8} {b + ' p50':>9} {a + ' p99':>8} {b + ' p99':>9} "
        f"{a + ' cpu':>8} {b + ' cpu':>9} {'cpu x':>6}  goal"
    )
    for label, *_ in pages:
        for connections in CONNECTIONS:
            s, g = results[label, connections, small], results[label, connections, large]
            slowdown, cpu = s.rps / g.rps, g.cpu_ms / s.cpu_ms
            verdict = "PASS" if slowdown <= GOAL_SLOWDOWN else "FAIL"
            print(
                f"{label:28} {connections:5} {s.rps:10.0f} {g.rps:11.0f} {slowdown:7.2f}x "
                f"{s.p50_ms:8.1f} {g.p50_ms:9.1f} {s.p99_ms:8.1f} {g.p99_ms:9.1f} "
                f"{s.cpu_ms:8.1f} {g.cpu_ms:9.1f} {cpu:5.2f}x  "
                f"<= {GOAL_SLOWDOWN}x: {verdict}"
                + (
                    f" (errors: {a} {s.error_kinds or 'none'}, {b} {g.error_kinds or 'none'})"
                    if s.errors or g.errors
                    else ""
                )
            )
            measure = f"{label}, {connections} conns, {b} disputes"
            goal, small_label = f"{a}/{b} req/s ≤ {GOAL_SLOWDOWN}x", f"{a} disputes"
            rps = g.rps if s.measured and g.measured else None  # mostly errors: no figure
            record(
                "scale", measure, rps, "req/s", s.rps, small_label, goal, verdict, ratio=slowdown
            )
    print(
        f"slowdown = {a} req/s / {b} req/s (goal <= {GOAL_SLOWDOWN}x); p50/p99 in ms; cpu = "
        f"gunicorn CPU ms per request, cpu x = {b} cpu / {a} cpu (steadier when other work "
        "shares the cores)"
    )


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"scale benchmark failed: {error}")
