"""Part 2 of bench/page_weight.py: the bytes sent per large photo with JavaScript on
(the uploader shrinks it in a canvas) against the original file."""

import statistics
from pathlib import Path

from journey import walk_to_photos
from live_server import CORPUS, generated_jpeg, kb, new_context
from network_log import NetworkLog
from page_weight_budgets import (
    FRAGMENT_BUDGET,
    MEDIAN_SENT_BUDGET,
    THUMBNAIL_BUDGET,
    record,
    verdict,
)
from PIL import Image

LARGE_JPEG_BYTES = 500_000  # corpus JPEGs at least this big count as "large photos"


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
    record(
        "median sent per large JPEG", median_sent, MEDIAN_SENT_BUDGET, median_original, "original"
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
    record("largest thumbnail", max(thumbnails, default=None), THUMBNAIL_BUDGET)
