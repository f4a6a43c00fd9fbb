"""The buyer's orders, and starting (or resuming) a dispute about one of them."""

import pytest
from dispute_journey import order_id


def test_your_orders_lists_only_the_buyers_own_orders(client, auth):
    auth.sign_in()
    page = client.get("/orders").get_data(as_text=True)
    assert "Order 1002" in page and "Order 1005" in page
    assert "Order 2001" not in page


def test_another_buyers_order_is_not_found(app, client, auth):
    auth.sign_in("buyer2@example.com", "buyer-pass-2")
    assert client.get(f"/orders/{order_id(app, '1002')}").status_code == 404
    assert client.post(f"/orders/{order_id(app, '1002')}/dispute").status_code == 404


def test_delivered_order_offers_open_dispute(app, client, auth):
    auth.sign_in()
    page = client.get(f"/orders/{order_id(app, '1002')}").get_data(as_text=True)
    assert ">Open dispute</a>" in page
    start = client.get(f"/orders/{order_id(app, '1002')}/dispute").get_data(as_text=True)
    assert "Start now" in start


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1005", "This order has not been delivered yet."),
        ("1004", "You can no longer open a dispute about this order."),
    ],
    ids=["not-delivered", "window-passed"],
)
def test_refused_orders_get_a_clear_message(app, client, auth, number, message):
    auth.sign_in()
    assert message in client.get(f"/orders/{order_id(app, number)}").get_data(as_text=True)
    response = client.post(f"/orders/{order_id(app, number)}/dispute")
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)


def test_dispute_window_is_configurable(app, client, auth):
    app.config["DISPUTE_WINDOW_DAYS"] = 60
    auth.sign_in()
    assert client.post(f"/orders/{order_id(app, '1004')}/dispute").status_code == 302


def test_starting_twice_resumes_the_same_draft(journey, client, app):
    first = journey.start().location
    assert client.post(f"/orders/{order_id(app, '1002')}/dispute").location == first
