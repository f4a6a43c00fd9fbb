"""The fields a forger adds to a request: another dispute's ids, another person's, a state."""

from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.models import Dispute, User


def database_ids(app, world) -> dict:
    """Database ids a forger might try: another dispute's, another person's."""
    with app.app_context():
        disputes = {
            s: db.session.scalar(select(Dispute.id).where(Dispute.reference == r))
            for s, r in world.references.items()
        }
        users = {u.email.split("@")[0]: u.id for u in db.session.scalars(select(User))}
        return {"disputes": disputes, "users": users}


def forgeries(app, world, target: str) -> list[tuple[str, str]]:
    """Every field a forger might add, pointing at something other than `target`."""
    other = "submitted" if target != "submitted" else "review"
    ids = database_ids(app, world)
    return [
        ("reference", world.references[other]),
        ("dispute_id", str(ids["disputes"][other])),
        ("dispute", world.references[other]),
        ("buyer_id", str(ids["users"]["buyer2"])),
        ("uploader_id", str(ids["users"]["seller"])),
        ("author_id", str(ids["users"]["reviewer"])),
        ("author_role", "reviewer"),
        ("user_id", str(ids["users"]["seller"])),
        ("public_id", world.photos[other]),
        ("photo", world.photos[other]),
        ("state", "closed"),
        ("status", "resolved"),
        ("to_state", "resolved"),
        ("review_started_at", "2020-01-01T00:00:00"),
        ("submitted_at", "2020-01-01T00:00:00"),
        ("action", "decide"),
        ("outcome", "refund_full"),
    ]
