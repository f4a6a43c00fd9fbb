"""Who may see a dispute and its evidence: its parties, and reviewers once submitted."""

from .models import Dispute, Role, User


def can_view_dispute(user: User, dispute: Dispute) -> bool:
    if user.id == dispute.buyer_id:
        return True
    if dispute.is_draft:
        return False  # a draft is the buyer's own notes until they submit it
    if user.role == Role.SELLER:
        return user.id == dispute.order.seller_id
    return user.role == Role.REVIEWER
