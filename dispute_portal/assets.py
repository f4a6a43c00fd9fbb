"""CSS and JavaScript: compressed, cached for a year, under URLs that change with content."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, request, url_for
from flask_compress import Compress

HTMX_FILE = "js/htmx-2.0.11.min.js"  # vendored from the npm package htmx.org, licence 0BSD


def init_app(app: Flask) -> None:
    Compress(app)

    @app.after_request
    def buffer_static_files(response: Response) -> Response:
        """Read small static files into memory so they are compressed whole.

        Runs before Flask-Compress (after_request runs in reverse order); a streamed file
        would be compressed chunk by chunk and its file handle left for the GC to close.
        """
        if request.endpoint == "static" and response.direct_passthrough:
            response.direct_passthrough = False
            response.make_sequence()
        return response

    static_folder = Path(app.static_folder or "")

    @cache
    def content_hash(filename: str) -> str:
        return hashlib.sha256((static_folder / filename).read_bytes()).hexdigest()[:12]

    def asset_url(filename: str) -> str:
        """A static URL with the file's hash, so a long cache never serves a stale copy."""
        return url_for("static", filename=filename, v=content_hash(filename))

    app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.globals["HTMX_FILE"] = HTMX_FILE
