"""The message thread: who reads it, who posts, photos stored clean and immutable."""

import io
import re
from pathlib import Path

import pytest
from lifecycle_helpers import dispute_in, page
from photo_samples import make_photo
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from dispute_portal.extensions import db
from dispute_portal.models import DisputeState, EvidencePhoto, Message

S = DisputeState
HX = {"HX-Request": "true"}


def post_message(client, reference, body, *photos, headers=None):
    fields = MultiDict([("body", body)])
    for name, data in photos:
        fields.add("photos", FileStorage(io.BytesIO(data), name))
    boundary, data = encode_multipart(fields)
    return client.post(
        f"/disputes/{reference}/messages",
        data=data,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers or {},
    )


@pytest.mark.parametrize(
    ("state", "who", "status"),
    [
        (S.AWAITING_SELLER, "buyer", 303),
        (S.AWAITING_SELLER, "seller", 303),
        (S.AWAITING_SELLER, "reviewer", 404),  # not in review yet
        (S.AWAITING_SELLER, "buyer2", 404),
        (S.AWAITING_SELLER, "seller2", 404),
        (S.UNDER_REVIEW, "reviewer", 303),
        (S.DRAFT, "buyer", 404),  # a draft has no thread yet
    ],
)
def test_who_may_post(app, clients, state, who, status):
    reference = dispute_in(app, state)
    assert post_message(clients[who], reference, "Hello there.").status_code == status


def test_thread_visible_to_parties_only(app, clients):
    reference = dispute_in(app, S.AWAITING_SELLER)
    post_message(clients["seller"], reference, "We packed it in bubble wrap.")
    assert "We packed it in bubble wrap." in page(clients["buyer"], f"/disputes/{reference}")
    for outsider in ("buyer2", "seller2", "reviewer"):
        assert clients[outsider].get(f"/disputes/{reference}").status_code == 404


def test_reviewer_reads_the_thread_once_in_review(app, clients):
    reference = dispute_in(app, S.UNDER_REVIEW)
    post_message(clients["buyer"], reference, "The courier left it in the rain.")
    html = page(clients["reviewer"], f"/review/{reference}")
    assert "The courier left it in the rain." in html
    post_message(clients["reviewer"], reference, "Please send the label too.")
    assert "Please send the label too." in page(clients["seller"], f"/disputes/{reference}")


def test_seller_counter_evidence_photos_are_stored_clean_and_served_to_parties(app, clients):
    reference = dispute_in(app, S.AWAITING_SELLER)
    photo = make_photo("PNG", seed=7)
    response = post_message(clients["seller"], reference, "As packed.", ("packed.png", photo))
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(
            select(EvidencePhoto).where(EvidencePhoto.message_id.is_not(None))
        )
        assert stored.uploader_id == db.session.get(Message, stored.message_id).author_id
        public_id = stored.public_id
        assert stored.dispute.photos == []  # not mixed into the buyer's evidence
    with clients["buyer"].get(f"/photos/{public_id}/image") as image:
        assert image.status_code == 200 and image.mimetype == "image/jpeg"
        assert Image.open(io.BytesIO(image.data)).getexif() == {}
    assert clients["buyer2"].get(f"/photos/{public_id}/image").status_code == 404
    # Posted photos are part of the record: they cannot be removed or re-captioned.
    assert clients["seller"].post(f"/photos/{public_id}/remove").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(EvidencePhoto).where(EvidencePhoto.public_id == public_id))


def test_a_refused_photo_posts_nothing(app, clients):
    reference = dispute_in(app, S.AWAITING_SELLER)
    response = post_message(
        clients["buyer"], reference, "Two photos.", ("ok.jpg", make_photo()), ("bad.jpg", b"xx")
    )
    assert response.status_code == 422
    assert "bad.jpg" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Message)).all() == []
        assert db.session.scalars(select(EvidencePhoto)).all() == []
    assert not list(Path(app.config["EVIDENCE_FOLDER"]).rglob("*.jpg"))


def test_an_empty_message_is_refused_with_a_message(app, clients):
    reference = dispute_in(app, S.AWAITING_SELLER)
    response = post_message(clients["buyer"], reference, "  ")
    assert response.status_code == 422
    assert "Write your message" in response.get_data(as_text=True)


def test_htmx_post_appends_the_message_and_a_fresh_form(app, clients):
    reference = dispute_in(app, S.AWAITING_SELLER)
    html = page(clients["buyer"], f"/disputes/{reference}")
    assert 'hx-target="#message-list"' in html and 'id="message-list"' in html
    response = post_message(clients["buyer"], reference, "Any news?", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert re.search(r'<li class="message" id="message-\d+">', body)
    assert 'id="message-form"' in body and 'hx-swap-oob="true"' in body
    refused = post_message(clients["buyer"], reference, "", headers=HX)
    assert refused.status_code == 422
    assert refused.headers["HX-Retarget"] == "#message-form"


def test_no_posting_after_the_dispute_ended(app, clients):
    reference = dispute_in(app, S.WITHDRAWN)
    assert post_message(clients["buyer"], reference, "One more thing.").status_code == 422
    assert 'id="message-form"' not in page(clients["buyer"], f"/disputes/{reference}")
