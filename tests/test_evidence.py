import re
from pathlib import Path

from photo_samples import make_photo
from PIL import Image
from sqlalchemy import func, select

from dispute_portal.extensions import db
from dispute_portal.models import EvidencePhoto


def _stored_files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["EVIDENCE_FOLDER"]).rglob("*") if p.is_file())


def _photo_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(EvidencePhoto))


def test_photos_are_stored_outside_the_static_folder_as_clean_jpegs(app, journey):
    journey.start("1001")
    journey.upload(("holiday.png", make_photo("PNG")))
    files = _stored_files(app)
    assert len(files) == 2  # the photo and its thumbnail
    static = Path(app.static_folder).resolve()
    assert all(static not in f.resolve().parents for f in files)
    for path in files:
        with Image.open(path) as image:
            assert image.format == "JPEG"
            assert not image.getexif()


def test_a_rejected_file_gets_a_message_and_loses_nothing(app, journey):
    journey.start("1001")
    journey.upload(("good.jpg", make_photo(seed=3)))
    response = journey.upload(
        ("notes.txt", b"not a photo at all"), ("second.jpg", make_photo(seed=4))
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "notes.txt: The selected file must be a JPEG, PNG, WebP, AVIF or HEIC photo" in page
    assert "good.jpg" in page and "second.jpg" in page
    assert _photo_count(app) == 2
    assert len(_stored_files(app)) == 4


def test_the_same_photo_twice_is_refused(app, journey):
    journey.start("1001")
    journey.upload(("a.jpg", make_photo(seed=5)))
    response = journey.upload(("a-again.jpg", make_photo(seed=5)))
    assert "You have already added this photo" in response.get_data(as_text=True)
    assert _photo_count(app) == 1


def test_photo_limit_per_dispute(app, journey):
    app.config["MAX_PHOTOS"] = 2
    journey.start("1001")
    response = journey.upload(*[(f"{n}.jpg", make_photo(seed=n)) for n in range(3)])
    assert "You can add up to 2 photos" in response.get_data(as_text=True)
    assert _photo_count(app) == 2


def test_a_photo_can_be_removed_before_submission(app, journey):
    journey.start("1001")
    journey.upload(("a.jpg", make_photo()))
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    public_id = re.search(r"/photos/([\w-]+)/remove", page).group(1)
    response = journey.client.post(f"/photos/{public_id}/remove")
    assert response.status_code == 303
    assert "Photo removed" in journey.client.get(response.location).get_data(as_text=True)
    assert _photo_count(app) == 0
    assert _stored_files(app) == []


def test_a_caption_is_saved_and_limited(app, journey):
    journey.start("1001")
    journey.upload(("a.jpg", make_photo()))
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    public_id = re.search(r"/photos/([\w-]+)/caption", page).group(1)
    too_long = journey.client.post(f"/photos/{public_id}/caption", data={"caption": "x" * 201})
    assert too_long.status_code == 422
    assert "Caption must be 200 characters or fewer" in too_long.get_data(as_text=True)
    journey.client.post(f"/photos/{public_id}/caption", data={"caption": "Crack by the handle"})
    assert 'alt="Crack by the handle"' in journey.client.get(journey.url("photos")).get_data(
        as_text=True
    )


def test_photos_cannot_be_removed_after_submission(app, journey):
    journey.complete("1002")
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    public_id = re.search(r"/photos/([\w-]+)/remove", page).group(1)
    journey.post("submit")
    journey.client.post(f"/photos/{public_id}/remove")
    assert _photo_count(app) == 1
    assert len(_stored_files(app)) == 2


def test_photo_files_are_served_with_safe_headers(journey):
    journey.start("1001")
    journey.upload(("a.jpg", make_photo()))
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    url = re.search(r"/photos/[\w-]+/image", page).group(0)
    response = journey.client.get(url)
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in response.headers["Cache-Control"]
    response.close()


def test_each_photo_is_numbered_in_its_alt_text(journey):
    journey.start("1001")
    journey.upload(("a.jpg", make_photo(seed=1)), ("b.jpg", make_photo(seed=2)))
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    assert 'alt="Photo 1: a.jpg"' in page and 'alt="Photo 2: b.jpg"' in page
