"""Hand-built multipart bodies: each gets a 4xx with a message, or (an odd but harmless
filename on a valid photo) a clean accept with the name shown escaped. None leaves a row
or a file behind, and none is echoed back as markup."""

from pathlib import Path

import pytest
from multipart_bodies import (
    BOUNDARY,
    CONTENT_TYPE,
    MB,
    file_part,
    form_field,
    multipart_body,
    post_chunked,
)
from photo_samples import make_photo
from sqlalchemy import func, select

from dispute_portal.extensions import db
from dispute_portal.models import EvidencePhoto


def _nothing_stored(app) -> None:
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EvidencePhoto)) == 0
    folder = Path(app.config["EVIDENCE_FOLDER"])
    assert [p for p in folder.rglob("*") if p.is_file()] == []


def _page(response) -> str:
    page = response.get_data(as_text=True)
    assert "<script>" not in page and "<img src=x" not in page
    return page


@pytest.fixture
def draft(journey):
    journey.start("1001")
    return journey


def _post(draft, body: bytes, **kwargs):
    return draft.client.post(draft.url("photos"), data=body, content_type=CONTENT_TYPE, **kwargs)


def test_thousands_of_parts_are_refused_with_a_message(app, draft):
    parts = [form_field(f"f{n}", "x") for n in range(5000)]
    response = _post(
        draft, multipart_body(*parts, file_part(b"a.jpg", make_photo(size=(400, 300))))
    )
    assert response.status_code == 413
    assert "<h1>" in _page(response)
    _nothing_stored(app)


@pytest.mark.parametrize("length_known", [True, False], ids=["content-length", "chunked"])
def test_an_oversize_body_is_refused_with_a_message(app, draft, length_known):
    app.config["MAX_CONTENT_LENGTH"] = 1 * MB
    body = multipart_body(file_part(b"big.jpg", b"\xff" * (2 * MB)))
    if length_known:
        response = _post(draft, body)
    else:
        response = post_chunked(app, draft, body)
    assert response.status_code == 413
    assert "larger than 1 MB in one go" in _page(response)
    _nothing_stored(app)


@pytest.mark.parametrize(
    ("step", "field", "size", "status", "message"),
    [
        ("description", "description", 5001, 422, "between 20 and 5000 characters"),
        ("description", "description", 600 * 1024, 413, "Too much at once"),
        ("caption", "caption", 201, 422, "Caption must be 200 characters or fewer"),
        ("caption", "caption", 600 * 1024, 413, "Too much at once"),
    ],
    ids=[
        "description-too-long",
        "description-over-form-memory",
        "caption-too-long",
        "caption-over-form-memory",
    ],  # fmt: skip
)
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_over_size_text_fields_are_refused(
    app, draft, step, field, size, status, message, encoding
):
    if step == "caption":
        draft.upload(("a.jpg", make_photo(size=(400, 300))))
        with app.app_context():
            photo = db.session.scalar(select(EvidencePhoto))
            url, before = f"/photos/{photo.public_id}/caption", photo.caption
    else:
        url, before = draft.url("description"), None
    text = "<script>x</script>" + "a" * (size - 18)
    if encoding == "multipart":
        response = draft.client.post(
            url, data=multipart_body(form_field(field, text)), content_type=CONTENT_TYPE
        )
    else:
        response = draft.client.post(url, data={field: text})
    assert response.status_code == status
    page = _page(response)
    assert message in page
    with app.app_context():
        if step == "caption":
            assert db.session.scalar(select(EvidencePhoto.caption)) == before
        else:
            from dispute_journey import get_dispute

            assert get_dispute(app, draft.reference).description is None


ODD_NAMES = {
    "path-traversal": b"../../etc/passwd",
    "nul": b"photo\x00.jpg",
    "right-to-left-override": "gpj.\u202eexe.jpg".encode(),
    "300-bytes": b"p" * 296 + b".jpg",
    "emoji": "📦💥.jpg".encode(),
    "markup": b"<script>alert(1)</script>.jpg",
    "img-markup": b"<img src=x onerror=alert(1)>.jpg",
}


@pytest.mark.parametrize("filename", ODD_NAMES.values(), ids=ODD_NAMES.keys())
def test_odd_filenames_on_junk_are_refused_and_shown_escaped(app, draft, filename):
    response = _post(draft, multipart_body(file_part(filename, b"not a photo at all")))
    assert response.status_code == 422
    _page(response)
    _nothing_stored(app)


@pytest.mark.parametrize("filename", ODD_NAMES.values(), ids=ODD_NAMES.keys())
@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
def test_odd_filenames_on_a_real_photo_are_accepted_as_text(app, draft, filename, fragment):
    headers = {"HX-Request": "true"} if fragment else {}
    photo = make_photo(size=(400, 300))
    response = _post(draft, multipart_body(file_part(filename, photo)), headers=headers)
    assert response.status_code == (200 if fragment else 303)
    page = _page(draft.client.get(draft.url("photos")))
    with app.app_context():
        stored = db.session.scalar(select(EvidencePhoto))
        assert len(stored.original_filename) <= 255
        assert "\x00" not in stored.original_filename  # PostgreSQL refuses NUL in text
    folder = Path(app.config["EVIDENCE_FOLDER"]).resolve()
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) == 2 and all(p.resolve().is_relative_to(folder) for p in files)
    assert not any("passwd" in p.name or "\u202e" in p.name for p in files)
    if b"<" in filename:
        assert "&lt;" in page


@pytest.mark.parametrize(
    "part",
    [
        file_part(b"", make_photo(size=(400, 300))),
        file_part(b"a.jpg", b""),
        b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data\r\n\r\nx\r\n",
    ],
    ids=["empty-filename", "empty-file", "part-without-a-name"],
)
def test_empty_parts_get_a_message(app, draft, part):
    response = _post(draft, multipart_body(part))
    assert response.status_code in (400, 422)
    assert "<h1>" in _page(response) or "There is a problem" in _page(response)
    _nothing_stored(app)


def test_a_body_that_is_not_multipart_at_all(app, draft):
    response = _post(draft, b"\x00\xff" * 1000)
    assert 400 <= response.status_code < 500
    _page(response)
    _nothing_stored(app)
