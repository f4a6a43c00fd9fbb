"""The reviewer's pages, returns, appeals, and 404s for everyone else."""

import re

import pytest
from lifecycle_helpers import dispute_in, do, later, page, signed_in_clients, state_of
from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.lifecycle import Action
from dispute_portal.models import Dispute, DisputeState

S = DisputeState


@pytest.fixture
def people(app):
    return signed_in_clients(app)


def test_reviewer_queue_is_ordered_by_deadline_and_shows_escalated_only(app, people):
    waiting = dispute_in(app, S.AWAITING_SELLER)
    first = dispute_in(app, S.UNDER_REVIEW)
    later(app, days=1)
    second = dispute_in(app, S.UNDER_REVIEW)
    queue = page(people["reviewer"], "/disputes")
    assert queue.index(first) < queue.index(second) and waiting not in queue
    assert people["reviewer"].get(f"/disputes/{waiting}").status_code == 404


def test_notes_are_for_reviewers_only(app, people):
    ref = dispute_in(app, S.UNDER_REVIEW)
    note = "Internal: seller has three similar disputes this month."
    response = do(people["reviewer"], ref, "note", text=note)
    assert response.location == f"/review/{ref}"
    assert note in page(people["reviewer"], f"/review/{ref}")
    for party in ("buyer", "seller"):
        assert note not in page(people[party], f"/disputes/{ref}")
        assert people[party].get(f"/review/{ref}").status_code == 404


def test_request_for_information_and_reply(app, people):
    ref = dispute_in(app, S.UNDER_REVIEW)
    assert do(people["reviewer"], ref, "request_info", question="?").status_code == 422
    do(people["reviewer"], ref, "request_info", party="seller", question="Proof of postage?")
    assert "Proof of postage?" in page(people["seller"], f"/disputes/{ref}")
    assert "Proof of postage?" not in page(people["buyer"], f"/disputes/{ref}")
    assert do(people["buyer"], ref, "reply", answer="Me?").status_code == 409
    do(people["seller"], ref, "reply", answer="Receipt number 555.")
    assert state_of(app, ref).state == S.UNDER_REVIEW
    assert "Receipt number 555." in page(people["reviewer"], f"/review/{ref}")


def test_decision_with_reason_is_shown_to_both_parties(app, people):
    ref = dispute_in(app, S.UNDER_REVIEW)
    bad = do(people["reviewer"], ref, "decide", decision="partial_refund", amount="5")
    assert bad.status_code == 422 and 'href="#reason"' in bad.get_data(as_text=True)
    do(people["reviewer"], ref, "decide", decision="partial_refund", amount="5", reason="Minor.")
    for party in ("buyer", "seller"):
        text = page(people[party], f"/disputes/{ref}")
        assert "Minor." in text and "A partial refund of £5.00" in text


def test_return_tracking_then_confirmation(app, people):
    ref = dispute_in(app, S.AWAITING_SELLER, will_return=True)
    do(people["seller"], ref, "accept")
    assert state_of(app, ref).state == S.AWAITING_RETURN
    assert do(people["buyer"], ref, "add_tracking", tracking="").status_code == 422
    do(people["buyer"], ref, "add_tracking", tracking="RM123456789GB")
    assert "RM123456789GB" in page(people["seller"], f"/disputes/{ref}")
    do(people["seller"], ref, "confirm_return")
    dispute = state_of(app, ref)
    assert (dispute.state, dispute.outcome.value) == (S.CLOSED, "refund_due")


def test_appeal_once(app, people):
    ref = dispute_in(app, S.CLOSED)
    do(people["buyer"], ref, "appeal", reason="The seller never sent the refund.")
    assert state_of(app, ref).state == S.UNDER_REVIEW
    do(people["reviewer"], ref, "decide", decision="rejected", reason="Refund was paid.")
    response = do(people["seller"], ref, "appeal", reason="And again.")
    assert response.status_code == 409 and "only once" in response.get_data(as_text=True)


URLS = ["/disputes/{ref}", "/review/{ref}"] + [f"/disputes/{{ref}}/do/{a.value}" for a in Action]


@pytest.mark.parametrize("state", [S.AWAITING_SELLER, S.UNDER_REVIEW])
def test_other_buyers_and_sellers_get_404_on_every_url(app, people, state):
    ref = dispute_in(app, state)
    for who in ("buyer2", "seller2"):
        for url in URLS:
            url = url.format(ref=ref)
            assert people[who].get(url).status_code == 404, (who, url)
            assert people[who].post(url).status_code in (404, 405), (who, url)
    assert state_of(app, ref).state == state


def test_deadline_reads_as_a_date_and_relative_time_in_spanish(app, people):
    ref = dispute_in(app, S.AWAITING_SELLER)
    text = page(people["buyer"], f"/disputes/{ref}")
    assert re.search(r"Waiting for the seller until.*\(in 5 days\)", text, re.S)
    people["buyer"].post("/language", data={"locale": "es", "next": "/"})
    assert "(dentro de 5 días)" in page(people["buyer"], f"/disputes/{ref}")


def test_queue_shows_work_first_and_finished_disputes_apart(app, people):
    done = dispute_in(app, S.UNDER_REVIEW)
    with app.app_context():
        dispute = db.session.scalar(select(Dispute).where(Dispute.reference == done))
        dispute.state = S.CLOSED
        db.session.commit()
    waiting = dispute_in(app, S.UNDER_REVIEW)
    queue, _, finished = page(people["reviewer"], "/disputes").partition("Recently finished")
    assert "Waiting for a decision" in queue and waiting in queue and done not in queue
    assert done in finished


def test_queue_pages_hold_the_same_number_of_disputes_however_many_there_are(app, people):
    references = [dispute_in(app, S.UNDER_REVIEW) for _ in range(27)]
    first = page(people["reviewer"], "/disputes").partition("Recently finished")[0]
    second = page(people["reviewer"], "/disputes?page=2").partition("Recently finished")[0]
    assert len(re.findall(r'href="/review/D-', first)) == 25 and 'rel="next"' in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert all((ref in first) != (ref in second) for ref in references)  # each exactly once
