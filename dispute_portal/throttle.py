"""Sign-in throttling: too many failures for one account or from one address wait a while.

The answer is the same whether or not the account exists, so it reveals nothing.
"""

import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from .database import begin_write
from .extensions import db
from .models import SignInFailure


def _keys(email: str, address: str | None) -> list[tuple[str, int]]:
    config = current_app.config
    return [
        (f"account:{email}"[:300], config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]),
        (f"address:{address or 'unknown'}", config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"]),
    ]


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["SIGN_IN_WINDOW_MINUTES"])


def retry_after(email: str, address: str | None, now: datetime) -> int | None:
    """Seconds to wait before trying again, or None when this attempt may go ahead."""
    since = now - _window()
    waits = []
    for key, limit in _keys(email, address):
        recent = select(SignInFailure.created_at).where(
            SignInFailure.key == key, SignInFailure.created_at > since
        )
        count = db.session.scalar(select(func.count()).select_from(recent.subquery()))
        if count >= limit:
            # The attempt that pushes the count below the limit leaves the window first.
            times = db.session.scalars(recent.order_by(SignInFailure.created_at.desc())).all()
            frees_at = times[limit - 1] + _window()
            waits.append(max(1, math.ceil((frees_at - now).total_seconds())))
    return max(waits) if waits else None


def record_failure(email: str, address: str | None, now: datetime) -> None:
    begin_write()
    db.session.execute(delete(SignInFailure).where(SignInFailure.created_at <= now - _window()))
    for key, _limit in _keys(email, address):
        db.session.add(SignInFailure(key=key, created_at=now))
    db.session.commit()


def forget_account_failures(email: str) -> None:
    """A correct password clears the account's count (not the address's)."""
    begin_write()
    db.session.execute(delete(SignInFailure).where(SignInFailure.key == f"account:{email}"[:300]))
    db.session.commit()
