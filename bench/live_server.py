"""Shared by the front-end benchmarks: the portal under gunicorn on a fresh instance, Debian's
headless Chromium, a buyer walking the form by what people see, and byte counting from
Chromium's Network domain.

The server start follows tests/browser/conftest.py (copied, not imported: that module
needs pytest). Nothing here downloads a browser: Chromium is /usr/bin/chromium.
"""

import contextlib
import datetime
import http.client
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's bin/, where flask and gunicorn live
CHROMIUM = Path("/usr/bin/chromium")
CORPUS = Path(os.environ.get("DISPUTE_PORTAL_CORPUS") or PROJECT.parent / "shared" / "corpus")
STARTUP_SECONDS = 20
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
BUYER = ("buyer@example.com", "buyer-pass-1")
DESCRIPTION = "The box was crushed and the left shoe has a split along the sole."


class BenchError(RuntimeError):
    """The benchmark cannot go on (no Chromium, the server did not start, ...)."""


# ---------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    """The app itself answers, not just gunicorn's master."""
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


def _server_env(instance: Path, port: int, workers: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISPUTE_PORTAL_")}
    env.update(
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=str(workers),
        DISPUTE_PORTAL_SECRET_KEY=secrets.token_hex(32),
        DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'portal.sqlite'}",
        DISPUTE_PORTAL_EVIDENCE_FOLDER=str(instance / "evidence"),
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
        raise BenchError(
            f"flask {' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )


def _no_control_socket() -> list[str]:
    """gunicorn 27+ keeps a control socket at one path per user: never take it over."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


def _stop(server: subprocess.Popen) -> None:
    """Stop this server by its own PID: terminate, then kill if it will not go."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextlib.contextmanager
def live_server(workers: int = 1) -> Iterator[str]:
    """The portal with demo data on a fresh instance in a temporary directory; yields its
    base URL and always stops gunicorn (by PID) and removes the instance afterwards."""
    if not CHROMIUM.exists():
        raise BenchError("Debian chromium not installed: run make test, which installs it")
    instance = Path(tempfile.mkdtemp(prefix="bench_live_server_"))
    server = None
    try:
        port = _free_port()
        env = _server_env(instance, port, workers)
        _flask(env, "db", "upgrade")
        _flask(env, "seed-demo")
        error_log = instance / "gunicorn.err"
        with (instance / "gunicorn.out").open("wb") as out, error_log.open("wb") as err:
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
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise BenchError(
                    f"gunicorn did not answer on 127.0.0.1:{port}. Its stderr:\n"
                    + error_log.read_text(errors="replace")
                )
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        if server is not None:
            _stop(server)
        shutil.rmtree(instance, ignore_errors=True)


# ---------------------------------------------------------------------------- the browser


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's headless Chromium under Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser, base_url: str, *, javascript: bool = True, storage_state=None):
    """A fresh context: its own cookies and an empty HTTP cache."""
    context = browser.new_context(
        base_url=base_url, java_script_enabled=javascript, storage_state=storage_state
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context


def machine_line(browser=None) -> str:
    """The date and the machine, printed at the top of every table."""
    parts = [
        datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        f"nproc {len(os.sched_getaffinity(0))}",  # what `nproc` prints
        f"Python {platform.python_version()}",
        platform.machine(),
    ]
    if browser is not None:
        parts.append(f"Chromium {browser.version}")
    return ", ".join(parts)


# ---------------------------------------------------------------------------- the buyer


def wait_for_page(page, title: str, timeout_ms: int = ACTION_TIMEOUT_MS) -> None:
    """The page is there when its tab title says so (boosted or not)."""
    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile(rf"^{re.escape(title)} – "), timeout=timeout_ms)


def continue_(page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


# The journey, step by step: (step name, what the buyer does on it, title of the next page).
# Each action is a function of the page; the titles are those the browser tests check.
def journey_steps(order: str) -> list[tuple[str, object, str]]:
    def sign_in(page):
        page.get_by_label("Email address").fill(BUYER[0])
        page.get_by_label("Password").fill(BUYER[1])
        page.get_by_role("button", name="Sign in").click()

    def items(page):
        # Whatever the order holds: the first item is enough for a dispute.
        page.get_by_role("checkbox").first.check()
        continue_(page)

    def reason(page):
        page.get_by_label("Damaged", exact=True).check()
        continue_(page)

    def description(page):
        page.get_by_label("What happened?").fill(DESCRIPTION)
        continue_(page)

    def remedy(page):
        page.get_by_label("Give me a full refund").check()
        continue_(page)

    def return_(page):
        page.get_by_label("No, I will keep it").check()
        continue_(page)

    return [
        ("sign-in page", sign_in, "Your orders"),
        (
            "Your orders",
            lambda page: page.get_by_role("link", name=f"Order {order}", exact=True).click(),
            f"Order {order}",
        ),
        (
            "order page",
            lambda page: page.get_by_role("link", name="Open dispute").click(),
            "Open a dispute",
        ),
        ("start page", lambda page: page.get_by_role("button", name="Start now").click(), None),
        ("items", items, "What went wrong?"),
        ("reason", reason, "What happened?"),
        ("description", description, "What do you want the seller to do?"),
        ("remedy", remedy, "Will you send the item back?"),
        ("return", return_, "Add photos"),
    ]


def walk_to_photos(page, order: str, timeout_ms: int = ACTION_TIMEOUT_MS, on_step=None) -> None:
    """Sign in and answer every question up to the photos step, as a buyer would.

    The items question only comes for orders with several items: it is skipped when the
    start page leads straight to "What went wrong?". ``on_step(name)`` is called on each
    page before the buyer acts on it.
    """
    page.goto("/sign-in")
    wait_for_page(page, "Sign in", timeout_ms)
    for name, act, next_title in journey_steps(order):
        if name == "items" and not page.get_by_role("checkbox").count():
            if on_step:
                on_step("items (not asked: one item)")
            continue
        if on_step:
            on_step(name)
        act(page)
        if next_title is None:  # the start page: items, or reason for one-item orders
            wait_for_page_any(page, ("Which items are you disputing?", "What went wrong?"))
        else:
            wait_for_page(page, next_title, timeout_ms)


def wait_for_page_any(page, titles: tuple[str, ...], timeout_ms: int = ACTION_TIMEOUT_MS):
    from playwright.sync_api import expect

    pattern = "|".join(re.escape(t) for t in titles)
    expect(page).to_have_title(re.compile(rf"^({pattern}) – "), timeout=timeout_ms)


# ---------------------------------------------------------------------------- bytes


@dataclass
class Transfer:
    url: str
    method: str = "GET"
    status: int = 0
    mime: str = ""
    headers: dict = field(default_factory=dict)
    header_bytes: int = 0  # response headers as received
    total_bytes: int = 0  # everything received: headers + (compressed) body
    decoded_body: int = 0  # body after decompression
    finished: bool = False
    request_headers: dict = field(default_factory=dict)
    failed: str = ""

    @property
    def wire_headers(self) -> int:
        """Header bytes received (0 for a response the browser had in its cache)."""
        return min(self.header_bytes, self.total_bytes)

    @property
    def raw_bytes(self) -> int:
        """What the same response would weigh uncompressed: headers + decoded body."""
        return self.wire_headers + self.decoded_body if self.total_bytes else 0

    @property
    def encoding(self) -> str:
        return self.headers.get("content-encoding", "")


class NetworkLog:
    """Bytes over the wire for one page, from Chromium's own Network domain (CDP):
    loadingFinished.encodedDataLength (headers + compressed body), dataReceived for the
    decompressed size. Responses served from the browser cache are not counted."""

    def __init__(self, context, page):
        self.transfers: dict[str, Transfer] = {}
        self.order: list[str] = []
        self.cdp = context.new_cdp_session(page)
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestWillBeSentExtraInfo", self._sent_extra)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.dataReceived", self._data)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.send("Network.enable")

    def _key(self, request_id: str, url: str) -> Transfer:
        if request_id not in self.transfers:
            self.transfers[request_id] = Transfer(url)
            self.order.append(request_id)
        return self.transfers[request_id]

    def _sent(self, event) -> None:
        request_id, redirect = event["requestId"], event.get("redirectResponse")
        if redirect and request_id in self.transfers:
            # The hop that was redirected ends here: keep it (with its request headers)
            # under a key of its own; the same requestId goes on with the next request.
            hop = self.transfers.pop(request_id)
            hop.status, hop.mime = redirect["status"], redirect.get("mimeType", "")
            hop.headers = {k.lower(): v for k, v in redirect.get("headers", {}).items()}
            hop.total_bytes = hop.header_bytes = int(redirect.get("encodedDataLength", 0))
            hop.finished = True
            key = f"{request_id}#{len(self.order)}"
            self.transfers[key] = hop
            self.order[self.order.index(request_id)] = key
        transfer = self._key(request_id, event["request"]["url"])
        transfer.url, transfer.method = event["request"]["url"], event["request"]["method"]
        transfer.request_headers.update(
            {k.lower(): v for k, v in event["request"]["headers"].items()}
        )

    def _sent_extra(self, event) -> None:
        """The headers really sent (Content-Length, Accept-Encoding, Cookie...)."""
        transfer = self._key(event["requestId"], "")
        transfer.request_headers.update({k.lower(): v for k, v in event["headers"].items()})

    def _response(self, event) -> None:
        response = event["response"]
        transfer = self._key(event["requestId"], response["url"])
        transfer.status = response["status"]
        transfer.mime = response.get("mimeType", "")
        transfer.headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        transfer.header_bytes = int(response.get("encodedDataLength", 0))

    def _data(self, event) -> None:
        if event["requestId"] in self.transfers:
            self.transfers[event["requestId"]].decoded_body += event["dataLength"]

    def _finished(self, event) -> None:
        if event["requestId"] in self.transfers:
            transfer = self.transfers[event["requestId"]]
            transfer.total_bytes = int(event["encodedDataLength"])
            transfer.finished = True

    def _failed(self, event) -> None:
        if event["requestId"] in self.transfers:
            transfer = self.transfers[event["requestId"]]
            transfer.failed = event.get("errorText") or "failed"
            transfer.finished = True

    def sent_bytes(self, mark: int = 0, path: str = "") -> int:
        """Request bodies sent (their Content-Length) since mark, to URLs containing path."""
        return sum(
            int(t.request_headers.get("content-length") or 0)
            for t in self.since(mark)
            if path in t.url
        )

    def mark(self) -> int:
        return len(self.order)

    def since(self, mark: int) -> list[Transfer]:
        return [self.transfers[key] for key in self.order[mark:] if key in self.transfers]

    def settle(self, page, quiet_ms: int = 400, timeout_s: float = 30) -> None:
        """Wait until nothing has started or is loading for quiet_ms, so every byte of a
        step (the favicon too, which Chromium asks for after the load) is counted."""
        page.wait_for_load_state("load")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            seen = len(self.order)
            page.wait_for_timeout(quiet_ms)
            if len(self.order) == seen and all(t.finished for t in self.transfers.values()):
                return


# ---------------------------------------------------------------------------- photos


def generated_jpeg(folder: Path, megapixels: int, quality: int = 90) -> Path:
    """A photo-sized JPEG with texture (as bench/photo_pipeline.py makes it)."""
    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    noise = Image.effect_noise((width // 16, height // 16), 60).convert("RGB")
    image = Image.merge(
        "RGB",
        [noise.getchannel(0), Image.linear_gradient("L").resize(noise.size), noise.getchannel(2)],
    ).resize((width, height), Image.Resampling.BICUBIC)
    path = folder / f"generated_{megapixels}mp_q{quality}.jpg"
    image.save(path, "JPEG", quality=quality)
    return path


def kb(n: float) -> str:
    return f"{n / 1000:.1f} KB"
