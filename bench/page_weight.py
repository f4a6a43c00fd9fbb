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
import statistics
import sys
import tempfile
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from journey import continue_, wait_for_page, walk_to_photos  # noqa: E402
from live_server import (  # noqa: E402
    CHROMIUM,
    CORPUS,
    BenchError,
    chromium,
    generated_jpeg,
    kb,
    live_server,
    machine_line,
    new_context,
)
from network_log import NetworkLog, Transfer  # noqa: E402

KB = 1000
FIRST_VISIT_PHOTOS_BUDGET = 25 * KB
CACHED_STEP_BUDGET = 3 * KB
FRAGMENT_BUDGET = 3 * KB
THUMBNAIL_BUDGET = 20 * KB
MEDIAN_SENT_BUDGET = 500 * KB
LARGE_JPEG_BYTES = 500_000  # corpus JPEGs at least this big count as "large photos"
TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg")


def verdict(value: int, budget: int) -> str:
    return f"≤ {kb(budget)} {'PASS' if value <= budget else 'OVER'}"


def wire(transfers: list[Transfer]) -> int:
    return sum(t.total_bytes for t in transfers)


def raw(transfers: list[Transfer]) -> int:
    return sum(t.raw_bytes for t in transfers)


def ratio(transfers: list[Transfer]) -> str:
    return f"{raw(transfers) / wire(transfers):.1f}x" if wire(transfers) else "-"


def problems_in(transfers: list[Transfer], base: str) -> set[str]:
    """Responses that should be compressed, or cached for long, and are not."""
    found = set()
    for t in transfers:
        path = t.url.removeprefix(base)
        if not t.total_bytes:  # served from the browser's cache
            continue
        textual = any(kind in t.mime for kind in TEXT_TYPES)
        if path == "/favicon.ico" and t.status == 404:
            found.add(
                f"/favicon.ico: 404, {t.total_bytes} bytes (an HTML error page, uncompressed: "
                "Flask-Compress leaves non-2xx alone); no page names an icon, so Chromium "
                "asks for it on the first page it shows"
            )
            continue
        if textual and t.decoded_body > 500 and not t.encoding:
            found.add(
                f"{path}: {t.status} {t.mime}, {t.decoded_body} bytes sent uncompressed "
                f"(no Content-Encoding)"
            )
        if path.startswith("/static/"):
            cache = t.headers.get("cache-control", "")
            max_age = [int(p.split("=")[1]) for p in cache.split(",") if "max-age=" in p]
            if "?v=" not in path or not max_age or max_age[0] < 30 * 24 * 3600:
                found.add(f"{path}: Cache-Control {cache or 'missing'!r} on a static asset")
    return found


# ---------------------------------------------------------------------------- 1. journey


def journey(browser, base: str, order: str, photo: Path) -> tuple[list, dict, set]:
    """Walk the journey once in one context (assets cached) and load each page again in a
    fresh context with the same cookies (nothing cached): rows of (step, cold, warm)."""
    context = new_context(browser, base)
    page = context.new_page()
    log = NetworkLog(context, page)
    rows, extra, seen = [], {}, []
    state = {"mark": 0}

    def cold_visit(url: str, signed_in: bool = True) -> list[Transfer]:
        cookies = context.storage_state() if signed_in else None
        cold = new_context(browser, base, storage_state=cookies)
        try:
            cold_page = cold.new_page()
            cold_log = NetworkLog(cold, cold_page)
            cold_page.goto(url)
            cold_log.settle(cold_page)
            transfers = cold_log.since(0)
            seen.extend(transfers)
            return transfers
        finally:
            cold.close()

    def arrived(name: str) -> None:
        """On each page: the bytes it took to get here, then a cold visit of its URL."""
        if name.startswith("items (not asked"):
            return
        log.settle(page)
        warm = log.since(state["mark"])
        seen.extend(warm)
        rows.append((name, cold_visit(page.url, signed_in=name != "sign-in page"), warm))
        state["mark"] = log.mark()

    walk_to_photos(page, order, on_step=arrived)
    arrived("photos step")

    # One photo through the uploader: its response fragment, then its thumbnail.
    mark = log.mark()
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/photos" in r.url, timeout=60_000
    ) as upload:
        page.get_by_label("Choose photos").set_input_files(photo)
    extra["upload status"] = upload.value.status
    thumbnail = page.locator("#photo-list img").last
    thumbnail.scroll_into_view_if_needed()  # loading="lazy": load it as a buyer would see it
    thumbnail.evaluate(
        "img => img.complete && img.naturalWidth ? 0 : "
        "new Promise(ok => img.addEventListener('load', ok, {once: true}))"
    )
    log.settle(page)
    after = log.since(mark)
    seen.extend(after)
    extra["fragment"] = [t for t in after if t.request_headers.get("hx-request") == "true"]
    extra["thumbnails"] = [t for t in after if t.url.endswith("/thumbnail")]
    state["mark"] = log.mark()

    continue_(page)
    wait_for_page(page, "Check your answers before you submit your dispute")
    arrived("check answers")
    page.get_by_role("button", name="Submit dispute").click()
    wait_for_page(page, "Dispute submitted")
    arrived("confirmation")
    context.close()
    problems = problems_in(seen, base)
    for name, _cold, warm in rows:
        hops = [t for t in warm if 300 <= t.status < 400]
        if len(hops) > 1:
            chain = " -> ".join(t.url.removeprefix(base) for t in hops)
            problems.add(
                f"reaching {name!r}: {len(hops)} redirects in a row ({chain} -> ...), "
                f"{sum(t.total_bytes for t in hops)} bytes and one round trip each"
            )
    return rows, extra, problems


def print_journey(rows, extra, base: str, order: str, photo: Path) -> None:
    print(f"\n1. Bytes per page of the journey (order {order}), headers + bodies as transferred")
    print(
        "   first visit = a fresh context, nothing cached, all assets; walking on = the same "
        "context,\n   assets cached, htmx-boosted navigation (only HTML; a form step counts its "
        "POST and redirect)."
    )
    print(
        f"   raw = the same responses uncompressed (baseline); ratio = raw/transferred.\n"
        f"{'step':16} {'first visit':>11} {'reqs':>4} {'raw':>9} {'ratio':>6} {'budget':>18}"
        f" | {'walking on':>10} {'reqs':>4} {'raw':>9} {'ratio':>6} {'budget':>16}"
    )
    for index, (name, cold, warm) in enumerate(rows):
        cold_budget = (
            verdict(wire(cold), FIRST_VISIT_PHOTOS_BUDGET) if name == "photos step" else ""
        )
        warm_budget = verdict(wire(warm), CACHED_STEP_BUDGET) if index else "(first page)"
        print(
            f"{name:16} {kb(wire(cold)):>11} {len(cold):>4} {kb(raw(cold)):>9} {ratio(cold):>6}"
            f" {cold_budget:>18} | {kb(wire(warm)):>10} {len(warm):>4} {kb(raw(warm)):>9}"
            f" {ratio(warm):>6} {warm_budget:>16}"
        )
    icons = [t for _n, cold, warm in rows for t in cold + warm if t.url.endswith("/favicon.ico")]
    if icons:
        print(
            f"   /favicon.ico is counted where Chromium asked for it: {len(icons)} time(s), "
            f"{kb(icons[0].total_bytes)} each (a 404; the browser remembers it for the session)"
        )
    later = [wire(warm) for _name, _cold, warm in rows[1:]]
    print(
        f"{'walking on, after sign-in':28} median {kb(statistics.median(later))}, largest "
        f"{kb(max(later))}: {sum(v <= CACHED_STEP_BUDGET for v in later)} of {len(later)} "
        f"steps within {kb(CACHED_STEP_BUDGET)}"
    )

    cold_photos = next(cold for name, cold, _warm in rows if name == "photos step")
    print("\n   The photos step, first visit, response by response:")
    print(f"   {'response':48} {'status':>6} {'enc':>4} {'sent':>9} {'raw':>9}  cache-control")
    for t in cold_photos:
        print(
            f"   {t.url.removeprefix(base)[:48]:48} {t.status:>6} {t.encoding or '-':>4}"
            f" {kb(t.total_bytes):>9} {kb(t.raw_bytes):>9}  {t.headers.get('cache-control', '-')}"
        )

    fragment = extra["fragment"]
    print(
        f"\n   Upload of one photo ({photo.name}, {kb(photo.stat().st_size)}) with JavaScript on:"
    )
    if fragment and 200 <= fragment[-1].status < 300:
        t = fragment[-1]
        print(
            f"   upload response fragment  {kb(t.total_bytes):>9} (raw {kb(t.raw_bytes)}, "
            f"{t.encoding or 'uncompressed'})  {verdict(t.total_bytes, FRAGMENT_BUDGET)}"
        )
    else:
        status = fragment[-1].status if fragment else "no response"
        print(f"   upload response fragment: the upload failed ({status}), nothing to weigh")
    for t in extra["thumbnails"]:
        print(
            f"   thumbnail                 {kb(t.total_bytes):>9} "
            f"({t.headers.get('cache-control', 'no Cache-Control')})  "
            f"{verdict(t.total_bytes, THUMBNAIL_BUDGET)}"
        )


# ---------------------------------------------------------------------------- 2. photos


def large_photos(folder: Path) -> tuple[list[Path], list[Path], str]:
    """Large JPEGs (corpus ones of 500 KB or more, and a generated 12 MP one), and the
    corpus' HEIC/HEIF files."""
    jpegs = [generated_jpeg(folder, 12)]
    heics: list[Path] = []
    if not (CORPUS / "good").is_dir():
        jpegs.append(generated_jpeg(folder, 24, quality=85))
        return jpegs, heics, f"corpus not found at {CORPUS}: generated photos only"
    for path in sorted((CORPUS / "good").iterdir()):
        suffix = path.suffix.lower()
        if suffix in {".jpg", ".jpeg"} and path.stat().st_size >= LARGE_JPEG_BYTES:
            jpegs.append(path)
        elif suffix in {".heic", ".heif"}:
            heics.append(path)
    note = f"corpus {CORPUS}: good/*.jpg of {kb(LARGE_JPEG_BYTES)} or more, and HEIC/HEIF"
    return jpegs, heics, note


def describe(path: Path) -> str:
    try:
        with Image.open(path) as image:
            return f"{image.width}x{image.height}"
    except Exception:  # HEIC without pillow-heif registered here
        return path.suffix.lstrip(".").upper()


def upload_each(browser, base: str, photos: list[Path]) -> list[dict]:
    """Each photo through the photos step (order 1003) with JavaScript on, one at a time."""
    context = new_context(browser, base)
    page = context.new_page()
    log = NetworkLog(context, page)
    walk_to_photos(page, "1003")
    results = []
    for path in photos:
        mark = log.mark()
        count = page.locator("#photo-list > li").count()
        with page.expect_request(
            lambda r: r.method == "POST" and "/photos" in r.url, timeout=60_000
        ) as posted:
            page.get_by_label("Choose photos").set_input_files(path)
        request = posted.value
        response = request.response()
        body = request.post_data_buffer or b""
        sent = len(body) or int(request.all_headers().get("content-length", 0))
        result = {
            "path": path,
            "original": path.stat().st_size,
            "sent": sent,
            "status": response.status if response else 0,
            "fragment": None,
            "thumbnail": None,
        }
        if response and response.ok:
            page.locator("#photo-list > li").nth(count).wait_for()
            image = page.locator("#photo-list > li img").nth(count)
            image.scroll_into_view_if_needed()
            image.evaluate(
                "img => img.complete && img.naturalWidth ? 0 : "
                "new Promise(ok => img.addEventListener('load', ok, {once: true}))"
            )
        log.settle(page)
        for t in log.since(mark):
            if t.request_headers.get("hx-request") == "true" and t.status:
                result["fragment"] = t.total_bytes
            elif t.url.endswith("/thumbnail"):
                result["thumbnail"] = t.total_bytes
        results.append(result)
    context.close()
    return results


def print_photos(results: list[dict], heic_names: set[str], note: str) -> None:
    print("\n2. Bytes sent per large photo with JavaScript on (the browser shrinks), vs the file")
    print(f"   {note}")
    print(
        "   sent = the upload request body (multipart, with its ~0.5 KB of form fields); the "
        "baseline is\n   the original file, which is what a browser without JavaScript sends."
    )
    print(
        f"{'photo':28} {'pixels':>10} {'original':>10} {'sent':>10} {'sent/orig':>9}"
        f" {'status':>6} {'fragment':>9} {'thumbnail':>10}"
    )
    for r in results:
        fragment = kb(r["fragment"]) if r["fragment"] is not None else "-"
        thumbnail = kb(r["thumbnail"]) if r["thumbnail"] is not None else "-"
        print(
            f"{r['path'].name[:28]:28} {describe(r['path']):>10} {kb(r['original']):>10}"
            f" {kb(r['sent']):>10} {r['sent'] / r['original']:8.2f}x {r['status']:>6}"
            f" {fragment:>9} {thumbnail:>10}"
        )
    jpegs = [r for r in results if r["path"].name not in heic_names]
    median_sent = statistics.median(r["sent"] for r in jpegs)
    median_original = statistics.median(r["original"] for r in jpegs)
    print(
        f"median of the {len(jpegs)} JPEGs: sent {kb(median_sent)} of {kb(median_original)} "
        f"({median_sent / median_original:.2f}x)  {verdict(median_sent, MEDIAN_SENT_BUDGET)}"
    )
    shrunk = [r for r in jpegs if r["sent"] < 0.9 * r["original"]]
    if shrunk:
        print(
            f"   of which the uploader shrank {len(shrunk)} (the others are at most 2048 px and "
            f"1.5 MB, sent as they are): median sent "
            f"{kb(statistics.median(r['sent'] for r in shrunk))}"
        )
    for r in results:
        if r["path"].name in heic_names:
            how = "sent as it is" if r["sent"] >= r["original"] else "shrunk"
            print(f"{r['path'].name}: {how} ({kb(r['sent'])} for a {kb(r['original'])} file)")
    if heic_names:
        print("   (the uploader only shrinks what the browser can decode: not HEIC/HEIF)")
    fragments = [r["fragment"] for r in results if r["fragment"] is not None]
    thumbnails = [r["thumbnail"] for r in results if r["thumbnail"] is not None]
    if fragments:
        print(
            f"upload response fragments: largest {kb(max(fragments))}  "
            f"{verdict(max(fragments), FRAGMENT_BUDGET)}"
        )
    if thumbnails:
        print(
            f"thumbnails: largest {kb(max(thumbnails))}, "
            f"{sum(t <= THUMBNAIL_BUDGET for t in thumbnails)} of {len(thumbnails)} "
            f"within {kb(THUMBNAIL_BUDGET)}  "
            f"{verdict(max(thumbnails), THUMBNAIL_BUDGET)}"
        )


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
