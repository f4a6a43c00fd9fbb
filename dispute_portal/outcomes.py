"""What each action does to a dispute, and which state it leads to (see lifecycle.ALLOWED).

Each rule takes the lifecycle Context and the action's inputs, checks what only the
current data can tell (whose turn, which day, which amount), changes the dispute and
returns (new state, event detail). A user's mistake is a Refused with a message.
"""

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from .lifecycle import Context, Refused
from .models import DisputeState, InfoRequest, Offer, OfferKind, Outcome, Remedy, Resolution, Role
from .models import ReviewerNote as Note

S = DisputeState
NOT_YOUR_TURN = _l("It is not your turn: the other party has your offer to answer.")
NO_OFFER = _l("There is no offer for you to answer.")


def required_text(text: str | None, field: str, message, most: int = 5000) -> str:
    text = (text or "").strip()
    if not text:
        raise Refused(message, field)
    if len(text) > most:
        raise Refused(_l("Write no more than %(most)d characters", most=most), field)
    return text


def checked_amount(c: Context, amount: int | None, field: str = "amount") -> int:
    if amount is None or not 0 < amount <= c.dispute.claimed_minor:
        raise Refused(_l("Enter an amount more than zero and no more than what was paid"), field)
    return amount


def buyer_request(c: Context) -> tuple[Resolution, int | None]:
    d = c.dispute
    if d.remedy == Remedy.PARTIAL_REFUND:
        return Resolution.PARTIAL_REFUND, d.refund_amount_minor
    if d.remedy == Remedy.REPLACEMENT:
        return Resolution.REPLACEMENT, None
    return Resolution.FULL_REFUND, d.claimed_minor


def resolve(c: Context, terms: tuple[Resolution, int | None], outcome: Outcome):
    """Record the terms; the item comes back first when they need a return."""
    d = c.dispute
    d.resolution, d.resolution_amount_minor = terms
    d.outcome = outcome
    keeps_item = terms[0] in (Resolution.PARTIAL_REFUND, Resolution.REJECTED)
    returns = terms[0] == Resolution.RETURN_REFUND or (d.will_return_item and not keeps_item)
    to_state = S.AWAITING_RETURN if returns else S.CLOSED
    return to_state, f"{terms[0].value} {terms[1] or ''}".strip()


def close_offer(c: Context) -> Offer | None:
    offer = c.dispute.open_offer
    if offer is not None:
        offer.open = False
    return offer


def offer_to_answer(c: Context) -> Offer:
    offer = c.dispute.open_offer
    if offer is None or offer.made_by == c.role:
        raise Refused(NO_OFFER)
    offer.open = False
    return offer


def submit(c: Context, check):
    problem = check(c.dispute)
    if problem is not None:
        raise problem
    c.dispute.submitted_at = c.now
    return S.AWAITING_SELLER, ""


def accept(c: Context):
    return resolve(c, buyer_request(c), Outcome.AGREED)


def offer(c: Context, kind: str | None = None, amount: int | None = None):
    if c.dispute.state == S.NEGOTIATING and c.dispute.waiting_on != Role.SELLER:
        raise Refused(NOT_YOUR_TURN)
    if kind not in set(OfferKind):
        raise Refused(_l("Select what you offer"), "kind")
    kind = OfferKind(kind)
    if kind == OfferKind.PARTIAL_REFUND:
        amount = checked_amount(c, amount)
    else:
        amount = c.dispute.claimed_minor if kind == OfferKind.RETURN_REFUND else None
    close_offer(c)
    c.dispute.offers.append(_new_offer(c, kind, amount))
    return S.NEGOTIATING, f"{kind.value} {amount or ''}".strip()


def _new_offer(c: Context, kind: OfferKind, amount: int | None) -> Offer:
    lapses = c.now + timedelta(days=c.config["OFFER_LAPSE_DAYS"])
    return Offer(
        made_by=c.role,
        kind=kind,
        amount_minor=amount,
        open=True,
        created_at=c.now,
        expires_at=lapses,
    )


def reject(c: Context, reason: str | None = None):
    c.dispute.seller_rejection_reason = required_text(
        reason, "reason", _l("Say why you reject the request")
    )
    return S.NEGOTIATING, ""


def accept_offer(c: Context):
    answered = offer_to_answer(c)
    kind = Resolution(answered.kind.value)
    return resolve(c, (kind, answered.amount_minor), Outcome.AGREED)


def decline_offer(c: Context):
    offer_to_answer(c)
    return S.UNDER_REVIEW, "offer declined"


def counter(c: Context, amount: int | None = None):
    if c.dispute.waiting_on != Role.BUYER:
        raise Refused(NOT_YOUR_TURN)
    amount = checked_amount(c, amount)
    close_offer(c)
    c.dispute.offers.append(_new_offer(c, OfferKind.PARTIAL_REFUND, amount))
    return S.NEGOTIATING, str(amount)


def escalate(c: Context):
    d = c.dispute
    from_day = d.submitted_at + timedelta(days=c.config["ESCALATE_FROM_DAYS"])
    rejected = c.role == Role.BUYER and d.seller_rejection_reason
    if c.now < from_day and not rejected:
        days = c.config["ESCALATE_FROM_DAYS"]
        raise Refused(_l("You can ask for a review from day %(day)d after submission", day=days))
    close_offer(c)
    return S.UNDER_REVIEW, ""


def withdraw(c: Context):
    close_offer(c)
    return S.WITHDRAWN, ""


def note(c: Context, text: str | None = None):
    text = required_text(text, "text", _l("Write the note"))
    c.dispute.notes.append(Note(author_id=c.actor.id, text=text, created_at=c.now))
    return c.dispute.state, ""  # the note's text stays out of the event log


def request_info(c: Context, party: str | None = None, question: str | None = None):
    if party not in (Role.BUYER, Role.SELLER):
        raise Refused(_l("Select who you are asking"), "party")
    question = required_text(question, "question", _l("Write your question"))
    c.dispute.info_requests.append(
        InfoRequest(party=Role(party), question=question, asked_at=c.now)
    )
    return S.NEEDS_INFO, party


def reply(c: Context, answer: str | None = None):
    request = c.dispute.open_info_request
    if request is None or request.party != c.role:
        raise Refused(_l("The reviewer has not asked you anything."))
    request.answer = required_text(answer, "answer", _l("Write your answer"))
    request.answered_at = c.now
    return S.UNDER_REVIEW, ""
