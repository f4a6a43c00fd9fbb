"""Server benchmark (issue 8, part 4): requests/s and p50/p99 latency of three signed-in
pages under the repo's gunicorn.conf.py (gthread, WEB_CONCURRENCY=2), next to a bare Flask
view rendering a small template from SQLite (bench/baseline_app.py) under the same
settings, measured in this run; then photo uploads per second with 2 workers, next to what
the same photo costs when processed in-process. Prints ratios and goals, never asserts.

    .venv/bin/python bench/server.py [--seconds 8] [--upload-seconds 12] [--clients 4]

Everything runs on 127.0.0.1 against fresh temporary instances, for a fixed time.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _load  # noqa: E402
from _load import BUYER2, HOST  # noqa: E402
from server_pages import WORKERS, baseline, measure, portal_pages, print_pages  # noqa: E402
from server_uploads import add_upload_drafts, in_process_ms, photo_jpeg, upload_load  # noqa: E402
from summary import pass_fail, record  # noqa: E402

GOAL_UPLOADS = 10.0  # large JPEGs per second with 2 workers
DISTINCT_PHOTOS = 10  # = MAX_PHOTOS: each draft gets each photo once (duplicates refused)
UPLOAD_DRAFTS = 80  # 800 upload slots: more than 2 workers can take in the time given


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--upload-seconds", type=float, default=12)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    began = time.monotonic()
    print(f"Server benchmark — {_load.machine_line()}, {_load.other_load()}")
    print(
        f"gunicorn.conf.py ({_load.gunicorn_settings(WORKERS)}), load from "
        f"{_load.load_tool()} on {HOST}, Accept-Encoding as a browser"
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
    goal, verdict = f"≥ {GOAL_UPLOADS:.0f}/s", pass_fail(upload_ok)
    record("server", "uploads", rate, "photos/s", ceiling_rate, "in-process ceiling", goal, verdict)
    print("vs ceiling = uploads/s / what the cores could do on process_photo alone")
    print()
    print("Goals:")
    for verdict in verdicts:
        print(f"  {verdict}")
    print(f"(ran {time.monotonic() - began:.0f} s)")


if __name__ == "__main__":
    main()
