"""Form classes: what each step accepts, and the message for each mistake."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from .models import Remedy
from .reasons import REASONS


class ChangeAwareForm(FlaskForm):
    # "check" when the buyer came from Check your answers, so Continue returns there.
    next = HiddenField()


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"), validators=[DataRequired(_l("Enter your email address"))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])


class ReasonForm(ChangeAwareForm):
    reason = RadioField(
        _l("What went wrong?"),
        choices=[SelectChoice(code, reason.label) for code, reason in REASONS.items()],
        validators=[InputRequired(_l("Select what went wrong"))],
    )


def description_form(min_chars: int, max_chars: int) -> type[ChangeAwareForm]:
    class DescriptionForm(ChangeAwareForm):
        description = TextAreaField(
            _l("What happened?"),
            filters=[lambda text: text.strip() if text else text],
            validators=[
                DataRequired(_l("Describe what happened")),
                Length(
                    min=min_chars,
                    max=max_chars,
                    message=_l(
                        "Description must be between %(min)d and %(max)d characters",
                        min=min_chars,
                        max=max_chars,
                    ),
                ),
            ],
        )

    return DescriptionForm


class RemedyForm(ChangeAwareForm):
    remedy = RadioField(
        _l("What do you want the seller to do?"),
        choices=[SelectChoice(remedy.value) for remedy in Remedy],
        validators=[InputRequired(_l("Select what you want the seller to do"))],
    )
    refund_amount = StringField(_l("How much do you want back?"))


class ReturnForm(ChangeAwareForm):
    will_return = RadioField(
        _l("Will you send the item back?"),
        choices=[SelectChoice("yes"), SelectChoice("no")],  # labels live in the template
        validators=[InputRequired(_l("Select whether you will send the item back"))],
    )


def caption_form(max_chars: int) -> type[FlaskForm]:
    class CaptionForm(FlaskForm):
        caption = StringField(
            _l("Caption"),
            filters=[lambda text: text.strip() if text else ""],
            validators=[
                Length(
                    max=max_chars,
                    message=_l("Caption must be %(max)d characters or fewer", max=max_chars),
                )
            ],
        )

    return CaptionForm


def error_list(form: FlaskForm) -> list[tuple[str, str]]:
    """(field id, first message) for each field with an error, in the form's order."""
    return [(field.id, str(field.errors[0])) for field in form if field.errors]


def parse_item_choice(order_items, selected_ids: list[str], quantities: dict[str, str]):
    """Which items, and how many of each, from the items step's checkboxes and boxes.

    Returns ({order item id: quantity}, [(field id, message)]).
    """
    chosen: dict[int, int] = {}
    errors: list[tuple[str, str]] = []
    for item in order_items:
        if str(item.id) not in selected_ids:
            continue
        text = quantities.get(str(item.id), "").strip() if item.quantity > 1 else "1"
        if text.isdigit() and 1 <= int(text) <= item.quantity:
            chosen[item.id] = int(text)
        else:
            message = _l(
                "Enter how many of “%(title)s” you are disputing, from 1 to %(most)d",
                title=item.title,
                most=item.quantity,
            )
            errors.append((f"quantity-{item.id}", str(message)))
    if not chosen and not errors and order_items:
        errors.append((f"item-{order_items[0].id}", str(_l("Select the items you are disputing"))))
    return chosen, errors
