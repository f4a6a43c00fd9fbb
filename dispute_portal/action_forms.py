"""The forms of the pages where a party acts on a submitted dispute."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice


def _strip(text):
    return text.strip() if text else text


class ConfirmForm(FlaskForm):
    """Just the button: the page says what will happen."""


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Why do you reject the request?"), filters=[_strip])


class OfferForm(FlaskForm):
    kind = RadioField(
        _l("What do you offer?"),
        choices=[
            SelectChoice("partial_refund", _l("A partial refund")),
            SelectChoice("replacement", _l("A replacement")),
            SelectChoice("return_refund", _l("A full refund once the item is sent back")),
        ],
        validate_choice=False,
    )
    amount = StringField(_l("Amount of the partial refund"))


class CounterForm(FlaskForm):
    amount = StringField(_l("How much would you accept?"))


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Internal note"), filters=[_strip])


class RequestInfoForm(FlaskForm):
    party = RadioField(
        _l("Who do you want to ask?"),
        choices=[SelectChoice("buyer", _l("The buyer")), SelectChoice("seller", _l("The seller"))],
        validate_choice=False,
    )
    question = TextAreaField(_l("Your question"), filters=[_strip])


class ReplyForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"), filters=[_strip])


class DecideForm(FlaskForm):
    decision = RadioField(
        _l("Your decision"),
        choices=[
            SelectChoice("full_refund", _l("A full refund")),
            SelectChoice("partial_refund", _l("A partial refund")),
            SelectChoice("replacement", _l("A replacement")),
            SelectChoice("rejected", _l("Reject the buyer's request")),
        ],
        validate_choice=False,
    )
    amount = StringField(_l("Amount of the partial refund"))
    reason = TextAreaField(_l("Reason for your decision"), filters=[_strip])


class TrackingForm(FlaskForm):
    tracking = StringField(_l("Tracking reference of the return"), filters=[_strip])


class AppealForm(FlaskForm):
    reason = TextAreaField(_l("Why do you appeal?"), filters=[_strip])


class MessageForm(FlaskForm):
    """A message in the dispute's thread; its photos come from request.files."""

    body = TextAreaField(_l("Your message"), filters=[_strip])
