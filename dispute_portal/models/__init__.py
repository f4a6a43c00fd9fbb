"""Typed models. Import them from here: ``from dispute_portal.models import Dispute``."""

from .conversation import Message, Notification
from .disputes import (
    FINISHED_STATES,
    Dispute,
    DisputeEvent,
    DisputeItem,
    DisputeState,
    EvidencePhoto,
    Remedy,
)
from .lifecycle import InfoRequest, Offer, OfferKind, Outcome, Resolution, ReviewerNote
from .orders import Order, OrderItem
from .throttle import SignInFailure
from .types import utcnow
from .users import Role, User

__all__ = [
    "FINISHED_STATES",
    "Dispute",
    "DisputeEvent",
    "DisputeItem",
    "DisputeState",
    "EvidencePhoto",
    "InfoRequest",
    "Message",
    "Notification",
    "Offer",
    "OfferKind",
    "Outcome",
    "Resolution",
    "ReviewerNote",
    "Order",
    "OrderItem",
    "Remedy",
    "Role",
    "SignInFailure",
    "User",
    "utcnow",
]
