"""Fields a form never had, or another dispute's ids, move nothing and change no state:
on a draft (photos, answers, submit). After submission: test_forged_actions.py.

Each test posts a request its sender may make, with forged fields added, and checks that
only what the form is for changed: the URL, the session and lifecycle.ALLOWED decide,
never the body.
"""

import pytest
from access_world import build_world, multipart, small_photo, snapshot
from forgeries import forgeries
from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.models import DisputeState, EvidencePhoto, Order, User


@pytest.fixture
def world(app):
    return build_world(app)


def _photos(app) -> dict:
    with app.app_context():
        emails = {u.id: u.email for u in db.session.scalars(select(User))}
        return {
            p.public_id: (p.dispute.reference, emails[p.uploader_id], p.caption)
            for p in db.session.scalars(select(EvidencePhoto))
        }


def test_an_upload_lands_in_the_url_s_draft_as_the_signed_in_buyer(app, world):
    before, photos_before = snapshot(app), _photos(app)
    fields = forgeries(app, world, "draft") + [("photos", ("forged.jpg", small_photo(50)))]
    body, content_type = multipart(fields)
    url = f"/disputes/{world.references['draft']}/photos"
    assert world.clients["owner"].post(url, data=body, content_type=content_type).status_code == 303
    after = _photos(app)
    new = {k: v for k, v in after.items() if k not in photos_before}
    assert list(new.values()) == [(world.references["draft"], "buyer@example.com", "")]
    assert world.photos["submitted"] not in new
    assert {k: after[k] for k in photos_before} == photos_before
    assert before["disputes"] == snapshot(app)["disputes"]


@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
def test_a_caption_goes_to_the_url_s_photo_only(app, world, fragment):
    before = _photos(app)
    target = world.photos["draft"]
    data = dict(forgeries(app, world, "draft")) | {"caption": "The crack"}
    headers = {"HX-Request": "true"} if fragment else {}
    response = world.clients["owner"].post(f"/photos/{target}/caption", data=data, headers=headers)
    assert response.status_code in (200, 303)
    after = _photos(app)
    assert after[target][2] == "The crack"
    assert {k: v for k, v in after.items() if k != target} == {
        k: v for k, v in before.items() if k != target
    }


def test_removing_a_photo_removes_the_url_s_photo_and_no_other(app, world):
    before = _photos(app)
    target = world.photos["draft"]
    data = dict(forgeries(app, world, "draft"))
    assert world.clients["owner"].post(f"/photos/{target}/remove", data=data).status_code == 303
    assert _photos(app) == {k: v for k, v in before.items() if k != target}


@pytest.mark.parametrize(
    ("step", "answer"),
    [
        ("reason", {"reason": "wrong_item"}),
        ("description", {"description": "A different story about the cracked mug."}),
        ("remedy", {"remedy": "replacement"}),
        ("return", {"will_return": "yes"}),
    ],
    ids=["reason", "description", "remedy", "return"],
)
def test_an_answer_changes_that_answer_and_no_state(app, world, step, answer):
    before = snapshot(app)
    data = dict(forgeries(app, world, "draft")) | answer
    url = f"/disputes/{world.references['draft']}/{step}"
    assert world.clients["owner"].post(url, data=data).status_code == 302
    after = snapshot(app)
    changed = [(b, a) for b, a in zip(before["disputes"], after["disputes"], strict=True) if b != a]
    assert len(changed) == 1 and changed[0][0][0] == world.references["draft"]
    assert changed[0][1][1:4] == changed[0][0][1:4]  # state, buyer, order
    assert changed[0][1][9:11] == changed[0][0][9:11]  # submitted_at, review_started_at
    assert before["photos"] == after["photos"] and before["events"] == after["events"]


def test_items_of_another_order_and_absurd_quantities_are_refused(app, world):
    with app.app_context():
        other_item = db.session.scalar(select(Order).where(Order.order_number == "2001")).items[0]
        own_item = db.session.get(Order, world.orders["draft"]).items[0]
        other_id, own_id = other_item.id, own_item.id
    before = snapshot(app)
    url = f"/disputes/{world.references['draft']}/items"
    for data, status in (
        ({"item": [str(other_id)]}, 422),
        ({"item": ["0"]}, 422),
        ({"item": [str(own_id), str(other_id)], f"quantity-{other_id}": "5"}, 302),
        # the mug was ordered once: no quantity box, so whatever is sent counts as one
        ({"item": [str(own_id)], f"quantity-{own_id}": "99"}, 302),
        ({"item": [str(own_id)], f"quantity-{own_id}": "-1"}, 302),
    ):
        response = world.clients["owner"].post(url, data=data)
        assert response.status_code == status, data
        assert snapshot(app) == before, data


def test_submit_submits_the_url_s_draft_only(app, world):
    data = dict(forgeries(app, world, "draft"))
    before = snapshot(app)
    url = f"/disputes/{world.references['draft']}/submit"
    assert world.clients["owner"].post(url, data=data).status_code == 303
    after = snapshot(app)
    states = {d[0]: d[1] for d in after["disputes"]}
    assert states[world.references["draft"]] == DisputeState.AWAITING_SELLER
    assert [d for d in after["disputes"] if d[0] != world.references["draft"]] == [
        d for d in before["disputes"] if d[0] != world.references["draft"]
    ]
    assert after["events"] == before["events"] + 1
