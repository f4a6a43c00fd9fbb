"""The dispute questions, one per page, then Check your answers and Submit."""

from flask import Blueprint, current_app, redirect, render_template, request
from flask_babel import gettext as _

from ..auth import role_required
from ..drafts import is_answered, save_answers, save_items, step_after
from ..eligibility import items_in_open_disputes
from ..forms import (
    ReasonForm,
    RemedyForm,
    ReturnForm,
    description_form,
    error_list,
    parse_item_choice,
)
from ..i18n import money
from ..models import Remedy, Role
from ..money import AmountError, parse_amount, to_major
from ..reasons import REASON_GROUPS
from .loaders import back_url, own_draft, step_url

bp = Blueprint("dispute_form", __name__, url_prefix="/disputes/<reference>")


def _changing() -> bool:
    return (request.form.get("next") or request.args.get("next")) == "check"


def _form(form_class, **saved):
    """On GET the form shows saved answers; on POST, exactly what was sent."""
    if request.method == "POST":
        return form_class()
    return form_class(data={**saved, "next": request.args.get("next", "")})


def _continue(dispute, step: str):
    changing = _changing()
    return redirect(step_url(dispute, step_after(dispute, step, changing), changing))


def _render_step(step: str, dispute, errors, **context):
    return render_template(
        f"dispute_form/{step}.html",
        dispute=dispute,
        errors=errors,
        back_url=back_url(dispute, step, _changing()),
        changing=_changing(),
        **context,
    ), (422 if errors else 200)


@bp.route("/items", methods=["GET", "POST"])
@role_required(Role.BUYER)
def items(reference: str):
    """Which items, and how many of each, the dispute is about."""
    dispute, done = own_draft(reference)
    if done:
        return done
    taken = items_in_open_disputes(dispute.order)
    free_items = [item for item in dispute.order.items if item.id not in taken]
    chosen = {i.order_item_id: i.quantity for i in dispute.items}
    errors = []
    if request.method == "POST":
        quantities = {k.removeprefix("quantity-"): v for k, v in request.form.items()}
        chosen, errors = parse_item_choice(free_items, request.form.getlist("item"), quantities)
        if not errors:
            save_items(dispute, chosen)
            return _continue(dispute, "items")
    return _render_step(
        "items",
        dispute,
        errors,
        free_items=free_items,
        taken=taken,
        chosen=chosen,
        sent=request.form,
    )


@bp.route("/reason", methods=["GET", "POST"])
@role_required(Role.BUYER)
def reason(reference: str):
    """What went wrong, from the marketplace's list of reasons."""
    dispute, done = own_draft(reference)
    if done:
        return done
    form = _form(ReasonForm, reason=dispute.reason)
    if form.validate_on_submit():
        save_answers(dispute, reason=form.reason.data)
        return _continue(dispute, "reason")
    return _render_step("reason", dispute, error_list(form), form=form, groups=REASON_GROUPS)


@bp.route("/description", methods=["GET", "POST"])
@role_required(Role.BUYER)
def description(reference: str):
    """What happened, in the buyer's own words."""
    dispute, done = own_draft(reference)
    if done:
        return done
    config = current_app.config
    form_class = description_form(config["DESCRIPTION_MIN_CHARS"], config["DESCRIPTION_MAX_CHARS"])
    form = _form(form_class, description=dispute.description)
    if form.validate_on_submit():
        save_answers(dispute, description=form.description.data)
        return _continue(dispute, "description")
    return _render_step("description", dispute, error_list(form), form=form)


@bp.route("/remedy", methods=["GET", "POST"])
@role_required(Role.BUYER)
def remedy(reference: str):
    """What the buyer wants: a full or partial refund, or a replacement."""
    dispute, done = own_draft(reference)
    if done:
        return done
    if not is_answered(dispute, "items"):
        return redirect(step_url(dispute, "items", _changing()))
    currency, most = dispute.order.currency, dispute.claimed_minor
    saved_amount = dispute.refund_amount_minor
    form = _form(
        RemedyForm,
        remedy=dispute.remedy and dispute.remedy.value,
        refund_amount=saved_amount and str(to_major(saved_amount, currency)),
    )
    amount = None
    if form.validate_on_submit():
        if form.remedy.data == Remedy.PARTIAL_REFUND:
            try:
                amount = parse_amount(form.refund_amount.data or "", currency)
            except AmountError as problem:
                form.refund_amount.errors.append(str(problem))
            else:
                if not 0 < amount <= most:
                    form.refund_amount.errors.append(
                        _(
                            "Enter an amount more than zero and no more than %(most)s, "
                            "what you paid for the items you chose",
                            most=money(most, currency),
                        )
                    )
        if not form.refund_amount.errors:
            save_answers(dispute, remedy=Remedy(form.remedy.data), refund_amount_minor=amount)
            return _continue(dispute, "remedy")
    return _render_step("remedy", dispute, error_list(form), form=form, most=most)


@bp.route("/return", methods=["GET", "POST"])
@role_required(Role.BUYER)
def return_item(reference: str):
    """For items that arrived: will the buyer send it back?"""
    dispute, done = own_draft(reference)
    if done:
        return done
    saved = {True: "yes", False: "no"}.get(dispute.will_return_item)
    form = _form(ReturnForm, will_return=saved)
    if form.validate_on_submit():
        save_answers(dispute, will_return_item=form.will_return.data == "yes")
        return _continue(dispute, "return")
    return _render_step("return", dispute, error_list(form), form=form)
