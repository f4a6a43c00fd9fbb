"""Page weight: the bytes a buyer's browser really transfers, from Chromium's Network domain.

1. Every page of the journey (sign-in to confirmation, order 1002), first visited in a fresh
   browser context (empty cache, every asset fetched), and again as the buyer walks on in one
   context (assets cached; htmx-boosted navigation fetches only HTML). Beside each figure,
   the same responses uncompressed (the baseline) and the compression ratio.
2. Bytes sent per large photo with JavaScript on (the uploader shrinks photos over 2048 px
   or 1.5 MB in a canvas) against the original file, with each upload's response fragment
   and thumbnail.

Budgets are printed beside the figures (PASS/OVER); it is not a test and never fails.

    .venv/bin/python bench/page_weight.py [--order 1002]
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_server import (  # noqa: E402
    CHROMIUM,
    CORPUS,
    BenchError,
    chromium,
    generated_jpeg,
    live_server,
    machine_line,
)
from page_weight_journey import journey, print_journey  # noqa: E402
from page_weight_photos import large_photos, print_photos, upload_each  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--order", default="1002", help="demo order for the journey")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"page_weight: skipped, {CHROMIUM} not installed (make test installs it)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jpegs, heics, note = large_photos(folder)
        small = CORPUS / "good" / "Landscape_1.jpg"
        if not small.is_file():
            small = generated_jpeg(folder, 2, quality=80)
        try:
            with live_server(workers=1) as base, chromium() as browser:
                print(f"Page weight — {machine_line(browser)}, gunicorn WEB_CONCURRENCY=1")
                rows, extra, problems = journey(browser, base, args.order, small)
                print_journey(rows, extra, base, args.order, small)
                results = upload_each(browser, base, jpegs + heics)
                print_photos(results, {p.name for p in heics}, note)
        except BenchError as error:
            sys.exit(f"page_weight: {error}")
    if not 200 <= extra["upload status"] < 300:
        problems.add(f"upload of {small.name} with JavaScript on answered {extra['upload status']}")
    for r in results:
        if not 200 <= r["status"] < 300:
            problems.add(f"upload of {r['path'].name} with JavaScript on answered {r['status']}")
    print("\nApp problems seen:" if problems else "\nApp problems seen: none")
    for problem in sorted(problems):
        print(f"- {problem}")


if __name__ == "__main__":
    main()
