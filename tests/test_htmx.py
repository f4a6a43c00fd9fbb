"""What htmx requests get back: fragments the page itself includes, not whole pages."""

import gzip
import re

from photo_samples import make_photo
from sqlalchemy import func, select

from dispute_portal.extensions import db
from dispute_portal.models import EvidencePhoto

HTMX = {"HX-Request": "true"}


def _htmx_upload(journey, name, data):
    from io import BytesIO

    return journey.client.post(
        journey.url("photos"),
        data={"action": "upload", "photos": (BytesIO(data), name)},
        headers=HTMX,
        content_type="multipart/form-data",
    )


def _rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(EvidencePhoto))


def test_an_htmx_upload_answers_with_the_new_photo_and_the_running_total(app, journey):
    journey.start("1001")
    response = _htmx_upload(journey, "mug.jpg", make_photo(size=(400, 300)))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page
    assert re.search(r'<li class="photo" id="photo-[\w-]+">', page)
    assert 'alt="Photo 1: mug.jpg"' in page
    assert re.search(r'<p id="photo-count"[^>]*hx-swap-oob="true"[^>]*>1 of 10 photos', page)


def test_a_refused_htmx_upload_says_why_next_to_that_photo(app, journey):
    journey.start("1001")
    response = _htmx_upload(journey, "notes.txt", b"not a photo")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error-message">notes.txt: The selected file must be a JPEG' in page
    assert "0 of 10 photos" in page
    assert _rows(app) == 0


def test_htmx_remove_and_caption_update_just_the_photo(app, journey):
    journey.start("1001")
    page = _htmx_upload(journey, "mug.jpg", make_photo(size=(400, 300))).get_data(as_text=True)
    public_id = re.search(r'id="photo-([\w-]+)"', page).group(1)
    saved = journey.client.post(
        f"/photos/{public_id}/caption", data={"caption": "Chipped rim"}, headers=HTMX
    )
    assert saved.status_code == 200
    assert 'alt="Chipped rim"' in saved.get_data(as_text=True)
    assert 'role="status">Caption saved' in saved.get_data(as_text=True)
    too_long = journey.client.post(
        f"/photos/{public_id}/caption", data={"caption": "x" * 201}, headers=HTMX
    )
    assert too_long.status_code == 422
    assert f'id="caption-{public_id}-error"' in too_long.get_data(as_text=True)
    removed = journey.client.post(f"/photos/{public_id}/remove", headers=HTMX)
    assert removed.status_code == 200
    body = removed.get_data(as_text=True).strip()
    assert body.startswith('<p id="photo-count"') and "0 of 10 photos" in body
    assert _rows(app) == 0


def test_boosted_navigation_still_gets_whole_pages(journey):
    journey.start("1001")
    headers = {**HTMX, "HX-Boosted": "true"}
    page = journey.client.get(journey.url("photos"), headers=headers).get_data(as_text=True)
    assert "<title>Add photos" in page and "<body" in page


def test_pages_load_htmx_with_its_version_and_no_inline_styles(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert re.search(r'<script src="/static/js/htmx-2\.0\.11\.min\.js\?v=\w+" defer>', page)
    assert '"includeIndicatorStyles":false' in page
    assert 'hx-boost="true"' in page
    assert "<style" not in page and " style=" not in page


def test_static_files_are_versioned_cached_and_compressed(client):
    page = client.get("/sign-in").get_data(as_text=True)
    url = re.search(r'src="(/static/js/portal\.js\?v=\w+)"', page).group(1)
    # What Chromium sends over plain HTTP (it offers br and zstd only over HTTPS).
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Uploader" in gzip.decompress(response.get_data())
    response.close()
    html = client.get("/sign-in", headers={"Accept-Encoding": "gzip"})
    assert html.headers["Content-Encoding"] == "gzip"


def test_static_files_are_brotli_compressed_at_the_smallest_setting(client):
    import brotli

    page = client.get("/sign-in").get_data(as_text=True)
    url = re.search(r'src="(/static/js/htmx-2\.0\.11\.min\.js\?v=\w+)"', page).group(1)
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    plain = brotli.decompress(response.get_data())
    assert len(response.get_data()) == len(brotli.compress(plain, quality=11)) < 16 * 1024
    response.close()


def test_pages_name_a_favicon_so_browsers_do_not_ask_for_a_404(client):
    page = client.get("/sign-in").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="(/static/favicon\.ico\?v=\w+)">', page).group(1)
    response = client.get(icon)
    assert response.status_code == 200 and response.mimetype in {
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }
    response.close()
