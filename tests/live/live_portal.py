"""The portal under a real gunicorn on 127.0.0.1, for the live tests and `make soak`.

A server runs on a database and evidence folder that its caller prepared (a copy of the
tests' migrated demo database, or `flask db upgrade` + `seed-demo` on a fresh instance),
with the repo's gunicorn.conf.py, and is stopped by its own PID. ``Client`` signs in
through the real form (CSRF token, session cookie) and opens a new connection for every
request. ``RawUpload`` sends a multipart body over a bare socket, as slowly as asked, so
that a test can stop half-way, disconnect, or kill the worker that holds the connection.

Every request goes to 127.0.0.1 only; every loop that uses this is bounded in count and
time by its caller.
"""

import contextlib
import http.client
import io
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the venv's bin/, where flask and gunicorn live
HOST = "127.0.0.1"  # the only address anything here talks to
STARTUP_SECONDS = 60  # generous: a loaded 2-core machine imports the app slowly
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
DISPUTE_URL = re.compile(r"/disputes/(D-[0-9A-Z]{5}-[0-9A-Z]{5})/")
PHOTO_ID = re.compile(r"/photos/([A-Za-z0-9_-]{16,})/")


class LiveError(RuntimeError):
    """The live server could not be started or driven as expected."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_env(instance: Path, database_uri: str, workers: int = 2, **settings) -> dict:
    """The environment of a portal server: nothing of the developer's DISPUTE_PORTAL_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISPUTE_PORTAL_")}
    env.update(
        HOST=HOST,
        PORT=str(free_port()),
        WEB_CONCURRENCY=str(workers),
        DISPUTE_PORTAL_SECRET_KEY=secrets.token_hex(32),
        DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI=database_uri,
        DISPUTE_PORTAL_EVIDENCE_FOLDER=str(instance / "evidence"),
        DISPUTE_PORTAL_MAIL_OUTBOX=str(instance / "outbox"),
        DISPUTE_PORTAL_PASSWORD_HASH_PROFILE="CHEAPEST",
    )
    env.update({f"DISPUTE_PORTAL_{name}": str(value) for name, value in settings.items()})
    env.pop("FLASK_APP", None)
    env.pop("GUNICORN_THREADS", None)  # gunicorn.conf.py's own default
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
        raise LiveError(
            f"flask {' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def evidence_check(env: dict, sweep: bool = False) -> tuple[bool, str]:
    """`flask check-evidence` (after `flask sweep-evidence` with zero grace if asked)."""
    swept = ""
    if sweep:
        zero_grace = {**env, "DISPUTE_PORTAL_ORPHAN_GRACE_MINUTES": "0"}
        swept = flask(zero_grace, "sweep-evidence").stdout
    checked = flask(env, "check-evidence", check=False)
    return checked.returncode == 0, swept + checked.stdout + checked.stderr


def answers(port: int, path: str = "/sign-in", timeout: float = 5) -> bool:
    """The app itself answers 200, not just gunicorn's master."""
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
class Server:
    url: str
    port: int
    process: subprocess.Popen
    error_log: Path
    env: dict = field(repr=False)

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

    def worker_boots(self) -> int:
        return self.error_log.read_text(errors="replace").count("Booting worker")

    def log(self) -> str:
        return self.error_log.read_text(errors="replace")

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


HOST_HEX = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def _no_control_socket() -> list[str]:
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn's master by its PID (it stops its workers), then make sure."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def gunicorn(env: dict, *extra_args: str) -> Iterator[Server]:
    """gunicorn with the repo's gunicorn.conf.py (extra_args override it)."""
    port = int(env["PORT"])
    logs = Path(tempfile.mkdtemp(prefix="live_gunicorn_"))
    error_log = logs / "gunicorn.err"
    command = [str(BIN / "gunicorn"), "--config", str(PROJECT / "gunicorn.conf.py")]
    with error_log.open("wb") as err:
        process = subprocess.Popen(
            [*command, *_no_control_socket(), *extra_args, "wsgi:app"],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise LiveError(
                    f"gunicorn did not answer on {HOST}:{port}. Its stderr:\n"
                    + error_log.read_text(errors="replace")[-4000:]
                )
            time.sleep(0.1)
        yield Server(f"http://{HOST}:{port}", port, process, error_log, env)
    finally:
        stop(process)
        for path in logs.iterdir():
            path.unlink()
        logs.rmdir()


def wait_until_serving(server: Server, within: float) -> float | None:
    """Seconds until the app answers 200 again, or None if not within `within` s."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        if answers(server.port, timeout=2):
            return time.monotonic() - start
        time.sleep(0.05)
    return None


# ---------------------------------------------------------------------------- clients


def multipart(fields: list[tuple[str, object]]) -> tuple[bytes, str]:
    """A multipart/form-data body: values are str, or (filename, bytes) for files."""
    boundary = "live" + secrets.token_hex(12)
    out = io.BytesIO()
    for name, value in fields:
        out.write(f"--{boundary}\r\n".encode())
        if isinstance(value, tuple):
            filename, data = value
            out.write(
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: image/jpeg\r\n\r\n".encode()
            )
            out.write(data)
        else:
            out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode())
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Reply:
    status: int
    location: str
    text: str
    seconds: float


class Client:
    """One browser: a cookie jar, a CSRF token, a new connection per request."""

    def __init__(self, server: Server, timeout: float = 120):
        self.server, self.timeout = server, timeout
        self.cookies: dict[str, str] = {}
        self.token = ""

    def headers(self, **extra) -> dict:
        headers = {"User-Agent": "dispute-portal-live-test", **extra}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def request(self, method: str, path: str, body=None, headers=None) -> Reply:
        began = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.server.port, timeout=self.timeout)
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
        text = data.decode("utf-8", "replace")
        found = CSRF.search(text)
        if found:
            self.token = found.group(1)
        seconds = time.perf_counter() - began
        return Reply(response.status, response.getheader("Location") or "", text, seconds)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, data: dict | list | None = None, **headers) -> Reply:
        fields = list(data.items()) if isinstance(data, dict) else list(data or [])
        body = urllib.parse.urlencode([("csrf_token", self.token), *fields])
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request("POST", path, body, headers)

    def upload(self, reference: str, filename: str, photo: bytes, fragment=False) -> Reply:
        """One photo through the photos step: the no-JS form, or htmx's fragment."""
        fields = [("csrf_token", self.token), ("action", "upload"), ("next", "")]
        body, content_type = multipart([*fields, ("photos", (filename, photo))])
        headers = {"Content-Type": content_type}
        if fragment:
            headers["HX-Request"] = "true"
        return self.request("POST", f"/disputes/{reference}/photos", body, headers)

    def sign_in(self, email: str, password: str) -> "Client":
        self.get("/sign-in")
        reply = self.post("/sign-in", {"email": email, "password": password})
        if reply.status != 302:
            raise LiveError(f"signing in as {email} answered {reply.status}, not 302")
        self.get("/orders")  # the token of the signed-in session
        return self

    def draft_at_photos(self, order_id: int, item_ids: list[int] | None = None) -> str:
        """Start (or resume) a dispute on the order and answer every question before the
        photos step (damaged, full refund, will return); returns its reference."""
        reply = self.post(f"/orders/{order_id}/dispute")
        found = DISPUTE_URL.search(reply.location)
        if reply.status != 302 or not found:
            raise LiveError(f"starting a dispute on order {order_id}: {reply.status}")
        reference = found.group(1)
        steps = [
            ("items", [("item", str(i)) for i in (item_ids or [])]),
            ("reason", [("reason", "damaged")]),
            ("description", [("description", "The box was crushed and the item cracked.")]),
            ("remedy", [("remedy", "full_refund")]),
            ("return", [("will_return", "yes")]),
        ]
        for step, fields in steps:
            if step == "items" and not item_ids:
                continue
            answered = self.post(f"/disputes/{reference}/{step}", fields)
            if answered.status not in (302, 303):
                raise LiveError(f"answering {step} of {reference}: {answered.status}")
        return reference


class RawUpload:
    """A photo upload over a bare socket, sent piece by piece: the caller decides when
    to send more, when to stop, and when to read the answer."""

    def __init__(
        self, client: Client, reference: str, photo: bytes, timeout: float = 120, fragment=False
    ):
        fields = [("csrf_token", client.token), ("action", "upload"), ("next", "")]
        self.body, content_type = multipart([*fields, ("photos", ("raw.jpg", photo))])
        head = [
            f"POST /disputes/{reference}/photos HTTP/1.1",
            f"Host: {HOST}:{client.server.port}",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(self.body)}",
            "Connection: close",
            *(f"{k}: {v}" for k, v in client.headers().items()),
            *(["HX-Request: true"] if fragment else []),
        ]
        self.sock = socket.create_connection((HOST, client.server.port), timeout=timeout)
        self.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        self.sent = 0

    @property
    def local_port(self) -> int:
        return self.sock.getsockname()[1]

    def send(self, count: int) -> None:
        chunk = self.body[self.sent : self.sent + count]
        self.sock.sendall(chunk)
        self.sent += len(chunk)

    def trickle(self, bytes_per_second: int, deadline: float, piece: int = 256) -> None:
        """Send the rest at about `bytes_per_second`, stopping at `deadline` (monotonic)."""
        start, start_sent = time.monotonic(), self.sent
        while self.sent < len(self.body) and time.monotonic() < deadline:
            self.send(piece)
            due = start + (self.sent - start_sent) / bytes_per_second
            time.sleep(max(0.0, due - time.monotonic()))

    def answer(self) -> tuple[int | None, str]:
        """The status code and body of the answer; (None, "") if the server closed the
        connection without one."""
        data = b""
        try:
            while chunk := self.sock.recv(65536):
                data += chunk
        except OSError:
            pass
        finally:
            self.close()
        head, _, body = data.partition(b"\r\n\r\n")
        parts = head.split(b" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            return None, ""
        return int(parts[1]), body.decode("utf-8", "replace")

    def status(self) -> int | None:
        return self.answer()[0]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


# ---------------------------------------------------------------------------- photos


def make_photo(size=(1200, 900), seed: int = 1, quality: int = 85) -> bytes:
    """A photo-like JPEG: noisy enough to look sharp, bright enough to look lit."""
    from PIL import Image

    rng = random.Random(seed)
    small = Image.new("RGB", (size[0] // 8, size[1] // 8))
    small.putdata(
        [
            (rng.randrange(80, 255), rng.randrange(80, 255), rng.randrange(80, 255))
            for _ in range(small.width * small.height)
        ]
    )
    buffer = io.BytesIO()
    small.resize(size, Image.Resampling.BILINEAR).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def sized_photo(target_bytes: int, seed: int) -> bytes:
    """A photo of about `target_bytes` (within ~15 %): fine noise on a 4:3 frame."""
    from PIL import Image

    rng = random.Random(seed)
    width = 1600
    while True:
        height = width * 3 // 4
        half = (width // 2, height // 2)
        small = Image.frombytes("RGB", half, rng.randbytes(half[0] * half[1] * 3))
        small = small.point(lambda v: 60 + v * 195 // 255)  # lit: no pixel darker than 60
        buffer = io.BytesIO()
        small.resize((width, height), Image.Resampling.BILINEAR).save(buffer, "JPEG", quality=90)
        data = buffer.getvalue()
        if len(data) >= target_bytes * 0.85 or width >= 6000:
            return data
        width = int(width * (target_bytes / len(data)) ** 0.5) + 16


# ---------------------------------------------------------------------------- the database


def query(database_uri: str, sql: str, **params) -> list[tuple]:
    """Rows of one read-only SQL statement, on a connection of its own."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_uri)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def order_ids(database_uri: str, numbers: list[str]) -> dict[str, int]:
    rows = query(database_uri, "SELECT order_number, id FROM orders")
    found = {number: order_id for number, order_id in rows}
    return {number: found[number] for number in numbers}


def photo_ids(database_uri: str, reference: str) -> set[str]:
    sql = (
        "SELECT p.public_id FROM evidence_photos p JOIN disputes d ON d.id = p.dispute_id "
        "WHERE d.reference = :reference"
    )
    return {row[0] for row in query(database_uri, sql, reference=reference)}


def add_buyers(env: dict, count: int, tmp: Path) -> list[tuple[str, str, str]]:
    """`count` buyers, each with one delivered order (numbers 7001...) from
    seller@example.com: users written straight into the database before the server
    starts, orders through `flask import-orders`. Returns (email, password, number)."""
    from datetime import UTC, datetime, timedelta

    from dispute_portal import create_app
    from dispute_portal.extensions import db
    from dispute_portal.models import Role, User
    from dispute_portal.passwords import hash_password

    buyers = [(f"soak{n}@example.com", f"soak-pass-{n:04d}", str(7001 + n)) for n in range(count)]
    config = {
        "SECRET_KEY": "live-seeding-only",
        "SQLALCHEMY_DATABASE_URI": env["DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI"],
        "EVIDENCE_FOLDER": env["DISPUTE_PORTAL_EVIDENCE_FOLDER"],
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
    }
    app = create_app(config)
    with app.app_context():
        for email, password, _number in buyers:
            db.session.add(
                User(
                    email=email,
                    display_name=email.split("@")[0],
                    role=Role.BUYER,
                    password_hash=hash_password(password),
                )
            )
        db.session.commit()
        db.engine.dispose()
    delivered = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    placed = delivered - timedelta(days=3)
    rows = [
        "order_number,buyer_email,seller_email,currency,placed_at,delivered_at,"
        "item_title,quantity,unit_price"
    ]
    for email, _password, number in buyers:
        rows.append(
            f"{number},{email},seller@example.com,GBP,{placed.isoformat()},"
            f"{delivered.isoformat()},Soak test kettle,1,29.99"
        )
    csv = tmp / "soak_orders.csv"
    csv.write_text("\n".join(rows) + "\n")
    flask(env, "import-orders", str(csv))
    return buyers
