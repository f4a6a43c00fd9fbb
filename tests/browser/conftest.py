"""Browser fixtures: the real app under gunicorn, driven by Debian's headless Chromium.

``live_server`` prepares a fresh instance (migrated database, demo data, empty evidence
folder) in a temporary directory, starts gunicorn on a free port on 127.0.0.1 and yields
its base URL. It is also pytest-playwright's ``base_url``, so ``page.goto("/orders")``
works. Chromium is launched from /usr/bin/chromium: Playwright never downloads a browser.

``browser_orders`` adds orders of its own (numbers 91xx, through ``flask import-orders``)
so that each JavaScript test opens its dispute on an order no other test touches.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the venv's bin/, where flask and gunicorn live
CHROMIUM = Path("/usr/bin/chromium")
STARTUP_SECONDS = 20
# The server is local and answers in milliseconds: a control that is not there after this
# long is missing, and the test should say so now rather than after Playwright's 30 s.
ACTION_TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing but the live server resolves: a page can never reach the internet.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed: run make test, which installs it")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    """The app itself answers, not just gunicorn's master (which binds before any worker
    has loaded the app, and keeps the port even when loading it fails)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/sign-in")
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def _server_env(instance: Path, port: int) -> dict[str, str]:
    # Nothing from the developer's own DISPUTE_PORTAL_* settings leaks into the test server.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISPUTE_PORTAL_")}
    env.update(
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        DISPUTE_PORTAL_SECRET_KEY=secrets.token_hex(32),
        DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'portal.sqlite'}",
        DISPUTE_PORTAL_EVIDENCE_FOLDER=str(instance / "evidence"),
        DISPUTE_PORTAL_MAIL_OUTBOX=str(instance / "outbox"),
        DISPUTE_PORTAL_PASSWORD_HASH_PROFILE="CHEAPEST",
    )
    env.pop("FLASK_APP", None)
    return env


def _flask(env: dict[str, str], *command: str) -> None:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "dispute_portal", *command],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        pytest.fail(
            f"flask {' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


def _no_control_socket() -> list[str]:
    """gunicorn 27+ opens a control socket at one fixed path per user (~/.gunicorn/): the
    test server must not take it over from a `make run` server on the same machine."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def live_server_env(tmp_path_factory):
    """A fresh instance (migrated database, demo data) and the environment that runs it."""
    _require_chromium()  # no point starting a server no browser will visit
    instance = tmp_path_factory.mktemp("live_server")
    env = _server_env(instance, _free_port())
    _flask(env, "db", "upgrade")
    _flask(env, "seed-demo")
    return env


@pytest.fixture(scope="session")
def live_server(live_server_env):
    """The portal under gunicorn with demo data, on a fresh instance; yields its base URL."""
    env = live_server_env
    instance = Path(env["DISPUTE_PORTAL_EVIDENCE_FOLDER"]).parent
    port = int(env["PORT"])

    access_log, error_log = instance / "gunicorn.out", instance / "gunicorn.err"
    with access_log.open("wb") as out, error_log.open("wb") as err:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                *_no_control_socket(),
                "wsgi:app",
            ],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(port):
            exited = server.poll()
            if exited is not None or time.monotonic() > deadline:
                _stop(server)
                what = (
                    f"exited with status {exited}"
                    if exited is not None
                    else f"did not answer on 127.0.0.1:{port} within {STARTUP_SECONDS} s"
                )
                pytest.fail(
                    f"gunicorn {what}. Its stderr:\n{error_log.read_text(errors='replace')}",
                    pytrace=False,
                )
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(server)


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
    _flask(live_server_env, "import-orders", str(csv))
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
