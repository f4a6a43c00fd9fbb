"""The real portal under gunicorn on 127.0.0.1, for tests/browser, tests/live, bench/ and
soak/: a free loopback port, the environment of a fresh instance, `flask db upgrade` +
`flask seed-demo`, gunicorn with the repo's gunicorn.conf.py and its logs in files, a
bounded wait until `GET /sign-in` answers 200, and a stop by the server's own PID.

It lives in tests/ (on sys.path under pytest, as every tests/*.py helper is) so that the
tests import it as ``portal_server``; bench/ and soak/ add tests/ to their sys.path. It
needs nothing but the standard library (no pytest): failures raise ``ServerError``.
"""

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's bin/, where flask and gunicorn live
HOST = "127.0.0.1"  # the only address a server here listens on


class ServerError(RuntimeError):
    """The live server could not be prepared, started or driven as expected."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_env(
    instance: Path, database_uri: str | None = None, *, workers: int = 2, port=None, **settings
) -> dict[str, str]:
    """The environment of a portal server on this instance (SQLite in it unless
    database_uri says otherwise); ``settings`` become more DISPUTE_PORTAL_* variables.
    Nothing from the developer's own DISPUTE_PORTAL_* settings leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISPUTE_PORTAL_")}
    env.update(
        HOST=HOST,
        PORT=str(port or free_port()),
        WEB_CONCURRENCY=str(workers),
        DISPUTE_PORTAL_SECRET_KEY=secrets.token_hex(32),
        DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI=(
            database_uri or f"sqlite:///{instance / 'portal.sqlite'}"
        ),
        DISPUTE_PORTAL_EVIDENCE_FOLDER=str(instance / "evidence"),
        DISPUTE_PORTAL_MAIL_OUTBOX=str(instance / "outbox"),
        DISPUTE_PORTAL_PASSWORD_HASH_PROFILE="CHEAPEST",
    )
    env.update({f"DISPUTE_PORTAL_{name}": str(value) for name, value in settings.items()})
    env.pop("FLASK_APP", None)
    env.pop("GUNICORN_THREADS", None)  # gunicorn.conf.py's own default (8 threads)
    return env


def flask(env: dict, *command: str, stdin: str | None = None, check: bool = True):
    """Run `flask <command>` on the server's instance; returns the CompletedProcess."""
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "dispute_portal", *command],
        cwd=PROJECT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise ServerError(
            f"flask {' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def prepare_instance(env: dict) -> None:
    """A fresh instance: migrated database, demo data."""
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")


def answers(port: int, path: str = "/sign-in", timeout: float = 2) -> bool:
    """The app itself answers 200, not just gunicorn's master (which binds before any
    worker has loaded the app, and keeps the port even when loading it fails)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
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
    """gunicorn 27+ opens a control socket at one fixed path per user (~/.gunicorn/): a
    server here must not take it over from a `make run` server on the same machine."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


def stop(process: subprocess.Popen, wait_seconds: float = 10) -> None:
    """Stop gunicorn's master by its own PID (it stops its workers): terminate, wait,
    then kill if it will not go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=wait_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Gunicorn:
    url: str
    port: int
    process: subprocess.Popen
    error_log: Path  # gunicorn's stderr: its own log lines (boots, timeouts, tracebacks)

    def log(self) -> str:
        return self.error_log.read_text(errors="replace")

    def worker_boots(self) -> int:
        """Workers started so far (gunicorn logs one line per boot, recycling included)."""
        return self.log().count("Booting worker")


@contextlib.contextmanager
def gunicorn(
    env: dict,
    logs: Path,
    *extra_args: str,
    app: str = "wsgi:app",
    check_path: str = "/sign-in",
    startup_seconds: float = 30,
    stop_seconds: float = 10,
) -> Iterator[Gunicorn]:
    """gunicorn with the repo's gunicorn.conf.py (extra_args override it) on env's PORT,
    stdout and stderr in logs/gunicorn.out and logs/gunicorn.err. Yields once check_path
    answers 200; stopped by its PID whatever happens."""
    port = int(env["PORT"])
    command = [str(BIN / "gunicorn"), "--config", str(PROJECT / "gunicorn.conf.py")]
    error_log = logs / "gunicorn.err"
    with (logs / "gunicorn.out").open("wb") as out, error_log.open("wb") as err:
        process = subprocess.Popen(
            [*command, *_no_control_socket(), *extra_args, app],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    server = Gunicorn(f"http://{HOST}:{port}", port, process, error_log)
    try:
        deadline = time.monotonic() + startup_seconds
        while not answers(port, check_path):
            exited = process.poll()
            if exited is not None or time.monotonic() > deadline:
                what = (
                    f"exited with status {exited}"
                    if exited is not None
                    else f"did not answer on {HOST}:{port} within {startup_seconds} s"
                )
                raise ServerError(f"gunicorn ({app}) {what}. Its stderr:\n{server.log()[-4000:]}")
            time.sleep(0.1)
        yield server
    finally:
        stop(process, stop_seconds)
