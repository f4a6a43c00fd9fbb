"""Multipart bodies built by hand, byte by byte, and a way to post one as a chunked upload."""

import io

from werkzeug.test import EnvironBuilder, TestResponse, run_wsgi_app
from werkzeug.wrappers import Request

BOUNDARY = "----hostile-boundary-7"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"
MB = 1024 * 1024


def form_field(name: str, value: str | bytes) -> bytes:
    value = value.encode() if isinstance(value, str) else value
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
    return head.encode() + value + b"\r\n"


def file_part(filename: bytes, data: bytes, name: bytes = b"photos") -> bytes:
    return (
        f"--{BOUNDARY}\r\n".encode()
        + b'Content-Disposition: form-data; name="' + name + b'"; filename="' + filename + b'"\r\n'
        + b"Content-Type: image/jpeg\r\n\r\n"
        + data
        + b"\r\n"
    )  # fmt: skip


def multipart_body(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


class Trickle(io.RawIOBase):
    """A body of unknown length, read in chunks (what a chunked upload looks like)."""

    def __init__(self, body: bytes, chunk: int = 64 * 1024):
        self._chunks = (body[i : i + chunk] for i in range(0, len(body), chunk))
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._pending:
            self._pending = next(self._chunks, b"")
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count


def post_chunked(app, draft, body: bytes):
    """POST `body` as a server passes a chunked upload on: no CONTENT_LENGTH at all, a
    stream that ends by itself, and wsgi.input_terminated set (as gunicorn does)."""
    builder = EnvironBuilder(
        path=draft.url("photos"),
        method="POST",
        content_type=CONTENT_TYPE,
        headers={"Cookie": f"session={draft.client.get_cookie('session').value}"},
    )
    environ = builder.get_environ()
    builder.close()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": io.BufferedReader(Trickle(body)), "wsgi.input_terminated": True})
    app_iter, status, headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    return TestResponse(app_iter, status, headers, request=Request(environ))
