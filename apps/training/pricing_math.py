"""Money maths of a package sale and of a payment: pure functions, no database.

Every amount is rounded to the currency's minor unit (KRW 0 decimals, USD 2, BHD 3; ``apps.core.money``) and the
parts add up exactly, by construction rather than by luck:

* **VAT is the amount that is rounded** (half up, as on a tax invoice); the **net absorbs the remainder**.
  - Inclusive pricing (the price is what the client pays): ``gross = price``,
    ``vat = round(gross * rate / (1 + rate))``, ``net = gross - vat``.
  - Exclusive pricing (the price is before VAT): ``net = price``, ``vat = round(net * rate)``,
    ``gross = net + vat``.
  So ``net + vat == gross`` always, and the VAT is never more than one minor unit away from the exact figure.
* **The card fee** is the card processor's cut of the gross: ``fee = round(gross * card_fee_rate)``. It is reported
  separately and is not part of ``net + vat``; ``payout = gross - fee`` is what reaches the gym's account.
  Non-card payments pass ``card_fee_rate = 0``.
* Rates are fractions with at most 4 decimals (``0.1000`` is 10%), ``0 <= rate < 1``.
* Rounding is half up, away from zero, so a refund (a negative amount) splits into the exact negatives of the
  payment it returns.
"""

from dataclasses import dataclass
from decimal import Decimal

from apps.core.money import has_more_decimals_than, quantize_money, to_decimal

RATE_PLACES = 4
RATE_QUANTUM = Decimal("0.0001")


@dataclass(frozen=True)
class Breakdown:
    gross: Decimal  # what the client pays
    net: Decimal  # gross without VAT
    vat: Decimal
    fee: Decimal  # card processor's cut of the gross (separate, not inside net + vat)

    @property
    def payout(self):
        """What the gym receives after the card fee."""
        return self.gross - self.fee


def clean_rate(rate):
    """``rate`` as a Decimal with 4 places; ValueError for a non-number, more decimals, or outside [0, 1)."""
    value = to_decimal(rate)
    if value < 0 or value >= 1:
        raise ValueError(f"a rate is at least 0 and below 1: {rate!r}")
    if has_more_decimals_than(value, RATE_PLACES):
        raise ValueError(f"a rate has at most {RATE_PLACES} decimals: {rate!r}")
    return value.quantize(RATE_QUANTUM)


def card_fee(amount, rate, currency):
    """The card processor's cut of ``amount`` (negative for a refund), rounded to the currency."""
    return quantize_money(to_decimal(amount) * clean_rate(rate), currency)


def breakdown(*, price, vat_rate, card_fee_rate, inclusive, currency):
    """Gross, net, VAT and card fee of selling at ``price`` (see the module's doc for who absorbs the rounding)."""
    vat_rate = clean_rate(vat_rate)
    amount = quantize_money(price, currency)
    if inclusive:
        gross = amount
        vat = quantize_money(gross * vat_rate / (1 + vat_rate), currency)
        net = gross - vat
    else:
        net = amount
        vat = quantize_money(net * vat_rate, currency)
        gross = net + vat
    return Breakdown(gross=gross, net=net, vat=vat, fee=card_fee(gross, card_fee_rate, currency))


def payment_fee(*, amount, card_fee_rate, is_card, currency):
    """Fee of one payment: the package's card-fee rate for a card payment, nothing for cash or transfer."""
    if not is_card:
        return quantize_money(0, currency)
    return card_fee(quantize_money(amount, currency), card_fee_rate, currency)
