"""Clients of the live server: ``Client`` signs in through the real form (CSRF token,
session cookie: tests/portal_client.py) and opens a new connection for every request.
``RawUpload`` sends a multipart body over a bare socket, as slowly as asked, so that a
test can stop half-way, disconnect, or kill the worker that holds the connection.

Every request goes to 127.0.0.1 only.
"""

import contextlib
import io
import re
import secrets
import socket
import time
import urllib.parse
from dataclasses import dataclass

from portal_client import CSRF, FormClient
from portal_server import HOST, ServerError

DISPUTE_URL = re.compile(r"/disputes/(D-[0-9A-Z]{5}-[0-9A-Z]{5})/")
PHOTO_ID = re.compile(r"/photos/([A-Za-z0-9_-]{16,})/")


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


class Client(FormClient):
    """One browser: a cookie jar, a CSRF token, a new connection per request."""

    def __init__(self, server, timeout: float = 120):
        super().__init__(server.port, "dispute-portal-live-test", timeout)
        self.server = server
        self.token = ""

    def request(self, method: str, path: str, body=None, headers=None) -> Reply:
        began = time.perf_counter()
        response, data = self.exchange(method, path, body, headers)
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
        super().sign_in(email, password)
        self.get("/orders")  # the token of the signed-in session
        return self

    def draft_at_photos(self, order_id: int, item_ids: list[int] | None = None) -> str:
        """Start (or resume) a dispute on the order and answer every question before the
        photos step (damaged, full refund, will return); returns its reference."""
        reply = self.post(f"/orders/{order_id}/dispute")
        found = DISPUTE_URL.search(reply.location)
        if reply.status != 302 or not found:
            raise ServerError(f"starting a dispute on order {order_id}: {reply.status}")
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
                raise ServerError(f"answering {step} of {reference}: {answered.status}")
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
