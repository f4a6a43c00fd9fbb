"""Soak check 1: many buyers at once, each uploading several large photos, one per request."""

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from live_client import PHOTO_ID, Client
from live_data import order_ids, query
from live_photos import sized_photo
from live_portal import evidence_check, gunicorn
from soak_tools import Check, MemorySampler, instance, mb, pct


def upload_storm(clients: int, photos_each: int, photo_bytes: int, cap: float) -> Check:
    check = Check(f"{clients} buyers x {photos_each} photos of ~{photo_bytes / 1e6:.0f} MB")
    photos = [sized_photo(photo_bytes, seed) for seed in range(photos_each)]
    average = statistics.mean(len(p) for p in photos)
    with instance(clients) as (env, accounts), gunicorn(env) as server:
        database = env["DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI"]
        orders = order_ids(database, [number for _e, _p, number in accounts])
        buyers = []
        for email, password, number in accounts:
            buyer = Client(server).sign_in(email, password)
            buyers.append((buyer, buyer.draft_at_photos(orders[number])))
        idle = server.rss_kb()
        boots = server.worker_boots()
        deadline = time.monotonic() + cap
        results: list[tuple[str, int, str | None, float]] = []  # reference, status, id, s
        lock = threading.Lock()

        def buyer_run(pair):
            buyer, reference = pair
            for n, photo in enumerate(photos):
                if time.monotonic() > deadline:
                    return
                try:
                    reply = buyer.upload(reference, f"photo-{n}.jpg", photo, fragment=True)
                    found = PHOTO_ID.search(reply.text) if reply.status < 300 else None
                    row = (reference, reply.status, found and found.group(1), reply.seconds)
                except OSError as error:
                    row = (reference, 0, str(error), 0.0)
                with lock:
                    results.append(row)

        began = time.monotonic()
        with MemorySampler(server) as memory, ThreadPoolExecutor(clients) as pool:
            list(pool.map(buyer_run, buyers))
        elapsed = time.monotonic() - began
        peak = server.peak_rss_kb()

        stored = set(
            row[0]
            for row in query(
                database,
                "SELECT p.public_id FROM evidence_photos p JOIN disputes d "
                "ON d.id = p.dispute_id WHERE d.reference LIKE 'D-%'",
            )
        )
        check.tried = clients * photos_each
        ok_replies = [r for r in results if 200 <= r[1] < 300]
        errors = [r for r in results if r[1] >= 500 or r[1] == 0]
        whole = 0
        for reference, _status, public_id, _s in ok_replies:
            image = server.evidence / reference / f"{public_id}.jpg"
            thumb = server.evidence / reference / f"{public_id}.thumb.jpg"
            whole += public_id in stored and image.is_file() and thumb.is_file()
        check.passed = whole
        consistent, report = evidence_check(env)
        latencies = [r[3] * 1000 for r in ok_replies]
        check.figures += [
            f"{len(results)} uploads sent ({average / 1e6:.2f} MB on average) in "
            f"{elapsed:.1f} s: {len(results) / elapsed:.1f} uploads/s, "
            f"{len(results) * average / 1e6 / elapsed:.1f} MB/s",
            f"{len(ok_replies)} 2xx, {len(errors)} 5xx or connection errors, "
            f"{len(results) - len(ok_replies) - len(errors)} other",
            f"upload p50 {pct(latencies, 0.5):.0f} ms, p99 {pct(latencies, 0.99):.0f} ms",
            f"{whole} of {len(ok_replies)} 2xx uploads have their row and both files; "
            f"check-evidence {'clean' if consistent else 'FAILED'}",
            f"worker RSS: idle {', '.join(mb(v) for v in idle.values())}; peak sampled "
            f"{mb(memory.peak_worker)} per worker, {mb(memory.peak_total)} both; VmHWM "
            f"{', '.join(mb(v) for v in peak.values())}; after "
            f"{', '.join(mb(v) for v in server.rss_kb().values())}",
            f"worker boots during the run: {server.worker_boots() - boots}",
        ]
        if errors:
            check.failures.append(f"{len(errors)} 5xx or connection errors: {errors[:3]}")
        if len(results) < check.tried:
            check.failures.append(f"only {len(results)} uploads sent within {cap:.0f} s")
        if whole != len(ok_replies):
            check.failures.append("a 2xx upload lacks its row or a file")
        if not consistent:
            check.failures.append(f"check-evidence: {report.strip()[:500]}")
    return check
