"""Photos attached to a thread message: cleaned and written first, rows added with the message.

Files are written before the message's transaction opens, so a refusal or a failed commit
leaves nothing behind once `discard` has run.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from . import evidence_files
from .evidence import (
    IN_THE_DISPUTE_ALREADY,
    NO_ROOM,
    EvidenceRefused,
    already_has,
    clean_upload,
    evidence_row,
)
from .evidence_files import KINDS, evidence_path, is_out_of_room
from .extensions import db
from .models import Dispute
from .photos import ProcessedPhoto


@dataclass
class PreparedPhoto:
    """A photo cleaned and written to disk, waiting for its row (a message's photo)."""

    public_id: str
    filename: str
    processed: ProcessedPhoto
    paths: tuple[Path, Path]


def prepare_photos(uploads, dispute: Dispute, folder: Path, limits) -> list[PreparedPhoto]:
    """Clean and write each (filename, data) upload; on any refusal, write nothing."""
    prepared: list[PreparedPhoto] = []
    try:
        for filename, data in uploads:
            try:
                processed = clean_upload(data, limits)
            except EvidenceRefused as refused:
                raise EvidenceRefused(f"{filename}: {refused.message}") from None
            public_id = secrets.token_urlsafe(16)
            paths = tuple(evidence_path(folder, dispute.reference, public_id, k) for k in KINDS)
            prepared.append(PreparedPhoto(public_id, filename, processed, paths))
            evidence_files.write_atomically(paths[0], processed.image)
            evidence_files.write_atomically(paths[1], processed.thumbnail)
    except BaseException as error:
        discard(prepared)
        if is_out_of_room(error):
            raise EvidenceRefused(NO_ROOM, status=507) from error
        raise
    return prepared


def add_prepared(prepared: list[PreparedPhoto], dispute, uploader, message_id: int) -> None:
    """Add the rows of a message's photos to the open transaction (the caller commits)."""
    for photo in prepared:
        if already_has(dispute, photo.processed.fingerprint):
            raise EvidenceRefused(f"{photo.filename}: {IN_THE_DISPUTE_ALREADY}")
        row = evidence_row(
            photo.public_id, dispute, uploader, photo.filename, photo.processed, message_id
        )
        db.session.add(row)
        db.session.flush()  # the next photo's duplicate check sees this one


def discard(prepared: list[PreparedPhoto]) -> None:
    for photo in prepared:
        for path in photo.paths:
            path.unlink(missing_ok=True)
