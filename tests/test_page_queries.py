"""A dispute's pages read a fixed number of queries, however long its thread or its notes:
what a template shows is loaded with the page, never with one more query per row."""

import pytest
from lifecycle_helpers import A, S, dispute_in, page
from photo_samples import make_photo
from sql_statements import statements_for
from test_conversation import post_message

from dispute_portal.extensions import db
from dispute_portal.lifecycle import perform
from dispute_portal.models import Dispute, Role, User


@pytest.mark.parametrize(
    ("state", "page_of", "reader"),
    [
        (S.AWAITING_SELLER, "/disputes/{}", "buyer"),  # the dispute's own page
        (S.UNDER_REVIEW, "/review/{}", "reviewer"),  # the reviewer's case
    ],
)
def test_dispute_pages_read_the_same_queries_however_long_the_thread(
    app, clients, state, page_of, reader
):
    reference = dispute_in(app, state)
    url = page_of.format(reference)
    post_message(clients["seller"], reference, "As packed.", ("a.png", make_photo("PNG", seed=1)))
    before = statements_for(app, clients[reader], url)
    for n in range(3):
        photo = (f"b{n}.png", make_photo("PNG", seed=10 + n))
        assert post_message(clients["buyer"], reference, f"Message {n}", photo).status_code == 303
    assert statements_for(app, clients[reader], url) == before
    assert page(clients[reader], url).count("Message ") >= 3


def test_reviewer_case_reads_the_same_queries_however_many_reviewers_wrote_notes(app, clients):
    reference = dispute_in(app, S.UNDER_REVIEW)
    url = f"/review/{reference}"
    before = statements_for(app, clients["reviewer"], url)
    with app.app_context():
        dispute = db.session.scalar(db.select(Dispute).where(Dispute.reference == reference))
        for n in range(3):
            colleague = User(
                email=f"reviewer{n}@example.com",
                display_name=f"Reviewer {n}",
                role=Role.REVIEWER,
                password_hash="-",
            )
            db.session.add(colleague)
            perform(dispute, colleague, A.NOTE, app.config["CLOCK_NOW"], app.config, text="Seen.")
    assert statements_for(app, clients["reviewer"], url) == before
    assert "Reviewer 2" in page(clients["reviewer"], url)


def test_someone_refused_costs_no_more_queries_than_a_made_up_reference(app, clients):
    """The whole dispute is loaded only once access is granted."""
    reference = dispute_in(app, S.AWAITING_SELLER)
    refused = statements_for(app, clients["buyer2"], f"/disputes/{reference}", status=404)
    made_up = statements_for(app, clients["buyer2"], "/disputes/D-AAAAA-AAAAA", status=404)
    assert refused == made_up
