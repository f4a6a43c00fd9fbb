import errno
import io
import os
import re
import stat
import time
from pathlib import Path

import pytest
from photo_samples import make_photo
from sqlalchemy import func, select

from dispute_portal import evidence_files
from dispute_portal.extensions import db
from dispute_portal.models import EvidencePhoto


def _rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(EvidencePhoto))


def _files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["EVIDENCE_FOLDER"]).rglob("*") if p.is_file())


def test_upload_limits_are_set_explicitly(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 100 * 1024 * 1024
    assert app.config["MAX_FORM_MEMORY_SIZE"] == 512 * 1024
    assert app.config["MAX_FORM_PARTS"] == 100


def test_limits_are_stated_before_choosing_a_file(journey):
    journey.start("1001")
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    assert "Up to 20 MB and 50 megapixels each, 10 photos in all" in page
    assert "0 of 10 photos, 0 Bytes" in page


def test_an_oversize_body_gets_a_readable_413(app, journey):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    journey.start("1001")
    response = journey.upload(("big.jpg", os.urandom(1024 * 1024 + 1)))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "<h1>Too much at once</h1>" in page
    assert "larger than 1 MB in one go" in page
    assert _rows(app) == 0


def test_too_many_form_parts_are_refused(app, journey):
    journey.start("1001")
    body = {f"field{n}": "x" for n in range(150)}
    response = journey.post("photos", body, content_type="multipart/form-data")
    assert response.status_code == 413


def test_stored_files_and_folders_are_private_to_the_service(app, journey):
    journey.start("1001")
    journey.upload(("a.jpg", make_photo()))
    for path in _files(app):
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        assert stat.S_IMODE(path.parent.stat().st_mode) & 0o007 == 0


def test_stored_names_are_random_and_the_filename_is_only_escaped_text(app, journey):
    journey.start("1001")
    journey.upload(("<img src=x onerror=alert(1)>.jpg", make_photo()))
    names = [p.name for p in _files(app)]
    assert all(re.fullmatch(r"[\w-]{22}(\.thumb)?\.jpg", name) for name in names)
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    assert "<img src=x onerror" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.jpg" in page


def test_disk_full_gives_a_clear_message_and_keeps_earlier_photos(app, journey, monkeypatch):
    journey.start("1001")
    journey.upload(("first.jpg", make_photo(seed=1)))

    def disk_full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(evidence_files, "write_atomically", disk_full)
    response = journey.upload(("second.jpg", make_photo(seed=2)))
    page = response.get_data(as_text=True)
    assert response.status_code == 507
    assert "There is no room to store this photo right now" in page
    assert "first.jpg" in page
    assert _rows(app) == 1 and len(_files(app)) == 2


def test_sweeper_removes_only_old_unreferenced_files(app, journey, runner):
    journey.start("1001")
    journey.upload(("kept.jpg", make_photo()))
    kept = _files(app)
    folder = kept[0].parent
    old_orphan, new_orphan = folder / "orphanorphanorphan0000.jpg", folder / "fresh.jpg"
    for path in (old_orphan, new_orphan):
        path.write_bytes(b"left behind by a crash")
    two_hours_ago = time.time() - 7200
    os.utime(old_orphan, (two_hours_ago, two_hours_ago))
    for path in kept:
        os.utime(path, (two_hours_ago, two_hours_ago))
    result = runner.invoke(args=["sweep-evidence"])
    assert "Removed 1 orphan file(s)." in result.output
    assert not old_orphan.exists() and new_orphan.exists()
    assert all(path.exists() for path in kept)


@pytest.mark.parametrize("kind", ["image", "thumbnail"])
def test_photo_urls_are_404_for_other_buyers_and_signed_out_visitors(app, journey, kind):
    journey.complete("1002")
    journey.post("submit")
    page = journey.client.get(f"/disputes/{journey.reference}").get_data(as_text=True)
    url = re.search(rf"/photos/[\w-]+/{kind}", page).group(0)
    assert app.test_client().get(url).status_code == 404
    other = app.test_client()
    other.post("/sign-in", data={"email": "buyer2@example.com", "password": "buyer-pass-2"})
    assert other.get(url).status_code == 404


def test_thumbnail_and_full_size_urls_differ_and_serve_different_sizes(journey):
    journey.start("1001")
    journey.upload(("a.jpg", make_photo(size=(3000, 2000))))
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    image_url = re.search(r"/photos/[\w-]+/image", page).group(0)
    thumb_url = re.search(r"/photos/[\w-]+/thumbnail", page).group(0)
    from PIL import Image

    with journey.client.get(image_url) as image, journey.client.get(thumb_url) as thumb:
        assert Image.open(io.BytesIO(image.data)).size == (2048, 1365)
        assert max(Image.open(io.BytesIO(thumb.data)).size) == 320
