"""The reviewer queue's own SQL for bench/scale.py: timed in-process, with its plan."""

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import _load

# The reviewer queue's first page, as disputes.dispute_list builds it for a reviewer.
QUEUE_SQL = (
    "SELECT disputes.id FROM disputes WHERE disputes.review_started_at IS NOT NULL "
    "AND disputes.state IN ('under_review', 'needs_info') "
    "ORDER BY disputes.deadline_at IS NULL, disputes.deadline_at, disputes.id LIMIT 26"
)


def queue_sql(db_path: Path, runs: int = 7) -> dict:
    """Median ms of the queue's query, its plan, and how many of the disputes it shows
    are still open (not closed or withdrawn)."""
    with closing(sqlite3.connect(db_path)) as db:
        plan = " / ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {QUEUE_SQL}"))
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            ids = [row[0] for row in db.execute(QUEUE_SQL)]
            times.append((time.perf_counter() - began) * 1000)
        marks = ",".join("?" * len(ids)) or "NULL"
        open_shown = db.execute(
            f"SELECT count(*) FROM disputes WHERE id IN ({marks}) "
            "AND state NOT IN ('closed', 'withdrawn')",
            ids,
        ).fetchone()[0]
        matching = db.execute(
            "SELECT count(*) FROM disputes WHERE state != 'draft' AND review_started_at IS NOT NULL"
        ).fetchone()[0]
        open_matching = db.execute(
            "SELECT count(*) FROM disputes WHERE state != 'draft' AND review_started_at "
            "IS NOT NULL AND state NOT IN ('closed', 'withdrawn')"
        ).fetchone()[0]
    return {
        "ms": _load.median(times),
        "plan": plan,
        "shown": len(ids),
        "open_shown": open_shown,
        "matching": matching,
        "open_matching": open_matching,
    }


def print_queue(queue, small: int, large: int) -> None:
    print()
    print("Reviewer queue SQL (disputes.dispute_list for a reviewer, first page), in-process:")
    print(f"  {QUEUE_SQL}")
    for size in (small, large):
        q = queue[size]
        print(
            f"  {size:>7,} disputes: {q['ms']:7.2f} ms; {q['matching']:,} reviewed, "
            f"{q['open_matching']:,} of them open; the {q['shown']} shown hold "
            f"{q['open_shown']} open"
        )
        print(f"      plan: {q['plan']}")
