"""Shared by bench/server.py and bench/scale.py: a gunicorn server on a fresh instance on
127.0.0.1, a signed-in HTTP client, and bounded load runs (wrk when installed, else Python
threads with keep-alive connections).

Every load run lasts a fixed number of seconds and only ever targets 127.0.0.1. Servers
are stopped by their own PID, and their temporary instances removed.
"""

import contextlib
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's bin/, where flask and gunicorn live
HOST = "127.0.0.1"  # the only address any load here is sent to
STARTUP_SECONDS = 30
USER_AGENT = "dispute-portal-bench"
# What a browser sends: the portal compresses its pages (Flask-Compress) when asked.
ACCEPT_ENCODING = "gzip, deflate, br"
BUYER = ("buyer@example.com", "buyer-pass-1")
BUYER2 = ("buyer2@example.com", "buyer-pass-2")
REVIEWER = ("reviewer@example.com", "reviewer-pass-1")


class BenchError(RuntimeError):
    """The benchmark cannot go on (the server did not start, sign-in failed, ...)."""


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


def load_tool() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        return "Python threads + http.client keep-alive (wrk not installed)"
    out = subprocess.run([wrk, "--version"], capture_output=True, text=True, timeout=10)
    return (out.stdout or out.stderr).split("[")[0].strip() or "wrk"


# ---------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def portal_env(instance: Path, port: int, workers: int = 2) -> dict[str, str]:
    """The environment of a portal server on this instance (as tests/browser does it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISPUTE_PORTAL_")}
    env.update(
        HOST=HOST,
        PORT=str(port),
        WEB_CONCURRENCY=str(workers),
        DISPUTE_PORTAL_SECRET_KEY=secrets.token_hex(32),
        DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'portal.sqlite'}",
        DISPUTE_PORTAL_EVIDENCE_FOLDER=str(instance / "evidence"),
        DISPUTE_PORTAL_PASSWORD_HASH_PROFILE="CHEAPEST",
    )
    env.pop("FLASK_APP", None)
    env.pop("GUNICORN_THREADS", None)  # gunicorn.conf.py's own default (8 threads)
    return env


def flask(env: dict[str, str], *command: str) -> None:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "dispute_portal", *command],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise BenchError(
            f"flask {' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )


@contextlib.contextmanager
def portal_instance(workers: int = 2) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh instance in a temporary directory: migrated database, demo data."""
    instance = Path(tempfile.mkdtemp(prefix="bench_portal_"))
    try:
        env = portal_env(instance, free_port(), workers)
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        yield instance, env
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def _answers(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def _no_control_socket() -> list[str]:
    """gunicorn 27+ keeps a control socket at one path per user: never take it over."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    error_log: Path

    def worker_boots(self) -> int:
        """Workers started so far (gunicorn logs one line per boot, recycling included)."""
        return self.error_log.read_text(errors="replace").count("Booting worker")

    def cpu_seconds(self) -> float:
        """CPU time of the master and its workers so far: live workers' own time plus
        the time of recycled workers the master has reaped (cutime, cstime)."""
        tick = os.sysconf("SC_CLK_TCK")
        pid = self.process.pid

        def fields(p: int) -> list[int]:
            stat = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            return [int(x) for x in stat[11:15]]  # utime stime cutime cstime

        total = sum(fields(pid))
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for child in children:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                total += sum(fields(int(child))[:2])
        return total / tick


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], app: str = "wsgi:app", check_path: str = "/sign-in", pythonpath=None
) -> Iterator[Server]:
    """gunicorn with the repo's gunicorn.conf.py; stopped by its PID whatever happens."""
    port = int(env["PORT"])
    logs = Path(tempfile.mkdtemp(prefix="bench_gunicorn_"))
    command = [str(BIN / "gunicorn"), "--config", str(PROJECT / "gunicorn.conf.py")]
    command += _no_control_socket()
    if pythonpath:
        command += ["--pythonpath", str(pythonpath)]
    error_log = logs / "gunicorn.err"
    with error_log.open("wb") as err:
        process = subprocess.Popen(
            [*command, app],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(port, check_path):
            if process.poll() is not None or time.monotonic() > deadline:
                raise BenchError(
                    f"gunicorn ({app}) did not answer on {HOST}:{port}. Its stderr:\n"
                    + error_log.read_text(errors="replace")[-4000:]
                )
            time.sleep(0.1)
        yield Server(f"http://{HOST}:{port}", process, error_log)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(logs, ignore_errors=True)


# ---------------------------------------------------------------------------- a client

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Client:
    """A cookie jar and a new connection per request (a kept-alive one may have been
    closed by gunicorn's keepalive timeout or a recycled worker): enough to sign in and
    to check pages."""

    def __init__(self, base_url: str):
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.hostname != HOST:
            raise BenchError(f"only {HOST} is ever a target, not {parsed.hostname}")
        self.port = parsed.port
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def headers(self, **extra: str) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT, **extra}
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        return headers

    def request(self, method: str, path: str, body=None, headers=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=self.headers(**(headers or {})))
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";")[0]
        return response.status, response, data

    def get(self, path: str) -> tuple[int, str]:
        status, _response, data = self.request("GET", path)
        return status, data.decode("utf-8", "replace")

    def csrf_token(self, path: str) -> str:
        status, page = self.get(path)
        match = CSRF.search(page)
        if status != 200 or not match:
            raise BenchError(f"no csrf_token on {path} (status {status})")
        return match.group(1)

    def sign_in(self, email: str, password: str) -> "Client":
        token = self.csrf_token("/sign-in")
        form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
        status, response, _ = self.request(
            "POST",
            "/sign-in",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise BenchError(f"signing in as {email} answered {status}, not 302")
        return self


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


@dataclass
class LoadResult:
    connections: int
    seconds: float
    requests: int
    errors: int  # connect/read/write errors, time-outs, and statuses >= 400
    p50_ms: float
    p99_ms: float
    worker_boots: int = 0  # gunicorn workers (re)started during the run
    server_cpu_s: float = 0.0  # CPU seconds gunicorn (master + workers) used in the run

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request: steadier than req/s when other work shares the cores."""
        return self.server_cpu_s * 1000 / self.requests if self.requests else float("nan")


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def _wrk(url: str, headers: dict[str, str], connections: int, seconds: int) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections)]
        command += ["-d", f"{seconds}s", "--timeout", "5s", "-s", script.name]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 30)
    finally:
        os.unlink(script.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if out.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return LoadResult(
        connections,
        data["duration_us"] / 1e6,
        data["requests"],
        data["errors"] + data["bad_status"],
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
    )


def _python_load(url: str, headers: dict[str, str], connections: int, seconds: int):
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def worker() -> None:
        mine, bad = [], 0
        connection = http.client.HTTPConnection(HOST, parsed.port, timeout=5)
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    bad += 1
                else:
                    mine.append((time.perf_counter() - began) * 1000)
            except (OSError, http.client.HTTPException):
                bad += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, parsed.port, timeout=5)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.monotonic() - start
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return LoadResult(
        connections,
        elapsed,
        len(latencies),
        errors[0],
        pick(0.50) if latencies else float("nan"),
        pick(0.99) if latencies else float("nan"),
    )


def load(server: Server, path: str, cookie: str, connections: int, seconds: int) -> LoadResult:
    """GET path from `connections` keep-alive connections for `seconds` seconds."""
    url = server.url + path
    if urllib.parse.urlsplit(url).hostname != HOST:
        raise BenchError(f"only {HOST} is ever a target: {url}")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
    if cookie:
        headers["Cookie"] = cookie
    boots, cpu = server.worker_boots(), server.cpu_seconds()
    run = _wrk if shutil.which("wrk") else _python_load
    result = run(url, headers, connections, seconds)
    result.worker_boots = server.worker_boots() - boots
    result.server_cpu_s = server.cpu_seconds() - cpu
    return result


def median(values) -> float:
    return statistics.median(values)
