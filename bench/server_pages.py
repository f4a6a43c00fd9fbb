"""The pages half of bench/server.py: load on signed-in pages and on a bare Flask
baseline, and the table that compares them."""

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import _load
from _load import BUYER, REVIEWER, BenchError, LoadResult
from summary import pass_fail, record

CONNECTIONS = (8, 32)
WORKERS = 2
GOAL_SHARE = 0.5  # of the baseline's requests/s
GOAL_P99_MS = 50.0  # at 32 connections


def measure(server, pages, seconds: int) -> dict[tuple[str, int], LoadResult]:
    """pages: (label, path, client) — each checked before and after its runs."""
    results = {}
    for label, path, client, title in pages:
        _load.expect_page(client, path, title)
        _load.load(server, path, client.cookie_header, 8, 1)  # warm up, not counted
        for connections in CONNECTIONS:
            results[label, connections] = _load.load(
                server, path, client.cookie_header, connections, seconds
            )
        _load.expect_page(client, path, title)
    return results


def baseline(seconds: int) -> dict[tuple[str, int], LoadResult]:
    import baseline_app

    with tempfile.TemporaryDirectory(prefix="bench_baseline_") as tmp:
        db = Path(tmp) / "baseline.sqlite"
        baseline_app.create_database(str(db))
        env = _load.server_env(Path(tmp), workers=WORKERS)
        env["BENCH_BASELINE_DB"] = str(db)
        bench_dir = Path(__file__).resolve().parent
        with _load.gunicorn(env, "baseline_app:app", "/", pythonpath=bench_dir) as server:
            client = _load.Client(server.url)
            page = ("baseline: bare Flask + SQLite", "/", client, "Baseline")
            return measure(server, [page], seconds)


def dispute_reference(db_path: Path, order_number: str) -> str:
    with closing(sqlite3.connect(db_path)) as db:
        row = db.execute(
            "SELECT d.reference FROM disputes d JOIN orders o ON o.id = d.order_id "
            "WHERE o.order_number = ? ORDER BY d.id LIMIT 1",
            (order_number,),
        ).fetchone()
    if row is None:
        raise BenchError(f"no demo dispute on order {order_number}")
    return row[0]


def portal_pages(server, db_path: Path):
    buyer = _load.signed_in(server.url, BUYER)
    reviewer = _load.signed_in(server.url, REVIEWER)
    # Order 1008's demo dispute: escalated to review, so it has the longest history.
    reference = dispute_reference(db_path, "1008")
    return [
        ("/orders (buyer)", "/orders", buyer, "Your orders"),
        ("/disputes/<ref> (buyer)", f"/disputes/{reference}", buyer, "Dispute"),
        ("/disputes (reviewer queue)", "/disputes", reviewer, "Disputes"),
    ]


def record_goals(label: str, r: LoadResult, base: LoadResult, ok_rps: bool, ok_p99: bool):
    """A page's figures at 32 connections, with their goals, for make bench's closing table
    (bench/summary.py)."""
    rps, p99_ms = (r.rps, r.p99_ms) if r.measured else (None, None)  # mostly errors
    goal, verdict = f"≥ {GOAL_SHARE:.0%} of baseline", pass_fail(ok_rps)
    record("server", f"{label}, 32 conns", rps, "req/s", base.rps, "bare Flask", goal, verdict)
    goal, verdict = f"≤ {GOAL_P99_MS:.0f} ms", pass_fail(ok_p99)
    p99 = f"{label}, 32 conns, p99"
    record("server", p99, p99_ms, "ms", base.p99_ms, "bare Flask", goal, verdict)


def print_pages(results, seconds: int) -> list[str]:
    base = {c: results["baseline: bare Flask + SQLite", c] for c in CONNECTIONS}
    print(
        f"{'page':30} {'conns':>5} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'vs base':>8} {'cpu ms':>6} {'errors':>6} {'restarts':>8}  goal (32 conns)"
    )
    verdicts = []
    for label, connections in results:
        r = results[label, connections]
        share = r.rps / base[connections].rps
        line = (
            f"{label:30} {connections:5} {r.rps:8.0f} {r.p50_ms:7.1f} {r.p99_ms:7.1f} "
            f"{share:7.2f}x {r.cpu_ms:6.1f} {r.errors:6} {r.worker_boots:8}"
        )
        if connections == 32 and not label.startswith("baseline"):
            ok_rps, ok_p99 = share >= GOAL_SHARE, r.p99_ms <= GOAL_P99_MS
            verdict = (
                f"req/s >= {GOAL_SHARE:.0%} of baseline: {'PASS' if ok_rps else 'FAIL'}, "
                f"p99 <= {GOAL_P99_MS:.0f} ms: {'PASS' if ok_p99 else 'FAIL'}"
            )
            line += "  " + verdict
            verdicts.append(f"{label}: {verdict}")
            record_goals(label, r, base[32], ok_rps, ok_p99)
        elif not label.startswith("baseline"):
            measure = f"{label}, {connections} conns"
            rps = r.rps if r.measured else None
            record("server", measure, rps, "req/s", base[connections].rps, "bare Flask")
        print(line)
    for (label, connections), r in results.items():
        if r.errors:
            print(f"errors on {label} at {connections} connections: {r.error_kinds}")
    print(
        f"{seconds} s per run after a 1 s warm-up; vs base = req/s / baseline req/s at the "
        "same connections; cpu ms = gunicorn CPU time per request (master + workers); "
        "restarts = gunicorn workers booted during the run "
        "(max_requests recycling); errors = failed requests or statuses >= 400"
    )
    return verdicts
