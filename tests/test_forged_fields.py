"""Fields a form never had, or another dispute's ids, move nothing and change no state.

Each test posts a request its sender may make, with forged fields added, and checks that
only what the form is for changed: the URL, the session and lifecycle.ALLOWED decide,
never the body.
"""

import pytest
from access_world import build_world, multipart, small_photo, snapshot
from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.models import (
    Dispute,
    DisputeEvent,
    DisputeState,
    EvidencePhoto,
    Message,
    Order,
    User,
)


@pytest.fixture
def world(app):
    return build_world(app)


def _ids(app, world) -> dict:
    """Database ids a forger might try: another dispute's, another person's."""
    with app.app_context():
        disputes = {
            s: db.session.scalar(select(Dispute.id).where(Dispute.reference == r))
            for s, r in world.references.items()
        }
        users = {u.email.split("@")[0]: u.id for u in db.session.scalars(select(User))}
        return {"disputes": disputes, "users": users}


def _forgeries(app, world, target: str) -> list[tuple[str, str]]:
    """Every field a forger might add, pointing at something other than `target`."""
    other = "submitted" if target != "submitted" else "review"
    ids = _ids(app, world)
    return [
        ("reference", world.references[other]),
        ("dispute_id", str(ids["disputes"][other])),
        ("dispute", world.references[other]),
        ("buyer_id", str(ids["users"]["buyer2"])),
        ("uploader_id", str(ids["users"]["seller"])),
        ("author_id", str(ids["users"]["reviewer"])),
        ("author_role", "reviewer"),
        ("user_id", str(ids["users"]["seller"])),
        ("public_id", world.photos[other]),
        ("photo", world.photos[other]),
        ("state", "closed"),
        ("status", "resolved"),
        ("to_state", "resolved"),
        ("review_started_at", "2020-01-01T00:00:00"),
        ("submitted_at", "2020-01-01T00:00:00"),
        ("action", "decide"),
        ("outcome", "refund_full"),
    ]


def _photos(app) -> dict:
    with app.app_context():
        emails = {u.id: u.email for u in db.session.scalars(select(User))}
        return {
            p.public_id: (p.dispute.reference, emails[p.uploader_id], p.caption)
            for p in db.session.scalars(select(EvidencePhoto))
        }


def test_an_upload_lands_in_the_url_s_draft_as_the_signed_in_buyer(app, world):
    before, photos_before = snapshot(app), _photos(app)
    fields = _forgeries(app, world, "draft") + [("photos", ("forged.jpg", small_photo(50)))]
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
    data = dict(_forgeries(app, world, "draft")) | {"caption": "The crack"}
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
    data = dict(_forgeries(app, world, "draft"))
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
    data = dict(_forgeries(app, world, "draft")) | answer
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
    data = dict(_forgeries(app, world, "draft"))
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


def test_a_message_is_the_sender_s_on_the_url_s_dispute(app, world):
    data = dict(_forgeries(app, world, "submitted")) | {"body": "Any news?"}
    before = snapshot(app)
    url = f"/disputes/{world.references['submitted']}/messages"
    assert world.clients["owner"].post(url, data=data).status_code == 303
    with app.app_context():
        message = db.session.scalar(select(Message))
        dispute = db.session.get(Dispute, message.dispute_id)
        assert dispute.reference == world.references["submitted"]
        assert (message.author.email, message.author_role) == ("buyer@example.com", "buyer")
    after = snapshot(app)
    assert after["disputes"] == before["disputes"] and after["photos"] == before["photos"]


@pytest.mark.parametrize(
    ("role", "subject", "action", "data", "status"),
    [
        ("owner", "submitted", "accept", {}, 409),
        ("seller", "submitted", "withdraw", {}, 409),
        ("seller", "submitted", "decide", {"decision": "rejected", "reason": "x"}, 409),
        ("seller", "review", "reject", {"reason": "No."}, 409),
        ("owner", "review", "decide", {"decision": "full_refund", "reason": "Me."}, 409),
        ("reviewer", "submitted", "decide", {"decision": "full_refund", "reason": "x"}, 404),
        ("seller", "submitted", "timeout", {}, 404),
        ("seller", "submitted", "submit", {}, 404),
        ("owner", "draft", "submit", {}, 404),
        ("seller", "submitted", "resolve", {}, 404),
        ("seller", "submitted", "ACCEPT", {}, 404),
        ("seller", "submitted", "accept%00", {}, 404),
        ("other_seller", "submitted", "accept", {}, 404),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_actions_outside_the_lifecycle_table_change_nothing(
    app, world, role, subject, action, data, status
):
    before = snapshot(app)
    url = f"/disputes/{world.references[subject]}/do/{action}"
    form = dict(_forgeries(app, world, subject)) | data
    assert world.clients[role].post(url, data=form).status_code == status
    assert snapshot(app) == before


def test_an_allowed_action_follows_the_table_whatever_the_form_says(app, world):
    """The seller rejects: the state is the rule's, not the forged one."""
    url = f"/disputes/{world.references['submitted']}/do/reject"
    form = dict(_forgeries(app, world, "submitted")) | {"reason": "It left us intact."}
    assert world.clients["seller"].post(url, data=form).status_code == 303
    with app.app_context():
        dispute = db.session.scalar(
            select(Dispute).where(Dispute.reference == world.references["submitted"])
        )
        event = db.session.scalars(select(DisputeEvent).order_by(DisputeEvent.id.desc())).first()
        assert dispute.state == DisputeState.NEGOTIATING
        assert dispute.review_started_at is None
        assert (event.action, event.to_state) == ("reject", "negotiating")
