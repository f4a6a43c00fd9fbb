"""Who may open a dispute on which order, and which items are still free to dispute."""

from datetime import datetime, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .extensions import db
from .models import FINISHED_STATES, Dispute, DisputeItem, DisputeState, Order


def dispute_window_closes(order: Order, window_days: int) -> datetime | None:
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=window_days)


def items_in_open_disputes(order: Order) -> set[int]:
    """Ids of this order's items that a submitted, unfinished dispute already covers."""
    rows = db.session.scalars(
        select(DisputeItem.order_item_id)
        .join(Dispute)
        .where(
            Dispute.order_id == order.id,
            Dispute.state.not_in([DisputeState.DRAFT, *FINISHED_STATES]),
        )
    )
    return set(rows)


def refusal_to_open(order: Order, now: datetime, window_days: int) -> str | None:
    """Why this order cannot have a new dispute now, or None when it can."""
    closes = dispute_window_closes(order, window_days)
    if closes is None:
        return _l(
            "This order has not been delivered yet. "
            "You can open a dispute once it has been delivered."
        )
    if now > closes:
        return _l(
            "You can no longer open a dispute about this order. Disputes must be opened "
            "within %(days)d days of delivery, and that time ended on %(date)s.",
            days=window_days,
            date=format_date(closes, "long"),
        )
    if {item.id for item in order.items} <= items_in_open_disputes(order):
        return _l("Every item in this order is already part of an open dispute.")
    return None
