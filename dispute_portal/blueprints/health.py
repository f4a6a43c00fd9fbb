"""A health check for the proxy, the init system or a monitor: no secrets, no paths."""

import os
import tempfile

from flask import Blueprint, current_app
from sqlalchemy import text

from ..extensions import db

bp = Blueprint("health", __name__)


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not healthy", whatever the driver raised
        current_app.logger.exception("health check: the database does not answer")
        return False
    finally:
        db.session.rollback()


def _evidence_ok() -> bool:
    """The photo folder exists (or can be made) and takes a new file."""
    folder = current_app.config["EVIDENCE_FOLDER"]
    try:
        os.makedirs(folder, mode=0o750, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-", suffix=".partial"):
            return True
    except OSError:
        current_app.logger.exception("health check: the evidence folder cannot be written")
        return False


@bp.get("/healthz")
def healthz():
    """200 with {"status": "ok"} when the database and the evidence folder work, else 503."""
    checks = {"database": _database_ok(), "evidence": _evidence_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "failed" for name, ok in checks.items()})
    return body, 200 if healthy else 503
