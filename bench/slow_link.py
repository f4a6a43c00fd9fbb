"""Slow link: seconds for a buyer on a poor connection, with JavaScript on and off.

Headless Chromium throttled through CDP Network.emulateNetworkConditions (download and
upload alike) at (a) 400 kbit/s, 400 ms latency and (b) 100 kbit/s, 800 ms: the time to sign
in and reach the photos step of a new dispute (order 1003), and the time to upload three
large photos there. With JavaScript on, the uploader shrinks each photo in a canvas and
sends them one by one (two at a time); with it off, the three go in one multipart submit
of the form ("Upload photos"). The baseline is the same buyer with JavaScript off, on the
same link, in the same run; "link minimum" is the bytes sent over the emulated rate.

Every measurement is capped (--cap seconds) and prints "timed out after N s" rather than
waiting: at 100 kbit/s the three originals alone need several minutes. The four cases run
side by side, each with its own server (a fresh instance, so each starts a new dispute),
browser and emulated link, so the whole run stays within a few minutes; --sequential runs
them one after another (longer, no sharing of the machine's 2 cores).

    .venv/bin/python bench/slow_link.py [--cap 150] [--sequential]
"""

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from journey import walk_to_photos  # noqa: E402
from live_server import (  # noqa: E402
    CHROMIUM,
    CORPUS,
    chromium,
    generated_jpeg,
    live_server,
    machine_line,
    new_context,
)
from network_log import NetworkLog  # noqa: E402
from slow_link_report import print_results  # noqa: E402

ORDER = "1003"
LINKS = {
    "a": ("400 kbit/s, 400 ms", 400_000, 400),
    "b": ("100 kbit/s, 800 ms", 100_000, 800),
}


def photos(folder: Path) -> tuple[list[Path], str]:
    """Three photos of about 2 MB: the corpus' two large JPEGs and a generated one."""
    chosen = [CORPUS / "good" / name for name in ("HMD_Nokia_8.3_5G.jpg", "iphone_hdr_NO.jpg")]
    if all(path.is_file() for path in chosen):
        note = "corpus HMD_Nokia_8.3_5G.jpg and iphone_hdr_NO.jpg, and a generated 12 MP JPEG"
        return [*chosen, generated_jpeg(folder, 12)], note
    note = f"corpus not found at {CORPUS}: three generated JPEGs (12 MP q90, q80, 8 MP q85)"
    return [
        generated_jpeg(folder, 12),
        generated_jpeg(folder, 12, quality=80),
        generated_jpeg(folder, 8, quality=85),
    ], note


def timed_out(error: Exception) -> bool:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    return isinstance(error, PlaywrightTimeout)


def run_case(link: str, javascript: bool, files: list[Path], cap: float) -> dict:
    """One buyer on one emulated link: sign in to the photos step, then upload the files."""
    _label, bits_per_second, latency_ms = LINKS[link]
    rate = bits_per_second / 8  # bytes per second, as CDP wants it
    result: dict = {"journey": None, "upload": None, "sent": 0, "received": 0, "note": ""}
    with live_server(workers=1) as base, chromium() as browser:
        context = new_context(browser, base, javascript=javascript)
        context.set_default_timeout(cap * 1000)
        page = context.new_page()
        log = NetworkLog(context, page)
        log.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": latency_ms,
                "downloadThroughput": rate,
                "uploadThroughput": rate,
            },
        )
        start = time.monotonic()
        try:
            walk_to_photos(page, ORDER, timeout_ms=cap * 1000)
            result["journey"] = time.monotonic() - start
        except Exception as error:
            if not timed_out(error):
                raise
            result["journey"] = f"timed out after {cap:.0f} s"
            return result
        finally:
            result["received"] = sum(t.total_bytes for t in log.since(0))
        mark = log.mark()

        # Done when the third photo is listed; a refusal or failed upload ends it too.
        done = page.locator(
            "#photo-list > li:nth-child(3), .upload-queue .error-message, .error-summary"
        ).first
        chooser = page.get_by_label("Choose photos")
        start = time.monotonic()
        try:
            if javascript:  # choosing starts the uploader
                chooser.set_input_files(files)
            else:
                chooser.set_input_files(files)
                start = time.monotonic()
                page.get_by_role("button", name="Upload photos").click(no_wait_after=True)
            done.wait_for(timeout=max(1, cap - (time.monotonic() - start)) * 1000)
            result["upload"] = time.monotonic() - start
            failed = page.locator(".upload-queue .error-message, .error-summary")
            if failed.count():
                result["note"] = "upload refused or failed: " + failed.first.inner_text()[:120]
        except Exception as error:
            if not timed_out(error):
                raise
            result["upload"] = f"timed out after {cap:.0f} s"
        result["sent"] = log.sent_bytes(mark, "/photos")
        context.close()
    return result


def threaded(case: tuple, files: list[Path], cap: float, results: dict) -> threading.Thread:
    def target():
        try:
            results[case] = run_case(*case, files, cap)
        except Exception as error:  # report it in the table, keep the other cases going
            results[case] = {"error": f"{type(error).__name__}: {str(error)[:300]}"}

    thread = threading.Thread(target=target, name=f"{case}")
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cap", type=float, default=150, help="seconds per measurement")
    parser.add_argument("--sequential", action="store_true", help="one case at a time")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"slow_link: skipped, {CHROMIUM} not installed (make test installs it)")
        return
    cases = [(link, js) for link in LINKS for js in (True, False)]
    results: dict = {}
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        files, note = photos(Path(tmp))
        with chromium() as browser:
            machine = machine_line(browser)
        if args.sequential:
            for case in cases:
                threaded(case, files, args.cap, results).join()
        else:
            for thread in [threaded(case, files, args.cap, results) for case in cases]:
                thread.join()
        sizes = ", ".join(f"{path.name} {path.stat().st_size / 1e6:.2f} MB" for path in files)
        total = sum(path.stat().st_size for path in files)

    how = "one after another" if args.sequential else "side by side, each on its own link"
    print(f"Slow link — {machine}, gunicorn WEB_CONCURRENCY=1 per case")
    print(f"photos: {note}: {sizes} ({total / 1e6:.2f} MB)")
    print(
        f"order {ORDER}; CDP Network.emulateNetworkConditions, same rate down and up; cap "
        f"{args.cap:.0f} s per measurement; the 4 cases ran {how}"
    )
    print_results(results, LINKS, args.cap)
    print(
        "sent = upload request bodies (Content-Length, started even if not finished); link "
        "minimum = sent / link rate.\nWith JavaScript on, the upload time includes shrinking "
        f"in the browser. Whole run: {time.monotonic() - began:.0f} s."
    )


if __name__ == "__main__":
    main()
