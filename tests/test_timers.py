"""Every timer, with a frozen clock: what it does, that firing twice does nothing more,
and that viewing a dispute applies it even where no cron runs."""

from datetime import timedelta

import pytest
from lifecycle_helpers import PASSWORDS, act, later, new_dispute
from sqlalchemy import func, select

from dispute_portal.extensions import db
from dispute_portal.models import DisputeEvent, DisputeState, Outcome, Remedy, utcnow
from dispute_portal.timers import run_timers

S = DisputeState


@pytest.fixture
def timed_app(app):
    app.config["CLOCK_NOW"] = utcnow()
    with app.app_context():
        yield app


def events(dispute) -> int:
    return db.session.scalar(
        select(func.count()).select_from(DisputeEvent).where(DisputeEvent.dispute_id == dispute.id)
    )


def fire_twice(app, days: float, dispute):
    """Nothing before the deadline; once after it; nothing more the second time."""
    before = events(dispute)
    later(app, days=days - 0.01)
    assert mine(dispute) == []
    later(app, days=0.02)
    fired = mine(dispute)
    assert events(dispute) == before + len(fired) >= before + 1
    assert mine(dispute) == [] and events(dispute) == before + len(fired)
    db.session.refresh(dispute)
    return fired


def mine(dispute):
    """Run every due timer (the demo disputes' too); keep this dispute's firings."""
    return [(d, event) for d, event in run_timers() if d.id == dispute.id]


def test_a_silent_seller_sends_the_dispute_to_review(timed_app):
    dispute = new_dispute(timed_app, S.AWAITING_SELLER)
    (fired,) = fire_twice(timed_app, 5, dispute)
    assert fired[1].detail == "seller did not respond"
    assert dispute.state == S.UNDER_REVIEW and dispute.seller_did_not_respond
    assert dispute.deadline_at == dispute.review_started_at + timedelta(days=7)


def test_a_small_claim_is_accepted_when_the_seller_stays_silent(timed_app):
    timed_app.config["AUTO_ACCEPT_UP_TO_MINOR"] = 3000
    dispute = new_dispute(timed_app, S.AWAITING_SELLER, remedy=Remedy.PARTIAL_REFUND)
    fire_twice(timed_app, 5, dispute)
    assert (dispute.state, dispute.outcome) == (S.CLOSED, Outcome.AUTO_ACCEPTED)
    assert dispute.resolution_amount_minor == 3000
    big = new_dispute(timed_app, S.AWAITING_SELLER)  # £89.99 claimed: over the ceiling
    fire_twice(timed_app, 5, big)
    assert big.state == S.UNDER_REVIEW


def test_a_lapsed_offer_goes_to_review_never_closed(timed_app):
    dispute = new_dispute(timed_app, S.NEGOTIATING, turn="buyer")
    (fired,) = fire_twice(timed_app, 3, dispute)
    assert fired[1].detail == "offer lapsed"
    assert dispute.state == S.UNDER_REVIEW and dispute.open_offer is None


def test_a_negotiation_escalates_by_itself_on_day_15(timed_app):
    dispute = new_dispute(timed_app, S.AWAITING_SELLER)
    act(dispute, "seller", "reject", timed_app.config["CLOCK_NOW"], timed_app.config)
    (fired,) = fire_twice(timed_app, 15, dispute)
    assert fired[1].detail == "escalated automatically" and dispute.state == S.UNDER_REVIEW


def test_an_unanswered_question_returns_to_the_reviewer(timed_app):
    dispute = new_dispute(timed_app, S.NEEDS_INFO, turn="seller")
    fire_twice(timed_app, 3, dispute)
    assert dispute.state == S.UNDER_REVIEW
    assert dispute.info_requests[0].answer is None and dispute.open_info_request is None


def test_an_overdue_review_grants_the_buyers_request(timed_app):
    dispute = new_dispute(timed_app, S.UNDER_REVIEW)
    fire_twice(timed_app, 30, dispute)
    assert (dispute.state, dispute.outcome) == (S.CLOSED, Outcome.REVIEW_OVERDUE)
    assert dispute.resolution.value == "full_refund"


def test_a_return_not_sent_closes_for_the_seller(timed_app):
    dispute = new_dispute(timed_app, S.AWAITING_RETURN)
    fire_twice(timed_app, 7, dispute)
    assert (dispute.state, dispute.outcome) == (S.CLOSED, Outcome.RETURN_NOT_SENT)


def test_an_unconfirmed_return_makes_the_refund_due(timed_app):
    dispute = new_dispute(timed_app, S.RETURN_IN_TRANSIT)
    fire_twice(timed_app, 3, dispute)
    assert (dispute.state, dispute.outcome) == (S.CLOSED, Outcome.REFUND_DUE)


def test_timers_chain_when_nobody_looked_for_weeks(timed_app):
    """Each timer is dated when its deadline passed, so a late run ends where cron would."""
    dispute = new_dispute(timed_app, S.AWAITING_SELLER)
    submitted = dispute.submitted_at
    later(timed_app, days=40)
    run_timers()
    db.session.refresh(dispute)
    assert (dispute.state, dispute.outcome) == (S.CLOSED, Outcome.REVIEW_OVERDUE)
    assert dispute.review_started_at == submitted + timedelta(days=5)
    assert dispute.closed_at == submitted + timedelta(days=35)


def test_the_cli_command_says_what_it_did(timed_app):
    dispute = new_dispute(timed_app, S.AWAITING_SELLER)
    later(timed_app, days=6)
    runner = timed_app.test_cli_runner()
    result = runner.invoke(args=["run-timers"])
    assert f"{dispute.reference}: awaiting_seller → under_review" in result.output
    assert "timer(s)." in result.output
    assert "Applied 0 timer(s)." in runner.invoke(args=["run-timers"]).output


def test_viewing_a_dispute_applies_its_timers(app):
    app.config["CLOCK_NOW"] = utcnow()
    with app.app_context():
        dispute = new_dispute(app, S.AWAITING_SELLER)
        reference = dispute.reference
    later(app, days=5, minutes=1)
    client = app.test_client()
    client.post(
        "/sign-in", data={"email": "buyer@example.com", "password": PASSWORDS["buyer@example.com"]}
    )
    page = client.get(f"/disputes/{reference}").get_data(as_text=True)
    assert "With our reviewers" in page and "The seller did not respond in time." in page
    assert client.get(f"/disputes/{reference}").status_code == 200
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(DisputeEvent)
                .where(DisputeEvent.action == "timeout")
            )
            == 1
        )
