"""Server benchmark (issue 8, part 4): requests/s and p50/p99 latency of three signed-in
pages under the repo's gunicorn.conf.py (gthread, WEB_CONCURRENCY=2), next to a bare Flask
view rendering a small template from SQLite (bench/baseline_app.py) under the same
settings, measured in this run; then photo uploads per second with 2 workers, next to what
the same photo costs when processed in-process. Prints ratios and goals, never asserts.

    .venv/bin/python bench/server.py [--seconds 8] [--upload-seconds 12] [--clients 4]

Everything runs on 127.0.0.1 against fresh temporary instances, for a fixed time.
"""

import argparse
import http.client
import io
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageChops

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _load  # noqa: E402
from _load import BUYER, BUYER2, HOST, REVIEWER, BenchError, LoadResult  # noqa: E402

CONNECTIONS = (8, 32)
WORKERS = 2
GOAL_SHARE = 0.5  # of the baseline's requests/s
GOAL_P99_MS = 50.0  # at 32 connections
GOAL_UPLOADS = 10.0  # large JPEGs per second with 2 workers
DISTINCT_PHOTOS = 10  # = MAX_PHOTOS: each draft gets each photo once (duplicates refused)
UPLOAD_DRAFTS = 80  # 800 upload slots: more than 2 workers can take in the time given
BOUNDARY = "bench-boundary-7MvQ2x"


# ---------------------------------------------------------------------------- photos


def photo_jpeg(width: int = 4000, height: int = 3000) -> bytes:
    """A 12 MP photo-like JPEG of about 3.7 MB: smooth colour structure plus fine sensor
    grain. effect_noise draws fresh noise on every call, so no two are alike."""
    coarse = Image.effect_noise((width // 16, height // 16), 60).convert("RGB")
    gradient = Image.linear_gradient("L").resize(coarse.size)
    base = Image.merge("RGB", [coarse.getchannel(0), gradient, coarse.getchannel(2)])
    base = base.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((width, height), 5).convert("RGB")
    image = ImageChops.add(base, grain, scale=1.0, offset=-128)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def multipart(token: str, filename: str, data: bytes) -> bytes:
    """The no-JavaScript upload form: csrf_token, action=upload and one file."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n',
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="action"\r\n\r\nupload\r\n',
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; '
        f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n',
    ]
    return "".join(parts).encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def add_upload_drafts(db_path: Path, email: str, count: int) -> list[str]:
    """Delivered orders and a draft dispute on each (every question answered but photos),
    bulk-inserted for this buyer: the upload load spreads over them, ten photos each.
    Returns the drafts' references."""
    from sqlalchemy import create_engine, func, insert, select

    from dispute_portal.models import (
        Dispute,
        DisputeItem,
        DisputeState,
        Order,
        OrderItem,
        Remedy,
        User,
    )
    from dispute_portal.models.disputes import new_reference

    engine = create_engine(f"sqlite:///{db_path}")
    now = datetime.now(UTC)
    with engine.begin() as db:
        buyer = db.scalar(select(User.id).where(User.email == email))
        seller = db.scalar(select(User.id).where(User.email == "seller@example.com"))
        # Demo orders, items and disputes came first: new ids (one each) start past them.
        first = 1 + max(
            db.scalar(select(func.max(table.id))) or 0 for table in (Order, OrderItem, Dispute)
        )
        ids = range(first, first + count)
        db.execute(
            insert(Order),
            [
                dict(
                    id=i,
                    order_number=f"U{i}",
                    buyer_id=buyer,
                    seller_id=seller,
                    currency="GBP",
                    placed_at=now - timedelta(days=5),
                    delivered_at=now - timedelta(days=2),
                )
                for i in ids
            ],
        )
        db.execute(
            insert(OrderItem),
            [
                dict(id=i, order_id=i, title="Camera", quantity=1, unit_price_minor=25000)
                for i in ids
            ],
        )
        references = [new_reference() for _ in ids]
        db.execute(
            insert(Dispute),
            [
                dict(
                    id=i,
                    reference=ref,
                    order_id=i,
                    buyer_id=buyer,
                    state=DisputeState.DRAFT,
                    reason="damaged",
                    description="The lens arrived with a deep scratch across the front.",
                    remedy=Remedy.FULL_REFUND,
                    will_return_item=False,
                    created_at=now,
                    updated_at=now,
                )
                for i, ref in zip(ids, references, strict=True)
            ],
        )
        db.execute(
            insert(DisputeItem), [dict(dispute_id=i, order_item_id=i, quantity=1) for i in ids]
        )
    engine.dispose()
    return references


def upload_load(base_url: str, references, photos, clients: int, seconds: float):
    """`clients` threads POST photos (one per request) as the second demo buyer until
    `seconds` have passed; each (draft, photo) slot is used once, so no photo is a
    duplicate in its draft. Returns (303s, other answers, elapsed seconds)."""
    client = _load.signed_in(base_url, BUYER2)
    token = client.csrf_token(f"/disputes/{references[0]}/photos")
    cookie = client.cookie_header  # one session for all clients, with its CSRF token
    bodies = [multipart(token, f"photo-{n}.jpg", p) for n, p in enumerate(photos)]
    slots = [(ref, n) for ref in references for n in range(len(bodies))]
    port = int(base_url.rsplit(":", 1)[1])
    lock, state = threading.Lock(), {"next": 0, "ok": 0, "other": {}}
    start = time.monotonic()
    deadline = start + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if state["next"] >= len(slots):
                    break
                ref, n = slots[state["next"]]
                state["next"] += 1
            headers = {
                "User-Agent": _load.USER_AGENT,
                "Cookie": cookie,
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            }
            try:
                connection.request("POST", f"/disputes/{ref}/photos", bodies[n], headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
            with lock:
                if status == 303:
                    state["ok"] += 1
                else:
                    state["other"][status] = state["other"].get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 90)
    return state["ok"], state["other"], time.monotonic() - start


def in_process_ms(data: bytes, runs: int = 3) -> float:
    """The upload's CPU work alone: process_photo on the same bytes, in this process."""
    from dispute_portal.photos import process_photo

    process_photo(data)  # warm up
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        process_photo(data)
        times.append((time.perf_counter() - began) * 1000)
    return _load.median(times)


# ---------------------------------------------------------------------------- pages


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
        print(line)
    print(
        f"{seconds} s per run after a 1 s warm-up; vs base = req/s / baseline req/s at the "
        "same connections; cpu ms = gunicorn CPU time per request (master + workers); "
        "restarts = gunicorn workers booted during the run "
        "(max_requests recycling); errors = failed requests or statuses >= 400"
    )
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--upload-seconds", type=float, default=12)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    began = time.monotonic()
    print(f"Server benchmark — {_load.machine_line()}, {_load.other_load()}")
    print(
        f"gunicorn.conf.py (gthread, WEB_CONCURRENCY={WORKERS}, 8 threads, max_requests "
        f"1000±100), load from {_load.load_tool()} on {HOST}, Accept-Encoding as a browser"
    )
    print(f"making {DISTINCT_PHOTOS} distinct 12 MP JPEGs for the upload run...", flush=True)
    photos = [photo_jpeg() for _ in range(DISTINCT_PHOTOS)]
    random.shuffle(photos)

    results = baseline(args.seconds)
    with _load.portal_instance(WORKERS) as (instance, env):
        db_path = instance / "portal.sqlite"
        drafts = add_upload_drafts(db_path, BUYER2[0], UPLOAD_DRAFTS)
        with _load.gunicorn(env) as server:
            results |= measure(server, portal_pages(server, db_path), args.seconds)
            print()
            verdicts = print_pages(results, args.seconds)

            boots = server.worker_boots()
            ok, other, elapsed = upload_load(
                server.url, drafts, photos, args.clients, args.upload_seconds
            )
            boots = server.worker_boots() - boots
    per_photo_ms = in_process_ms(photos[0])
    cores = min(len(os.sched_getaffinity(0)), WORKERS)
    ceiling_rate = cores * 1000 / per_photo_ms
    rate = ok / elapsed
    sizes = [len(p) / 1e6 for p in photos]
    print()
    print(
        f"Photo uploads: POST /disputes/<draft>/photos (no-JS form, one 12 MP JPEG of "
        f"{min(sizes):.1f}–{max(sizes):.1f} MB each, {DISTINCT_PHOTOS} distinct photos, "
        f"{UPLOAD_DRAFTS} drafts × 10 slots), {args.clients} parallel clients for "
        f"{args.upload_seconds:.0f} s, {WORKERS} workers"
    )
    print(f"{'':34} {'photos/s':>9} {'vs ceiling':>11}")
    print(
        f"{'uploads answered 303':34} {rate:9.1f} {rate / ceiling_rate:10.2f}x"
        f"   ({ok} in {elapsed:.1f} s; other answers: {other or 'none'}; "
        f"restarts {boots})"
    )
    print(
        f"{'ceiling: process_photo in-process':34} {ceiling_rate:9.1f}        "
        f"   ({per_photo_ms:.0f} ms per photo × {cores} cores)"
    )
    upload_ok = rate >= GOAL_UPLOADS
    verdicts.append(
        f"uploads: {rate:.1f}/s >= {GOAL_UPLOADS:.0f}/s: {'PASS' if upload_ok else 'FAIL'}"
    )
    print("vs ceiling = uploads/s / what the cores could do on process_photo alone")
    print()
    print("Goals:")
    for verdict in verdicts:
        print(f"  {verdict}")
    print(f"(ran {time.monotonic() - began:.0f} s)")


if __name__ == "__main__":
    main()
