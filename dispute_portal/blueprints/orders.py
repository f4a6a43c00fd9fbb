"""A buyer's orders, and the start of a dispute about one."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..auth import role_required
from ..clock import now
from ..drafts import find_draft, first_unanswered, start_or_resume_draft
from ..eligibility import dispute_window_closes, items_in_open_disputes, refusal_to_open
from ..extensions import db
from ..models import Dispute, DisputeState, Order, Role
from .loaders import own_order_or_404, step_url

bp = Blueprint("orders", __name__)


def home_url() -> str:
    """Where each person's work is: a buyer's orders, or the disputes to answer."""
    if current_user.role == Role.BUYER:
        return url_for("orders.your_orders")
    return url_for("disputes.dispute_list")


@bp.route("/")
@login_required
def home():
    """Send each person to where their work is."""
    return redirect(home_url())


@bp.route("/orders")
@role_required(Role.BUYER)
def your_orders():
    """The buyer's orders, newest first, each with its disputes."""
    orders = db.session.scalars(
        select(Order)
        .where(Order.buyer_id == current_user.id)
        .options(selectinload(Order.items), joinedload(Order.seller))
        .order_by(Order.placed_at.desc())
    ).all()
    return render_template("orders/your_orders.html", orders=orders)


def _order_context(order: Order) -> dict:
    window_days = current_app.config["DISPUTE_WINDOW_DAYS"]
    disputes = db.session.scalars(
        select(Dispute)
        .where(Dispute.order_id == order.id, Dispute.buyer_id == current_user.id)
        .order_by(Dispute.created_at)
    ).all()
    return {
        "order": order,
        "draft": find_draft(order, current_user),
        "submitted": [d for d in disputes if d.state != DisputeState.DRAFT],
        "refusal": refusal_to_open(order, now(), window_days),
        "window_closes": dispute_window_closes(order, window_days),
    }


@bp.route("/orders/<int:order_id>")
@role_required(Role.BUYER)
def order_page(order_id: int):
    """One order: its items, its disputes, and whether a dispute can be opened."""
    order = own_order_or_404(order_id)
    return render_template("orders/order.html", **_order_context(order))


@bp.route("/orders/<int:order_id>/dispute", methods=["GET", "POST"])
@role_required(Role.BUYER)
def open_dispute(order_id: int):
    """Start page for a dispute; Start creates the draft (or resumes the one there is)."""
    order = own_order_or_404(order_id)
    context = _order_context(order)
    if context["draft"] is None and context["refusal"]:
        return render_template("orders/cannot_open.html", **context), 409
    if request.method != "POST":
        return render_template("orders/open_dispute.html", **context)
    draft = context["draft"] or start_or_resume_draft(
        order, current_user, {i.id for i in order.items} - items_in_open_disputes(order)
    )
    step = first_unanswered(draft) or "check"
    return redirect(step_url(draft, step))
