"""A dispute's own page, and the lists of disputes for sellers and reviewers."""

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock, labels
from ..access import party_role
from ..auth import role_required
from ..deadlines import relative
from ..extensions import db
from ..i18n import money
from ..lifecycle import allowed
from ..models import FINISHED_STATES, Dispute, DisputeState, Order, Role
from ..reasons import get_reason
from ..timers import apply_due_timers
from .dispute_actions import PAGES
from .loaders import WHOLE_DISPUTE, visible_dispute_or_404
from .messages import thread_context

bp = Blueprint("disputes", __name__)


@bp.app_context_processor
def lifecycle_helpers() -> dict:
    """What the lifecycle templates need to say a deadline, a party or the terms."""
    return {
        "relative": lambda when: relative(when, clock.now()),
        "party_label": lambda role: str(labels.PARTIES[role]),
        "action_label": lambda action: str(labels.ACTIONS.get(action, action)),
        "outcome_label": lambda outcome: str(labels.OUTCOMES[outcome]),
        "terms_label": lambda kind, amount, dispute: labels.terms(
            kind, money(amount, dispute.order.currency)
        ),
    }


REVIEW_STATES = (DisputeState.UNDER_REVIEW, DisputeState.NEEDS_INFO)
PAGE_SIZE = 25  # a page of work stays the same size however many disputes there are
SELLER_OPEN_STATES = tuple(
    s for s in DisputeState if s not in (DisputeState.DRAFT, *FINISHED_STATES)
)


@bp.get("/disputes")
@role_required(Role.SELLER, Role.REVIEWER)
def dispute_list():
    """The work queue (open disputes, soonest deadline first), then recently finished ones."""
    page = max(request.args.get("page", 1, type=int), 1)
    # A second query for the orders: joined in, SQLite would sort every open row's order too.
    query = select(Dispute).options(selectinload(Dispute.order))
    if current_user.role == Role.SELLER:
        query = query.join(Order).where(Order.seller_id == current_user.id)
        query = query.where(Dispute.state != DisputeState.DRAFT)
        open_states = SELLER_OPEN_STATES
    else:
        query = query.where(Dispute.review_started_at.is_not(None))
        open_states = REVIEW_STATES
    waiting = db.session.scalars(
        query.where(Dispute.state.in_(open_states))
        .order_by(Dispute.deadline_at.is_(None), Dispute.deadline_at, Dispute.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)  # one more tells whether there is a next page
    ).all()
    has_next, waiting = len(waiting) > PAGE_SIZE, waiting[:PAGE_SIZE]
    for dispute in waiting:
        apply_due_timers(dispute)
    finished = db.session.scalars(
        query.where(Dispute.state.not_in(open_states)).order_by(Dispute.updated_at.desc()).limit(20)
    ).all()
    return render_template(
        "disputes/list.html", disputes=waiting, finished=finished, page=page, has_next=has_next
    )


@bp.get("/disputes/<reference>")
@role_required(Role.BUYER, Role.SELLER, Role.REVIEWER)
def dispute_page(reference: str):
    """Status, deadline, offers, outcome, answers and photos, and what the reader can do."""
    dispute = visible_dispute_or_404(reference, *WHOLE_DISPUTE)
    apply_due_timers(dispute)  # correct even where no cron runs the timers
    role = party_role(current_user, dispute)
    actions = [a for a in PAGES if a in allowed(dispute.state, role)]
    return render_template(
        "disputes/dispute.html",
        dispute=dispute,
        reason=get_reason(dispute.reason),
        role=role,
        actions=actions,
        action_titles={action: PAGES[action][1] for action in actions},
        events=[e for e in dispute.events if e.action != "note"],
        **thread_context(dispute),
    )
