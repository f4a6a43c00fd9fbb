"""A dispute, the items it covers, its photo evidence and its append-only event log."""

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .conversation import Message
from .lifecycle import DisputeLifecycle, InfoRequest, Offer, ReviewerNote
from .orders import Order, OrderItem
from .types import UTCDateTime, enum_column, utcnow
from .users import User

# No 0/O, 1/I/L, U: a reference a buyer reads out on the phone must not be misheard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str = "D") -> str:
    """A random, non-guessable public id such as D-7KQ4M-2XHRP (about 49 bits)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
    return f"{prefix}-{chars[:5]}-{chars[5:]}"


class DisputeState(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_SELLER = "awaiting_seller"
    NEGOTIATING = "negotiating"
    UNDER_REVIEW = "under_review"
    NEEDS_INFO = "needs_info"
    RESOLVED = "resolved"
    AWAITING_RETURN = "awaiting_return"
    RETURN_IN_TRANSIT = "return_in_transit"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


FINISHED_STATES = (DisputeState.CLOSED, DisputeState.WITHDRAWN)


class Remedy(enum.StrEnum):
    FULL_REFUND = "full_refund"
    PARTIAL_REFUND = "partial_refund"
    REPLACEMENT = "replacement"


class Dispute(DisputeLifecycle, db.Model):
    __tablename__ = "disputes"
    # The work queues: open disputes by deadline, finished reviewed ones by last change.
    # Each holds every column its queue filters on, so a page of the queue is chosen from
    # the index alone and only the rows shown are read from the table.
    __table_args__ = (
        Index("ix_disputes_queue", "state", "deadline_at", "review_started_at"),
        Index(
            "ix_disputes_reviewed_by_change",
            "updated_at",
            "state",
            sqlite_where=text("review_started_at IS NOT NULL"),
            postgresql_where=text("review_started_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True, default=new_reference)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[DisputeState] = mapped_column(
        enum_column(DisputeState), default=DisputeState.DRAFT
    )
    reason: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    remedy: Mapped[Remedy | None] = mapped_column(enum_column(Remedy))
    refund_amount_minor: Mapped[int | None]
    will_return_item: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seller_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    order: Mapped[Order] = relationship()
    buyer: Mapped[User] = relationship()
    items: Mapped[list["DisputeItem"]] = relationship(
        back_populates="dispute", cascade="all, delete-orphan", order_by="DisputeItem.order_item_id"
    )
    # The buyer's evidence from the form; photos posted with messages belong to those.
    photos: Mapped[list["EvidencePhoto"]] = relationship(
        back_populates="dispute",
        order_by="EvidencePhoto.id",
        primaryjoin="and_(Dispute.id == EvidencePhoto.dispute_id, "
        "EvidencePhoto.message_id.is_(None))",
    )
    messages: Mapped[list[Message]] = relationship(order_by=Message.id)
    events: Mapped[list["DisputeEvent"]] = relationship(order_by="DisputeEvent.id")
    offers: Mapped[list[Offer]] = relationship(order_by=Offer.id)
    notes: Mapped[list[ReviewerNote]] = relationship(order_by=ReviewerNote.id)
    info_requests: Mapped[list[InfoRequest]] = relationship(order_by=InfoRequest.id)

    @property
    def is_draft(self) -> bool:
        return self.state == DisputeState.DRAFT

    @property
    def open_offer(self) -> Offer | None:
        return next((offer for offer in self.offers if offer.open), None)

    @property
    def open_info_request(self) -> InfoRequest | None:
        return next((r for r in self.info_requests if r.answered_at is None), None)

    @property
    def claimed_minor(self) -> int:
        """What was paid for the chosen items: the most a refund can be."""
        return sum(item.quantity * item.order_item.unit_price_minor for item in self.items)


class DisputeItem(db.Model):
    __tablename__ = "dispute_items"
    __table_args__ = (UniqueConstraint("dispute_id", "order_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), index=True)
    quantity: Mapped[int]

    dispute: Mapped[Dispute] = relationship(back_populates="items")
    order_item: Mapped[OrderItem] = relationship()


class EvidencePhoto(db.Model):
    __tablename__ = "evidence_photos"
    __table_args__ = (UniqueConstraint("dispute_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Set for a photo posted with a message: part of the record, never changed or removed.
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    caption: Mapped[str] = mapped_column(String(200), default="")
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    quality_warnings: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    dispute: Mapped[Dispute] = relationship(back_populates="photos")

    @property
    def thumbnail_size(self) -> tuple[int, int]:
        """The thumbnail's size (long edge 320 px), for width/height on <img>."""
        scale = min(1.0, 320 / max(self.width, self.height))
        return round(self.width * scale), round(self.height * scale)

    @property
    def warnings(self) -> list[str]:
        """Quality hints, stored in English and shown in the reader's language."""
        return [_l(hint) for hint in self.quality_warnings.split("\n") if hint]


class DisputeEvent(db.Model):
    """Who did what, when, from which state to which. Rows are only ever added."""

    __tablename__ = "dispute_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship()


@event.listens_for(DisputeEvent, "before_update")
@event.listens_for(DisputeEvent, "before_delete")
def _refuse_rewriting_history(_mapper, _connection, target: DisputeEvent) -> None:
    raise PermissionError(f"dispute events are append-only (event {target.id})")
