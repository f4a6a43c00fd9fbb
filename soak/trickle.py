"""Soak check 2: uploads trickled slower than gunicorn's default timeout while others browse."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from live_client import PHOTO_ID, Client, RawUpload
from live_data import order_ids, query
from live_photos import make_photo
from live_portal import evidence_check, gunicorn
from soak_tools import Check, instance, pct

GUNICORN_DEFAULT_TIMEOUT = 30  # seconds: what gunicorn uses when nothing sets `timeout`


def trickle_and_browse(tricklers: int, browsers: int, rate: int, cap: float) -> Check:
    check = Check(f"{tricklers} uploads at {rate // 1024} KB/s + {browsers} browsing")
    photo = make_photo(size=(800, 600), seed=5, quality=40)
    with instance(tricklers + browsers) as (env, accounts):
        # gunicorn's own default timeout, not gunicorn.conf.py's 120 s: a trickling
        # upload that outlives it must still complete.
        args = ("--timeout", str(GUNICORN_DEFAULT_TIMEOUT))
        with gunicorn(env, *args) as server:
            database = env["DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI"]
            orders = order_ids(database, [number for _e, _p, number in accounts])
            people = []
            for email, password, number in accounts:
                client = Client(server, timeout=30).sign_in(email, password)
                people.append((client, client.draft_at_photos(orders[number]), orders[number]))
            trickling, browsing = people[:tricklers], people[tricklers:]
            deadline = time.monotonic() + cap
            done = threading.Event()
            uploads: list[tuple[str, int | None, str | None, float]] = []
            pages: list[tuple[int, float]] = []
            lock = threading.Lock()

            def trickle(person):
                client, reference, _order = person
                began = time.monotonic()
                upload = RawUpload(client, reference, photo, timeout=cap, fragment=True)
                upload.trickle(rate, deadline)
                status, text = upload.answer()
                found = PHOTO_ID.search(text)
                with lock:
                    uploads.append(
                        (reference, status, found and found.group(1), time.monotonic() - began)
                    )

            def browse(person):
                client, reference, order = person
                paths = ["/orders", f"/orders/{order}", f"/disputes/{reference}/photos"]
                n = 0
                while not done.is_set() and time.monotonic() < deadline:
                    try:
                        reply = client.get(paths[n % len(paths)])
                        row = (reply.status, reply.seconds * 1000)
                    except OSError:
                        row = (0, float("inf"))
                    with lock:
                        pages.append(row)
                    n += 1
                    time.sleep(0.05)  # a person reads, a little

            boots = server.worker_boots()
            with ThreadPoolExecutor(tricklers + browsers) as pool:
                browsers_done = [pool.submit(browse, p) for p in browsing]
                list(pool.map(trickle, trickling))
                done.set()
                for future in browsers_done:
                    future.result()
            killed = server.log().count("WORKER TIMEOUT")
            restarted = server.worker_boots() - boots

        stored = {row[0] for row in query(database, "SELECT public_id FROM evidence_photos")}
        consistent, report = evidence_check(env)
        evidence = Path(env["DISPUTE_PORTAL_EVIDENCE_FOLDER"])
        completed = [
            u
            for u in uploads
            if u[1] == 200
            and u[2] in stored
            and (evidence / u[0] / f"{u[2]}.jpg").is_file()
            and (evidence / u[0] / f"{u[2]}.thumb.jpg").is_file()
            and u[3] > GUNICORN_DEFAULT_TIMEOUT
        ]
    good_pages = [ms for status, ms in pages if status == 200]
    bad_pages = len(pages) - len(good_pages)
    p99 = pct(good_pages, 0.99)
    durations = [u[3] for u in uploads]
    check.tried = len(trickling) + 1  # each trickled upload, and the browsing as a whole
    check.passed = len(completed) + (bad_pages == 0 and p99 < 200)
    check.figures += [
        f"{len(photo) / 1024:.0f} KB photo per upload; uploads took "
        f"{min(durations, default=0):.1f}-{max(durations, default=0):.1f} s "
        f"(server timeout {GUNICORN_DEFAULT_TIMEOUT} s); {len(completed)} of "
        f"{len(trickling)} completed (200, row and files) after more than "
        f"{GUNICORN_DEFAULT_TIMEOUT} s",
        f"{len(pages)} page requests meanwhile: {bad_pages} not 200; p50 "
        f"{pct(good_pages, 0.5):.0f} ms, p99 {p99:.0f} ms, max {max(good_pages, default=0):.0f} ms",
        f"worker timeouts logged {killed}, worker boots {restarted}; "
        f"check-evidence {'clean' if consistent else 'FAILED'}",
    ]
    if len(completed) != len(trickling):
        check.failures.append(f"trickled uploads: {[(u[1], round(u[3], 1)) for u in uploads]}")
    if bad_pages or not p99 < 200:
        check.failures.append(f"pages: {bad_pages} errors, p99 {p99:.0f} ms (budget 200 ms)")
    if not consistent:
        check.failures.append(f"check-evidence: {report.strip()[:500]}")
    return check
