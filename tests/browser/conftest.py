"""Browser fixtures: the real app under gunicorn, driven by Debian's headless Chromium.

``live_server`` prepares a fresh instance (migrated database, demo data, empty evidence
folder) in a temporary directory, starts gunicorn on a free port on 127.0.0.1 and yields
its base URL. It is also pytest-playwright's ``base_url``, so ``page.goto("/orders")``
works. Chromium is launched from /usr/bin/chromium: Playwright never downloads a browser.

``browser_orders`` adds orders of its own (numbers 91xx, through ``flask import-orders``)
so that each JavaScript test opens its dispute on an order no other test touches.
"""

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from headless_chromium import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import expect
from portal_server import ServerError, flask, gunicorn, prepare_instance, server_env

STARTUP_SECONDS = 20
# The server is local and answers in milliseconds: a control that is not there after this
# long is missing, and the test should say so now rather than after Playwright's 30 s.
ACTION_TIMEOUT_MS = 10_000


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed: run make test, which installs it")


@contextlib.contextmanager
def _failing_the_test():
    """A server that cannot be prepared or started fails the test with its output."""
    try:
        yield
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def live_server_env(tmp_path_factory):
    """A fresh instance (migrated database, demo data) and the environment that runs it."""
    _require_chromium()  # no point starting a server no browser will visit
    instance = tmp_path_factory.mktemp("live_server")
    env = server_env(instance, workers=1)
    with _failing_the_test():
        prepare_instance(env)
    return env


@pytest.fixture(scope="session")
def live_server(live_server_env):
    """The portal under gunicorn with demo data, on a fresh instance; yields its base URL."""
    env = live_server_env
    instance = Path(env["DISPUTE_PORTAL_EVIDENCE_FOLDER"]).parent
    with _failing_the_test(), gunicorn(env, instance, startup_seconds=STARTUP_SECONDS) as server:
        yield server.url


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright passes this to every browser context: relative goto() works."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _require_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session", autouse=True)
def _quick_expect_timeout():
    expect.set_options(timeout=ACTION_TIMEOUT_MS)


@pytest.fixture
def new_no_js_page(new_context):
    """Make a page in a new browser context (its own cookies) with JavaScript off."""

    def make():
        context = new_context(java_script_enabled=False)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        return context.new_page()

    return make


@pytest.fixture
def no_js_page(new_no_js_page):
    """A page with JavaScript off: every page of the portal must work without it."""
    return new_no_js_page()


# One order per JavaScript test, so that no test resumes another's draft or finds its
# items already in a dispute: (order number, buyer, items as (title, quantity, price)).
BROWSER_ORDERS = {
    "9101": ("buyer@example.com", [("Table lamp", 1, "45.00"), ("Lamp shade", 1, "12.50")]),
    "9102": ("buyer@example.com", [("Camera bag", 1, "39.99")]),
    "9103": ("buyer@example.com", [("Garden chair", 1, "59.00")]),
    "9104": ("buyer@example.com", [("Picture frame", 1, "19.00")]),
    "9105": ("buyer@example.com", [("Bath towel", 2, "15.00"), ("Soap dish", 1, "6.00")]),
    "9106": ("buyer@example.com", [("Tea pot", 1, "28.00")]),
    "9107": ("buyer@example.com", [("Wall clock", 1, "35.00"), ("Batteries", 1, "4.00")]),
}


@pytest.fixture(scope="session")
def browser_orders(live_server, live_server_env, tmp_path_factory) -> dict:
    """Import BROWSER_ORDERS (delivered two days ago, seller@example.com, GBP) into the
    live server's database; returns them."""
    delivered = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    placed = delivered - timedelta(days=3)
    rows = [
        "order_number,buyer_email,seller_email,currency,placed_at,delivered_at,"
        "item_title,quantity,unit_price"
    ]
    for number, (buyer, items) in BROWSER_ORDERS.items():
        for title, quantity, price in items:
            rows.append(
                f"{number},{buyer},seller@example.com,GBP,{placed.isoformat()},"
                f"{delivered.isoformat()},{title},{quantity},{price}"
            )
    csv = tmp_path_factory.mktemp("browser_orders") / "orders.csv"
    csv.write_text("\n".join(rows) + "\n")
    with _failing_the_test():
        flask(live_server_env, "import-orders", str(csv))
    return BROWSER_ORDERS


@pytest.fixture
def new_js_page(new_context):
    """Make a page in a new browser context (its own cookies) with JavaScript on."""

    def make(**options):
        context = new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        return context.new_page()

    return make


@pytest.fixture
def js_page(new_js_page):
    """A page with JavaScript on: htmx boosts links and forms, portal.js uploads photos."""
    return new_js_page()
