"""One archive holding a consistent database snapshot, every stored photo and their sums.

SQLite only: the snapshot uses SQLite's online backup API, which copies a live database
safely; PostgreSQL has pg_dump for that (docs/deploy.md).
"""

import hashlib
import json
import shutil
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from sqlalchemy import make_url

from .evidence_files import evidence_path

DATABASE = "database.sqlite"
MANIFEST = "manifest.json"
FORMAT = "dispute-portal-backup/1"


class BackupError(Exception):
    pass


def sqlite_file(database_uri: str) -> Path:
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "This command backs up SQLite databases only. On PostgreSQL, back up the "
            "database with pg_dump and the evidence folder with your file backup "
            "(docs/deploy.md, 'Backups')."
        )
    return Path(url.database)


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def create_backup(archive: Path, database_uri: str, evidence: Path) -> list[str]:
    """Write the archive; returns the public ids of photos removed while it was taken."""
    source_file = sqlite_file(database_uri)
    with tempfile.TemporaryDirectory(prefix="dispute-portal-backup-") as tmp:
        staging = Path(tmp)
        snapshot = sqlite3.connect(staging / DATABASE)
        with closing(sqlite3.connect(source_file)) as source:
            source.backup(snapshot)  # one consistent moment, while the portal keeps writing
        photos = snapshot.execute(
            "SELECT d.reference, p.public_id FROM evidence_photos p "
            "JOIN disputes d ON d.id = p.dispute_id"
        ).fetchall()
        gone = []
        for reference, public_id in photos:
            try:
                for kind in ("image", "thumbnail"):
                    path = evidence_path(evidence, reference, public_id, kind)
                    copy = staging / "evidence" / path.relative_to(evidence)
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, copy)
            except FileNotFoundError:
                # Removed from a draft after the snapshot: row first, then files.
                gone.append(public_id)
        snapshot.executemany(
            "DELETE FROM evidence_photos WHERE public_id = ?", [(g,) for g in gone]
        )
        snapshot.commit()
        snapshot.close()
        for public_id in gone:
            for leftover in (staging / "evidence").rglob(f"{public_id}.*"):
                leftover.unlink()
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        manifest = {
            "format": FORMAT,
            "sha256": {p.relative_to(staging).as_posix(): _sha256(p) for p in files},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1))
        partial = archive.with_name(f".{archive.name}.partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(staging / MANIFEST, MANIFEST)
            for path in files:
                tar.add(path, path.relative_to(staging).as_posix())
        partial.replace(archive)
    return gone


def _is_empty(database: Path, evidence: Path) -> bool:
    if evidence.is_dir() and any(p.is_file() for p in evidence.rglob("*")):
        return False
    if not database.exists():
        return True
    with closing(sqlite3.connect(database)) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return not any(
            connection.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
            for table in tables
            if table != "alembic_version" and not table.startswith("sqlite_")
        )


def restore_backup(archive: Path, database_uri: str, evidence: Path) -> int:
    """Restore into an empty instance after checking every sum; returns the photo count."""
    database = sqlite_file(database_uri)
    if not _is_empty(database, evidence):
        raise BackupError("The target instance has data already: restore only into an empty one.")
    evidence.mkdir(mode=0o750, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=evidence.parent, prefix=".restore-") as tmp:
        staging = Path(tmp)
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(staging, filter="data")
            manifest = json.loads((staging / MANIFEST).read_text())
        except (tarfile.TarError, OSError, ValueError) as error:
            raise BackupError(f"{archive} is not a Dispute Portal backup: {error}") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive} is not a Dispute Portal backup of a known format.")
        files = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()}
        if files - {MANIFEST} != set(manifest["sha256"]):
            raise BackupError("The archive's files differ from its manifest: it is damaged.")
        for name, expected in manifest["sha256"].items():
            if _sha256(staging / name) != expected:
                raise BackupError(f"{name} does not match its SHA-256 sum: the archive is damaged.")
        with (
            closing(sqlite3.connect(staging / DATABASE)) as source,
            closing(sqlite3.connect(database)) as target,
        ):
            source.backup(target)
        images = 0
        for path in (staging / "evidence").rglob("*"):
            if path.is_file():
                destination = evidence / path.relative_to(staging / "evidence")
                destination.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
                shutil.move(path, destination)
                images += not path.name.endswith(".thumb.jpg")
    return images
