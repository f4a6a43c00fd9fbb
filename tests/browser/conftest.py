"""Browser fixtures: the real app under gunicorn, driven by Debian's headless Chromium.

``live_server`` prepares a fresh instance (migrated database, demo data, empty evidence
folder) in a temporary directory, starts gunicorn on a free port on 127.0.0.1 and yields
its base URL. It is also pytest-playwright's ``base_url``, so ``page.goto("/orders")``
works. Chromium is launched from /usr/bin/chromium: Playwright never downloads a browser.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
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
def live_server(tmp_path_factory):
    """The portal under gunicorn with demo data, on a fresh instance; yields its base URL."""
    _require_chromium()  # no point starting a server no browser will visit
    instance = tmp_path_factory.mktemp("live_server")
    port = _free_port()
    env = _server_env(instance, port)
    _flask(env, "db", "upgrade")
    _flask(env, "seed-demo")

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
