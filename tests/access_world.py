"""A small world for the access and forgery tests: one signed-in client per role and real
disputes (a draft, a submitted one, one under review), each with a photo of its own.

Built through the same functions the app uses (evidence.add_photo, lifecycle.perform), so
the ids are real and the rows and files match.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from lifecycle_helpers import act, signed_in_clients, user
from photo_samples import make_photo
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from dispute_portal.evidence import EvidenceLimits, add_photo
from dispute_portal.extensions import db
from dispute_portal.lifecycle import Action
from dispute_portal.models import (
    Dispute,
    DisputeEvent,
    DisputeItem,
    DisputeState,
    EvidencePhoto,
    Message,
    Order,
    Remedy,
    Role,
)

# The six people of the access table, and the email names signed_in_clients keys them by.
ROLES = ("owner", "other_buyer", "seller", "other_seller", "reviewer", "signed_out")
CLIENT_NAMES = {
    "owner": "buyer",
    "other_buyer": "buyer2",
    "seller": "seller",
    "other_seller": "seller2",
    "reviewer": "reviewer",
}
# subject → (order number, state): a different order each, so no item is taken twice.
SUBJECTS = {
    "draft": ("1001", DisputeState.DRAFT),
    "submitted": ("1003", DisputeState.AWAITING_SELLER),
    "review": ("1002", DisputeState.UNDER_REVIEW),
}


@dataclass
class World:
    app: object
    clients: dict
    references: dict = field(default_factory=dict)
    photos: dict = field(default_factory=dict)  # subject → public id
    orders: dict = field(default_factory=dict)  # subject → order id

    @property
    def folder(self) -> Path:
        return Path(self.app.config["EVIDENCE_FOLDER"])


def limits(app) -> EvidenceLimits:
    config = app.config
    return EvidenceLimits(
        config["MAX_PHOTOS"], config["MAX_PHOTO_BYTES"], config["MAX_PHOTO_PIXELS"]
    )


def small_photo(seed: int) -> bytes:
    return make_photo(size=(480, 360), seed=seed)


def build_dispute(app, subject: str, seed: int) -> tuple[str, str, int]:
    """(reference, photo public id, order id) of a dispute of the owner's in `subject`'s state."""
    number, state = SUBJECTS[subject]
    config = app.config
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_number == number))
        dispute = Dispute(
            order=order,
            buyer=user("buyer@example.com"),
            reason="damaged",
            description="The item arrived cracked in two places.",
            remedy=Remedy.FULL_REFUND,
            will_return_item=False,
        )
        dispute.items.append(DisputeItem(order_item=order.items[0], quantity=1))
        db.session.add(dispute)
        db.session.commit()
        folder = Path(config["EVIDENCE_FOLDER"])
        photo = add_photo(
            dispute, dispute.buyer, f"{subject}.jpg", small_photo(seed), folder, limits(app)
        )
        if state != DisputeState.DRAFT:
            act(dispute, Role.BUYER, Action.SUBMIT, config["CLOCK_NOW"], config)
        if state == DisputeState.UNDER_REVIEW:
            act(dispute, Role.SELLER, Action.REJECT, config["CLOCK_NOW"], config)
            act(dispute, Role.BUYER, Action.ESCALATE, config["CLOCK_NOW"], config)
        assert dispute.state == state
        return dispute.reference, photo.public_id, order.id


def build_world(app, subjects=tuple(SUBJECTS)) -> World:
    clients = {role: app.test_client() for role in ROLES}
    by_email = signed_in_clients(app)  # also sets CLOCK_NOW and adds a second seller
    clients.update({role: by_email[name] for role, name in CLIENT_NAMES.items()})
    world = World(app, clients)
    for seed, subject in enumerate(subjects, start=1):
        reference, public_id, order = build_dispute(app, subject, seed)
        world.references[subject], world.photos[subject] = reference, public_id
        world.orders[subject] = order
    return world


def snapshot(app) -> dict:
    """Everything a forged or refused request might change, as plain values."""
    with app.app_context():
        disputes = db.session.scalars(select(Dispute).order_by(Dispute.id)).all()
        photos = db.session.scalars(select(EvidencePhoto).order_by(EvidencePhoto.id)).all()
        folder = Path(app.config["EVIDENCE_FOLDER"])
        return {
            "disputes": [
                (
                    d.reference,
                    d.state,
                    d.buyer_id,
                    d.order_id,
                    d.reason,
                    d.description,
                    d.remedy,
                    d.refund_amount_minor,
                    d.will_return_item,
                    d.submitted_at,
                    d.review_started_at,
                    tuple((i.order_item_id, i.quantity) for i in d.items),
                )
                for d in disputes
            ],
            "photos": [
                (p.public_id, p.dispute_id, p.uploader_id, p.caption, p.original_filename)
                for p in photos
            ],
            "events": db.session.scalar(select(func.count()).select_from(DisputeEvent)),
            "messages": db.session.scalar(select(func.count()).select_from(Message)),
            "files": sorted(str(p) for p in folder.rglob("*") if p.is_file()),
        }


def multipart(fields: list[tuple[str, object]]) -> tuple[bytes, str]:
    """A multipart body and its content type; (name, (filename, bytes)) makes a file part."""
    data = MultiDict()
    for name, value in fields:
        if isinstance(value, tuple):
            data.add(name, FileStorage(io.BytesIO(value[1]), value[0], name))
        else:
            data.add(name, value)
    boundary, body = encode_multipart(data)
    return body, f"multipart/form-data; boundary={boundary}"
