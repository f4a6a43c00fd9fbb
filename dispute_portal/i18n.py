"""Language choice and locale-aware formatting of money and dates."""

from datetime import datetime

from flask import Flask, request
from flask_babel import format_currency, format_date, get_locale
from flask_babel import lazy_gettext as _l

from .extensions import babel
from .models import DisputeState
from .money import to_major

LANGUAGES = ("en",)


def select_locale() -> str:
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def html_lang() -> str:
    """The page's lang attribute: "en", "es", "pt-BR"."""
    return str(get_locale()).replace("_", "-")


def money(minor: int | None, currency: str) -> str:
    """12550, "GBP" → "£125.50" in the reader's locale."""
    if minor is None:
        return ""
    return format_currency(to_major(minor, currency), currency)


def long_date(value: datetime | None) -> str:
    return "" if value is None else format_date(value, "long")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.globals["state_label"] = state_label
    app.jinja_env.globals["html_lang"] = html_lang


def state_label(state: DisputeState) -> str:
    return str(STATE_LABELS.get(state, state.value))


STATE_LABELS = {
    DisputeState.DRAFT: _l("Draft: not submitted yet"),
    DisputeState.AWAITING_SELLER: _l("Waiting for the seller"),
    DisputeState.NEGOTIATING: _l("Talking with the seller"),
    DisputeState.UNDER_REVIEW: _l("With our reviewers"),
    DisputeState.NEEDS_INFO: _l("More information needed"),
    DisputeState.RESOLVED: _l("Resolved"),
    DisputeState.AWAITING_RETURN: _l("Waiting for the return"),
    DisputeState.RETURN_IN_TRANSIT: _l("Return on its way"),
    DisputeState.CLOSED: _l("Closed"),
    DisputeState.WITHDRAWN: _l("Withdrawn"),
}
