"""Shared by bench/server.py and bench/scale.py: a gunicorn server on a fresh instance on
127.0.0.1, a signed-in HTTP client, and bounded load runs (wrk when installed, else Python
threads with keep-alive connections: bench/_load_runs.py).

The server itself (port, environment, instance, gunicorn, stop by PID) and the sign-in
client are tests/portal_server.py and tests/portal_client.py, shared with the tests.
Every load run lasts a fixed number of seconds and only ever targets 127.0.0.1. Servers
are stopped by their own PID, and their temporary instances removed.
"""

import contextlib
import datetime
import os
import platform
import re
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "tests"))  # portal_server

from _load_runs import LoadResult, with_threads, with_wrk  # noqa: E402
from portal_client import FormClient  # noqa: E402
from portal_server import HOST, ServerError, prepare_instance, server_env  # noqa: E402
from portal_server import gunicorn as _gunicorn  # noqa: E402

STARTUP_SECONDS = 30
USER_AGENT = "dispute-portal-bench"
# What a browser sends: the portal compresses its pages (Flask-Compress) when asked.
ACCEPT_ENCODING = "gzip, deflate, br"
BUYER = ("buyer@example.com", "buyer-pass-1")
BUYER2 = ("buyer2@example.com", "buyer-pass-2")
REVIEWER = ("reviewer@example.com", "reviewer-pass-1")

# The benchmark cannot go on (the server did not start, sign-in failed, ...).
BenchError = ServerError


def machine_line() -> str:
    """The date and the machine, printed at the top of every table."""
    return ", ".join(
        [
            datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            f"nproc {len(os.sched_getaffinity(0))}",  # what `nproc` prints
            f"Python {platform.python_version()}",
            platform.machine(),
            f"SQLite {__import__('sqlite3').sqlite_version}",
        ]
    )


def other_load() -> str:
    """What else the machine was doing: the 1-minute load average before a run."""
    return f"load average {os.getloadavg()[0]:.1f} before the run"


def gunicorn_settings(workers: int) -> str:
    """What gunicorn.conf.py sets, as the servers here run it."""
    conf = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    return (
        f"{conf['worker_class']}, WEB_CONCURRENCY={workers}, {conf['threads']} threads, "
        f"max_requests {conf['max_requests']}±{conf['max_requests_jitter']}"
        + (", post_worker_init freezes the GC" if "post_worker_init" in conf else "")
    )


def load_tool() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        return "Python threads + http.client keep-alive (wrk not installed)"
    out = subprocess.run([wrk, "--version"], capture_output=True, text=True, timeout=10)
    return (out.stdout or out.stderr).split("[")[0].strip() or "wrk"


# ---------------------------------------------------------------------------- servers


@contextlib.contextmanager
def portal_instance(workers: int = 2) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh instance in a temporary directory: migrated database, demo data."""
    instance = Path(tempfile.mkdtemp(prefix="bench_portal_"))
    try:
        env = server_env(instance, workers=workers)
        prepare_instance(env)
        yield instance, env
    finally:
        shutil.rmtree(instance, ignore_errors=True)


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], app: str = "wsgi:app", check_path: str = "/sign-in", pythonpath=None
):
    """gunicorn with the repo's gunicorn.conf.py; stopped by its PID whatever happens."""
    extra = ["--pythonpath", str(pythonpath)] if pythonpath else []
    with (
        tempfile.TemporaryDirectory(prefix="bench_gunicorn_") as logs,
        _gunicorn(
            env,
            Path(logs),
            *extra,
            app=app,
            check_path=check_path,
            startup_seconds=STARTUP_SECONDS,
            stop_seconds=15,
        ) as server,
    ):
        yield server


def cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time of gunicorn's master and its workers so far: live workers' own time plus
    the time of recycled workers the master has reaped (cutime, cstime)."""
    tick = os.sysconf("SC_CLK_TCK")
    pid = process.pid

    def fields(p: int) -> list[int]:
        stat = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        return [int(x) for x in stat[11:15]]  # utime stime cutime cstime

    total = sum(fields(pid))
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            total += sum(fields(int(child))[:2])
    return total / tick


# ---------------------------------------------------------------------------- a client


class Client(FormClient):
    """A cookie jar and a new connection per request: enough to sign in and to check
    pages."""

    def __init__(self, base_url: str):
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.hostname != HOST:
            raise BenchError(f"only {HOST} is ever a target, not {parsed.hostname}")
        super().__init__(parsed.port, USER_AGENT, timeout=60)

    def get(self, path: str) -> tuple[int, str]:
        response, data = self.exchange("GET", path)
        return response.status, data.decode("utf-8", "replace")


def signed_in(base_url: str, account: tuple[str, str]) -> Client:
    return Client(base_url).sign_in(*account)


def expect_page(client: Client, path: str, title: str) -> None:
    """The page answers 200 with its own title (not the sign-in page): checked before and
    after each load run, since wrk counts a redirect as a success."""
    status, page = client.get(path)
    found = re.search(r"<title>([^<]*)</title>", page)
    if status != 200 or not found or not found.group(1).startswith(title):
        raise BenchError(f"{path} answered {status} {found and found.group(1)!r}, not {title!r}")


# ---------------------------------------------------------------------------- load runs


def load(server, path: str, cookie: str, connections: int, seconds: int) -> LoadResult:
    """GET path from `connections` keep-alive connections for `seconds` seconds."""
    url = server.url + path
    if urllib.parse.urlsplit(url).hostname != HOST:
        raise BenchError(f"only {HOST} is ever a target: {url}")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
    if cookie:
        headers["Cookie"] = cookie
    boots, cpu = server.worker_boots(), cpu_seconds(server.process)
    run = with_wrk if shutil.which("wrk") else with_threads
    result = run(url, headers, connections, seconds)
    result.worker_boots = server.worker_boots() - boots
    result.server_cpu_s = cpu_seconds(server.process) - cpu
    return result


def median(values) -> float:
    return statistics.median(values)
