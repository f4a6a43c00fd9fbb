import re
from datetime import timedelta

import pytest
from dispute_journey import get_dispute, order_id
from sqlalchemy import func, select

from dispute_portal.extensions import db
from dispute_portal.models import Dispute, DisputeEvent, Order


def test_submit_shows_confirmation_with_reference_and_deadline(app, journey):
    reference = journey.complete("1002")
    response = journey.post("submit")
    assert response.status_code == 303
    assert response.location == journey.url("confirmation")
    page = journey.client.get(response.location).get_data(as_text=True)
    dispute = get_dispute(app, reference)
    assert dispute.state.value == "awaiting_seller"
    assert dispute.seller_response_due_at - dispute.submitted_at == timedelta(days=5)
    assert f'<strong class="reference">{reference}</strong>' in page
    assert "What happens next" in page
    due = dispute.seller_response_due_at
    assert f"The seller must respond by {due:%B} {due.day}, {due.year}" in page


def test_submitting_twice_creates_one_dispute_and_one_event(app, journey):
    reference = journey.complete("1002")
    first, second = journey.post("submit"), journey.post("submit")
    assert first.location == second.location == journey.url("confirmation")
    with app.app_context():
        disputes = (
            select(func.count())
            .select_from(Dispute)
            .where(Dispute.order_id == order_id(app, "1002"))
        )
        assert db.session.scalar(disputes) == 1
        events = db.session.scalars(
            select(DisputeEvent.action).join(Dispute).where(Dispute.reference == reference)
        ).all()
    assert events.count("submit") == 1
    assert get_dispute(app, reference).state.value == "awaiting_seller"


def test_after_submission_the_answers_cannot_change(journey):
    journey.complete("1002")
    journey.post("submit")
    response = journey.post("description", {"description": "An attempt to rewrite history."})
    assert response.status_code == 302
    assert response.location == f"/disputes/{journey.reference}"
    page = journey.client.get(response.location).get_data(as_text=True)
    assert "can no longer be changed" in page
    assert "An attempt to rewrite" not in page
    assert "Waiting for the seller" in page


def test_incomplete_draft_cannot_be_submitted(journey):
    journey.start("1001")
    journey.post("reason", {"reason": "damaged"})
    response = journey.post("submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "You need to answer this question before you submit" in page
    assert 'href="#answer-description"' in page


def test_an_item_cannot_be_in_two_open_disputes(app, journey):
    journey.complete("1002")
    journey.post("submit")
    page = journey.client.get(f"/orders/{order_id(app, '1002')}").get_data(as_text=True)
    assert "Open dispute</a>" in page  # two other items are still free
    journey.start("1002")
    items_page = journey.client.get(journey.url("items")).get_data(as_text=True)
    assert "Running shoes" not in items_page
    assert "Items already in an open dispute are not listed." in items_page


def test_a_fully_disputed_order_refuses_another_dispute(app, journey):
    journey.complete("1001")
    journey.post("submit")
    response = journey.client.post(f"/orders/{order_id(app, '1001')}/dispute")
    assert response.status_code == 409
    assert "already part of an open dispute" in response.get_data(as_text=True)


def test_window_is_checked_again_at_submission(app, journey):
    journey.complete("1002")
    with app.app_context():
        order = db.session.get(Order, order_id(app, "1002"))
        order.delivered_at -= timedelta(days=30)
        db.session.commit()
    response = journey.post("submit")
    assert response.status_code == 422
    assert "You can no longer open a dispute" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "password", "status"),
    [
        ("buyer2@example.com", "buyer-pass-2", 404),
        ("seller@example.com", "seller-pass-1", 200),
        ("reviewer@example.com", "reviewer-pass-1", 404),  # until it reaches review
    ],
)
def test_only_the_parties_see_a_submitted_dispute_and_its_photos(
    app, journey, email, password, status
):
    reference = journey.complete("1002")
    journey.post("submit")
    page = journey.client.get(f"/disputes/{reference}").get_data(as_text=True)
    photo_urls = re.findall(r"(/photos/[\w-]+/(?:image|thumbnail))", page)
    assert len(photo_urls) == 2
    other = app.test_client()
    other.post("/sign-in", data={"email": email, "password": password})
    assert other.get(f"/disputes/{reference}").status_code == status
    for url in photo_urls:
        response = other.get(url)
        assert response.status_code == status
        if status == 200:
            assert response.mimetype == "image/jpeg"
        response.close()


def test_drafts_are_private_to_the_buyer(app, journey):
    reference = journey.complete("1002")
    photo_url = re.search(
        r"/photos/[\w-]+/thumbnail", journey.client.get(journey.url("check")).get_data(as_text=True)
    ).group(0)
    seller = app.test_client()
    seller.post("/sign-in", data={"email": "seller@example.com", "password": "seller-pass-1"})
    assert seller.get(f"/disputes/{reference}").status_code == 404
    assert seller.get(photo_url).status_code == 404
    signed_out = app.test_client()
    assert signed_out.get(photo_url).status_code == 404


def test_events_are_append_only(app, journey):
    journey.complete("1002")
    journey.post("submit")
    with app.app_context():
        event = db.session.scalars(select(DisputeEvent)).first()
        event.action = "forged"
        with pytest.raises(PermissionError):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(PermissionError):
            db.session.delete(db.session.scalars(select(DisputeEvent)).first())
            db.session.commit()
