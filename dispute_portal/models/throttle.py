"""Failed sign-ins, kept in the database so that every server process counts them."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class SignInFailure(db.Model):
    """One failed attempt, counted against an account key and an address key."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "account:<email as typed, lowercased>" or "address:<client IP>"
    key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
