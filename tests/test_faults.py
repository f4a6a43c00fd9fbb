"""Real faults, not mocks: a full disk under the evidence folder, a database that stays
locked. Each gets a readable page, and rows and files still match afterwards."""

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from access_world import multipart
from dispute_journey import Journey
from photo_samples import make_photo
from sqlalchemy import func, make_url, select

from dispute_portal.extensions import db
from dispute_portal.models import EvidencePhoto

from conftest import make_test_app, sqlite_only


def _rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(EvidencePhoto))


def _files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["EVIDENCE_FOLDER"]).rglob("*") if p.is_file())


def _evidence_is_consistent(app) -> None:
    result = app.test_cli_runner().invoke(args=["check-evidence"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def tiny_disk(app):
    """A 1 MB tmpfs mounted as the evidence folder, so writing a photo really fails."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder = Path(app.config["EVIDENCE_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    mount = ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0750", "tmpfs", str(folder)]
    try:
        mounted = subprocess.run(mount, capture_output=True, text=True, timeout=10)
    except OSError as error:
        pytest.skip(f"cannot run mount: {error}")
    if mounted.returncode != 0:
        pytest.skip(f"mount not permitted here: {mounted.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True, timeout=10)


def test_a_full_disk_gives_507_keeps_earlier_photos_and_rows_match_files(app, journey, tiny_disk):
    app.config["MAX_PHOTOS"] = 100
    journey.start("1001")
    statuses = []
    for seed in range(1, 40):  # ~250 KB a photo: the 1 MB disk fills within a few
        response = journey.upload((f"photo-{seed}.jpg", make_photo(size=(1600, 1200), seed=seed)))
        statuses.append(response.status_code)
        if response.status_code != 303:
            break
    assert statuses[0] == 303 and statuses[-1] == 507, statuses
    page = response.get_data(as_text=True)
    assert "There is no room to store this photo right now" in page
    stored = statuses.count(303)
    assert f"photo-{stored}.jpg" in page  # the earlier photos are still listed
    assert _rows(app) == stored and len(_files(app)) == 2 * stored
    assert not [p for p in _files(app) if p.name.endswith(".partial")]
    _evidence_is_consistent(app)
    for path in _files(app):  # and every earlier photo can still be served
        public_id = path.name.split(".")[0]
        kind = "thumbnail" if ".thumb." in path.name else "image"
        with journey.client.get(f"/photos/{public_id}/{kind}") as served:
            assert served.status_code == 200


@sqlite_only
@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
def test_a_locked_database_gives_503_and_leaves_no_orphan(tmp_path, database_uri, fragment):
    app = make_test_app(tmp_path, database_uri, SQLITE_BUSY_TIMEOUT_MS=50)
    journey = Journey(app, app.test_client())
    journey.client.post("/sign-in", data={"email": "buyer@example.com", "password": "buyer-pass-1"})
    journey.start("1001")
    journey.upload(("first.jpg", make_photo(seed=1)))
    files_before = _files(app)
    holder = sqlite3.connect(make_url(database_uri).database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock, and keeps it
        headers = {"HX-Request": "true"} if fragment else {}
        body, content_type = multipart([("photos", ("second.jpg", make_photo(seed=2)))])
        response = journey.post("photos", body, content_type=content_type, headers=headers)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page
    assert _files(app) == files_before  # the second photo's files are gone already
    assert app.test_cli_runner().invoke(args=["sweep-evidence"]).exit_code == 0
    assert _rows(app) == 1 and _files(app) == files_before
    _evidence_is_consistent(app)
