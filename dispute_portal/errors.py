"""Pages for the errors a user can meet: each says what happened and what to do."""

import time

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from . import request_log


def _drain_request_body() -> None:
    """Read what is left of a refused body, within limits, so the client gets our page.

    A server that answers before the upload has finished and then closes the connection
    makes browsers show "connection reset" instead of the message.
    """
    stream = request.environ.get("wsgi.input")
    if stream is None:
        return
    left = current_app.config["OVERSIZE_DRAIN_BYTES"]
    deadline = time.monotonic() + current_app.config["OVERSIZE_DRAIN_SECONDS"]
    try:
        while left > 0 and time.monotonic() < deadline:
            chunk = stream.read(min(left, 64 * 1024))
            if not chunk:
                break
            left -= len(chunk)
    except (OSError, ValueError):
        pass  # the client went away: nothing left to be polite to


def init_app(app: Flask) -> None:
    request_log.init_app(app)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        # Flask has logged the exception already, with the request id (request_log).
        message = _(
            "Try again later. Your saved answers are still there. If it keeps happening, "
            "tell us this reference: %(request_id)s",
            request_id=request_log.request_id(),
        )
        title = _("Sorry, there is a problem with the service")
        return render_template("error.html", title=title, message=message), 500

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        """SQLite still locked after its busy timeout: a busy moment, not a broken page."""
        busy = "database is locked" in str(error.orig)
        app.logger.error("database error (%s)", "busy" if busy else "failed", exc_info=error)
        page, _status = server_error(InternalServerError(original_exception=error))
        return (page, 503, {"Retry-After": "5"}) if busy else (page, 500)

    @app.errorhandler(CSRFError)
    def form_expired(error: CSRFError):
        message = _(
            "This form has expired or was sent from another page. "
            "Go back, reload the page and try again: your saved answers are still there."
        )
        return render_template("error.html", title=_("Please try again"), message=message), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        _drain_request_body()
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        message = _(
            "What you sent was larger than %(limit)d MB in one go. Go back and choose "
            "fewer or smaller photos at a time: the photos you already uploaded are still "
            "there.",
            limit=limit,
        )
        return render_template("error.html", title=_("Too much at once"), message=message), 413

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        pages = {
            404: (
                _("Page not found"),
                _(
                    "If you typed the web address, check it is correct. If you followed a "
                    "link, it may be to something that is not yours to see."
                ),
            ),
            400: (
                _("Something was wrong with that request"),
                _("Go back, reload the page and try again."),
            ),
            405: (
                _("That cannot be done here"),
                _("Go back, reload the page and try again."),
            ),
        }
        # Werkzeug's own wording is English only: any other code gets a translated page too.
        title, message = pages.get(
            error.code or 500,
            (_("Sorry, something went wrong"), _("Go back, reload the page and try again.")),
        )
        return render_template("error.html", title=title, message=message), error.code
