"""One page per thing a party can do to a submitted dispute: what it does, its question
(if any) and its button. Which actions exist for whom is lifecycle.ALLOWED's to say."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..access import party_role
from ..forms import error_list
from ..lifecycle import Action, Refused, allowed, perform
from ..models import Role
from ..money import AmountError, parse_amount
from ..timers import apply_due_timers
from .action_pages import DAYS, PAGES
from .loaders import visible_dispute_or_404

bp = Blueprint("dispute_actions", __name__)


def refused_page(message):
    return render_template("error.html", title=_("That cannot be done now"), message=message), 409


def _inputs(form, dispute) -> dict:
    """The form's answers; amounts become minor units (a typing mistake is a form error)."""
    inputs = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    if inputs.get("amount"):
        try:
            inputs["amount"] = parse_amount(inputs["amount"], dispute.order.currency)
        except AmountError as problem:
            form.amount.errors.append(str(problem))
    else:
        inputs.pop("amount", None)
    return inputs


@bp.route("/disputes/<reference>/do/<action>", methods=["GET", "POST"])
@login_required
def action_page(reference: str, action: str):
    """What this action does, its question if it has one, and the button that does it."""
    dispute = visible_dispute_or_404(reference)
    role = party_role(current_user, dispute)
    if role is None or action not in PAGES:
        abort(404)
    action = Action(action)
    apply_due_timers(dispute)
    if action not in allowed(dispute.state, role):
        return refused_page(_("You cannot do that to this dispute now."))
    form_class, title, explanation = PAGES[action]
    form = form_class()
    if form.validate_on_submit():
        inputs = _inputs(form, dispute)
        if not error_list(form):
            try:
                perform(dispute, current_user, action, clock.now(), current_app.config, **inputs)
            except Refused as refused:
                if refused.field is None:
                    return refused_page(refused.message)
                form[refused.field].errors.append(str(refused.message))
            else:
                flash(_("Done: the dispute has been updated."))
                endpoint = "reviewer.case" if role == Role.REVIEWER else "disputes.dispute_page"
                return redirect(url_for(endpoint, reference=reference), code=303)
    days = current_app.config[DAYS[action]] if action in DAYS else 0
    errors = error_list(form)
    return render_template(
        "disputes/action.html",
        dispute=dispute,
        form=form,
        action=action,
        title=title,
        explanation=explanation and explanation % {"days": days},
        errors=errors,
    ), (422 if errors else 200)
