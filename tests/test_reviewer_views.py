"""The reviewer's pages, returns, appeals, and 404s for everyone else."""

import re

import pytest
from lifecycle_helpers import dispute_in, do, later, page, state_of
from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.lifecycle import Action
from dispute_portal.models import Dispute, DisputeState

S = DisputeState


def test_reviewer_queue_is_ordered_by_deadline_and_shows_escalated_only(app, clients):
    waiting = dispute_in(app, S.AWAITING_SELLER)
    first = dispute_in(app, S.UNDER_REVIEW)
    later(app, days=1)
    second = dispute_in(app, S.UNDER_REVIEW)
    queue = page(clients["reviewer"], "/disputes")
    assert queue.index(first) < queue.index(second) and waiting not in queue
    assert clients["reviewer"].get(f"/disputes/{waiting}").status_code == 404


def test_notes_are_for_reviewers_only(app, clients):
    ref = dispute_in(app, S.UNDER_REVIEW)
    note = "Internal: seller has three similar disputes this month."
    response = do(clients["reviewer"], ref, "note", text=note)
    assert response.location == f"/review/{ref}"
    assert note in page(clients["reviewer"], f"/review/{ref}")
    for party in ("buyer", "seller"):
        assert note not in page(clients[party], f"/disputes/{ref}")
        assert clients[party].get(f"/review/{ref}").status_code == 404


def test_request_for_information_and_reply(app, clients):
    ref = dispute_in(app, S.UNDER_REVIEW)
    assert do(clients["reviewer"], ref, "request_info", question="?").status_code == 422
    do(clients["reviewer"], ref, "request_info", party="seller", question="Proof of postage?")
    assert "Proof of postage?" in page(clients["seller"], f"/disputes/{ref}")
    assert "Proof of postage?" not in page(clients["buyer"], f"/disputes/{ref}")
    assert do(clients["buyer"], ref, "reply", answer="Me?").status_code == 409
    do(clients["seller"], ref, "reply", answer="Receipt number 555.")
    assert state_of(app, ref).state == S.UNDER_REVIEW
    assert "Receipt number 555." in page(clients["reviewer"], f"/review/{ref}")


def test_decision_with_reason_is_shown_to_both_parties(app, clients):
    ref = dispute_in(app, S.UNDER_REVIEW)
    bad = do(clients["reviewer"], ref, "decide", decision="partial_refund", amount="5")
    assert bad.status_code == 422 and 'href="#reason"' in bad.get_data(as_text=True)
    do(clients["reviewer"], ref, "decide", decision="partial_refund", amount="5", reason="Minor.")
    for party in ("buyer", "seller"):
        text = page(clients[party], f"/disputes/{ref}")
        assert "Minor." in text and "A partial refund of £5.00" in text


def test_return_tracking_then_confirmation(app, clients):
    ref = dispute_in(app, S.AWAITING_SELLER, will_return=True)
    do(clients["seller"], ref, "accept")
    assert state_of(app, ref).state == S.AWAITING_RETURN
    assert do(clients["buyer"], ref, "add_tracking", tracking="").status_code == 422
    do(clients["buyer"], ref, "add_tracking", tracking="RM123456789GB")
    assert "RM123456789GB" in page(clients["seller"], f"/disputes/{ref}")
    do(clients["seller"], ref, "confirm_return")
    dispute = state_of(app, ref)
    assert (dispute.state, dispute.outcome.value) == (S.CLOSED, "refund_due")


def test_appeal_once(app, clients):
    ref = dispute_in(app, S.CLOSED)
    do(clients["buyer"], ref, "appeal", reason="The seller never sent the refund.")
    assert state_of(app, ref).state == S.UNDER_REVIEW
    do(clients["reviewer"], ref, "decide", decision="rejected", reason="Refund was paid.")
    response = do(clients["seller"], ref, "appeal", reason="And again.")
    assert response.status_code == 409 and "only once" in response.get_data(as_text=True)


URLS = ["/disputes/{ref}", "/review/{ref}"] + [f"/disputes/{{ref}}/do/{a.value}" for a in Action]


@pytest.mark.parametrize("state", [S.AWAITING_SELLER, S.UNDER_REVIEW])
def test_other_buyers_and_sellers_get_404_on_every_url(app, clients, state):
    ref = dispute_in(app, state)
    for who in ("buyer2", "seller2"):
        for url in URLS:
            url = url.format(ref=ref)
            assert clients[who].get(url).status_code == 404, (who, url)
            assert clients[who].post(url).status_code in (404, 405), (who, url)
    assert state_of(app, ref).state == state


def test_deadline_reads_as_a_date_and_relative_time_in_spanish(app, clients):
    ref = dispute_in(app, S.AWAITING_SELLER)
    text = page(clients["buyer"], f"/disputes/{ref}")
    assert re.search(r"Waiting for the seller until.*\(in 5 days\)", text, re.S)
    clients["buyer"].post("/language", data={"locale": "es", "next": "/"})
    assert "(dentro de 5 días)" in page(clients["buyer"], f"/disputes/{ref}")


def test_queue_shows_work_first_and_finished_disputes_apart(app, clients):
    done = dispute_in(app, S.UNDER_REVIEW)
    with app.app_context():
        dispute = db.session.scalar(select(Dispute).where(Dispute.reference == done))
        dispute.state = S.CLOSED
        db.session.commit()
    waiting = dispute_in(app, S.UNDER_REVIEW)
    queue, _, finished = page(clients["reviewer"], "/disputes").partition("Recently finished")
    assert "Waiting for a decision" in queue and waiting in queue and done not in queue
    assert done in finished


def test_queue_pages_hold_the_same_number_of_disputes_however_many_there_are(app, clients):
    references = [dispute_in(app, S.UNDER_REVIEW) for _ in range(27)]
    first = page(clients["reviewer"], "/disputes").partition("Recently finished")[0]
    second = page(clients["reviewer"], "/disputes?page=2").partition("Recently finished")[0]
    assert len(re.findall(r'href="/review/D-', first)) == 25 and 'rel="next"' in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert all((ref in first) != (ref in second) for ref in references)  # each exactly once
