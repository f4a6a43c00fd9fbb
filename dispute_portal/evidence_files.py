"""Where evidence photos live on disk, and how a photo file is written.

Each dispute has a folder named after its reference; a photo is stored as
`<public_id>.jpg` with its thumbnail beside it as `<public_id>.thumb.jpg`.
"""

import errno
import os
from pathlib import Path

from .models import EvidencePhoto

KINDS = ("image", "thumbnail")


def evidence_path(folder: Path, reference: str, public_id: str, kind: str) -> Path:
    suffix = ".thumb.jpg" if kind == "thumbnail" else ".jpg"
    return folder / reference / f"{public_id}{suffix}"


def photo_path(folder: Path, photo: EvidencePhoto, kind: str = "image") -> Path:
    return evidence_path(folder, photo.dispute.reference, photo.public_id, kind)


def write_atomically(path: Path, data: bytes) -> None:
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


def is_out_of_room(error: BaseException) -> bool:
    """The disk or the quota is full: an expected outcome, not a crash."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)
