"""Files in the evidence folder that no database row refers to.

They can only come from a crash between writing a photo and committing its row; the
sweeper removes them once they are older than a grace period, so an upload that is
still being committed is never touched.
"""

import time
from pathlib import Path

from sqlalchemy import select

from .extensions import db
from .models import EvidencePhoto


def _public_id(path: Path) -> str:
    return path.name.lstrip(".").split(".", 1)[0]


def find_orphans(folder: Path, grace_seconds: float, now: float | None = None) -> list[Path]:
    if not folder.is_dir():
        return []
    cutoff = (now or time.time()) - grace_seconds
    known = set(db.session.scalars(select(EvidencePhoto.public_id)))
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and (path.name.endswith(".partial") or _public_id(path) not in known)
        and path.stat().st_mtime < cutoff
    )


def sweep_orphans(folder: Path, grace_seconds: float) -> list[Path]:
    """Delete orphan files (and folders left empty); returns what was removed."""
    removed = find_orphans(folder, grace_seconds)
    for path in removed:
        path.unlink(missing_ok=True)
    for directory in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    return removed
