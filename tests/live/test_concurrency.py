"""Races against a real gunicorn: many requests at the same instant, two workers, one
database. Uploads racing for the last photo slots never pass MAX_PHOTOS; simultaneous
submits of one draft make exactly one dispute."""

import threading
from concurrent.futures import ThreadPoolExecutor

from .live_client import Client
from .live_data import order_ids, photo_ids, query
from .live_photos import make_photo
from .live_portal import evidence_check

MAX_PHOTOS = 10  # config.py's default, which the live server keeps
BUYER = ("buyer@example.com", "buyer-pass-1")


def _at_once(count: int, call):
    """Run call(i) for i in range(count) in threads released together by a barrier."""
    barrier = threading.Barrier(count, timeout=60)

    def go(i):
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(go, range(count)))


def test_twenty_uploads_racing_for_the_last_three_slots_never_pass_the_limit(
    live_server, live_database, figures
):
    buyer = Client(live_server).sign_in(*BUYER)
    reference = buyer.draft_at_photos(order_ids(live_database, ["1001"])["1001"])
    already = MAX_PHOTOS - 3
    for seed in range(already):
        assert buyer.upload(reference, f"before-{seed}.jpg", make_photo(seed=seed)).status == 303

    racers = [make_photo(seed=100 + i) for i in range(20)]
    replies = _at_once(20, lambda i: buyer.upload(reference, f"racer-{i}.jpg", racers[i]))

    statuses = [reply.status for reply in replies]
    stored = photo_ids(live_database, reference)
    files = {p.name.split(".")[0] for p in (live_server.evidence / reference).glob("*.jpg")}
    ok, report = evidence_check(live_server.env)
    passed = sum(s in (303, 422) for s in statuses)
    figures(
        "20 uploads racing for the last 3 of 10 photo slots",
        len(statuses),
        passed,
        f"{statuses.count(303)} stored, {statuses.count(422)} refused, "
        f"{len(stored)}/{MAX_PHOTOS} photos after",
    )
    assert not [s for s in statuses if s >= 500], statuses
    assert passed == 20, statuses
    assert len(stored) == MAX_PHOTOS, (len(stored), statuses)
    assert statuses.count(303) == MAX_PHOTOS - already
    assert files == stored
    assert ok, report


def test_five_simultaneous_submits_of_one_draft_make_exactly_one_dispute(
    live_server, live_database, figures
):
    buyer = Client(live_server).sign_in(*BUYER)
    order = order_ids(live_database, ["1003"])["1003"]
    reference = buyer.draft_at_photos(order)
    assert buyer.upload(reference, "headphones.jpg", make_photo(seed=7)).status == 303
    assert buyer.get(f"/disputes/{reference}/check").status == 200

    replies = _at_once(5, lambda _i: buyer.post(f"/disputes/{reference}/submit"))

    statuses = [reply.status for reply in replies]
    disputes = query(
        live_database, "SELECT reference, state FROM disputes WHERE order_id = :o", o=order
    )
    submits = query(
        live_database,
        "SELECT count(*) FROM dispute_events e JOIN disputes d ON d.id = e.dispute_id "
        "WHERE d.order_id = :o AND e.action = 'submit'",
        o=order,
    )[0][0]
    confirmed = [r for r in replies if r.status == 303 and r.location.endswith("/confirmation")]
    figures(
        "5 simultaneous submits of one draft",
        len(replies),
        len(confirmed),
        f"statuses {sorted(statuses)}, {len(disputes)} dispute(s), {submits} submit event(s)",
    )
    assert len(confirmed) == 5, statuses  # a double click lands on the confirmation too
    assert len(disputes) == 1 and disputes[0][0] == reference
    assert disputes[0][1] != "draft"
    assert submits == 1
