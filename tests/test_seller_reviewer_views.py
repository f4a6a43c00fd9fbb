"""The lifecycle's pages for the parties: sellers answer, buyers negotiate."""

from lifecycle_helpers import dispute_in, do, later, page, state_of

from dispute_portal.models import DisputeState

S = DisputeState


def test_seller_accepts_the_request(app, clients):
    ref = dispute_in(app, S.AWAITING_SELLER)
    assert '/do/accept"' in page(clients["seller"], f"/disputes/{ref}")
    response = do(clients["seller"], ref, "accept")
    assert response.status_code == 303 and response.location == f"/disputes/{ref}"
    dispute = state_of(app, ref)
    assert (dispute.state, dispute.resolution.value) == (S.CLOSED, "full_refund")
    assert "A full refund of £89.99" in page(clients["buyer"], f"/disputes/{ref}")


def test_seller_offers_and_the_buyer_accepts(app, clients):
    ref = dispute_in(app, S.AWAITING_SELLER)
    bad = do(clients["seller"], ref, "offer", kind="partial_refund", amount="90")
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Error:" in text and 'href="#amount"' in text and "no more than what was paid" in text
    assert (
        do(clients["seller"], ref, "offer", kind="partial_refund", amount="20").status_code == 303
    )
    buyer_page = page(clients["buyer"], f"/disputes/{ref}")
    assert "A partial refund of £20.00" in buyer_page and "You need to act by" in buyer_page
    assert "(in 3 days)" in buyer_page
    do(clients["buyer"], ref, "accept_offer")
    dispute = state_of(app, ref)
    assert (dispute.state, dispute.resolution_amount_minor) == (S.CLOSED, 2000)


def test_buyer_counters_and_declines(app, clients):
    ref = dispute_in(app, S.NEGOTIATING, turn="buyer")
    assert do(clients["buyer"], ref, "counter", amount="").status_code == 422
    do(clients["buyer"], ref, "counter", amount="25,50")
    assert state_of(app, ref).waiting_on == "seller"
    seller_page = page(clients["seller"], f"/disputes/{ref}")
    assert "Counter-offer from the buyer" in seller_page and "£25.50" in seller_page
    do(clients["seller"], ref, "offer", kind="replacement")
    do(clients["buyer"], ref, "decline_offer")
    assert state_of(app, ref).state == S.UNDER_REVIEW


def test_seller_rejects_and_the_buyer_escalates_at_once(app, clients):
    ref = dispute_in(app, S.AWAITING_SELLER)
    assert do(clients["seller"], ref, "reject", reason=" ").status_code == 422
    do(clients["seller"], ref, "reject", reason="It was intact when posted.")
    assert "It was intact when posted." in page(clients["buyer"], f"/disputes/{ref}")
    do(clients["buyer"], ref, "escalate")
    assert state_of(app, ref).state == S.UNDER_REVIEW
    assert "The seller says" in page(clients["reviewer"], f"/review/{ref}")


def test_escalating_too_early_is_refused_with_a_message(app, clients):
    ref = dispute_in(app, S.NEGOTIATING, turn="buyer")
    response = do(clients["buyer"], ref, "escalate")
    assert response.status_code == 409
    assert "from day 3 after submission" in response.get_data(as_text=True)
    later(app, days=3)
    do(clients["buyer"], ref, "escalate")
    assert state_of(app, ref).state == S.UNDER_REVIEW


def test_buyer_withdraws(app, clients):
    ref = dispute_in(app, S.AWAITING_SELLER)
    do(clients["buyer"], ref, "withdraw")
    assert state_of(app, ref).state == S.WITHDRAWN
    assert "Withdraw your dispute" not in page(clients["buyer"], f"/disputes/{ref}")


def test_actions_outside_the_table_are_refused_whatever_is_posted(app, clients):
    ref = dispute_in(app, S.AWAITING_SELLER)
    for client, action in ((clients["buyer"], "accept"), (clients["seller"], "withdraw")):
        response = do(client, ref, action)
        assert response.status_code == 409
        assert "You cannot do that to this dispute now." in response.get_data(as_text=True)
    assert do(clients["buyer"], ref, "timeout").status_code == 404
    assert do(clients["buyer"], ref, "submit").status_code == 404
    assert state_of(app, ref).state == S.AWAITING_SELLER
