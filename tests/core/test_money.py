from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.utils import translation

from apps.core.money import (
    current_currency,
    format_money,
    has_more_decimals_than,
    minor_unit,
    money_quantum,
    quantize_money,
    to_decimal,
)


@pytest.mark.parametrize(
    ("currency", "places"),
    [
        ("KRW", 0),
        ("JPY", 0),
        ("VND", 0),
        ("CLP", 0),
        ("ISK", 0),
        ("USD", 2),
        ("EUR", 2),
        ("GBP", 2),
        ("CNY", 2),
        ("AUD", 2),
        ("CAD", 2),
        ("CHF", 2),
        ("SEK", 2),
        ("NOK", 2),
        ("DKK", 2),
        ("SGD", 2),
        ("HKD", 2),
        ("NZD", 2),
        ("INR", 2),
        ("BRL", 2),
        ("MXN", 2),
        ("ZAR", 2),
        ("BHD", 3),
        ("KWD", 3),
        ("OMR", 3),
        ("JOD", 3),
        ("TND", 3),
        ("CLF", 4),
        (" krw ", 0),  # as typed
        ("XYZ", 2),  # unknown codes: ISO's usual two
        (None, 2),
    ],
)
def test_minor_unit_follows_iso_4217(currency, places):
    assert minor_unit(currency) == places


def test_money_quantum():
    assert money_quantum("KRW") == Decimal("1")
    assert money_quantum("USD") == Decimal("0.01")
    assert money_quantum("BHD") == Decimal("0.001")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1234.5", "KRW", "1235"),  # half up
        ("1234.49", "KRW", "1234"),
        ("-1234.5", "KRW", "-1235"),  # half away from zero
        ("10.005", "USD", "10.01"),
        ("10.004", "USD", "10.00"),
        ("99.5", "JPY", "100"),
        ("1.2345", "BHD", "1.235"),
        ("1.2344", "BHD", "1.234"),
        (3, "USD", "3.00"),
        (0.1, "USD", "0.10"),  # a float goes through its shortest text, not its binary value
        ("1e30", "USD", "1000000000000000000000000000000.00"),  # past the default 28-digit precision
    ],
)
def test_quantize_money(amount, currency, expected):
    result = quantize_money(amount, currency)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_quantize_money_takes_another_rounding():
    assert quantize_money("2.5", "KRW", rounding=ROUND_HALF_EVEN) == Decimal("2")
    assert quantize_money("2.5", "KRW") == Decimal("3")


@pytest.mark.parametrize("value", ["abc", "", "1,000", "NaN", "Infinity", "-inf", None, True, object()])
def test_to_decimal_refuses_what_is_not_an_amount(value):
    with pytest.raises(ValueError):
        to_decimal(value)


def test_to_decimal_reads_text_and_numbers():
    assert to_decimal(" 49.90 ") == Decimal("49.90")
    assert to_decimal(7) == Decimal(7)
    assert to_decimal(Decimal("1.5")) == Decimal("1.5")


@pytest.mark.parametrize(
    ("amount", "places", "expected"),
    [("50000", 0, False), ("50000.00", 0, False), ("50000.5", 0, True), ("1.99", 2, False), ("1.999", 2, True)],
)
def test_has_more_decimals_than(amount, places, expected):
    assert has_more_decimals_than(amount, places) is expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("50000.00", "KRW", "₩50,000"),
        ("1234567", "KRW", "₩1,234,567"),
        ("1234.5", "KRW", "₩1,235"),
        ("1234.5", "USD", "$1,234.50"),
        ("0", "USD", "$0.00"),
        ("-5", "USD", "-$5.00"),
        ("1000", "JPY", "¥1,000"),
        ("1000", "EUR", "€1,000.00"),
        ("1000", "AUD", "A$1,000.00"),
        ("1.25", "BHD", "BHD\u00a01.250"),
        ("1000000", "CHF", "CHF\u00a01,000,000.00"),
    ],
)
def test_format_money(amount, currency, expected):
    with translation.override("en"):
        assert format_money(Decimal(amount), currency) == expected


def test_format_money_in_korean_uses_the_same_separators():
    with translation.override("ko"):
        assert format_money(Decimal("500000"), "KRW") == "₩500,000"


def test_the_currency_comes_from_the_gym(in_gym_a):
    in_gym_a.currency = "KRW"
    assert current_currency() == "KRW"
    assert format_money(Decimal("70000")) == "₩70,000"


def test_outside_a_gym_there_is_no_currency(db):
    connection.set_schema_to_public()
    assert current_currency() is None
    assert format_money(Decimal("1234.5")) == "1,234.50"


def render(source, **context):
    with translation.override("en"):
        return Template("{% load money %}" + source).render(Context(context))


def test_money_filter_uses_the_gym_currency(in_gym_a):
    in_gym_a.currency = "KRW"
    assert render("{{ price|money }}", price=Decimal("50000.00")) == "₩50,000"


def test_money_filter_takes_a_currency():
    assert render('{{ price|money:"USD" }}', price=Decimal("49.9")) == "$49.90"


@pytest.mark.parametrize("value", [None, "", "abc"])
def test_money_filter_shows_nothing_for_a_missing_or_bad_amount(value):
    assert render('{{ price|money:"USD" }}', price=value) == ""
