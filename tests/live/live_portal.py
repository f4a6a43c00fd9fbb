"""The portal under a real gunicorn on 127.0.0.1, for the live tests and `make soak`.

A server runs on a database and evidence folder that its caller prepared (a copy of the
tests' migrated demo database, or `flask db upgrade` + `seed-demo` on a fresh instance),
with the repo's gunicorn.conf.py, and is stopped by its own PID: tests/portal_server.py,
shared with tests/browser and bench/. What is here reads its workers from /proc.
Clients are tests/live/live_client.py, photos live_photos.py, the database live_data.py.

Every request goes to 127.0.0.1 only; every loop that uses this is bounded in count and
time by its caller.
"""

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from portal_server import Gunicorn, answers, flask
from portal_server import gunicorn as _gunicorn

STARTUP_SECONDS = 60  # generous: a loaded 2-core machine imports the app slowly
HOST_HEX = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def evidence_check(env: dict, sweep: bool = False) -> tuple[bool, str]:
    """`flask check-evidence` (after `flask sweep-evidence` with zero grace if asked)."""
    swept = ""
    if sweep:
        zero_grace = {**env, "DISPUTE_PORTAL_ORPHAN_GRACE_MINUTES": "0"}
        swept = flask(zero_grace, "sweep-evidence").stdout
    checked = flask(env, "check-evidence", check=False)
    return checked.returncode == 0, swept + checked.stdout + checked.stderr


def _children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


def _status_kb(pid: int, field_name: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1])
    return 0


@dataclass
class Server(Gunicorn):
    env: dict = field(default_factory=dict, repr=False)

    @property
    def evidence(self) -> Path:
        return Path(self.env["DISPUTE_PORTAL_EVIDENCE_FOLDER"])

    def workers(self) -> list[int]:
        return _children(self.process.pid)

    def rss_kb(self) -> dict[int, int]:
        """Resident memory of each worker now (VmRSS from /proc)."""
        return {pid: _status_kb(pid, "VmRSS") for pid in self.workers()}

    def peak_rss_kb(self) -> dict[int, int]:
        """Each live worker's peak resident memory so far (VmHWM)."""
        return {pid: _status_kb(pid, "VmHWM") for pid in self.workers()}

    def worker_holding(self, client_port: int) -> int | None:
        """The worker whose open sockets include the server end of the connection that
        the client made from `client_port`."""
        wanted = f"{HOST_HEX}:{self.port:04X} {HOST_HEX}:{client_port:04X}"
        inode = None
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            parts = line.split()
            if f"{parts[1]} {parts[2]}" == wanted:
                inode = parts[9]
        if inode is None:
            return None
        for pid in self.workers():
            with contextlib.suppress(OSError):
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        if os.readlink(fd) == f"socket:[{inode}]":
                            return pid
        return None


@contextlib.contextmanager
def gunicorn(env: dict, *extra_args: str) -> Iterator[Server]:
    """gunicorn with the repo's gunicorn.conf.py (extra_args override it)."""
    with (
        tempfile.TemporaryDirectory(prefix="live_gunicorn_") as logs,
        _gunicorn(
            env, Path(logs), *extra_args, startup_seconds=STARTUP_SECONDS, stop_seconds=20
        ) as server,
    ):
        yield Server(server.url, server.port, server.process, server.error_log, env)


def wait_until_serving(server: Server, within: float) -> float | None:
    """Seconds until the app answers 200 again, or None if not within `within` s."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        if answers(server.port):
            return time.monotonic() - start
        time.sleep(0.05)
    return None
