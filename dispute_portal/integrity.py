"""Do the photo rows and the files in the evidence folder still match?"""

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .evidence_files import photo_path
from .extensions import db
from .models import EvidencePhoto


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def evidence_problems(folder: Path) -> list[str]:
    """Every row needs its image (with the recorded SHA-256) and a thumbnail beside it;
    every file needs a row."""
    problems, expected = [], set()
    query = select(EvidencePhoto).options(joinedload(EvidencePhoto.dispute))
    for photo in db.session.scalars(query):
        image, thumbnail = photo_path(folder, photo), photo_path(folder, photo, "thumbnail")
        expected |= {image, thumbnail}
        name = f"photo {photo.public_id} of {photo.dispute.reference}"
        if not image.is_file():
            problems.append(f"{name}: the image file is missing")
        elif _sha256(image) != photo.sha256:
            problems.append(f"{name}: the image file does not match its SHA-256")
        if not thumbnail.is_file():
            problems.append(f"{name}: the thumbnail file is missing")
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path not in expected:
                problems.append(f"{path.relative_to(folder)}: no photo row refers to this file")
    return problems
