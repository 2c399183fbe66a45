"""Money in the organization's currency: minor units (ISO 4217), rounding and display.

Amounts are always ``Decimal``. A gym has one currency (``Organization.currency``); ``current_currency()`` reads it
from the connection's tenant, so services and templates need not pass it around.

* ``minor_unit("KRW") == 0``, ``minor_unit("USD") == 2``, ``minor_unit("BHD") == 3`` (ISO 4217 exponents).
* ``quantize_money(amount, currency)`` rounds to the currency's minor unit, half up (commercial rounding), which is
  what VAT and fee splits use so that their parts add up.
* ``format_money(amount, currency)`` gives ``₩50,000``, ``$1,234.50``, ``BHD 1.250``: the symbol where it is
  unambiguous, else the code; separators follow the active language's number format.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache

from babel.core import get_global
from babel.numbers import get_currency_name
from django.db import connection
from django.utils import formats
from django.utils.translation import get_language, to_locale

# ISO 4217 exponents that differ from 2. Every other code (USD, EUR, GBP, CNY, AUD, CAD, CHF, SEK, NOK, DKK, SGD,
# HKD, NZD, INR, BRL, MXN, ZAR, ... and codes we do not know) has 2 decimals.
_NOT_TWO = {
    # no minor unit
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "UYI": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    # thousandths
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
    # units of account with four decimals
    "CLF": 4,
    "UYW": 4,
}
DEFAULT_MINOR_UNIT = 2

# Symbols shown before the amount. Only where they cannot be mistaken in a one-currency gym; the rest show the code.
SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "KRW": "₩",
    "CNY": "CN¥",
    "INR": "₹",
    "AUD": "A$",
    "CAD": "CA$",
    "NZD": "NZ$",
    "HKD": "HK$",
    "BRL": "R$",
    "MXN": "MX$",
    "ILS": "₪",
    "VND": "₫",
    "PHP": "₱",
    "TWD": "NT$",
}


def normalize_currency(currency):
    return (currency or "").strip().upper()


@lru_cache(maxsize=1)
def iso_currencies() -> frozenset[str]:
    """The ISO 4217 codes that are legal tender somewhere today (CLDR's data, through Babel): what a gym can be
    paid in (about 150). Babel knows every code ever issued; withdrawn ones (ADP), funds and metals (XAU) are left
    out, and so is anything made up ("ZZZ")."""
    codes: set[str] = set()
    for entries in get_global("territory_currencies").values():
        for code, _start, end, tender in entries:
            if end is None and tender:
                codes.add(code)
    return frozenset(codes)


def currency_name(code: str, language: str | None = None) -> str:
    """``code``'s name in ``language`` (the active one by default): "South Korean Won", "대한민국 원"."""
    try:
        return get_currency_name(code, locale=to_locale(language or get_language() or "en"))
    except (ValueError, LookupError):  # a locale CLDR does not know
        return get_currency_name(code, locale="en")


def currency_choices(language: str | None = None) -> list[tuple[str, str]]:
    """[(code, "KRW: South Korean Won")] in ``language`` (the active one by default), by code: the list a currency
    is chosen from."""
    return [(code, f"{code}: {currency_name(code, language)}") for code in sorted(iso_currencies())]


def clean_currency(value: object, *, field: str = "currency") -> str:
    """An ISO 4217 code in current use, upper case (``krw`` is KRW); anything else ("ZZZ", "", "XAU") is refused."""
    from django.utils.translation import gettext as _

    from .errors import ApplicationError

    code = str(value or "").strip().upper()
    if code not in iso_currencies():
        raise ApplicationError(
            _("Choose a currency from the list (an ISO 4217 code such as KRW, USD or EUR)."), {"field": field}
        )
    return code


def minor_unit(currency):
    """Number of decimals of ``currency`` (ISO 4217 exponent): KRW 0, USD 2, BHD 3. Unknown codes: 2."""
    return _NOT_TWO.get(normalize_currency(currency), DEFAULT_MINOR_UNIT)


def money_quantum(currency):
    """The smallest amount of ``currency``: Decimal("1") for KRW, Decimal("0.01") for USD."""
    return Decimal(1).scaleb(-minor_unit(currency))


def current_currency():
    """The currency of the gym this request or task runs in; None outside a gym (the platform's own pages)."""
    currency = getattr(connection.tenant, "currency", None)
    return normalize_currency(currency) or None


def to_decimal(value):
    """``value`` (Decimal, int, str, float) as a finite Decimal; ValueError for anything else ("abc", NaN, True)."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not an amount: {value!r}")
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise ValueError(f"not an amount: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return result


def _quantize(amount, places, rounding):
    # Enough precision for any amount: the default context (28 digits) refuses to quantize 1e30 to cents.
    with localcontext() as context:
        context.prec = max(context.prec, amount.adjusted() + places + 2)
        return amount.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def quantize_money(amount, currency, rounding=ROUND_HALF_UP):
    """``amount`` rounded to the minor unit of ``currency``: 1234.5 KRW -> 1235, 10.005 USD -> 10.01."""
    return _quantize(to_decimal(amount), minor_unit(currency), rounding)


def has_more_decimals_than(amount, places):
    """True when ``amount`` carries a non-zero digit past ``places`` decimals (50000.00 has none past 0)."""
    amount = to_decimal(amount)
    return amount != _quantize(amount, places, ROUND_HALF_UP)


def format_money(amount, currency=None):
    """``amount`` for display in ``currency`` (default: the current gym's): ``₩50,000``, ``-$5.00``, ``BHD 1.250``.

    Without any currency (outside a gym) it is a plain number with two decimals.
    """
    currency = normalize_currency(currency) or current_currency()
    places = minor_unit(currency)
    value = quantize_money(amount, currency)
    number = formats.number_format(abs(value), decimal_pos=places, use_l10n=True, force_grouping=True)
    sign = "-" if value < 0 else ""
    if not currency:
        return f"{sign}{number}"
    symbol = SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{number}"
    return f"{sign}{currency}\u00a0{number}"
