"""Every page in English, Spanish and Brazilian Portuguese, and how the language is chosen.

The compiled catalogues (.mo) are not committed: `make run` and `make test` compile them,
and so does this module when they are missing or older than the .po files.
"""

import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from sqlalchemy import select

from dispute_portal.demo import DEMO_ORDERS, DEMO_USERS
from dispute_portal.extensions import db
from dispute_portal.i18n import LANGUAGE_NAMES, LANGUAGES
from dispute_portal.models import Order, User

from conftest import make_photo, order_id

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "dispute_portal" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
TRANSLATED = [code for code in LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
HTML_LANG = {"en": "en", "es": "es", "pt_BR": "pt-BR"}


def po_path(code: str) -> Path:
    return TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"


def read_catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """Compile any .po whose .mo is missing or stale, as `pybabel compile` would."""
    for code in TRANSLATED:
        po = po_path(code)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            catalogue = read_catalogue(po)
            with mo.open("wb") as file:
                write_mo(file, catalogue, use_fuzzy=False)


# -- the catalogues ------------------------------------------------------------------------


def extract_fresh(tmp_path: Path):
    """Extract the catalogue from the code as it is now, as README says to."""
    output = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from babel.messages.frontend import main; main()",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(output),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return read_catalogue(output)


def msgids(catalogue) -> set:
    return {message.id for message in catalogue if message.id}


def test_committed_catalogue_template_matches_the_code(tmp_path):
    """Fails when a wrapped string was added or changed without re-extracting."""
    fresh = msgids(extract_fresh(tmp_path))
    committed = msgids(read_catalogue(TEMPLATE))
    assert fresh - committed == set(), "run the extract and update commands in README"
    assert committed - fresh == set(), "messages.pot has strings the code no longer uses"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(tmp_path, code):
    catalogue = read_catalogue(po_path(code))
    template = msgids(read_catalogue(TEMPLATE))
    assert msgids(catalogue) == template, f"run pybabel update for {code}"
    assert not catalogue.fuzzy
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{code}: not translated: {message.id!r}"
        assert not message.fuzzy, f"{code}: fuzzy: {message.id!r}"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if PLACEHOLDER.search(ids[-1]):
            assert message.python_format, f"{code}: no python-format flag: {message.id!r}"
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == sorted(PLACEHOLDER.findall(ids[-1])), (
                f"{code}: placeholders differ: {message.id!r} → {string!r}"
            )
    assert list(catalogue.check()) == []


# -- no English left on the pages ----------------------------------------------------------

# Common English words that are not also Spanish or Portuguese words.
ENGLISH = set(
    """
    the you your yours and with what which when where who why how this that these those
    there here have had will would should could can cannot must need not yet are was were
    been being be is it its of to from by at in on or if but all any more less than
    our we us they their them it's don't doesn't didn't did does page start now again
    order orders dispute disputes photo photos seller buyer back continue sign submit
    submitted answer answers change changed refund refunds delivered delivery received
    items send sent keep return returned status reference quantity paid draft waiting
    email address password try found help caption optional skip main content upload
    uploaded choose add remove removed save saved view open opened wrong happened want
    problem damaged counterfeit missing quality size colour tracking customs sender
    shipping label listing courier yes please sorry something went request service
    describe enter select description characters between most least
    """.split()
)
# Text that is the same in every language: demo data, what the buyer typed, and the
# switcher's own labels.
DESCRIPTION = "The box was crushed and the item cracked."
TYPED_BY_SELLER_AND_REVIEWER = [
    "Sent in perfect condition.",
    "Courier photos needed.",
    "No damage in the photos.",
]
SAME_IN_EVERY_LANGUAGE = [
    *LANGUAGE_NAMES.values(),
    *(title for *_order, items in DEMO_ORDERS for title, _qty, _price in items),
    *(name for _email, _password, name, _role in DEMO_USERS),
    *(email for email, *_rest in DEMO_USERS),
    DESCRIPTION,
    "crack.jpg",
    *TYPED_BY_SELLER_AND_REVIEWER,
]


class VisibleText(HTMLParser):
    """What a reader meets: text, and the alt and aria-label attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("alt", "aria-label", "placeholder", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text, less what reads the same in every language."""
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    for same in SAME_IN_EVERY_LANGUAGE:
        text = text.replace(same, " ")
    return re.sub(r"\bD-[0-9A-Z]{5}-[0-9A-Z]{5}\b", " ", text)


def english_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[\w']+", text.lower()) if word in ENGLISH}


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


# -- money, dates and sizes in the reader's locale -----------------------------------------


def order_1002(app) -> Order:
    with app.app_context():
        order = db.session.get(Order, order_id(app, "1002"))
        db.session.expunge(order)
        return order


@pytest.mark.parametrize(
    ("code", "shoes", "words"),
    [
        ("en", "£65.00", "Delivered"),
        ("es", "65,00\xa0GBP", "Entregado el"),
        ("pt_BR", "£\xa065,00", "Entregue em"),
    ],
)
def test_money_and_dates_follow_the_locale(app, client, auth, code, shoes, words):
    auth.sign_in()
    client.post("/language", data={"locale": code, "next": "/orders"})
    page = client.get(f"/orders/{order_id(app, '1002')}").get_data(as_text=True)
    assert shoes == format_currency(Decimal("65.00"), "GBP", locale=code)  # what Babel says
    assert f"<td>{shoes}</td>" in page
    delivered = format_date(order_1002(app).delivered_at, "long", locale=code)
    assert f"{words} {delivered}" in page
    if code != "en":
        assert re.search(r"\d+ de \w+ de \d{4}", delivered)


def test_sizes_use_the_locale_decimal_separator(app):
    from dispute_portal.i18n import filesize

    with app.test_request_context(headers={"Accept-Language": "pt-BR"}):
        assert filesize(0) == "0 B"
        assert filesize(1_500_000) == "1,5 MB"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert filesize(1) == "1 Byte"
        assert filesize(1_500_000) == "1.5 MB"
