"""Shared by the front-end benchmarks: the portal under gunicorn on a fresh instance
(tests/portal_server.py, shared with the tests), Debian's headless Chromium, and photos.
The buyer's journey is bench/journey.py, byte counting bench/network_log.py.

Nothing here downloads a browser: Chromium is /usr/bin/chromium.
"""

import contextlib
import datetime
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(1, str(PROJECT / "tests"))  # portal_server, headless_chromium

import sample_photos  # noqa: E402
from headless_chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from portal_server import ServerError, gunicorn, prepare_instance, server_env  # noqa: E402

CORPUS = Path(os.environ.get("DISPUTE_PORTAL_CORPUS") or PROJECT.parent / "shared" / "corpus")
STARTUP_SECONDS = 20
ACTION_TIMEOUT_MS = 10_000

# The benchmark cannot go on (no Chromium, the server did not start, ...).
BenchError = ServerError


# ---------------------------------------------------------------------------- the server


@contextlib.contextmanager
def live_server(workers: int = 1) -> Iterator[str]:
    """The portal with demo data on a fresh instance in a temporary directory; yields its
    base URL and always stops gunicorn (by PID) and removes the instance afterwards."""
    if not CHROMIUM.exists():
        raise BenchError("Debian chromium not installed: run make test, which installs it")
    instance = Path(tempfile.mkdtemp(prefix="bench_live_server_"))
    try:
        env = server_env(instance, workers=workers)
        prepare_instance(env)
        with gunicorn(env, instance, startup_seconds=STARTUP_SECONDS) as server:
            yield server.url
    finally:
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


# ---------------------------------------------------------------------------- photos


def generated_jpeg(folder: Path, megapixels: int, quality: int = 90) -> Path:
    return sample_photos.generated_jpeg(
        folder, megapixels, quality, name=f"generated_{megapixels}mp_q{quality}.jpg"
    )


def kb(n: float) -> str:
    return f"{n / 1000:.1f} KB"
