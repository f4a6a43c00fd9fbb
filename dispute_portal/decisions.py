"""The reviewer's decision, returns, appeals and timers; and every action's rule by name."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from . import outcomes as o
from .deadlines import timer_due_at
from .lifecycle import Action, Context, Refused
from .models import DisputeState, Outcome, Resolution

S = DisputeState
DECISIONS = (
    Resolution.FULL_REFUND,
    Resolution.PARTIAL_REFUND,
    Resolution.REPLACEMENT,
    Resolution.REJECTED,
)


def decide(c: Context, decision: str | None = None, amount=None, reason: str | None = None):
    if decision not in set(DECISIONS):
        raise Refused(_l("Select your decision"), "decision")
    decision = Resolution(decision)
    if decision == Resolution.PARTIAL_REFUND:
        amount = o.checked_amount(c, amount)
    else:
        amount = c.dispute.claimed_minor if decision == Resolution.FULL_REFUND else None
    c.dispute.decision_reason = o.required_text(
        reason, "reason", _l("Write the reason for your decision: both parties will read it")
    )
    return o.resolve(c, (decision, amount), Outcome.DECIDED)


def add_tracking(c: Context, tracking: str | None = None):
    c.dispute.return_tracking = o.required_text(
        tracking, "tracking", _l("Enter the tracking reference of the return"), most=100
    )
    return S.RETURN_IN_TRANSIT, ""


def confirm_return(c: Context):
    c.dispute.outcome = Outcome.REFUND_DUE
    return S.CLOSED, ""


def appeal(c: Context, reason: str | None = None):
    d = c.dispute
    if d.appealed_at is not None:
        raise Refused(_l("This dispute has been appealed already. It can be appealed only once."))
    if c.now > d.closed_at + timedelta(days=c.config["APPEAL_DAYS"]):
        raise Refused(_l("The time to appeal has ended."))
    d.appeal_reason = o.required_text(reason, "reason", _l("Say why you appeal"))
    d.appealed_at = c.now
    return S.UNDER_REVIEW, c.role


def timeout(c: Context):
    """A deadline passed. Nothing here ever closes a dispute against the buyer unheard."""
    d = c.dispute
    due = timer_due_at(d, c.config)
    if due is None or c.now < due:
        raise Refused(_l("Nothing is due yet."), not_allowed=True)
    match d.state:
        case S.AWAITING_SELLER:
            ceiling = c.config["AUTO_ACCEPT_UP_TO_MINOR"]
            terms = o.buyer_request(c)
            if ceiling is not None and (terms[1] or d.claimed_minor) <= ceiling:
                return o.resolve(c, terms, Outcome.AUTO_ACCEPTED)
            d.seller_did_not_respond = True
            return S.UNDER_REVIEW, "seller did not respond"
        case S.NEGOTIATING:
            lapsed = o.close_offer(c)
            return S.UNDER_REVIEW, "offer lapsed" if lapsed else "escalated automatically"
        case S.UNDER_REVIEW:
            return o.resolve(c, o.buyer_request(c), Outcome.REVIEW_OVERDUE)
        case S.NEEDS_INFO:
            d.open_info_request.answered_at = c.now  # unanswered: decide on what is on file
            return S.UNDER_REVIEW, "no reply"
        case S.AWAITING_RETURN:
            d.outcome = Outcome.RETURN_NOT_SENT
            return S.CLOSED, ""
    d.outcome = Outcome.REFUND_DUE  # return_in_transit: the seller did not confirm
    return S.CLOSED, ""


RULES = {
    Action.SUBMIT: o.submit,
    Action.ACCEPT: o.accept,
    Action.OFFER: o.offer,
    Action.REJECT: o.reject,
    Action.ACCEPT_OFFER: o.accept_offer,
    Action.DECLINE_OFFER: o.decline_offer,
    Action.COUNTER: o.counter,
    Action.ESCALATE: o.escalate,
    Action.WITHDRAW: o.withdraw,
    Action.NOTE: o.note,
    Action.REQUEST_INFO: o.request_info,
    Action.REPLY: o.reply,
    Action.DECIDE: decide,
    Action.ADD_TRACKING: add_tracking,
    Action.CONFIRM_RETURN: confirm_return,
    Action.APPEAL: appeal,
    Action.TIMEOUT: timeout,
}
