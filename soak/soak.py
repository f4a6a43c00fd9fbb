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
import datetime
import os
import platform
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests" / "live"))
sys.path.insert(1, str(PROJECT / "tests"))  # portal_server, portal_client

from trickle import trickle_and_browse  # noqa: E402
from upload_storm import upload_storm  # noqa: E402


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
