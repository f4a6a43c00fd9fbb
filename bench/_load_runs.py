"""Bounded load runs for bench/_load.py: GET one URL from N keep-alive connections for a
fixed number of seconds, with Debian's wrk or, without it, Python threads and http.client.
Only ever 127.0.0.1 (the caller checks the URL).
"""

import http.client
import json
import os
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass

from portal_server import HOST, ServerError


@dataclass
class LoadResult:
    connections: int
    seconds: float
    requests: int
    errors: int  # connect/read/write errors, time-outs, and statuses >= 400
    p50_ms: float
    p99_ms: float
    error_kinds: str = ""  # what the errors were, e.g. "3 read, 2 timeout"
    worker_boots: int = 0  # gunicorn workers (re)started during the run
    server_cpu_s: float = 0.0  # CPU seconds gunicorn (master + workers) used in the run

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def measured(self) -> bool:
        """False when more than 1 % of the answers were errors: a page answering 500s
        quickly measured nothing, however high its req/s."""
        return self.requests > 0 and self.errors <= self.requests * 0.01

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request: steadier than req/s when other work shares the cores."""
        return self.server_cpu_s * 1000 / self.requests if self.requests else float("nan")


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status >= 400": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status))
end
"""


def with_wrk(url: str, headers: dict[str, str], connections: int, seconds: int) -> LoadResult:
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
        raise ServerError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    kinds = {k: data[k] for k in ("connect", "read", "write", "timeout", "status >= 400")}
    return LoadResult(
        connections,
        data["duration_us"] / 1e6,
        data["requests"],
        sum(kinds.values()),
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
        ", ".join(f"{n} {kind}" for kind, n in kinds.items() if n),
    )


def with_threads(url: str, headers: dict[str, str], connections: int, seconds: int):
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    latencies: list[float] = []
    errors = {"status >= 400": 0, "connection": 0}
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def worker() -> None:
        mine, bad_status, broken = [], 0, 0
        connection = http.client.HTTPConnection(HOST, parsed.port, timeout=5)
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    bad_status += 1
                else:
                    mine.append((time.perf_counter() - began) * 1000)
            except (OSError, http.client.HTTPException):
                broken += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, parsed.port, timeout=5)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors["status >= 400"] += bad_status
            errors["connection"] += broken

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
        sum(errors.values()),
        pick(0.50) if latencies else float("nan"),
        pick(0.99) if latencies else float("nan"),
        ", ".join(f"{n} {kind}" for kind, n in errors.items() if n),
    )
