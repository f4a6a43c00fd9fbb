import pytest
from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.models import User


def test_sign_in_page_has_labelled_fields(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<label class="label " for="email">Email address</label>' in page
    assert 'for="password">Password</label>' in page


def test_buyer_signs_in_and_lands_on_your_orders(client, auth):
    response = auth.sign_in()
    assert response.status_code == 302
    assert client.get("/").location == "/orders"
    assert "<h1>Your orders</h1>" in client.get("/orders").get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("", "", "Enter your email address"),
        ("buyer@example.com", "", "Enter your password"),
        ("buyer@example.com", "wrong", "Enter a correct email address and password"),
        ("nobody@example.com", "buyer-pass-1", "Enter a correct email address and password"),
    ],
    ids=["empty", "no-password", "wrong-password", "unknown-user"],
)
def test_sign_in_errors(auth, email, password, message):
    response = auth.sign_in(email, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error: Sign in" in page
    assert "There is a problem" in page
    assert message in page


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/orders")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=")


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client):
    response = client.post(
        "/sign-in?next=/orders/1",
        data={"email": "buyer@example.com", "password": "buyer-pass-1"},
    )
    assert response.location == "/orders/1"
    client.post("/sign-out")
    response = client.post(
        "/sign-in?next=//evil.example/",
        data={"email": "buyer@example.com", "password": "buyer-pass-1"},
    )
    assert response.location == "/orders"  # straight home: no second redirect


def test_session_cookie_is_httponly_and_samesite_lax(client, auth):
    cookie = auth.sign_in().headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client, auth):
    auth.sign_in()
    stolen = client.get_cookie("session").value
    assert client.post("/sign-out").location == "/sign-in"
    assert client.get("/orders").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/orders").status_code == 302


def test_disabled_user_is_signed_out_on_the_next_request(app, client, auth):
    auth.sign_in()
    assert client.get("/orders").status_code == 200
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "buyer@example.com")).active = False
        db.session.commit()
    assert client.get("/orders").status_code == 302
    assert auth.sign_in().status_code == 422


def test_passwords_are_stored_as_argon2id(app):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "buyer@example.com"))
    assert user.password_hash.startswith("$argon2id$")


def test_posts_without_a_csrf_token_are_refused(app, client, auth):
    auth.sign_in()
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/orders/1/dispute")
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
