"""Faults in the middle of an upload, against a real gunicorn: a worker killed with
SIGKILL (while the body arrives, and after the photo's files are written but before its
row is), and a client that goes away (half-way through the body, and right after the
body without reading the answer). Each time the server serves again within seconds, and
`flask check-evidence` finds every row with its files and every file with its row, after
`flask sweep-evidence` with zero grace where a killed worker left files behind."""

import contextlib
import os
import signal
import sqlite3
import time

import psycopg
from sqlalchemy import make_url

from dispute_portal.database import WRITE_LOCK_KEY

from .live_client import Client, RawUpload
from .live_data import order_ids, photo_ids, query
from .live_photos import make_photo
from .live_portal import evidence_check, wait_until_serving

BUYER = ("buyer@example.com", "buyer-pass-1")
BUYER2 = ("buyer2@example.com", "buyer-pass-2")
SERVING_WITHIN = 30  # seconds: generous on a loaded machine; it takes well under one


def _worker_of(server, upload: RawUpload, within: float = 10) -> int:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        pid = server.worker_holding(upload.local_port)
        if pid:
            return pid
        time.sleep(0.02)
    raise AssertionError("no gunicorn worker holds the upload's connection")


def _workers_back(server, victim: int, killed_at: float, count: int = 2):
    """Seconds from the kill until gunicorn runs `count` workers again without the victim,
    or None if not within SERVING_WITHIN."""
    start = killed_at
    while time.monotonic() - start < SERVING_WITHIN:
        workers = server.workers()
        if len(workers) == count and victim not in workers:
            return time.monotonic() - start
        time.sleep(0.05)
    return None


@contextlib.contextmanager
def _write_lock_held(database_uri: str):
    """Another writer holds the portal's write lock until the block ends."""
    url = make_url(database_uri)
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK_KEY,))
        try:
            yield
        finally:
            holder.execute("SELECT pg_advisory_unlock(%s)", (WRITE_LOCK_KEY,))


def _draft_files(server, reference: str) -> list:
    folder = server.evidence / reference
    return sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []


def test_a_worker_killed_mid_upload_leaves_a_serving_server_and_matching_evidence(
    live_server, live_database, figures
):
    buyer = Client(live_server).sign_in(*BUYER)
    order = order_ids(live_database, ["1002"])["1002"]
    items = [row[0] for row in query(live_database, "SELECT id FROM order_items WHERE "
                                     "order_id = :o ORDER BY id", o=order)]  # fmt: skip
    reference = buyer.draft_at_photos(order, items[:1])
    assert buyer.upload(reference, "first.jpg", make_photo(seed=21)).status == 303
    cases, passed, notes = 0, 0, []

    # 1. Killed while the body is still arriving: nothing is written.
    cases += 1
    upload = RawUpload(buyer, reference, make_photo(size=(2400, 1800), seed=22))
    upload.send(len(upload.body) // 2)
    victim = _worker_of(live_server, upload)
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    answered = upload.status()
    back = wait_until_serving(live_server, SERVING_WITHIN)
    respawned = _workers_back(live_server, victim, killed_at)
    ok, report = evidence_check(live_server.env)
    if back is not None and respawned is not None and ok and answered is None:
        passed += 1
    notes.append(f"mid-body: served after {back or -1:.2f} s, respawned {respawned or -1:.1f} s")
    assert answered is None, answered  # the connection died with its worker
    assert back is not None and respawned is not None, live_server.log()[-3000:]
    assert ok, report

    # 2. Killed after both files are written, while it waits for the write lock: the
    # files are orphans (check-evidence says so) until sweep-evidence removes them.
    cases += 1
    before = _draft_files(live_server, reference)
    with _write_lock_held(live_database):
        upload = RawUpload(buyer, reference, make_photo(seed=23))
        upload.send(len(upload.body))
        victim = _worker_of(live_server, upload)
        deadline = time.monotonic() + 20
        while len(_draft_files(live_server, reference)) < len(before) + 2:
            assert time.monotonic() < deadline, "the upload never wrote its files"
            time.sleep(0.01)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        answered = upload.status()
    back = wait_until_serving(live_server, SERVING_WITHIN)
    respawned = _workers_back(live_server, victim, killed_at)
    orphans_seen, orphan_report = evidence_check(live_server.env)
    ok, report = evidence_check(live_server.env, sweep=True)
    stored = photo_ids(live_database, reference)
    if back is not None and respawned is not None and not orphans_seen and ok and len(stored) == 1:
        passed += 1
    notes.append(f"files, no row: served {back or -1:.2f} s, respawned {respawned or -1:.1f} s")
    assert answered is None, answered
    assert back is not None and respawned is not None, live_server.log()[-3000:]
    assert not orphans_seen and "no photo row refers to this file" in orphan_report
    assert ok, report
    assert len(stored) == 1 and _draft_files(live_server, reference) == before

    # And the draft takes photos as before.
    cases += 1
    after = buyer.upload(reference, "after.jpg", make_photo(seed=24))
    ok, report = evidence_check(live_server.env)
    passed += after.status == 303 and ok
    figures("worker SIGKILLed mid-upload (2 ways) + upload after", cases, passed, "; ".join(notes))
    assert after.status == 303 and ok, report


def test_a_client_that_disconnects_mid_upload_leaves_matching_evidence(
    live_server, live_database, figures
):
    buyer = Client(live_server).sign_in(*BUYER2)
    reference = buyer.draft_at_photos(order_ids(live_database, ["2001"])["2001"])
    cases, passed, notes = 0, 0, []

    # 1. Gone half-way through the body: nothing is stored.
    cases += 1
    upload = RawUpload(buyer, reference, make_photo(size=(2400, 1800), seed=31))
    upload.send(len(upload.body) // 2)
    _worker_of(live_server, upload)  # the server has it
    upload.close()
    back = wait_until_serving(live_server, SERVING_WITHIN)
    time.sleep(0.5)  # let the worker notice
    ok, report = evidence_check(live_server.env)
    stored = photo_ids(live_database, reference)
    passed += back is not None and ok and not stored
    notes.append(f"half-way: {len(stored)} stored")
    assert back is not None and ok and not stored, report

    # 2. Gone right after the whole body, without reading the answer: the photo is
    # stored whole (row and both files) or not at all.
    cases += 1
    upload = RawUpload(buyer, reference, make_photo(seed=32))
    upload.send(len(upload.body))
    upload.close()
    deadline = time.monotonic() + 20
    while not photo_ids(live_database, reference) and time.monotonic() < deadline:
        time.sleep(0.05)
    back = wait_until_serving(live_server, SERVING_WITHIN)
    ok, report = evidence_check(live_server.env)
    stored = photo_ids(live_database, reference)
    files = _draft_files(live_server, reference)
    passed += back is not None and ok and len(files) == 2 * len(stored)
    notes.append(f"after the body: {len(stored)} stored")
    assert back is not None and ok, report
    assert len(files) == 2 * len(stored)

    cases += 1
    after = buyer.upload(reference, "after.jpg", make_photo(seed=33))
    ok, report = evidence_check(live_server.env)
    passed += after.status == 303 and ok
    figures(
        "client disconnects mid-upload (2 ways) + upload after", cases, passed, "; ".join(notes)
    )
    assert after.status == 303 and ok, report
