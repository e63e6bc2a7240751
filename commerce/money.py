"""Amounts of money: Decimals in the shop's currency (ISO 4217), at that currency's precision.

Minor units and formatting come from CLDR through babel: JPY has none, USD and EUR two, KWD and BHD
three. Amounts are stored with three decimal places (the most any shop currency has) and are
quantized to the currency's own precision wherever they are checked, computed or shown.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

# Amounts are stored as DecimalField(max_digits=15, decimal_places=3).
STORED_PLACES = 3
LARGEST_AMOUNT = Decimal("999999999999")


def minor_units(currency: str) -> int:
    """Decimal places of the currency's minor unit (ISO 4217): 0 for JPY, 2 for USD, 3 for KWD."""
    return get_currency_precision(currency)


def step(currency: str) -> Decimal:
    """The smallest amount of the currency: Decimal("0.01") for USD, Decimal("1") for JPY."""
    return Decimal(1).scaleb(-minor_units(currency))


def quantize(amount, currency: str) -> Decimal:
    """The amount at the currency's precision, halves rounded away from zero."""
    return Decimal(amount).quantize(step(currency), rounding=ROUND_HALF_UP)


def format_money(amount, currency: str) -> str:
    """The amount for people to read, with its ISO code: "USD 1,234.50", "JPY 1,235", "KWD 1.500"."""
    if amount is None:
        return ""
    locale = translation.to_locale(translation.get_language() or "en-us")
    try:
        return format_currency(
            quantize(amount, currency), currency, format="¤¤\xa0#,##0.00", locale=locale, currency_digits=True
        )
    except (ValueError, LookupError):
        return format_currency(quantize(amount, currency), currency, format="¤¤\xa0#,##0.00", locale="en_US")


def parse_amount(value) -> Decimal:
    """A Decimal from what a form or a JSON body gave; ValueError for anything that is not a number."""
    if isinstance(value, bool) or value is None:
        raise ValueError("not a number")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError("not a number") from None
    if not amount.is_finite():
        raise ValueError("not a number")
    return amount


def check_amount(amount: Decimal, currency: str, *, field: str, allow_zero: bool = False) -> Decimal:
    """The amount, if it is a valid amount of this currency: positive (or zero when allowed), with no
    more decimal places than the currency has, and below LARGEST_AMOUNT.

    Raises ValidationError({field: [...]}) with a message that says what to enter.
    """
    places = minor_units(currency)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(
            {field: [_("Enter an amount above zero.") if not allow_zero else _("Enter zero or more.")]},
            code="not_positive",
        )
    if amount > LARGEST_AMOUNT:
        raise ValidationError({field: [_("That amount is too large.")]}, code="too_large")
    if amount != amount.quantize(step(currency), rounding=ROUND_HALF_UP):
        if places == 0:
            message = _("%(currency)s has no minor unit: enter a whole amount.") % {"currency": currency}
        else:
            message = _("%(currency)s amounts have at most %(places)d decimal places.") % {
                "currency": currency,
                "places": places,
            }
        raise ValidationError({field: [message]}, code="too_precise")
    return quantize(amount, currency)
