"""Where a dispute changes state: one table of who may do what, and one function to do it.

Every change, whether a person's or a timer's, goes through ``perform``: it takes the
write lock, re-reads the dispute, refuses anything the table does not allow, lets the
action's rule (outcomes.py, decisions.py) decide the new state, sets the new deadline
(deadlines.py), appends one DisputeEvent and tells the people it concerns
(notifications.py).
"""

import enum
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from . import notifications
from .database import begin_write
from .deadlines import schedule
from .extensions import db
from .models import Dispute, DisputeEvent, DisputeState, Role, User


class Action(enum.StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"  # the seller accepts what the buyer asked for
    OFFER = "offer"
    REJECT = "reject"
    ACCEPT_OFFER = "accept_offer"
    DECLINE_OFFER = "decline_offer"
    COUNTER = "counter"
    ESCALATE = "escalate"
    WITHDRAW = "withdraw"
    NOTE = "note"
    REQUEST_INFO = "request_info"
    REPLY = "reply"
    DECIDE = "decide"
    ADD_TRACKING = "add_tracking"
    CONFIRM_RETURN = "confirm_return"
    APPEAL = "appeal"
    TIMEOUT = "timeout"  # a deadline passed


SYSTEM = "system"  # the timers: never a person, never a form
S, A = DisputeState, Action
BUYER, SELLER, REVIEWER = Role.BUYER, Role.SELLER, Role.REVIEWER

# (state, who) → what they may do. Anything else is refused, whatever a form posts.
ALLOWED: dict[tuple[DisputeState, str], frozenset[Action]] = {
    (S.DRAFT, BUYER): frozenset({A.SUBMIT}),
    (S.AWAITING_SELLER, SELLER): frozenset({A.ACCEPT, A.OFFER, A.REJECT}),
    (S.AWAITING_SELLER, BUYER): frozenset({A.WITHDRAW}),
    (S.AWAITING_SELLER, SYSTEM): frozenset({A.TIMEOUT}),
    (S.NEGOTIATING, BUYER): frozenset(
        {A.ACCEPT_OFFER, A.DECLINE_OFFER, A.COUNTER, A.ESCALATE, A.WITHDRAW}
    ),
    (S.NEGOTIATING, SELLER): frozenset({A.ACCEPT_OFFER, A.DECLINE_OFFER, A.OFFER, A.ESCALATE}),
    (S.NEGOTIATING, SYSTEM): frozenset({A.TIMEOUT}),
    (S.UNDER_REVIEW, REVIEWER): frozenset({A.NOTE, A.REQUEST_INFO, A.DECIDE}),
    (S.UNDER_REVIEW, BUYER): frozenset({A.WITHDRAW}),
    (S.UNDER_REVIEW, SYSTEM): frozenset({A.TIMEOUT}),
    (S.NEEDS_INFO, BUYER): frozenset({A.REPLY, A.WITHDRAW}),
    (S.NEEDS_INFO, SELLER): frozenset({A.REPLY}),
    (S.NEEDS_INFO, REVIEWER): frozenset({A.NOTE}),
    (S.NEEDS_INFO, SYSTEM): frozenset({A.TIMEOUT}),
    (S.AWAITING_RETURN, BUYER): frozenset({A.ADD_TRACKING, A.WITHDRAW}),
    (S.AWAITING_RETURN, SYSTEM): frozenset({A.TIMEOUT}),
    (S.RETURN_IN_TRANSIT, SELLER): frozenset({A.CONFIRM_RETURN}),
    (S.RETURN_IN_TRANSIT, BUYER): frozenset({A.WITHDRAW}),
    (S.RETURN_IN_TRANSIT, SYSTEM): frozenset({A.TIMEOUT}),
    (S.CLOSED, BUYER): frozenset({A.APPEAL}),
    (S.CLOSED, SELLER): frozenset({A.APPEAL}),
}
# "resolved" is never a resting state: an agreement or a decision closes the dispute, or
# first waits for the item to come back (awaiting_return).
NOT_ALLOWED = _l(
    "You cannot do that to this dispute now. It may have changed since you opened the page."
)


class Refused(Exception):
    """An action the user cannot take; the message is shown to them."""

    def __init__(self, message, field: str | None = None, not_allowed: bool = False):
        super().__init__(str(message))
        self.message, self.field, self.not_allowed = message, field, not_allowed


@dataclass
class Context:
    dispute: Dispute
    role: str
    actor: User | None
    now: datetime
    config: dict


def allowed(state: DisputeState, role: str) -> frozenset[Action]:
    return ALLOWED.get((state, role), frozenset())


def perform(dispute: Dispute, actor: User | None, action: Action, now, config, **inputs):
    """Do `action` as `actor` (None: the timers). Raises Refused; returns the event."""
    from .decisions import RULES  # the rules need Refused and Context from here

    action, role = Action(action), (actor.role if actor is not None else SYSTEM)
    begin_write()
    db.session.refresh(dispute)
    try:
        if action not in allowed(dispute.state, role):
            raise Refused(NOT_ALLOWED, not_allowed=True)
        context = Context(dispute, role, actor, now, config)
        to_state, detail = RULES[action](context, **inputs)
        event = _move(context, action, to_state, detail)
        notices = notifications.for_event(dispute, event)
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    notifications.send_emails(notices)  # after the commit: a mail server never blocks it
    return event


def _move(c: Context, action: Action, to_state: DisputeState, detail: str) -> DisputeEvent:
    dispute, from_state = c.dispute, c.dispute.state
    if to_state == S.UNDER_REVIEW and from_state not in (S.UNDER_REVIEW, S.NEEDS_INFO):
        dispute.review_started_at = c.now  # a (new) review starts: reviewers see it now
    if to_state == S.CLOSED:
        dispute.closed_at = c.now
    dispute.state = to_state
    schedule(dispute, c.now, c.config)
    event = DisputeEvent(
        dispute_id=dispute.id,
        actor_id=c.actor.id if c.actor else None,
        action=action.value,
        from_state=from_state.value,
        to_state=to_state.value,
        detail=detail,
        created_at=c.now,
    )
    db.session.add(event)
    return event
