"""The parties' conversation about a dispute, and what each person is told about it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, enum_column, utcnow
from .users import Role, User


class Message(db.Model):
    """One post in a dispute's thread. Posted once, never edited, with optional photos."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_role: Mapped[Role] = mapped_column(enum_column(Role))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship()
    photos: Mapped[list["EvidencePhoto"]] = relationship(  # noqa: F821
        order_by="EvidencePhoto.id", viewonly=True
    )


class Notification(db.Model):
    """Something a person should know or do. Its text is written when it is read, in the
    reader's language; `key` makes one-off notices (reminders) unique."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    dispute: Mapped["Dispute"] = relationship()  # noqa: F821
