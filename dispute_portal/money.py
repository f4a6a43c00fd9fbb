"""Money as integer minor units plus an ISO 4217 currency: never floats."""

from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from flask_babel import lazy_gettext as _l


class AmountError(ValueError):
    """An amount the user typed that we cannot accept; the message is shown to them."""


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-get_currency_precision(currency))


def parse_amount(text: str, currency: str) -> int:
    """Turn what a buyer typed ("12.50", "12,50", "£12") into minor units."""
    cleaned = "".join(ch for ch in text.strip() if ch.isdigit() or ch in ".,")
    if not cleaned:
        raise AmountError(_l("Enter an amount, like 12.50"))
    if "," in cleaned and "." not in cleaned and len(cleaned.rsplit(",", 1)[1]) != 3:
        cleaned = cleaned.replace(",", ".")  # a decimal comma, as in "12,50"
    cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise AmountError(_l("Enter an amount, like 12.50")) from None
    precision = get_currency_precision(currency)
    minor = value.scaleb(precision)
    if minor != minor.to_integral_value():
        raise AmountError(
            _l("Enter the amount with no more than %(places)d decimal places", places=precision)
        )
    return int(minor)
