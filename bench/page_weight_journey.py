"""Part 1 of bench/page_weight.py: the bytes of every page of the journey, first visited
with nothing cached and again as the buyer walks on."""

import statistics
from pathlib import Path

from journey import continue_, wait_for_page, walk_to_photos
from live_server import kb, new_context
from network_log import NetworkLog, Transfer
from page_weight_budgets import (
    CACHED_STEP_BUDGET,
    FIRST_VISIT_PHOTOS_BUDGET,
    FRAGMENT_BUDGET,
    THUMBNAIL_BUDGET,
    problems_in,
    ratio,
    raw,
    record,
    verdict,
    wire,
)


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
    record(
        "first visit, photos step", wire(cold_photos), FIRST_VISIT_PHOTOS_BUDGET, raw(cold_photos)
    )
    step, _cold, warm = max(rows[1:], key=lambda row: wire(row[2]))  # the largest of `later`
    record(f"walking on, largest step ({step})", wire(warm), CACHED_STEP_BUDGET, raw(warm))
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
        record("upload response fragment", t.total_bytes, FRAGMENT_BUDGET, t.raw_bytes)
    else:
        status = fragment[-1].status if fragment else "no response"
        print(f"   upload response fragment: the upload failed ({status}), nothing to weigh")
        record("upload response fragment", None, FRAGMENT_BUDGET)
    for t in extra["thumbnails"]:
        print(
            f"   thumbnail                 {kb(t.total_bytes):>9} "
            f"({t.headers.get('cache-control', 'no Cache-Control')})  "
            f"{verdict(t.total_bytes, THUMBNAIL_BUDGET)}"
        )
