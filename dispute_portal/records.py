"""A dispute's record for its parties: one ZIP with a self-contained HTML summary, the
stored photo copies and SHA256SUMS, kept under RECORD_MAX_BYTES by leaving out the
largest photos (and saying which) when they cannot all fit.

What a reader may not see on the portal is not in their record: reviewers' internal
notes are in a reviewer's record only, and each party sees only their own questions.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import render_template

from . import clock
from .evidence_files import photo_path
from .models import Dispute, EvidencePhoto, Role

# Room kept for the summary, SHA256SUMS and the ZIP's own headers when planning.
SUMMARY_ALLOWANCE = 96 * 1024
ENTRY_OVERHEAD = 200  # local header + central directory entry, name included


@dataclass
class Record:
    data: bytes = b""
    included: list[EvidencePhoto] = field(default_factory=list)
    omitted: list[EvidencePhoto] = field(default_factory=list)


def all_photos(dispute: Dispute) -> list[EvidencePhoto]:
    """The buyer's evidence, then each message's photos, in the order they came."""
    return [*dispute.photos, *(p for message in dispute.messages for p in message.photos)]


def plan(dispute: Dispute, max_bytes: int) -> tuple[list, list]:
    """(included, omitted): the largest photos go first when the whole would not fit."""
    included, omitted = all_photos(dispute), []
    budget = max_bytes - SUMMARY_ALLOWANCE
    while included and sum(p.byte_size + ENTRY_OVERHEAD for p in included) > budget:
        _drop_largest(included, omitted)
    return included, omitted


def _drop_largest(included: list, omitted: list) -> None:
    largest = max(included, key=lambda p: p.byte_size)
    included.remove(largest)
    omitted.append(largest)


def archive_name(photo: EvidencePhoto, number: int) -> str:
    return f"photos/{number:02d}-{photo.public_id}.jpg"


def build_record(dispute: Dispute, role: Role, folder: Path, max_bytes: int) -> Record:
    """The ZIP for a reader acting as `role`; smaller than max_bytes unless even the
    summary alone is not."""
    included, omitted = plan(dispute, max_bytes)
    while True:
        record = _zip(dispute, role, folder, included, omitted)
        if len(record.data) <= max_bytes or not included:
            return record
        _drop_largest(included, omitted)


def _zip(dispute, role, folder, included, omitted) -> Record:
    numbers = {photo.id: n for n, photo in enumerate(all_photos(dispute), start=1)}
    names = {photo.id: archive_name(photo, numbers[photo.id]) for photo in included}
    summary = render_template(
        "records/summary.html",
        dispute=dispute,
        role=role,
        notes=dispute.notes if role == Role.REVIEWER else [],
        questions=[q for q in dispute.info_requests if role in (Role.REVIEWER, q.party)],
        events=[e for e in dispute.events if e.action != "note"],
        names=names,
        numbers=numbers,
        omitted=sorted(omitted, key=lambda p: numbers[p.id]),
        generated_at=clock.now(),
    ).encode()
    sums = [(hashlib.sha256(summary).hexdigest(), "summary.html")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("summary.html", summary, compress_type=zipfile.ZIP_DEFLATED)
        for photo in included:
            data = photo_path(folder, photo).read_bytes()
            archive.writestr(names[photo.id], data)  # JPEG: stored, as it would not shrink
            sums.append((hashlib.sha256(data).hexdigest(), names[photo.id]))
        lines = "".join(f"{digest}  {name}\n" for digest, name in sums)
        archive.writestr("SHA256SUMS", lines, compress_type=zipfile.ZIP_DEFLATED)
    return Record(buffer.getvalue(), list(included), list(omitted))
