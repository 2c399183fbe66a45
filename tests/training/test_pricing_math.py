"""Money maths: amounts rounded to the currency's minor unit that add up exactly."""

import random
from decimal import Decimal

import pytest

from apps.core.money import minor_unit
from apps.training.pricing_math import breakdown, card_fee, clean_rate, payment_fee

D = Decimal


def test_inclusive_usd():
    parts = breakdown(
        price=D("100.00"), vat_rate=D("0.1000"), card_fee_rate=D("0.0250"), inclusive=True, currency="USD"
    )
    assert (parts.gross, parts.net, parts.vat, parts.fee) == (D("100.00"), D("90.91"), D("9.09"), D("2.50"))
    assert parts.payout == D("97.50")


def test_exclusive_usd():
    parts = breakdown(
        price=D("100.00"), vat_rate=D("0.1000"), card_fee_rate=D("0.0250"), inclusive=False, currency="USD"
    )
    assert (parts.gross, parts.net, parts.vat, parts.fee) == (D("110.00"), D("100.00"), D("10.00"), D("2.75"))


def test_inclusive_krw_whole_won():
    parts = breakdown(
        price=D("550000"), vat_rate=D("0.1000"), card_fee_rate=D("0.0330"), inclusive=True, currency="KRW"
    )
    assert (parts.gross, parts.net, parts.vat, parts.fee) == (D("550000"), D("500000"), D("50000"), D("18150"))
    odd = breakdown(price=D("99999"), vat_rate=D("0.1000"), card_fee_rate=D("0.0330"), inclusive=True, currency="KRW")
    # 99999 / 11 = 9090.818... -> VAT 9091, the net absorbs the remainder
    assert (odd.gross, odd.net, odd.vat, odd.fee) == (D("99999"), D("90908"), D("9091"), D("3300"))
    assert odd.vat.as_tuple().exponent == 0 and odd.fee.as_tuple().exponent == 0


def test_exclusive_bhd_thousandths():
    parts = breakdown(
        price=D("12.345"), vat_rate=D("0.1000"), card_fee_rate=D("0.0175"), inclusive=False, currency="BHD"
    )
    # VAT 1.2345 -> 1.235 (half up); gross 13.580; fee 0.23765 -> 0.238
    assert (parts.gross, parts.net, parts.vat, parts.fee) == (D("13.580"), D("12.345"), D("1.235"), D("0.238"))


def test_zero_rates_and_zero_price():
    parts = breakdown(price=D("0"), vat_rate=D("0"), card_fee_rate=D("0"), inclusive=True, currency="USD")
    assert (parts.gross, parts.net, parts.vat, parts.fee) == (D("0.00"),) * 4
    parts = breakdown(price=D("80"), vat_rate=0, card_fee_rate=0, inclusive=False, currency="USD")
    assert (parts.gross, parts.net, parts.vat, parts.fee) == (D("80.00"), D("80.00"), D("0.00"), D("0.00"))


def test_half_up_at_the_exact_half():
    # 0.05 * 0.1 = 0.005 -> 0.01 exclusive; fee 10.00 * 0.0005 = 0.005 -> 0.01
    parts = breakdown(price=D("0.05"), vat_rate=D("0.1"), card_fee_rate=D("0"), inclusive=False, currency="USD")
    assert parts.vat == D("0.01")
    assert card_fee(D("10.00"), D("0.0005"), "USD") == D("0.01")
    assert card_fee(D("-10.00"), D("0.0005"), "USD") == D("-0.01")


@pytest.mark.parametrize("rate", ["-0.0001", "1", "1.5", "0.00001", "abc", "NaN"])
def test_bad_rates_are_refused(rate):
    with pytest.raises(ValueError):
        clean_rate(rate)


def test_rates_are_four_decimals():
    assert clean_rate("0.1") == D("0.1000")
    assert str(clean_rate("0.0825")) == "0.0825"
    assert clean_rate(0) == D("0.0000")


def test_payment_fee_only_for_cards():
    assert payment_fee(amount=D("50"), card_fee_rate=D("0.0300"), is_card=True, currency="USD") == D("1.50")
    assert payment_fee(amount=D("50"), card_fee_rate=D("0.0300"), is_card=False, currency="USD") == D("0.00")
    assert payment_fee(amount=D("-50"), card_fee_rate=D("0.0300"), is_card=True, currency="USD") == D("-1.50")


@pytest.mark.parametrize("currency", ["KRW", "JPY", "USD", "EUR", "BHD", "KWD"])
@pytest.mark.parametrize("inclusive", [True, False])
def test_parts_add_up_exactly_for_many_amounts_and_rates(currency, inclusive):
    """Property-style: thousands of random prices and rates; the parts always add up and carry the right places."""
    rng = random.Random(f"{currency}-{inclusive}")
    places = minor_unit(currency)
    quantum = D(1).scaleb(-places)
    for _ in range(2000):
        price = D(rng.randint(0, 10**9)).scaleb(-places)
        vat_rate = D(rng.randint(0, 9999)).scaleb(-4)
        fee_rate = D(rng.randint(0, 9999)).scaleb(-4)
        parts = breakdown(
            price=price, vat_rate=vat_rate, card_fee_rate=fee_rate, inclusive=inclusive, currency=currency
        )
        assert parts.net + parts.vat == parts.gross
        assert parts.payout + parts.fee == parts.gross
        for amount in (parts.gross, parts.net, parts.vat, parts.fee):
            assert amount.as_tuple().exponent == -places, (amount, currency)
            assert amount >= 0
        if inclusive:
            assert parts.gross == price
            exact_vat = price * vat_rate / (1 + vat_rate)
        else:
            assert parts.net == price
            exact_vat = price * vat_rate
        # the VAT is the exact figure rounded: never more than half a minor unit away
        assert abs(parts.vat - exact_vat) <= quantum / 2
        assert abs(parts.fee - parts.gross * fee_rate) <= quantum / 2
        assert parts.net <= parts.gross and parts.fee <= parts.gross


def test_a_refund_mirrors_its_payment():
    rng = random.Random(7)
    for _ in range(1000):
        amount = D(rng.randint(1, 10**7)).scaleb(-2)
        rate = D(rng.randint(0, 9999)).scaleb(-4)
        fee = payment_fee(amount=amount, card_fee_rate=rate, is_card=True, currency="USD")
        assert payment_fee(amount=-amount, card_fee_rate=rate, is_card=True, currency="USD") == -fee
