"""One log line per request, and a request id that ties a log line to what the user saw.

The id comes from the proxy's X-Request-Id when it looks like one (nginx's $request_id),
else it is made here; it is sent back as X-Request-Id and shown on the 500 page.
"""

import logging
import re
import secrets
import time

from flask import Flask, Response, g, has_request_context, request

SANE_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def request_id() -> str:
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if SANE_ID.fullmatch(incoming) else secrets.token_hex(8)
    return g.request_id


class RequestIdFilter(logging.Filter):
    """Prefix every message logged while a request is handled with its id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not getattr(record, "request_id", None):
            record.request_id = request_id()
            record.msg = f"[request {record.request_id}] {record.msg}"
        return True


def init_app(app: Flask) -> None:
    if app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)
    app.logger.addFilter(RequestIdFilter())

    def start_request() -> None:
        request_id()
        g.request_started = time.perf_counter()

    # First of all before_request functions: CSRF protection may refuse the request.
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)

    @app.after_request
    def log_request(response: Response) -> Response:
        response.headers["X-Request-Id"] = request_id()
        started = g.get("request_started", time.perf_counter())
        app.logger.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response
