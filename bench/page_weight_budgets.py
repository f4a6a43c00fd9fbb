"""Budgets for bench/page_weight.py, the sums it prints beside them, and the responses
that should have been compressed or cached and were not."""

import summary
from live_server import kb
from network_log import Transfer

KB = 1000
FIRST_VISIT_PHOTOS_BUDGET = 25 * KB
CACHED_STEP_BUDGET = 3 * KB
FRAGMENT_BUDGET = 3 * KB
THUMBNAIL_BUDGET = 20 * KB
MEDIAN_SENT_BUDGET = 500 * KB
TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg")


def passed(value: int, budget: int) -> str:
    return "PASS" if value <= budget else "OVER"


def verdict(value: int, budget: int) -> str:
    return f"≤ {kb(budget)} {passed(value, budget)}"


def record(measure: str, sent: int | None, budget: int, baseline=None, label="uncompressed"):
    """A figure in bytes, its baseline (the same uncompressed, unless label says otherwise)
    and its budget, in KB, for make bench's closing table (bench/summary.py).
    sent None: it could not be measured."""
    value = None if sent is None else sent / KB
    base = None if baseline is None else baseline / KB
    state = "" if sent is None else passed(sent, budget)
    summary.record("page weight", measure, value, "KB", base, label, f"≤ {kb(budget)}", state)


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
