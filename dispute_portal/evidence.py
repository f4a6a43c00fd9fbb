"""Photo evidence of a draft dispute: add, remove, caption.

Files live outside the static folder and are only ever served through a view that checks
who is asking. A file is written completely before its row exists, and removed if the row
cannot be written, so rows and files always match. Where files live: evidence_files;
photos attached to thread messages: message_photos.
"""

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from . import evidence_files
from .database import begin_write
from .evidence_files import evidence_path, is_out_of_room, photo_path
from .extensions import db
from .models import Dispute, EvidencePhoto, User
from .photos import PhotoRejected, ProcessedPhoto, process_photo


class EvidenceRefused(Exception):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


NO_ROOM = _l(
    "There is no room to store this photo right now. Your answers and the photos "
    "already uploaded are safe: please try again later."
)

IN_THE_DISPUTE_ALREADY = _l("This photo is in the dispute already")


@dataclass(frozen=True)
class EvidenceLimits:
    max_photos: int
    max_bytes: int
    max_pixels: int


def already_has(dispute: Dispute, fingerprint: str) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(EvidencePhoto)
            .where(EvidencePhoto.dispute_id == dispute.id, EvidencePhoto.fingerprint == fingerprint)
        )
    )


def _refusal_before_adding(dispute: Dispute, limits: EvidenceLimits) -> str | None:
    if not dispute.is_draft:
        return _l("Evidence cannot be changed after the dispute has been submitted")
    if len(dispute.photos) >= limits.max_photos:
        return _l(
            "You can add up to %(count)d photos. Remove one before you add another.",
            count=limits.max_photos,
        )
    return None


def add_photo(
    dispute: Dispute,
    uploader: User,
    filename: str,
    data: bytes | BinaryIO,
    folder: Path,
    limits: EvidenceLimits,
) -> EvidencePhoto:
    """Check, clean and store one uploaded photo, or raise EvidenceRefused."""
    refusal = _refusal_before_adding(dispute, limits)
    if refusal:
        raise EvidenceRefused(refusal)
    processed = clean_upload(data, limits)
    if already_has(dispute, processed.fingerprint):
        raise EvidenceRefused(_l("You have already added this photo"))

    public_id = secrets.token_urlsafe(16)
    image_path = evidence_path(folder, dispute.reference, public_id, "image")
    thumb_path = evidence_path(folder, dispute.reference, public_id, "thumbnail")
    try:
        evidence_files.write_atomically(image_path, processed.image)
        evidence_files.write_atomically(thumb_path, processed.thumbnail)
        begin_write()
        db.session.refresh(dispute)
        refusal = _refusal_before_adding(dispute, limits) or (
            already_has(dispute, processed.fingerprint) and _l("You have already added this photo")
        )
        if refusal:
            raise EvidenceRefused(refusal)
        photo = evidence_row(public_id, dispute, uploader, filename, processed)
        db.session.add(photo)
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        image_path.unlink(missing_ok=True)
        thumb_path.unlink(missing_ok=True)
        if is_out_of_room(error):
            raise EvidenceRefused(NO_ROOM, status=507) from error
        raise
    return photo


def clean_upload(data: bytes | BinaryIO, limits: EvidenceLimits) -> ProcessedPhoto:
    try:
        return process_photo(data, max_bytes=limits.max_bytes, max_pixels=limits.max_pixels)
    except PhotoRejected as rejected:
        raise EvidenceRefused(_l(rejected.template, **rejected.params)) from None


def evidence_row(
    public_id, dispute, uploader, filename, processed, message_id=None
) -> EvidencePhoto:
    return EvidencePhoto(
        public_id=public_id,
        dispute_id=dispute.id,
        uploader_id=uploader.id,
        message_id=message_id,
        original_filename=(filename or "photo")[:255],
        width=processed.width,
        height=processed.height,
        byte_size=len(processed.image),
        sha256=hashlib.sha256(processed.image).hexdigest(),
        fingerprint=processed.fingerprint,
        quality_warnings="\n".join(str(w) for w in processed.warnings),
    )


def _unchangeable(photo: EvidencePhoto) -> bool:
    return photo.message_id is not None or not photo.dispute.is_draft


def remove_photo(photo: EvidencePhoto, folder: Path) -> None:
    """Remove a photo from a draft: the row first, then its files."""
    if _unchangeable(photo):
        raise EvidenceRefused(_l("Evidence cannot be changed after the dispute has been submitted"))
    paths = [photo_path(folder, photo), photo_path(folder, photo, "thumbnail")]
    begin_write()
    db.session.delete(photo)
    db.session.commit()
    for path in paths:
        path.unlink(missing_ok=True)


def save_caption(photo: EvidencePhoto, caption: str) -> None:
    if _unchangeable(photo):
        raise EvidenceRefused(_l("Evidence cannot be changed after the dispute has been submitted"))
    begin_write()
    photo.caption = caption
    db.session.commit()


def evidence_total_bytes(dispute: Dispute) -> int:
    return sum(photo.byte_size for photo in dispute.photos)
