"""Turning a finished draft into a dispute the seller must answer (via lifecycle.py)."""

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from .drafts import first_unanswered
from .eligibility import items_in_open_disputes, refusal_to_open
from .lifecycle import Action, Refused, perform
from .models import Dispute, User


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

    The lifecycle re-reads the state under the write lock, so two submits racing each
    other create exactly one dispute and one event.
    """
    config = {**current_app.config, "SELLER_RESPONSE_DAYS": response_days}
    try:
        perform(
            dispute,
            buyer,
            Action.SUBMIT,
            now,
            config,
            check=lambda draft: _why_not_submittable(draft, now, window_days),
        )
    except Refused as refused:
        if refused.not_allowed:
            return False
        raise
    return True
