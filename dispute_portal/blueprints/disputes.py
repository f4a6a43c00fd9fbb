"""A dispute's own page, and the list of disputes for sellers and reviewers."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from ..auth import role_required
from ..extensions import db
from ..models import Dispute, DisputeState, Order, Role
from ..reasons import get_reason
from .loaders import visible_dispute_or_404

bp = Blueprint("disputes", __name__)


@bp.get("/disputes")
@role_required(Role.SELLER, Role.REVIEWER)
def dispute_list():
    """Submitted disputes: a seller sees their own orders', a reviewer sees all."""
    query = select(Dispute).where(Dispute.state != DisputeState.DRAFT)
    if current_user.role == Role.SELLER:
        query = query.join(Order).where(Order.seller_id == current_user.id)
    disputes = db.session.scalars(query.order_by(Dispute.submitted_at.desc()).limit(200)).all()
    return render_template("disputes/list.html", disputes=disputes)


@bp.get("/disputes/<reference>")
@role_required(Role.BUYER, Role.SELLER, Role.REVIEWER)
def dispute_page(reference: str):
    """Status, deadline, answers and photos of one dispute."""
    dispute = visible_dispute_or_404(reference)
    return render_template(
        "disputes/dispute.html", dispute=dispute, reason=get_reason(dispute.reason)
    )
