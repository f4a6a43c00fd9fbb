"""What happens after submission: offers, reviewer notes, requests for information,
and the per-dispute fields that record deadlines and outcomes."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, enum_column, utcnow
from .users import Role, User


class Resolution(enum.StrEnum):
    """The terms a dispute ended on, whether agreed or decided."""

    FULL_REFUND = "full_refund"
    PARTIAL_REFUND = "partial_refund"
    REPLACEMENT = "replacement"
    RETURN_REFUND = "return_refund"
    REJECTED = "rejected"


class Outcome(enum.StrEnum):
    """How a closed dispute got there."""

    AGREED = "agreed"
    AUTO_ACCEPTED = "auto_accepted"
    DECIDED = "decided"
    REVIEW_OVERDUE = "review_overdue"
    REFUND_DUE = "refund_due"
    RETURN_NOT_SENT = "return_not_sent"


class OfferKind(enum.StrEnum):
    PARTIAL_REFUND = "partial_refund"
    REPLACEMENT = "replacement"
    RETURN_REFUND = "return_refund"


class DisputeLifecycle:
    """Columns of the disputes table that the lifecycle owns (mixed into Dispute)."""

    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Whose move it is until deadline_at; None when nobody has to act.
    waiting_on: Mapped[Role | None] = mapped_column(enum_column(Role))
    seller_did_not_respond: Mapped[bool] = mapped_column(default=False, server_default=false())
    seller_rejection_reason: Mapped[str | None] = mapped_column(Text)
    review_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[Resolution | None] = mapped_column(enum_column(Resolution))
    resolution_amount_minor: Mapped[int | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    appealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    appeal_reason: Mapped[str | None] = mapped_column(Text)
    return_tracking: Mapped[str | None] = mapped_column(String(100))


class Offer(db.Model):
    """An offer by the seller, or a buyer's counter-offer. Open until answered or lapsed."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    made_by: Mapped[Role] = mapped_column(enum_column(Role))
    kind: Mapped[OfferKind] = mapped_column(enum_column(OfferKind))
    amount_minor: Mapped[int | None]
    open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReviewerNote(db.Model):
    """Internal: reviewers only. Parties never see these."""

    __tablename__ = "reviewer_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship()


class InfoRequest(db.Model):
    """A reviewer's question to one party, and that party's answer (if any)."""

    __tablename__ = "info_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    party: Mapped[Role] = mapped_column(enum_column(Role))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
