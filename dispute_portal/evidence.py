"""Photo evidence on disk and in the database: add, remove, locate.

Files live outside the static folder and are only ever served through a view that checks
who is asking. A file is written completely before its row exists, and removed if the row
cannot be written, so rows and files always match.
"""

import errno
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .database import begin_write
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


KINDS = ("image", "thumbnail")


def _path(folder: Path, reference: str, public_id: str, kind: str) -> Path:
    suffix = ".thumb.jpg" if kind == "thumbnail" else ".jpg"
    return folder / reference / f"{public_id}{suffix}"


def photo_path(folder: Path, photo: EvidencePhoto, kind: str = "image") -> Path:
    return _path(folder, photo.dispute.reference, photo.public_id, kind)


def _write_atomically(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: a reader sees all of it or nothing."""
    path.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _already_has(dispute: Dispute, fingerprint: str) -> bool:
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
    processed = _clean(data, limits)
    if _already_has(dispute, processed.fingerprint):
        raise EvidenceRefused(_l("You have already added this photo"))

    public_id = secrets.token_urlsafe(16)
    image_path = _path(folder, dispute.reference, public_id, "image")
    thumb_path = _path(folder, dispute.reference, public_id, "thumbnail")
    try:
        _write_atomically(image_path, processed.image)
        _write_atomically(thumb_path, processed.thumbnail)
        begin_write()
        db.session.refresh(dispute)
        refusal = _refusal_before_adding(dispute, limits) or (
            _already_has(dispute, processed.fingerprint) and _l("You have already added this photo")
        )
        if refusal:
            raise EvidenceRefused(refusal)
        photo = _row(public_id, dispute, uploader, filename, processed)
        db.session.add(photo)
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        image_path.unlink(missing_ok=True)
        thumb_path.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise EvidenceRefused(NO_ROOM, status=507) from error
        raise
    return photo


def _clean(data: bytes | BinaryIO, limits: EvidenceLimits) -> ProcessedPhoto:
    try:
        return process_photo(data, max_bytes=limits.max_bytes, max_pixels=limits.max_pixels)
    except PhotoRejected as rejected:
        raise EvidenceRefused(_l(rejected.template, **rejected.params)) from None


def _row(public_id, dispute, uploader, filename, processed, message_id=None) -> EvidencePhoto:
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
                processed = _clean(data, limits)
            except EvidenceRefused as refused:
                raise EvidenceRefused(f"{filename}: {refused.message}") from None
            public_id = secrets.token_urlsafe(16)
            paths = tuple(_path(folder, dispute.reference, public_id, k) for k in KINDS)
            prepared.append(PreparedPhoto(public_id, filename, processed, paths))
            _write_atomically(paths[0], processed.image)
            _write_atomically(paths[1], processed.thumbnail)
    except BaseException as error:
        discard(prepared)
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise EvidenceRefused(NO_ROOM, status=507) from error
        raise
    return prepared


def add_prepared(prepared: list[PreparedPhoto], dispute, uploader, message_id: int) -> None:
    """Add the rows of a message's photos to the open transaction (the caller commits)."""
    for photo in prepared:
        if _already_has(dispute, photo.processed.fingerprint):
            raise EvidenceRefused(f"{photo.filename}: {IN_THE_DISPUTE_ALREADY}")
        row = _row(photo.public_id, dispute, uploader, photo.filename, photo.processed, message_id)
        db.session.add(row)
        db.session.flush()  # the next photo's duplicate check sees this one


def discard(prepared: list[PreparedPhoto]) -> None:
    for photo in prepared:
        for path in photo.paths:
            path.unlink(missing_ok=True)


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
