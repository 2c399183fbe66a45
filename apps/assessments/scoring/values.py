"""Reading raw values: numbers, flags and choices, each refused with its field named when impossible."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import ScoringInputError


def field_name(test_type, key):
    return f"{test_type}.{key}"


def check_keys(test_type, values, allowed, kind="raw"):
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise ScoringInputError(test_type, _("Enter the values of this test."))
    unknown = sorted(map(str, set(values) - set(allowed)))
    if unknown:
        raise ScoringInputError(
            field_name(test_type, unknown[0]), _("This test has no value called “%(name)s”.") % {"name": unknown[0]}
        )
    return values


def number(test_type, values, key, *, low, high, integer=False, required=True, low_open=False, default=None):
    """A number within [low, high] (or (low, high] with ``low_open``); None or ``default`` when optional and empty."""
    field = field_name(test_type, key)
    value = values.get(key)
    if value is None or value == "":
        if required:
            raise ScoringInputError(field, _("Enter this value."))
        return default
    if isinstance(value, bool):
        raise ScoringInputError(field, _("Enter a number."))
    try:
        parsed = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ScoringInputError(field, _("Enter a number.")) from None
    if not parsed.is_finite():
        raise ScoringInputError(field, _("Enter a number."))
    if integer and parsed != parsed.to_integral_value():
        raise ScoringInputError(field, _("Enter a whole number."))
    if parsed < 0 and low >= 0:
        raise ScoringInputError(field, _("This value cannot be negative."))
    too_low = parsed <= low if low_open else parsed < low
    if too_low or parsed > high:
        if low_open:
            message = _("Enter a value above %(low)s and at most %(high)s.")
        else:
            message = _("Enter a value from %(low)s to %(high)s.")
        raise ScoringInputError(field, message % {"low": _plain(low), "high": _plain(high)})
    result = int(parsed) if integer else float(parsed)
    if low_open and result <= low:  # "1e-400" is above 0 as a decimal, but 0.0 as a float
        message = _("Enter a value above %(low)s and at most %(high)s.")
        raise ScoringInputError(field, message % {"low": _plain(low), "high": _plain(high)})
    return result


def flag(test_type, values, key, *, default=False):
    value = values.get(key, default)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "yes", "on", "1"}:
        return True
    if isinstance(value, str) and value.lower() in {"false", "no", "off", "0"}:
        return False
    raise ScoringInputError(field_name(test_type, key), _("Answer yes or no."))


def choice(test_type, values, key, options, *, default=None):
    value = values.get(key, default)
    if value in (None, "") and default is not None:
        value = default
    if value not in options:
        raise ScoringInputError(
            field_name(test_type, key), _("Choose one of: %(options)s.") % {"options": ", ".join(options)}
        )
    return value


def codes(test_type, values, key, allowed, *, required=True):
    """A list of codes out of ``allowed`` (duplicates dropped, order kept); None when optional and absent."""
    value = values.get(key)
    field = field_name(test_type, key)
    if value is None:
        if required:
            return []
        return None
    if not isinstance(value, list | tuple):
        raise ScoringInputError(field, _("Give a list."))
    seen = []
    for item in value:
        if item not in allowed:
            raise ScoringInputError(field, _("Unknown compensation “%(code)s”.") % {"code": item})
        if item not in seen:
            seen.append(item)
    return seen


def _plain(number):
    return f"{number:g}" if isinstance(number, float) else str(number)
