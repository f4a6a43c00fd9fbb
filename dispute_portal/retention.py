"""Abandoned drafts: deleted with their photos, items and events after a while."""

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select

from .database import begin_write
from .evidence_files import photo_path
from .extensions import db
from .models import Dispute, DisputeEvent, DisputeItem, DisputeState, EvidencePhoto


def delete_abandoned_drafts(folder: Path, now: datetime, days: int, dry_run=False) -> list[str]:
    """Delete drafts that nobody touched (answers or photos) for `days`; returns references."""
    cutoff = now - timedelta(days=days)
    if not dry_run:
        begin_write()  # decide under the write lock: a buyer may be editing right now
    last_photo = (
        select(func.max(EvidencePhoto.created_at))
        .where(EvidencePhoto.dispute_id == Dispute.id)
        .scalar_subquery()
    )
    drafts = db.session.scalars(
        select(Dispute).where(
            Dispute.state == DisputeState.DRAFT,
            Dispute.updated_at < cutoff,
            func.coalesce(last_photo, Dispute.updated_at) < cutoff,
        )
    ).all()
    references = [draft.reference for draft in drafts]
    if dry_run or not drafts:
        db.session.rollback()
        return references
    ids = [draft.id for draft in drafts]
    paths = [
        photo_path(folder, photo, kind)
        for draft in drafts
        for photo in draft.photos
        for kind in ("image", "thumbnail")
    ]
    # Bulk deletes: a draft's history goes with it (the ORM refuses to delete events).
    for model in (EvidencePhoto, DisputeItem, DisputeEvent):
        db.session.execute(delete(model).where(model.dispute_id.in_(ids)))
    db.session.execute(delete(Dispute).where(Dispute.id.in_(ids)))
    db.session.commit()
    for path in paths:  # rows first, then files, as evidence.remove_photo does
        path.unlink(missing_ok=True)
    for reference in references:
        if (folder / reference).is_dir() and not any((folder / reference).iterdir()):
            (folder / reference).rmdir()
    return references
