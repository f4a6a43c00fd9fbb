"""`make soak`: the long live checks of issue 7, against a real gunicorn on 127.0.0.1.

1. Upload storm: twenty buyers at once, each uploading ten ~3 MB photos (one per
   request, as the page's JavaScript does). Zero 5xx; every 2xx upload's photo has its
   row and both files; `flask check-evidence` clean. Worker memory (RSS from /proc,
   sampled every 0.25 s, and each worker's VmHWM) is printed.
2. Trickle and browse: ten buyers each trickle a ~47 KB photo at 1 KB/s (about 50 s,
   longer than gunicorn's default 30 s worker timeout, which this server runs with)
   while four others browse. Page p99 < 200 ms with no errors; every trickled upload
   completes with its row and files.

Each check runs on a fresh temporary instance (`flask db upgrade`, `flask seed-demo`,
buyers written to the database and their orders imported with `flask import-orders`),
with the repo's gunicorn.conf.py, stopped by its PID. Every loop is bounded in count and
in time and talks to 127.0.0.1 only. Prints a table; exits 1 when any check fails.
"""

import argparse
import contextlib
import datetime
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests" / "live"))
sys.path.insert(1, str(PROJECT / "tests"))  # portal_server, portal_client

from live_client import PHOTO_ID, Client, RawUpload  # noqa: E402
from live_data import add_buyers, order_ids, query  # noqa: E402
from live_photos import make_photo, sized_photo  # noqa: E402
from live_portal import evidence_check, gunicorn  # noqa: E402
from portal_server import flask, server_env  # noqa: E402

GUNICORN_DEFAULT_TIMEOUT = 30  # seconds: what gunicorn uses when nothing sets `timeout`


@dataclass
class Check:
    name: str
    tried: int = 0
    passed: int = 0
    figures: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and self.tried > 0 and self.passed == self.tried


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@contextlib.contextmanager
def instance(buyers: int):
    """A fresh instance with demo data and `buyers` extra buyers, each with an order."""
    folder = Path(tempfile.mkdtemp(prefix="soak_portal_"))
    try:
        env = server_env(folder, f"sqlite:///{folder / 'portal.sqlite'}", workers=2)
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        accounts = add_buyers(env, buyers, folder)
        yield env, accounts
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class MemorySampler:
    """Sum and per-worker RSS of gunicorn's workers, every 0.25 s, until stopped."""

    def __init__(self, server):
        self.server, self.stop = server, threading.Event()
        self.peak_total, self.peak_worker = 0, 0
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.wait(0.25):
            rss = self.server.rss_kb()
            self.peak_total = max(self.peak_total, sum(rss.values()))
            self.peak_worker = max([self.peak_worker, *rss.values()])

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


# ---------------------------------------------------------------------------- 1. storm


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


# ---------------------------------------------------------------------------- 2. trickle


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


# ---------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--photos", type=int, default=10, help="photos per client (max 10)")
    parser.add_argument("--photo-mb", type=float, default=3.0)
    parser.add_argument("--tricklers", type=int, default=10)
    parser.add_argument("--browsers", type=int, default=4)
    parser.add_argument("--cap", type=float, default=600, help="seconds at most per check")
    args = parser.parse_args()
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    print(
        f"soak: {when}, nproc {len(os.sched_getaffinity(0))}, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} before the run"
    )
    checks = []
    for run in (
        lambda: upload_storm(args.clients, args.photos, int(args.photo_mb * 1e6), args.cap),
        lambda: trickle_and_browse(args.tricklers, args.browsers, 1024, args.cap),
    ):
        began = time.monotonic()
        check = run()
        check.figures.append(f"{time.monotonic() - began:.0f} s including setup")
        checks.append(check)
    print(f"\n{'check':<42} {'tried':>5} {'passed':>6}  result")
    for check in checks:
        result = "PASS" if check.ok else "FAIL"
        print(f"{check.name:<42} {check.tried:>5} {check.passed:>6}  {result}")
        for line in check.figures:
            print(f"    {line}")
        for line in check.failures:
            print(f"    FAILED: {line}")
    passed = sum(check.passed for check in checks)
    failed = sum(check.tried - check.passed for check in checks)
    print(f"\nsoak: {passed} passed, {failed} failed")
    return 0 if all(check.ok for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
