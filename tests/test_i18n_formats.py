"""Money, dates and sizes written the way the reader's locale writes them."""

import re
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_currency
from catalogues import compiled_catalogues  # noqa: F401  autouse: compiles the .mo files
from dispute_journey import order_id

from dispute_portal.extensions import db
from dispute_portal.models import Order

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


def test_remembered_formats_still_follow_the_language_in_force(app):
    """Amounts and dates are formatted once and remembered, per language and time zone."""
    from flask_babel import force_locale

    from dispute_portal.i18n import long_date, money

    delivered = order_1002(app).delivered_at
    expected = {
        code: (
            format_currency(Decimal("125.50"), "EUR", locale=code),
            format_date(delivered, "long", locale=code),
        )
        for code in ("en", "es", "pt_BR")
    }
    with app.test_request_context():
        for code in ("en", "es", "pt_BR", "en"):
            with force_locale(code):
                assert (money(12550, "EUR"), long_date(delivered)) == expected[code]


def test_template_gettext_takes_any_variable_name_and_escapes_values(app):
    """As Jinja's own: names like string or num are the translation's variables too."""
    from flask import render_template_string

    source = (
        '{{ _("%(string)s, %(context)s", string="<b>", context="x") }}|'
        '{{ ngettext("%(num)d %(plural)s", "%(num)d %(plural)s", 2, plural="p") }}'
    )
    with app.test_request_context():
        assert render_template_string(source) == "&lt;b&gt;, x|2 p"
