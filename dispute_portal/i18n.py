"""Language choice and locale-aware formatting of money, dates and sizes.

Which language a page is in: the signed-in user's saved choice, else the language cookie
set by the switcher, else the browser's Accept-Language, else English.
"""

from datetime import datetime, timedelta
from functools import lru_cache

from flask import Flask, current_app, has_request_context, request
from flask_babel import (
    format_currency,
    format_date,
    format_decimal,
    get_locale,
    get_timezone,
    get_translations,
    ngettext,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from .extensions import babel
from .models import DisputeState
from .money import to_major

# Add a locale code here after `pybabel init` (README: Adding a language).
LANGUAGES = ("en", "es", "pt_BR")
# Each language named in itself, for the switcher.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "pt_BR": "Português (Brasil)"}
DEFAULT_LANGUAGE = "en"
LOCALE_COOKIE = "locale"
LOCALE_COOKIE_MAX_AGE = timedelta(days=365)


def supported(code: str | None) -> str | None:
    """The code itself when the portal has that language, else None."""
    return code if code in LANGUAGES else None


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    if current_user.is_authenticated and supported(current_user.locale):
        return current_user.locale
    return (
        supported(request.cookies.get(LOCALE_COOKIE))
        or request.accept_languages.best_match(LANGUAGES)
        or DEFAULT_LANGUAGE
    )


def remember_locale(response, code: str):
    """Set the long-lived language cookie on a response."""
    response.set_cookie(
        LOCALE_COOKIE,
        code,
        max_age=LOCALE_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def html_lang() -> str:
    """The page's lang attribute: "en", "es", "pt-BR"."""
    return str(get_locale()).replace("_", "-")


def current_language() -> str:
    return str(get_locale())


# Formatting is a pure function of its inputs and the locale in force, and pages repeat
# the same amounts and dates, so results are kept (keyed by the locale and time zone).
@lru_cache(maxsize=4096)
def _money(minor: int, currency: str, _locale, _tz) -> str:
    return format_currency(to_major(minor, currency), currency)


@lru_cache(maxsize=4096)
def _long_date(value: datetime, _locale, _tz) -> str:
    return format_date(value, "long")


def money(minor: int | None, currency: str) -> str:
    """12550, "GBP" → "£125.50" in the reader's locale."""
    return "" if minor is None else _money(minor, currency, get_locale(), get_timezone())


def long_date(value: datetime | None) -> str:
    return "" if value is None else _long_date(value, get_locale(), get_timezone())


def page_translations() -> dict:
    """gettext for one page, bound to the catalogue in force when it is rendered.

    Flask-Babel's own template gettext finds the catalogue through several context lookups
    for every string; a page has dozens. This looks it up once per render (emails written
    under force_locale get their own). Same behaviour as Jinja's newstyle gettext.
    """
    catalogue = get_translations()

    @pass_context
    def gettext(context, string: str, /, **variables) -> str:
        text = catalogue.ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, /, **variables) -> str:
        variables.setdefault("num", num)
        text = catalogue.ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def filesize(value: int | float, binary: bool = False) -> str:
    """Jinja's filesizeformat with the reader's decimal separator: "1,5 MB" in Spanish."""
    size = float(value)
    base = 1024 if binary else 1000
    units = ("KiB", "MiB", "GiB", "TiB") if binary else ("kB", "MB", "GB", "TB")
    if size < base:
        return ngettext("%(num)d Byte", "%(num)d Bytes", int(size))
    for power, unit in enumerate(units, start=1):
        if size < base ** (power + 1) or unit == units[-1]:
            return f"{format_decimal(size / base**power, '#,##0.0')} {unit}"
    raise AssertionError("unreachable")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(page_translations)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["filesizeformat"] = filesize
    app.jinja_env.globals["state_label"] = state_label
    app.jinja_env.globals["html_lang"] = html_lang
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES


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
