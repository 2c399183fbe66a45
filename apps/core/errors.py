from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from collections.abc import Collection

    from django.db.models import Field, Model


class ApplicationError(Exception):
    """A rule of the product refused the request. ``message`` is shown to the user as is.

    ``extra`` may carry {"field": name} so that forms attach the message to that field.
    """

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

    @property
    def field(self) -> str | None:
        return self.extra.get("field")


def full_clean_or_raise(instance: Model, *, exclude: Collection[str] | None = None) -> None:
    """Run the model's own validation; its first complaint becomes an ApplicationError on that field."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], {"field": None if field == NON_FIELD_ERRORS else field}) from error


def clean_name(value: object, *, model: type[Model], missing: str, field: str = "name") -> str:
    """A name on one line (runs of white space folded into one space), required (``missing`` is the message
    otherwise) and within the max_length of ``model``'s ``field``."""
    from django.utils.translation import gettext as _

    name = " ".join(str(value or "").split())
    if not name:
        raise ApplicationError(missing, {"field": field})
    limit = cast(int, cast("Field[Any, Any]", model._meta.get_field(field)).max_length)  # a CharField's: always set
    if len(name) > limit:
        raise ApplicationError(_("Use at most %(limit)d characters.") % {"limit": limit}, {"field": field})
    return name


def clean_whole_number(value: object, field: str, message: str) -> int:
    """``value`` (text, number) as an int, or ApplicationError(message) at ``field``. Absurd sizes are clamped
    to a billion with their sign, which every range check refuses, so int() never gets a billion-digit number."""
    from apps.core.money import to_decimal

    if isinstance(value, bool) or value is None or value == "":
        raise ApplicationError(message, {"field": field})
    try:
        number = to_decimal(value)
    except ValueError:
        raise ApplicationError(message, {"field": field}) from None
    if number.adjusted() >= 9:
        return 10**9 if number > 0 else -(10**9)
    if number != number.to_integral_value():
        raise ApplicationError(message, {"field": field})
    return int(number)
