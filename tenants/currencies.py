"""The currencies a gym may keep its prices in: ISO 4217 codes that are legal tender somewhere today.

Babel (CLDR) knows every code ever issued, withdrawn ones (ADP, AFA) and funds or metals (XAU, CLF) too; a gym needs
the ones it can be paid in, so the list is the currencies that some territory uses as tender now. Names come in the
user's language ("South Korean Won", "대한민국 원").
"""

from __future__ import annotations

from functools import cache

from babel.core import get_global
from babel.numbers import get_currency_name
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes in current use as legal tender (about 150)."""
    codes: set[str] = set()
    for entries in get_global("territory_currencies").values():
        for code, _start, end, tender in entries:
            if end is None and tender:
                codes.add(code)
    return frozenset(codes)


def currency_name(code: str, language: str | None = None) -> str:
    """``code``'s name in ``language`` (the active one by default), or the code when CLDR has no name for it."""
    locale = to_locale(language or get_language() or "en")
    try:
        return get_currency_name(code, locale=locale)
    except (ValueError, LookupError):  # an unknown locale
        return get_currency_name(code, locale="en")


def currency_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, "KRW: South Korean Won") for a select, sorted by code, names in ``language``."""
    return [(code, f"{code}: {currency_name(code, language)}") for code in sorted(currency_codes())]


def clean_currency(value: object, *, field: str = "currency") -> str:
    """An ISO 4217 code in current use, upper case (``krw`` is KRW); anything else ("ZZZ", "", "XAU") is refused."""
    code = str(value or "").strip().upper()
    if code not in currency_codes():
        raise ApplicationError(
            _("Choose a currency from the list (an ISO 4217 code such as KRW, USD or EUR)."), {"field": field}
        )
    return code
