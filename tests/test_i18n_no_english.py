"""Every page in Spanish and Brazilian Portuguese, with no English left on it."""

import re

import pytest
from catalogues import (
    TRANSLATED,
    compiled_catalogues,  # noqa: F401  autouse: compiles the .mo files
)
from dispute_journey import order_id
from page_text import DESCRIPTION, english_words, visible_text
from photo_samples import make_photo

HTML_LANG = {"en": "en", "es": "es", "pt_BR": "pt-BR"}


class Reader:
    """Visits pages and checks that each is wholly in the reader's language."""

    def __init__(self, client, code):
        self.client, self.code, self.pages = client, code, 0

    def check(self, response, status=200):
        assert response.status_code == status, response.request.path
        html = response.get_data(as_text=True)
        path = response.request.path
        assert f'<html lang="{HTML_LANG[self.code]}">' in html, path
        text = visible_text(html)
        found = english_words(text)
        assert not found, f"English {sorted(found)} on {path} in {self.code}: {text}"
        self.pages += 1
        return html

    def get(self, url, status=200):
        return self.check(self.client.get(url, follow_redirects=True), status)

    def post(self, url, data=None, status=200, **kwargs):
        response = self.client.post(url, data=data or {}, follow_redirects=True, **kwargs)
        return self.check(response, status)


@pytest.mark.parametrize("code", TRANSLATED)
def test_buyer_journey_has_no_english_left(app, client, auth, journey, code):
    reader = Reader(client, code)
    client.post("/language", data={"locale": code, "next": "/orders"})
    reader.get("/orders")
    for number in ("1002", "1004", "1005"):
        reader.get(f"/orders/{order_id(app, number)}")
    reader.get(f"/orders/{order_id(app, '1002')}/dispute")
    reader.get(f"/orders/{order_id(app, '1004')}/dispute", status=409)

    journey.start("1002")
    url = journey.url
    reader.get(url("items"))
    reader.post(url("items"), status=422)
    shoes, socks = journey._item_id("1002", 0), journey._item_id("1002", 1)
    reader.post(url("items"), {"item": [socks], f"quantity-{socks}": "9"}, status=422)
    reader.post(url("items"), {"item": [shoes]})  # → What went wrong?
    reader.post(url("reason"), status=422)
    reader.post(url("reason"), {"reason": "damaged"})
    reader.post(url("description"), {"description": "short"}, status=422)
    reader.post(url("description"), {"description": DESCRIPTION})
    reader.post(url("remedy"), status=422)
    reader.post(url("remedy"), {"remedy": "partial_refund", "refund_amount": "x"}, status=422)
    reader.post(url("remedy"), {"remedy": "partial_refund", "refund_amount": "999"}, status=422)
    reader.post(url("remedy"), {"remedy": "full_refund"})
    reader.post(url("return"), status=422)
    reader.post(url("return"), {"will_return": "yes"})  # → Add photos
    reader.post(url("photos"), {"action": "continue"}, status=422)
    journey.upload(("crack.jpg", make_photo()))
    page = reader.get(url("photos"))  # with the flash message and the photo's own form
    public_id = re.search(r'id="caption-([^"]+)"', page).group(1)
    reader.post(f"/photos/{public_id}/caption", {"caption": "x" * 201}, status=422)
    reader.get(url("check"))
    reader.get(url("reason") + "?next=check")
    confirmation = reader.post(f"/disputes/{journey.reference}/submit")
    assert journey.reference in confirmation
    reader.get(f"/disputes/{journey.reference}")
    reader.get(url("reason"))  # submitted: back to the dispute page with a notice
    reader.get(f"/orders/{order_id(app, '1002')}")

    journey.start("1001")  # a draft with nothing answered cannot be submitted
    reader.post(f"/disputes/{journey.reference}/submit", status=422)

    reader.get("/no-such-page", status=404)
    reader.get("/sign-out", status=405)
    reader.post("/language", {"locale": "xx"}, status=400)
    app.config["WTF_CSRF_ENABLED"] = True
    reader.post(url("reason"), status=400)
    app.config["WTF_CSRF_ENABLED"] = False
    reader.post("/sign-out")  # → sign-in page with "You have signed out."
    reader.get("/orders")  # → sign-in page with "Sign in to continue."
    reader.post("/sign-in", {"email": "buyer@example.com", "password": "wrong"}, status=422)
    reader.post("/sign-in", status=422)
    assert reader.pages >= 35


@pytest.mark.parametrize("code", TRANSLATED)
def test_seller_and_reviewer_pages_have_no_english_left(app, client, auth, journey, code):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = code.replace("_", "-")  # no one saved one
    reference = journey.complete()
    client.post(f"/disputes/{reference}/submit")
    do = f"/disputes/{reference}/do"
    auth.sign_out()
    reader = Reader(client, code)

    auth.sign_in("seller@example.com", "seller-pass-1")
    reader.get("/disputes")
    reader.get(f"/disputes/{reference}")
    for action in ("accept", "offer", "reject"):
        reader.get(f"{do}/{action}")
    reader.post(f"{do}/offer", {"kind": "partial_refund", "amount": "x"}, status=422)
    reader.post(f"{do}/offer", {"kind": "partial_refund", "amount": "9999"}, status=422)
    reader.post(f"{do}/reject", status=422)
    reader.post(f"{do}/reject", {"reason": "Sent in perfect condition."})
    reader.get(f"{do}/confirm_return", status=409)
    reader.post(f"/disputes/{reference}/messages", {"body": "Sent in perfect condition."})
    reader.post(f"/disputes/{reference}/messages", {"body": ""}, status=422)
    reader.get("/notifications")
    auth.sign_out()

    auth.sign_in()
    reader.get(f"/disputes/{reference}")
    reader.get("/notifications")  # new, then read
    reader.get("/notifications")
    reader.get(f"{do}/escalate")
    reader.post(f"{do}/escalate")
    auth.sign_out()

    auth.sign_in("reviewer@example.com", "reviewer-pass-1")
    reader.get("/disputes")
    reader.get(f"/review/{reference}")
    reader.post(f"/disputes/{reference}/messages", {"body": "Courier photos needed."})
    reader.get("/notifications")
    reader.post(f"{do}/note", {"text": "Courier photos needed."})
    for action in ("request_info", "decide"):
        reader.get(f"{do}/{action}")
        reader.post(f"{do}/{action}", status=422)
    reader.post(f"{do}/decide", {"decision": "rejected", "reason": "No damage in the photos."})
    reader.get(f"/disputes/{reference}")
    auth.sign_out()

    auth.sign_in()
    reader.get(f"/disputes/{reference}")
    reader.get(f"{do}/appeal")
    reader.post(f"{do}/appeal", status=422)
    assert reader.pages >= 25


def test_english_is_still_english(client, auth):
    auth.sign_in()
    page = client.get("/orders").get_data(as_text=True)
    assert '<html lang="en">' in page and "Your orders" in page
