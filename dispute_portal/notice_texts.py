"""What each kind of notice says, in the reader's language (the app list and emails)."""

from flask_babel import lazy_gettext as _l

from .models import Notification

TEXTS = {
    "new_dispute": _l("A buyer opened a dispute on order %(order)s. Please respond to it."),
    "offer": _l("There is a new offer for you to answer."),
    "reject": _l("The seller rejected your request. You can ask a reviewer to decide."),
    "request_info": _l("A reviewer asked you a question. Please answer it."),
    "decide": _l("A reviewer decided the dispute."),
    "accept": _l("The seller accepted the buyer's request."),
    "accept_offer": _l("The offer was accepted: the dispute is settled."),
    "under_review": _l("A reviewer will now decide the dispute."),
    "return_send": _l("Send the item back and enter the tracking reference."),
    "return_confirm": _l("The item is on its way back. Confirm when it arrives."),
    "closed": _l("The dispute is closed."),
    "message": _l("There is a new message in the dispute."),
    "reminder": _l("Reminder: this dispute needs you to act by %(date)s."),
}


def text_of(notice: Notification, deadline: str) -> str:
    return str(TEXTS[notice.kind]) % {
        "order": notice.dispute.order.order_number,
        "date": deadline,
    }
