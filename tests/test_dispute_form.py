import re

import pytest
from dispute_journey import get_dispute, order_id
from photo_samples import make_photo


def test_single_item_order_skips_the_items_question(journey):
    assert journey.start("1001").location.endswith("/reason")


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        ("items", {}, "item-", "Select the items you are disputing"),
        (
            "items",
            {"item": ["QTY"], "quantity-QTY": "3"},
            "quantity-",
            "you are disputing, from 1 to 2",
        ),
        ("items", {"item": ["QTY"], "quantity-QTY": "none"}, "quantity-", "from 1 to 2"),
        ("reason", {}, "reason", "Select what went wrong"),
        ("reason", {"reason": "bored"}, "reason", "Not a valid choice"),
        ("description", {}, "description", "Describe what happened"),
        (
            "description",
            {"description": "too short"},
            "description",
            "Description must be between 20 and 5000 characters",
        ),
        (
            "description",
            {"description": "x" * 5001},
            "description",
            "Description must be between 20 and 5000 characters",
        ),
        ("remedy", {}, "remedy", "Select what you want the seller to do"),
        (
            "remedy",
            {"remedy": "partial_refund", "refund_amount": ""},
            "refund_amount",
            "Enter an amount, like 12.50",
        ),
        (
            "remedy",
            {"remedy": "partial_refund", "refund_amount": "12.345"},
            "refund_amount",
            "no more than 2 decimal places",
        ),
        (
            "remedy",
            {"remedy": "partial_refund", "refund_amount": "65.01"},
            "refund_amount",
            "no more than £65.00",
        ),
        (
            "remedy",
            {"remedy": "partial_refund", "refund_amount": "0"},
            "refund_amount",
            "more than zero",
        ),
        ("return", {}, "will_return", "Select whether you will send the item back"),
    ],
)
def test_each_question_explains_its_errors(journey, app, step, data, field, message):
    journey.start("1002")
    items = journey.post("items", {"item": [journey._item_id("1002", 0)]})
    assert items.status_code == 302
    socks = journey._item_id("1002", 1)
    data = {k.replace("QTY", socks): [socks] if v == ["QTY"] else v for k, v in data.items()}
    if field.endswith("-"):
        field += socks if "quantity" in field else journey._item_id("1002", 0)
    response = journey.post(step, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error: " in page
    assert f'<a href="#{field}">' in page  # the error summary links to the field
    error_id = "items" if field.startswith("item-") else field  # checkboxes share one message
    assert f'id="{error_id}-error"' in page  # the message sits by the field
    assert re.search(f'aria-describedby="[^"]*{error_id}-error', page)  # and is announced with it
    assert message in page


def test_typed_text_survives_an_error(journey):
    journey.start("1001")
    page = journey.post("description", {"description": "Too short <b>"}).get_data(as_text=True)
    assert "Too short &lt;b&gt;</textarea>" in page


def test_answers_are_saved_as_a_draft_that_survives_a_new_session(app, journey):
    journey.complete("1002")
    other_device = app.test_client()
    other_device.post("/sign-in", data={"email": "buyer@example.com", "password": "buyer-pass-1"})
    order_page = other_device.get(f"/orders/{order_id(app, '1002')}").get_data(as_text=True)
    assert "Continue your dispute" in order_page
    resumed = other_device.post(f"/orders/{order_id(app, '1002')}/dispute")
    assert resumed.location == journey.url("check")
    page = other_device.get(resumed.location).get_data(as_text=True)
    assert "The box was crushed and the item cracked." in page
    assert "crack.jpg" in page


def test_not_received_reasons_skip_the_return_question_and_photos_are_optional(journey):
    journey.start("1001")
    journey.post("reason", {"reason": "customs"})
    journey.post("description", {"description": "Stuck at customs for three weeks now."})
    assert journey.post("remedy", {"remedy": "full_refund"}).location == journey.url("photos")
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    assert "The customs notice" in page
    assert journey.upload(action="continue").location == journey.url("check")


def test_received_reasons_require_a_photo(journey):
    journey.start("1001")
    journey.post("reason", {"reason": "damaged"})
    page = journey.client.get(journey.url("photos")).get_data(as_text=True)
    assert "The damage, close up" in page and "The shipping label" in page
    response = journey.upload(action="continue")
    assert response.status_code == 422
    assert "Add at least one photo of the item as it arrived" in response.get_data(as_text=True)


def test_partial_refund_is_stored_in_minor_units(app, journey):
    journey.start("1002")
    journey.post(
        "items",
        {"item": [journey._item_id("1002", 1)], f"quantity-{journey._item_id('1002', 1)}": "2"},
    )
    assert (
        journey.post("remedy", {"remedy": "partial_refund", "refund_amount": "19.98"}).status_code
        == 302
    )
    dispute = get_dispute(app, journey.reference)
    assert dispute.refund_amount_minor == 1998
    assert dispute.remedy.value == "partial_refund"


def test_check_answers_shows_every_answer_with_change_links(journey):
    journey.complete("1002")
    page = journey.client.get(journey.url("check")).get_data(as_text=True)
    assert "Check your answers before you submit your dispute" in page
    for step in ("items", "reason", "description", "remedy", "return", "photos"):
        assert f'href="/disputes/{journey.reference}/{step}?next=check">Change' in page
    assert "1 × Running shoes" in page
    assert "A full refund of £65.00" in page
    assert 'alt="Photo 1: crack.jpg"' in page
    assert ">Submit dispute</button>" in page


def test_a_change_returns_to_check_answers(journey):
    journey.complete("1002")
    page = journey.client.get(journey.url("description") + "?next=check").get_data(as_text=True)
    assert 'name="next" type="hidden" value="check"' in page
    response = journey.post(
        "description", {"description": "Changed: the sole came off on day one.", "next": "check"}
    )
    assert response.location == journey.url("check")
    assert "Changed: the sole" in journey.client.get(journey.url("check")).get_data(as_text=True)


def test_a_change_that_needs_a_new_answer_asks_it_before_returning(journey):
    journey.complete("1001", reason="customs")
    response = journey.post("reason", {"reason": "damaged", "next": "check"})
    assert response.location == journey.url("return") + "?next=check"
    response = journey.post("return", {"will_return": "no", "next": "check"})
    assert response.location == journey.url("photos") + "?next=check"


def test_fewer_items_clear_a_partial_refund_that_no_longer_fits(app, journey):
    journey.start("1002")
    shoes, socks = journey._item_id("1002", 0), journey._item_id("1002", 1)
    journey.post("items", {"item": [shoes, socks], f"quantity-{socks}": "2"})
    journey.post("remedy", {"remedy": "partial_refund", "refund_amount": "70"})
    response = journey.post("items", {"item": [socks], f"quantity-{socks}": "1", "next": "check"})
    assert response.location.startswith(journey.url("reason"))
    assert get_dispute(app, journey.reference).refund_amount_minor is None


def test_photo_upload_with_javascript_off(journey, app):
    journey.start("1001")
    response = journey.upload(
        ("one.jpg", make_photo(seed=1)), ("two.png", make_photo("PNG", seed=2))
    )
    assert response.status_code == 303
    page = journey.client.get(response.location).get_data(as_text=True)
    assert "2 photos uploaded" in page
    assert "2 of 10 photos" in page
