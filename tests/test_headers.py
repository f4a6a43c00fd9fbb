"""Every route answers with the security headers, whoever asks and whatever the status.

KNOWN_ENDPOINTS must list every endpoint: a new route fails this test until it is added.
"""

import re

import pytest
from dispute_journey import order_id

from conftest import make_test_app

# endpoint → who is signed in when it is called
KNOWN_ENDPOINTS = {
    "auth.sign_in": None,
    "auth.sign_out": "buyer",
    "dispute_actions.action_page": "seller",
    "dispute_form.description": "buyer",
    "dispute_form.items": "buyer",
    "dispute_form.reason": "buyer",
    "dispute_form.remedy": "buyer",
    "dispute_form.return_item": "buyer",
    "disputes.dispute_list": "seller",
    "disputes.dispute_page": "buyer",
    "evidence.caption": "buyer",
    "evidence.photo_file": "buyer",
    "evidence.photos": "buyer",
    "evidence.remove": "buyer",
    "health.healthz": None,
    "language.choose": None,
    "messages.post": "buyer",
    "messages.record": "buyer",
    "notifications.notification_list": "buyer",
    "orders.home": "buyer",
    "orders.open_dispute": "buyer",
    "orders.order_page": "buyer",
    "orders.your_orders": "buyer",
    "reviewer.case": "reviewer",
    "static": None,
    "submit.check_answers": "buyer",
    "submit.confirmation": "buyer",
    "submit.submit": "buyer",
}
PASSWORDS = {"buyer": "buyer-pass-1", "seller": "seller-pass-1", "reviewer": "reviewer-pass-1"}
HTTPS = {"base_url": "https://portal.example.com"}


@pytest.fixture
def https_app(tmp_path, database_uri):
    return make_test_app(tmp_path, database_uri, HTTPS=True)


def test_every_endpoint_is_known(https_app):
    endpoints = {rule.endpoint for rule in https_app.url_map.iter_rules()}
    assert endpoints - set(KNOWN_ENDPOINTS) == set(), "add new routes to KNOWN_ENDPOINTS"
    assert set(KNOWN_ENDPOINTS) - endpoints == set(), "remove routes that are gone"


def _sample_values(app, journey):
    """Real ids: the buyer's draft with a photo, on the same database as https_app."""
    journey.complete("1002")
    page = journey.client.get(journey.url("check")).get_data(as_text=True)
    return {
        "reference": journey.reference,
        "public_id": re.search(r"/photos/([\w-]+)/thumbnail", page).group(1),
        "kind": "thumbnail",
        "order_id": order_id(app, "1002"),
        "filename": "css/portal.css",
        "action": "respond",
    }


def _check(response, where):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert response.status_code < 500, where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert "object-src 'none'" in csp or csp.startswith("default-src 'none'"), where
    assert "frame-ancestors" in csp or "sandbox" in csp, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    assert headers.get("Strict-Transport-Security", "").startswith("max-age="), where
    assert headers.get("X-Request-Id"), where


def test_every_route_sends_the_security_headers(app, journey, https_app):
    values = _sample_values(app, journey)
    rules = sorted(https_app.url_map.iter_rules(), key=lambda r: "POST" in r.methods)
    for rule in rules:  # GETs first: a POST may remove the photo the GETs need
        client, role = https_app.test_client(), KNOWN_ENDPOINTS[rule.endpoint]
        if role:
            login = {"email": f"{role}@example.com", "password": PASSWORDS[role]}
            client.post("/sign-in", data=login, **HTTPS)
        url = rule.build({name: values[name] for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, **HTTPS)
            _check(response, f"{method} {url}")
            response.close()


def test_the_content_security_policy_allows_nothing_from_elsewhere(client):
    csp = client.get("/sign-in").headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "img-src 'self'", "form-action 'self'", "object-src 'none'",
                      "base-uri 'none'", "frame-ancestors 'none'"):  # fmt: skip
        assert directive in csp
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers  # HTTPS is off


def test_https_makes_cookies_secure(https_app):
    response = https_app.test_client().post(
        "/sign-in", data={"email": "buyer@example.com", "password": "buyer-pass-1"}, **HTTPS
    )
    assert "Secure" in response.headers["Set-Cookie"]
