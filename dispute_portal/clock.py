"""The one place business time is read: deadlines, timers and windows all ask here.

Tests move time by setting ``CLOCK_NOW`` in the app config (an aware UTC datetime).
"""

from datetime import datetime

from flask import current_app, has_app_context

from .models import utcnow


def now() -> datetime:
    if has_app_context():
        frozen = current_app.config.get("CLOCK_NOW")
        if frozen is not None:
            return frozen
    return utcnow()
