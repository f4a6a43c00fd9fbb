"""How the language is chosen: Accept-Language, the switcher, the cookie and the account."""

import re

import pytest
from catalogues import compiled_catalogues  # noqa: F401  autouse: compiles the .mo files
from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.i18n import LANGUAGE_NAMES, LANGUAGES
from dispute_portal.models import User

# -- choosing the language -----------------------------------------------------------------


def locale_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("locale=")]


def page_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("es", "es"),
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("pt-BR,pt;q=0.9", "pt-BR"),
        ("pt", "pt-BR"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR,de;q=0.8", "en"),
        ("", "en"),
    ],
)
def test_first_visit_follows_accept_language(client, header, lang):
    response = client.get("/sign-in", headers={"Accept-Language": header})
    assert page_lang(response) == lang


def test_sign_in_page_in_spanish(client):
    page = client.get("/sign-in", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "<h1>Iniciar sesión</h1>" in page
    assert "Correo electrónico" in page and "Contraseña" in page


def test_switcher_is_a_form_with_each_language_named_in_itself(client):
    assert list(LANGUAGE_NAMES) == list(LANGUAGES)
    page = client.get("/sign-in").get_data(as_text=True)
    switcher = re.search(r'<form class="[^"]*language-switcher.*?</form>', page, re.S).group(0)
    assert 'method="post"' in switcher and 'action="/language"' in switcher
    assert 'name="csrf_token"' in switcher and 'name="next" value="/sign-in"' in switcher
    assert '<strong lang="en" aria-current="true">English</strong>' in switcher
    assert 'name="locale" value="es" lang="es">Español</button>' in switcher
    assert 'name="locale" value="pt_BR" lang="pt-BR">Português (Brasil)</button>' in switcher
    assert "<script" not in switcher and " hx-" not in switcher  # a plain form, no JS needed


def test_switcher_works_without_javascript_and_remembers_the_choice(client):
    response = client.post("/language", data={"locale": "es", "next": "/sign-in?next=/orders"})
    assert response.status_code == 303
    assert response.location == "/sign-in?next=/orders"
    (cookie,) = locale_cookies(response)
    assert cookie.startswith("locale=es;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    page = client.get(response.location, headers={"Accept-Language": "en"})
    assert page_lang(page) == "es"
    html = page.get_data(as_text=True)
    assert '<strong lang="es" aria-current="true">Español</strong>' in html
    assert 'value="/sign-in?next=/orders"' in html  # the switcher returns here, query and all


def test_the_switcher_is_refused_without_a_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/language", data={"locale": "es", "next": "/sign-in"})
    assert response.status_code == 400
    assert locale_cookies(response) == []


def test_unknown_language_is_refused(client):
    response = client.post("/language", data={"locale": "xx", "next": "/sign-in"})
    assert response.status_code == 400
    assert locale_cookies(response) == []


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/%0d%0aLocation:%20https://evil.example",
        "/no-such-page",
        "/sign-out",  # a page that only takes a POST
        "",
    ],
)
def test_next_never_leaves_the_site(client, target):
    response = client.post("/language", data={"locale": "es", "next": target})
    assert response.status_code == 303
    assert response.location == "/"


def signed_in_user(app, email="buyer@example.com") -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def test_signed_in_choice_is_saved_on_the_account_and_follows_them(app, client, auth):
    assert signed_in_user(app).locale is None
    auth.sign_in()
    client.post("/language", data={"locale": "pt_BR", "next": "/orders"})
    assert signed_in_user(app).locale == "pt_BR"

    # Another browser that prefers Spanish, and had Spanish chosen while signed out.
    other = app.test_client()
    other.post("/language", data={"locale": "es", "next": "/sign-in"})
    headers = {"Accept-Language": "es"}
    assert page_lang(other.get("/sign-in", headers=headers)) == "es"
    signed_in = other.post(
        "/sign-in", data={"email": "buyer@example.com", "password": "buyer-pass-1"}
    )
    assert [c.split(";")[0] for c in locale_cookies(signed_in)] == ["locale=pt_BR"]
    page = other.get("/orders", headers=headers)
    assert page_lang(page) == "pt-BR"
    assert "Seus pedidos" in page.get_data(as_text=True)
    # After signing out the sign-in page stays in their language.
    other.post("/sign-out")
    assert page_lang(other.get("/sign-in", headers=headers)) == "pt-BR"


def test_choosing_while_signed_out_saves_nothing_on_any_account(app, client, auth):
    client.post("/language", data={"locale": "es", "next": "/sign-in"})
    auth.sign_in()
    assert signed_in_user(app).locale is None
    assert page_lang(client.get("/orders")) == "es"  # the cookie still applies
