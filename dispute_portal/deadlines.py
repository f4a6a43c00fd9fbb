"""Each waiting state's deadline and who owns the wait, and how a deadline reads."""

from datetime import datetime, timedelta

from flask_babel import format_timedelta

from .models import Dispute, DisputeState, Role

S = DisputeState


def schedule(dispute: Dispute, now: datetime, config) -> None:
    """Set deadline_at and waiting_on for the state the dispute has just entered."""
    days = lambda key: timedelta(days=config[key])  # noqa: E731
    due, owner = None, None
    match dispute.state:
        case S.AWAITING_SELLER:
            due, owner = now + days("SELLER_RESPONSE_DAYS"), Role.SELLER
            dispute.seller_response_due_at = due
        case S.NEGOTIATING:
            due = dispute.submitted_at + days("AUTO_ESCALATE_DAYS")
            offer = dispute.open_offer
            owner = Role.BUYER
            if offer is not None:
                due = min(due, offer.expires_at)
                owner = Role.SELLER if offer.made_by == Role.BUYER else Role.BUYER
        case S.UNDER_REVIEW:
            due, owner = dispute.review_started_at + days("REVIEW_TARGET_DAYS"), Role.REVIEWER
        case S.NEEDS_INFO:
            due, owner = now + days("INFO_REPLY_DAYS"), dispute.open_info_request.party
        case S.AWAITING_RETURN:
            due, owner = now + days("RETURN_SHIP_DAYS"), Role.BUYER
        case S.RETURN_IN_TRANSIT:
            due, owner = now + days("RETURN_CONFIRM_DAYS"), Role.SELLER
        case S.CLOSED if dispute.appealed_at is None:
            due = dispute.closed_at + days("APPEAL_DAYS")  # the appeal window; no one waits
    dispute.deadline_at, dispute.waiting_on = due, owner


def timer_due_at(dispute: Dispute, config) -> datetime | None:
    """When the system acts if nobody does; None in states without a timer."""
    if dispute.state == S.UNDER_REVIEW:
        return dispute.review_started_at + timedelta(days=config["REVIEW_FAILSAFE_DAYS"])
    if dispute.state in TIMED_STATES:
        return dispute.deadline_at
    return None


TIMED_STATES = (
    S.AWAITING_SELLER,
    S.NEGOTIATING,
    S.UNDER_REVIEW,
    S.NEEDS_INFO,
    S.AWAITING_RETURN,
    S.RETURN_IN_TRANSIT,
)


def relative(when: datetime | None, now: datetime) -> str:
    """ "in 2 days", "3 hours ago", in the reader's language."""
    if when is None:
        return ""
    return format_timedelta(when - now, add_direction=True)
