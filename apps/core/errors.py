from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping

    from django.db.models import Field, Model

T = TypeVar("T")


class ApplicationError(Exception):
    """A rule of the product refused the request. ``message`` is shown to the user as is.

    ``extra`` may carry {"field": name} so that forms attach the message to that field. An error raised by
    :class:`FieldErrors` carries every field's complaints at once in ``extra["fields"]``
    ({field or None: [messages]}), so one response reports them all.
    """

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

    @property
    def field(self) -> str | None:
        return self.extra.get("field")

    @property
    def field_errors(self) -> dict[str | None, list[str]]:
        """Every complaint by field (None: about the whole request), in the order they were found."""
        errors = self.extra.get("fields")
        if errors:
            return {field: list(messages) for field, messages in errors.items()}
        return {self.field: [self.message]}


class FieldErrors:
    """Runs several field checks and collects what they refuse, so that one submit shows every field's error.

        errors = FieldErrors()
        height = errors.check("height_cm", _measure, value, ...)
        weight = errors.check("weight_kg", _measure, value, ...)
        errors.raise_if_any()          # one ApplicationError naming both fields
        ...cross-field rules here, once every field is valid

    A check that raises an ApplicationError without a field is filed under the field it was run for. The first
    ``code`` collected ("conflict", "unavailable") is kept, so that the API still answers 409 for a clash reported
    together with a field's complaint.
    """

    def __init__(self) -> None:
        self.errors: dict[str | None, list[str]] = {}
        self.code: str | None = None

    def add(self, field: str | None, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def add_error(self, error: ApplicationError, field: str | None = None) -> None:
        self.code = self.code or error.extra.get("code")
        for name, messages in error.field_errors.items():
            for message in messages:
                self.add(name if name is not None else field, message)

    def check(self, field: str | None, check: Callable[..., T], /, *args: Any, **kwargs: Any) -> T | None:
        """``check(*args, **kwargs)``, or None after recording its complaint at ``field``."""
        try:
            return check(*args, **kwargs)
        except ApplicationError as error:
            self.add_error(error, field)
            return None

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        field, messages = next(iter(self.errors.items()))
        extra: dict[str, Any] = {"field": field, "fields": self.errors}
        if self.code:
            extra["code"] = self.code
        raise ApplicationError(messages[0], extra)


def clean_given_fields(cleaners: Mapping[str, Callable[[Any], Any]], values: Mapping[str, Any]) -> dict[str, Any]:
    """Each value given (not None) through its field's cleaner, every complaint reported together; the cleaned
    values by field."""
    errors = FieldErrors()
    cleaned = {
        name: errors.check(name, cleaner, values[name])
        for name, cleaner in cleaners.items()
        if values.get(name) is not None
    }
    errors.raise_if_any()
    return cleaned


def full_clean_or_raise(instance: Model, *, exclude: Collection[str] | None = None, fields_only: bool = False) -> None:
    """Run the model's own validation; every complaint becomes part of one ApplicationError, at its field.
    ``fields_only``: each field's own checks, not those across fields (constraints, uniqueness, ``clean()``)."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    try:
        if fields_only:
            instance.clean_fields(exclude=exclude)
        else:
            instance.full_clean(exclude=exclude)
    except ValidationError as error:
        errors = FieldErrors()
        for field, messages in error.message_dict.items():
            for message in messages:
                errors.add(None if field == NON_FIELD_ERRORS else field, message)
        try:
            errors.raise_if_any()
        except ApplicationError as collected:
            raise collected from error


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
