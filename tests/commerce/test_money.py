"""Amounts carry the shop's currency at its ISO 4217 precision, wherever they are shown."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import SHOP_CURRENCIES
from commerce import money

# ISO 4217 minor units, written out independently of babel's CLDR data.
ISO_4217_MINOR_UNITS = {
    "USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "KRW": 0, "CNY": 2, "HKD": 2, "TWD": 2, "SGD": 2, "MYR": 2,
    "THB": 2, "IDR": 2, "PHP": 2, "VND": 0, "INR": 2, "AUD": 2, "CAD": 2, "BRL": 2, "MXN": 2, "CHF": 2,
    "SEK": 2, "PLN": 2, "AED": 2, "SAR": 2, "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3,
}  # fmt: skip


@pytest.mark.parametrize(("code", "_name"), SHOP_CURRENCIES)
def test_each_shop_currency_has_its_iso_4217_minor_units(code, _name):
    assert money.minor_units(code) == ISO_4217_MINOR_UNITS[code]


@pytest.mark.parametrize(
    ("amount", "code", "shown"),
    [
        ("1234.5", "USD", "USD\xa01,234.50"),
        ("1234", "JPY", "JPY\xa01,234"),
        ("1.5", "KWD", "KWD\xa01.500"),
        ("0.005", "USD", "USD\xa00.01"),
    ],
)
def test_amounts_are_shown_with_their_currency_at_its_precision(amount, code, shown):
    assert money.format_money(Decimal(amount), code) == shown


@pytest.mark.parametrize(
    ("amount", "code"), [("1.5", "JPY"), ("1.001", "USD"), ("0.0001", "KWD"), ("0", "USD")]
)
def test_amounts_finer_than_the_currency_or_not_positive_are_refused(amount, code):
    with pytest.raises(ValidationError):
        money.check_amount(Decimal(amount), code, field="amount")


@pytest.mark.parametrize("raw", ["", "abc", "NaN", "Infinity", None, True, "1e", "--1"])
def test_parse_amount_refuses_what_is_not_a_number(raw):
    with pytest.raises(ValueError):
        money.parse_amount(raw)
