"""Who may see a dispute and its evidence, and who may act on it as which party.

Buyers see their own disputes; sellers the submitted disputes on their own orders;
reviewers every dispute that has reached review (and stays theirs to see after).
"""

from .models import Dispute, Role, User


def can_view_dispute(user: User, dispute: Dispute) -> bool:
    if user.id == dispute.buyer_id:
        return True
    if dispute.is_draft:
        return False  # a draft is the buyer's own notes until they submit it
    if user.role == Role.SELLER:
        return user.id == dispute.order.seller_id
    return user.role == Role.REVIEWER and dispute.review_started_at is not None


def party_role(user: User, dispute: Dispute) -> Role | None:
    """The role this user acts in on this dispute, or None if they are not a party."""
    if user.role == Role.BUYER:
        return Role.BUYER if user.id == dispute.buyer_id else None
    return user.role if can_view_dispute(user, dispute) else None
