"""Check your answers, Submit, and the confirmation page."""

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from ..auth import role_required
from ..clock import now
from ..drafts import is_answered, steps_for
from ..models import Role
from ..reasons import get_reason
from ..submission import SubmissionRefused, submit_dispute
from .loaders import own_dispute_or_404, own_draft, step_url

bp = Blueprint("submit", __name__, url_prefix="/disputes/<reference>")


def _render_check(dispute, errors=()):
    steps = steps_for(dispute)
    return render_template(
        "submit/check_answers.html",
        dispute=dispute,
        reason=get_reason(dispute.reason),
        steps=steps,
        unanswered=[s for s in steps if not is_answered(dispute, s)],
        change_url=lambda step: step_url(dispute, step, changing=True),
        errors=list(errors),
        back_url=step_url(dispute, steps[-1]),
    ), (422 if errors else 200)


@bp.get("/check")
@role_required(Role.BUYER)
def check_answers(reference: str):
    """Every answer on one page, each with a Change link, and the Submit button."""
    dispute, done = own_draft(reference)
    return done or _render_check(dispute)


@bp.post("/submit")
@role_required(Role.BUYER)
def submit(reference: str):
    """Submit the dispute. A second submit (double click, retry) changes nothing."""
    dispute = own_dispute_or_404(reference)
    config = current_app.config
    try:
        submit_dispute(
            dispute,
            current_user,
            now(),
            config["DISPUTE_WINDOW_DAYS"],
            config["SELLER_RESPONSE_DAYS"],
        )
    except SubmissionRefused as refused:
        return _render_check(dispute, [(f"answer-{refused.step or 'all'}", refused.message)])
    return redirect(url_for("submit.confirmation", reference=reference), code=303)


@bp.get("/confirmation")
@role_required(Role.BUYER)
def confirmation(reference: str):
    """The reference to quote, what happens next, and the seller's deadline."""
    dispute = own_dispute_or_404(reference)
    if dispute.is_draft:
        return redirect(url_for("submit.check_answers", reference=reference))
    return render_template("submit/confirmation.html", dispute=dispute)
