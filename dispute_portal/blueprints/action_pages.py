"""Each action page's form, title and explanation (what the button will do)."""

from flask_babel import lazy_gettext as _l

from .. import action_forms as forms
from ..lifecycle import Action

A = Action
# action → (form, page title, what happens)
PAGES = {
    A.ACCEPT: (
        forms.ConfirmForm,
        _l("Accept the buyer's request"),
        _l("The dispute ends on the terms the buyer asked for."),
    ),
    A.OFFER: (
        forms.OfferForm,
        _l("Make an offer"),
        _l("The buyer has %(days)d days to answer. If they do not, a reviewer decides."),
    ),
    A.REJECT: (
        forms.RejectForm,
        _l("Reject the request"),
        _l(
            "The buyer can then ask a reviewer to decide. "
            "Your reason is shown to the buyer and the reviewer."
        ),
    ),
    A.ACCEPT_OFFER: (
        forms.ConfirmForm,
        _l("Accept the offer"),
        _l("The dispute ends on the terms of the offer."),
    ),
    A.DECLINE_OFFER: (
        forms.ConfirmForm,
        _l("Decline the offer"),
        _l("A reviewer will then decide the dispute."),
    ),
    A.COUNTER: (
        forms.CounterForm,
        _l("Make a counter-offer"),
        _l("The seller has %(days)d days to answer. If they do not, a reviewer decides."),
    ),
    A.ESCALATE: (
        forms.ConfirmForm,
        _l("Ask a reviewer to decide"),
        _l("A reviewer reads what both sides sent and decides."),
    ),
    A.WITHDRAW: (
        forms.ConfirmForm,
        _l("Withdraw your dispute"),
        _l("The dispute ends and nothing more happens. You cannot undo this."),
    ),
    A.NOTE: (
        forms.NoteForm,
        _l("Add an internal note"),
        _l("Only reviewers can read internal notes."),
    ),
    A.REQUEST_INFO: (
        forms.RequestInfoForm,
        _l("Ask for more information"),
        _l("They have %(days)d days to reply. Then you decide on what you have."),
    ),
    A.REPLY: (forms.ReplyForm, _l("Answer the reviewer's question"), None),
    A.DECIDE: (
        forms.DecideForm,
        _l("Decide the dispute"),
        _l("Both parties will read your decision and its reason."),
    ),
    A.ADD_TRACKING: (
        forms.TrackingForm,
        _l("Send the item back"),
        _l(
            "Send the item back to the seller and enter the tracking reference "
            "the courier gave you."
        ),
    ),
    A.CONFIRM_RETURN: (
        forms.ConfirmForm,
        _l("Confirm the return arrived"),
        _l("The refund is then due to the buyer."),
    ),
    A.APPEAL: (
        forms.AppealForm,
        _l("Appeal the outcome"),
        _l("A reviewer looks at the dispute again. You can appeal only once."),
    ),
}
DAYS = {
    A.OFFER: "OFFER_LAPSE_DAYS",
    A.COUNTER: "OFFER_LAPSE_DAYS",
    A.REQUEST_INFO: "INFO_REPLY_DAYS",
}
