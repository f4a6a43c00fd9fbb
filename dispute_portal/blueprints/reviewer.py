"""The reviewer's page for one dispute: both sides' evidence, internal notes, decisions."""

from flask import Blueprint, render_template

from ..auth import role_required
from ..forms import error_list
from ..lifecycle import Action, allowed
from ..models import Role
from ..reasons import get_reason
from ..timers import apply_due_timers
from .dispute_actions import PAGES
from .loaders import WHOLE_DISPUTE, visible_dispute_or_404
from .messages import thread_context

bp = Blueprint("reviewer", __name__, url_prefix="/review")


@bp.get("/<reference>")
@role_required(Role.REVIEWER)
def case(reference: str):
    """The buyer's and the seller's evidence side by side, the notes, and the decisions."""
    dispute = visible_dispute_or_404(reference, *WHOLE_DISPUTE)
    apply_due_timers(dispute)
    actions = [a for a in PAGES if a in allowed(dispute.state, Role.REVIEWER)]
    note_form = PAGES[Action.NOTE][0]()
    return render_template(
        "reviewer/case.html",
        dispute=dispute,
        reason=get_reason(dispute.reason),
        role=Role.REVIEWER,
        actions=[a for a in actions if a != Action.NOTE],
        action_titles={action: PAGES[action][1] for action in actions},
        can_note=Action.NOTE in actions,
        note_form=note_form,
        errors=error_list(note_form),
        **thread_context(dispute),
    )
