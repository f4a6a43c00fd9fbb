"""After submission, forged fields on a message or a lifecycle action move nothing: the
URL, the session and lifecycle.ALLOWED decide, never the body."""

import pytest
from access_world import build_world, snapshot
from forgeries import forgeries
from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.models import Dispute, DisputeEvent, DisputeState, Message


@pytest.fixture
def world(app):
    return build_world(app)


def test_a_message_is_the_sender_s_on_the_url_s_dispute(app, world):
    data = dict(forgeries(app, world, "submitted")) | {"body": "Any news?"}
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
    form = dict(forgeries(app, world, subject)) | data
    assert world.clients[role].post(url, data=form).status_code == status
    assert snapshot(app) == before


def test_an_allowed_action_follows_the_table_whatever_the_form_says(app, world):
    """The seller rejects: the state is the rule's, not the forged one."""
    url = f"/disputes/{world.references['submitted']}/do/reject"
    form = dict(forgeries(app, world, "submitted")) | {"reason": "It left us intact."}
    assert world.clients["seller"].post(url, data=form).status_code == 303
    with app.app_context():
        dispute = db.session.scalar(
            select(Dispute).where(Dispute.reference == world.references["submitted"])
        )
        event = db.session.scalars(select(DisputeEvent).order_by(DisputeEvent.id.desc())).first()
        assert dispute.state == DisputeState.NEGOTIATING
        assert dispute.review_started_at is None
        assert (event.action, event.to_state) == ("reject", "negotiating")
