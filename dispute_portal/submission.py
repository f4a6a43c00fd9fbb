"""Turning a finished draft into a dispute the seller must answer."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from .database import begin_write
from .drafts import first_unanswered
from .eligibility import items_in_open_disputes, refusal_to_open
from .extensions import db
from .models import Dispute, DisputeEvent, DisputeState, User


class SubmissionRefused(Exception):
    def __init__(self, message: str, step: str | None = None):
        super().__init__(message)
        self.message = message
        self.step = step


def _why_not_submittable(
    dispute: Dispute, now: datetime, window_days: int
) -> SubmissionRefused | None:
    missing = first_unanswered(dispute)
    if missing:
        return SubmissionRefused(_l("You need to answer this question before you submit"), missing)
    chosen = {item.order_item_id for item in dispute.items}
    if chosen & items_in_open_disputes(dispute.order):
        return SubmissionRefused(
            _l("An item you chose is already part of another open dispute. Change the items."),
            "items",
        )
    refusal = refusal_to_open(dispute.order, now, window_days)
    return SubmissionRefused(refusal) if refusal else None


def submit_dispute(
    dispute: Dispute, buyer: User, now: datetime, window_days: int, response_days: int
) -> bool:
    """Submit the draft. Returns False when it was already submitted (a double click).

    The state is re-read under the write lock, so two submits racing each other
    create exactly one dispute and one event.
    """
    begin_write()
    db.session.refresh(dispute)
    if dispute.state != DisputeState.DRAFT:
        db.session.rollback()
        return False
    problem = _why_not_submittable(dispute, now, window_days)
    if problem is not None:
        db.session.rollback()
        raise problem
    dispute.state = DisputeState.AWAITING_SELLER
    dispute.submitted_at = now
    dispute.seller_response_due_at = now + timedelta(days=response_days)
    db.session.add(
        DisputeEvent(
            dispute_id=dispute.id,
            actor_id=buyer.id,
            action="submitted",
            from_state=DisputeState.DRAFT.value,
            to_state=DisputeState.AWAITING_SELLER.value,
            created_at=now,
        )
    )
    db.session.commit()
    return True
