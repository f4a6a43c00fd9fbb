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
import random
import sqlite3
import sys
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _load  # noqa: E402
from _load import BUYER, REVIEWER, BenchError  # noqa: E402

CONNECTIONS = (8, 32)
WORKERS = 2
GOAL_SLOWDOWN = 1.5
SEED = 8

DESCRIPTIONS = (
    "It stopped working after two days and will not switch on again.",
    "The box was crushed and the item inside is cracked along one side.",
    "I received a different colour from the one in my order.",
    "Two of the parts listed on the box were missing.",
)
REASONS = ("doesnt_work", "damaged", "wrong_item", "missing_parts")
TITLES = ("Kettle", "Desk chair", "Phone case", "Headphones", "Backpack", "Lamp", "Mug")


def generate(db_path: Path, n: int) -> dict[str, int]:
    """N disputes (with orders, items, events and photo rows) for other buyers and
    sellers, bulk-inserted in one transaction. Returns rows added per table."""
    from sqlalchemy import create_engine, func, insert, select

    from dispute_portal.models import (
        Dispute,
        DisputeEvent,
        DisputeItem,
        DisputeState,
        EvidencePhoto,
        Order,
        OrderItem,
        Outcome,
        Remedy,
        Resolution,
        Role,
        User,
    )
    from dispute_portal.models.disputes import new_reference

    S = DisputeState
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(microsecond=0)
    day = timedelta(days=1)
    n_buyers, n_sellers = max(100, n // 2), max(20, n // 200)
    rows: dict[type, list[dict]] = {
        t: [] for t in (User, Order, OrderItem, Dispute, DisputeItem, DisputeEvent, EvidencePhoto)
    }
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as db:
        next_id = {t: 1 + (db.scalar(select(func.max(t.id))) or 0) for t in rows}

        def add(table, **values) -> int:
            values["id"] = next_id[table]
            next_id[table] += 1
            rows[table].append(values)
            return values["id"]

        def user(kind: Role, i: int) -> int:
            return add(
                User,
                email=f"scale-{kind.value}-{i}@example.com",
                display_name=f"{kind.value.title()} {i}",
                role=kind,
                password_hash="!",  # never signs in
                active=True,
                session_version=1,
            )

        buyers = [user(Role.BUYER, i) for i in range(n_buyers)]
        sellers = [user(Role.SELLER, i) for i in range(n_sellers)]

        def event(dispute_id, actor, action, before, after, when) -> None:
            add(
                DisputeEvent,
                dispute_id=dispute_id,
                actor_id=actor,
                action=action,
                from_state=before,
                to_state=after,
                detail="",
                created_at=when,
            )

        for k in range(n):
            buyer, seller = rng.choice(buyers), rng.choice(sellers)
            age = rng.uniform(0, 730)  # two years of disputes
            created = now - age * day
            placed = created - rng.uniform(5, 25) * day
            order = add(
                Order,
                order_number=f"S{k}",
                buyer_id=buyer,
                seller_id=seller,
                currency="GBP",
                placed_at=placed,
                delivered_at=placed + 3 * day,
            )
            items = [
                add(
                    OrderItem,
                    order_id=order,
                    title=rng.choice(TITLES),
                    quantity=1,
                    unit_price_minor=rng.randrange(500, 20000),
                )
                for _ in range(rng.randint(1, 3))
            ]
            d = dict(
                reference=new_reference(),
                order_id=order,
                buyer_id=buyer,
                reason=rng.choice(REASONS),
                description=rng.choice(DESCRIPTIONS),
                remedy=Remedy.FULL_REFUND,
                will_return_item=False,
                created_at=created,
                updated_at=created,
                seller_did_not_respond=False,
            )
            submitted = created + rng.uniform(0, 0.2) * day
            # Recent disputes are open (every deadline still ahead, so no page view fires
            # a timer); older ones have ended.
            if age < 3 and rng.random() < 0.3:
                d.update(state=S.DRAFT)
            elif age < 25:
                d.update(submitted_at=submitted, seller_response_due_at=submitted + 5 * day)
                if age < 5:
                    d.update(state=S.AWAITING_SELLER, deadline_at=submitted + 5 * day)
                    d.update(waiting_on=Role.SELLER)
                elif rng.random() < 0.5:
                    d.update(state=S.NEGOTIATING, deadline_at=now + rng.uniform(0.5, 3) * day)
                    d.update(waiting_on=Role.BUYER)
                else:
                    review = now - rng.uniform(0, min(age - 3, 20)) * day
                    d.update(state=S.UNDER_REVIEW, review_started_at=review)
                    d.update(deadline_at=review + 7 * day, waiting_on=Role.REVIEWER)
            elif rng.random() < 0.8:
                closed = min(now - day, created + rng.uniform(3, 40) * day)
                d.update(state=S.CLOSED, submitted_at=submitted, closed_at=closed)
                d.update(deadline_at=closed + 30 * day)  # the appeal window
                if rng.random() < 0.35:  # decided by a reviewer
                    d.update(review_started_at=submitted + 6 * day, outcome=Outcome.DECIDED)
                    d.update(resolution=rng.choice(list(Resolution)))
                    d.update(decision_reason="Photos show the damage described.")
                else:
                    d.update(outcome=Outcome.AGREED, resolution=Resolution.FULL_REFUND)
            else:
                d.update(state=S.WITHDRAWN, submitted_at=submitted, closed_at=submitted + day)
            dispute = add(Dispute, **d)
            add(DisputeItem, dispute_id=dispute, order_item_id=items[0], quantity=1)
            state = d["state"]
            if state != S.DRAFT:
                event(dispute, buyer, "submit", "draft", "awaiting_seller", submitted)
            if state in (S.NEGOTIATING, S.CLOSED):
                event(dispute, seller, "offer", "awaiting_seller", "negotiating", submitted + day)
            if d.get("review_started_at"):
                when = d["review_started_at"]
                event(dispute, seller, "reject", "awaiting_seller", "negotiating", when - day)
                event(dispute, buyer, "escalate", "negotiating", "under_review", when)
            if state == S.CLOSED:
                event(dispute, None, "decide", "under_review", "closed", d["closed_at"])
            if state == S.WITHDRAWN:
                event(dispute, buyer, "withdraw", "awaiting_seller", "withdrawn", d["closed_at"])
            for p in range(rng.randint(0, 2) if state == S.DRAFT else rng.randint(1, 4)):
                add(
                    EvidencePhoto,
                    public_id=f"scale{dispute}x{p}",
                    dispute_id=dispute,
                    uploader_id=buyer,
                    original_filename=f"IMG_{p:04d}.jpg",
                    caption="",
                    width=2048,
                    height=1536,
                    byte_size=rng.randrange(300_000, 900_000),
                    sha256=f"{rng.getrandbits(256):064x}",
                    fingerprint=f"{rng.getrandbits(256):064x}",
                    quality_warnings="",
                    created_at=created,
                )
        for table, values in rows.items():  # parents before children
            # executemany needs one set of keys: what a row left out is NULL.
            keys = set().union(*values)
            db.execute(insert(table), [dict.fromkeys(keys) | row for row in values])
    engine.dispose()
    return {table.__tablename__: len(values) for table, values in rows.items()}


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
                + (f" (errors {s.errors}/{g.errors})" if s.errors or g.errors else "")
            )
    print(
        f"slowdown = {a} req/s / {b} req/s (goal <= {GOAL_SLOWDOWN}x); p50/p99 in ms; cpu = "
        f"gunicorn CPU ms per request, cpu x = {b} cpu / {a} cpu (steadier when other work "
        "shares the cores)"
    )


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


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"scale benchmark failed: {error}")
