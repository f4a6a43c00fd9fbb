"""Every (state, role, action) cell: allowed ones work and log one event, others change
nothing and say why."""

from datetime import timedelta

import pytest
from lifecycle_helpers import INPUTS, ROLES, act, new_dispute
from sqlalchemy import func, select

from dispute_portal.deadlines import timer_due_at
from dispute_portal.extensions import db
from dispute_portal.lifecycle import ALLOWED, NOT_ALLOWED, Action, Refused
from dispute_portal.models import DisputeEvent, DisputeState, utcnow

S, A = DisputeState, Action


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(DisputeEvent))


def when_allowed(app, dispute, action):
    """A time at which the action's own preconditions hold."""
    t0 = app.config["CLOCK_NOW"]
    if action == A.TIMEOUT:
        return timer_due_at(dispute, app.config)
    if action == A.ESCALATE:
        return t0 + timedelta(days=app.config["ESCALATE_FROM_DAYS"])
    return t0 + timedelta(hours=1)


@pytest.fixture
def lifecycle_app(app):
    app.config["CLOCK_NOW"] = utcnow()
    with app.app_context():
        yield app


def test_the_table_names_only_real_states_roles_and_actions():
    for (state, role), actions in ALLOWED.items():
        assert state in set(S) and role in ROLES and actions <= set(A)
    assert A.SUBMIT in ALLOWED[(S.DRAFT, "buyer")]
    assert not any(state == S.WITHDRAWN for state, _role in ALLOWED)


@pytest.mark.parametrize("state", list(S), ids=str)
def test_every_cell_of_the_table(lifecycle_app, state):
    app = lifecycle_app
    refused_cells = 0
    for role in ROLES:
        shared = new_dispute(app, state, turn=role)  # refusals must leave it as it is
        for action in A:
            if action in ALLOWED.get((state, role), ()):
                dispute = new_dispute(app, state, turn=role)
                before = event_count()
                event = act(dispute, role, action, when_allowed(app, dispute, action), app.config)
                assert event_count() == before + 1, (state, role, action)
                assert (event.action, event.from_state) == (action.value, state.value)
                assert dispute.state.value == event.to_state
                continue
            before, deadline = event_count(), shared.deadline_at
            with pytest.raises(Refused) as refused:
                act(shared, role, action, when_allowed(app, shared, action), app.config)
            assert refused.value.not_allowed and refused.value.message == NOT_ALLOWED
            assert (shared.state, shared.deadline_at) == (state, deadline)
            assert event_count() == before
            refused_cells += 1
    allowed = sum(len(v) for (s, _r), v in ALLOWED.items() if s == state)
    assert refused_cells == len(ROLES) * len(A) - allowed


@pytest.mark.parametrize(
    ("action", "inputs", "field"),
    [
        (A.OFFER, {"kind": "cash"}, "kind"),
        (A.OFFER, {"amount": 0}, "amount"),
        (A.OFFER, {"amount": 9000}, "amount"),  # more than the £89.99 paid
        (A.REJECT, {"reason": "  "}, "reason"),
        (A.REJECT, {"reason": "x" * 5001}, "reason"),
    ],
)
def test_seller_mistakes_are_refused_with_a_message(lifecycle_app, action, inputs, field):
    app = lifecycle_app
    dispute = new_dispute(app, S.AWAITING_SELLER)
    with pytest.raises(Refused) as refused:
        act(dispute, "seller", action, app.config["CLOCK_NOW"], app.config, **inputs)
    assert refused.value.field == field and not refused.value.not_allowed
    assert dispute.state == S.AWAITING_SELLER


def test_escalating_waits_for_day_three_unless_the_seller_rejected(lifecycle_app):
    app = lifecycle_app
    t0 = app.config["CLOCK_NOW"]
    dispute = new_dispute(app, S.NEGOTIATING, turn="buyer")
    with pytest.raises(Refused, match="from day 3"):
        act(dispute, "buyer", A.ESCALATE, t0 + timedelta(days=2), app.config)
    act(dispute, "seller", A.ESCALATE, t0 + timedelta(days=3), app.config)
    assert dispute.state == S.UNDER_REVIEW
    rejected = new_dispute(app, S.AWAITING_SELLER)
    act(rejected, "seller", A.REJECT, t0, app.config)
    act(rejected, "buyer", A.ESCALATE, t0, app.config)
    assert rejected.state == S.UNDER_REVIEW and rejected.review_started_at == t0


def test_only_the_party_whose_turn_it_is_answers_an_offer(lifecycle_app):
    app = lifecycle_app
    t0 = app.config["CLOCK_NOW"]
    dispute = new_dispute(app, S.NEGOTIATING, turn="buyer")
    with pytest.raises(Refused, match="no offer"):
        act(dispute, "seller", A.ACCEPT_OFFER, t0, app.config)
    with pytest.raises(Refused, match="not your turn"):
        act(dispute, "seller", A.OFFER, t0, app.config)
    act(dispute, "buyer", A.ACCEPT_OFFER, t0, app.config)
    assert dispute.state == S.CLOSED
    assert (dispute.resolution.value, dispute.resolution_amount_minor) == ("partial_refund", 1000)


def test_appeal_once_within_the_window(lifecycle_app):
    app = lifecycle_app
    t0 = app.config["CLOCK_NOW"]
    dispute = new_dispute(app, S.CLOSED)
    late = t0 + timedelta(days=31)
    with pytest.raises(Refused, match="time to appeal has ended"):
        act(dispute, "buyer", A.APPEAL, late, app.config)
    act(dispute, "seller", A.APPEAL, t0 + timedelta(days=1), app.config)
    assert dispute.state == S.UNDER_REVIEW
    act(dispute, "reviewer", A.DECIDE, t0 + timedelta(days=2), app.config, **INPUTS[A.DECIDE])
    assert dispute.state == S.CLOSED
    with pytest.raises(Refused, match="only once"):
        act(dispute, "buyer", A.APPEAL, t0 + timedelta(days=3), app.config)
