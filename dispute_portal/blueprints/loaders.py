"""Fetch what a URL names, or 404 when it is not the signed-in user's to see."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..access import can_view_dispute
from ..drafts import steps_for
from ..extensions import db
from ..models import (
    Dispute,
    DisputeEvent,
    DisputeItem,
    EvidencePhoto,
    Message,
    Order,
)

# Everything a dispute's page shows, read in a few queries up front instead of one query
# each time the template touches a relationship.
WHOLE_DISPUTE = (
    joinedload(Dispute.order).joinedload(Order.seller),
    selectinload(Dispute.items).joinedload(DisputeItem.order_item),
    selectinload(Dispute.events).joinedload(DisputeEvent.actor),
    selectinload(Dispute.photos),
    selectinload(Dispute.messages).joinedload(Message.author),
    selectinload(Dispute.messages).selectinload(Message.photos),
    selectinload(Dispute.offers),
    selectinload(Dispute.info_requests),
)


def own_order_or_404(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None or order.buyer_id != current_user.id:
        abort(404)
    return order


def visible_dispute_or_404(reference: str, *options) -> Dispute:
    """options load what a page shows, and only once access is granted: someone refused
    costs no more work than a reference that does not exist."""
    dispute = db.session.scalar(select(Dispute).where(Dispute.reference == reference))
    if dispute is None or not can_view_dispute(current_user, dispute):
        abort(404)
    if options:
        query = select(Dispute).where(Dispute.id == dispute.id).options(*options)
        dispute = db.session.scalar(query.execution_options(populate_existing=True))
    return dispute


def own_dispute_or_404(reference: str) -> Dispute:
    dispute = visible_dispute_or_404(reference)
    if dispute.buyer_id != current_user.id:
        abort(404)
    return dispute


def visible_photo_or_404(public_id: str) -> EvidencePhoto:
    photo = db.session.scalar(select(EvidencePhoto).where(EvidencePhoto.public_id == public_id))
    if photo is None or not can_view_dispute(current_user, photo.dispute):
        abort(404)
    return photo


def same_site_path(target: str | None) -> str | None:
    """Only paths on this site, so a crafted link cannot send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


STEP_ENDPOINTS = {
    "items": "dispute_form.items",
    "reason": "dispute_form.reason",
    "description": "dispute_form.description",
    "remedy": "dispute_form.remedy",
    "return": "dispute_form.return_item",
    "photos": "evidence.photos",
    "check": "submit.check_answers",
}


def step_url(dispute: Dispute, step: str, changing: bool = False) -> str:
    """The one place that knows which URL asks which question."""
    extra = {"next": "check"} if changing and step != "check" else {}
    return url_for(STEP_ENDPOINTS[step], reference=dispute.reference, **extra)


def back_url(dispute: Dispute, step: str, changing: bool) -> str | None:
    """The Back link: to Check your answers during a change, else the previous question."""
    if changing:
        return step_url(dispute, "check")
    steps = steps_for(dispute)
    position = steps.index(step) if step in steps else 0
    return step_url(dispute, steps[position - 1]) if position > 0 else None


def own_draft(reference: str) -> tuple[Dispute | None, object]:
    """The buyer's draft, or (None, a redirect) once it has been submitted."""
    dispute = own_dispute_or_404(reference)
    if dispute.is_draft:
        return dispute, None
    flash(_("This dispute has been submitted, so its answers can no longer be changed."))
    return None, redirect(url_for("disputes.dispute_page", reference=reference))
