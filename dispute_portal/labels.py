"""How lifecycle values read on a page, in the reader's language."""

from flask_babel import lazy_gettext as _l

from .models import OfferKind, Outcome, Resolution, Role

TERMS = {
    Resolution.FULL_REFUND: _l("A full refund of %(amount)s"),
    Resolution.PARTIAL_REFUND: _l("A partial refund of %(amount)s"),
    Resolution.REPLACEMENT: _l("A replacement"),
    Resolution.RETURN_REFUND: _l("A refund of %(amount)s once the item is sent back"),
    Resolution.REJECTED: _l("The request was rejected"),
}
OFFERS = {
    OfferKind.PARTIAL_REFUND: TERMS[Resolution.PARTIAL_REFUND],
    OfferKind.REPLACEMENT: TERMS[Resolution.REPLACEMENT],
    OfferKind.RETURN_REFUND: TERMS[Resolution.RETURN_REFUND],
}
OUTCOMES = {
    Outcome.AGREED: _l("Agreed between buyer and seller"),
    Outcome.AUTO_ACCEPTED: _l("Accepted automatically: the seller did not respond in time"),
    Outcome.DECIDED: _l("Decided by a reviewer"),
    Outcome.REVIEW_OVERDUE: _l("Granted to the buyer: the review took too long"),
    Outcome.REFUND_DUE: _l("The item went back: the refund is due"),
    Outcome.RETURN_NOT_SENT: _l("Closed for the seller: the item was not sent back in time"),
}
PARTIES = {
    Role.BUYER: _l("the buyer"),
    Role.SELLER: _l("the seller"),
    Role.REVIEWER: _l("a reviewer"),
    None: _l("the system"),
}
ACTIONS = {
    "draft_started": _l("Draft started"),
    "submit": _l("Submitted"),
    "accept": _l("Request accepted"),
    "offer": _l("Offer made"),
    "reject": _l("Request rejected"),
    "accept_offer": _l("Offer accepted"),
    "decline_offer": _l("Offer declined"),
    "counter": _l("Counter-offer made"),
    "escalate": _l("Sent to a reviewer"),
    "withdraw": _l("Withdrawn"),
    "request_info": _l("More information requested"),
    "reply": _l("Question answered"),
    "decide": _l("Decided"),
    "add_tracking": _l("Return sent"),
    "confirm_return": _l("Return received"),
    "appeal": _l("Appealed"),
    "timeout": _l("Deadline passed"),
}


def terms(kind, amount: str) -> str:
    labels = OFFERS if isinstance(kind, OfferKind) else TERMS
    return str(labels[kind]) % {"amount": amount}
