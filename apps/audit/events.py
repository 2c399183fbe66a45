"""Audit events: what an entry says, stored as a code and its parameters and put into words when it is read, in the
reader's language (issue 15).

An app declares its events in its own ``audit_events.py`` (found by ``AuditConfig.ready``), because the parameters
name the app's own choices (a session's status, a role, a weekday) and this app sits below them:

    register(Event("session.complete", gettext_lazy("Completed.")),
             Event("package.sell", ngettext_lazy("… %(sessions)d session …", "… %(sessions)d sessions …", "sessions"),
                   {"client": TEXT, "sessions": COUNT, "gross": MONEY}))

The message is a lazy translation (``gettext_lazy``, ``pgettext_lazy``, or ``ngettext_lazy`` / ``npgettext_lazy``
naming the count parameter that picks the plural), so ``makemessages`` finds it; each parameter has a kind that
checks and stores the value when written (``dump``: JSON, ids and names as they were) and words it when read
(``show``: the gym's timezone through ``apps.core.dates``, amounts through ``apps.core.money``, choices through their
labels). ``parse`` is the way back from words, used once to turn the summaries of old rows into events.

Codes are stored in rows: never rename or remove an event, add a new one.
"""

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import formats, translation
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, ngettext, npgettext, pgettext

from apps.core.dates import format_date, format_datetime, gym_timezone
from apps.core.money import SYMBOLS, format_money, normalize_currency, to_decimal

# The gym's timezone when the connection does not know it (the data migration runs outside any request).
GYM_ZONE: ContextVar[tzinfo | None] = ContextVar("audit_gym_zone", default=None)
NOBODY = gettext_lazy("nobody")
DAYS = gettext_lazy("%(first)s to %(last)s")


class Kind(ABC):
    """A kind of parameter: how a value is checked and stored, shown to a reader, and read back from old text."""

    pattern = r".*?"  # what its words look like inside a sentence (non-greedy: the sentence's text around it decides)

    @abstractmethod
    def dump(self, value: Any) -> Any:
        """``value`` as stored (JSON); TypeError or ValueError when it is not of this kind."""

    def show(self, stored: Any) -> Any:
        """The stored value as the reader sees it (in the active language), for ``message % values``."""
        return stored

    @abstractmethod
    def parse(self, text: str, language: str) -> Any:
        """The stored value whose words, in ``language``, are ``text``; ValueError when they are not."""

    @abstractmethod
    def example(self) -> Any:
        """A value for the registry's tests."""


class Text(Kind):
    """A name or a short text as it was (a client's name, a package's name, a reason)."""

    def dump(self, value: Any) -> str:
        if not isinstance(value, str) or isinstance(value, Promise):
            raise TypeError(f"text expected, got {value!r} (pass str(obj) for an object, never a lazy translation)")
        return value

    def parse(self, text: str, language: str) -> str:
        return text

    def example(self) -> str:
        return "Minji Kim"


class Count(Kind):
    """A whole number (sessions, minutes, clients); the one named by a plural message picks its form."""

    pattern = r"-?\d+"

    def dump(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"whole number expected, got {value!r}")
        return value

    def parse(self, text: str, language: str) -> int:
        return int(text)

    def example(self) -> int:
        return 3


class Score(Kind):
    """A score that may be missing (shown "-")."""

    pattern = r"-|\d+"

    def dump(self, value: Any) -> int | None:
        return None if value is None else Count().dump(value)

    def show(self, stored: Any) -> Any:
        return "-" if stored is None else stored

    def parse(self, text: str, language: str) -> int | None:
        return None if text == "-" else int(text)

    def example(self) -> int:
        return 72


@lru_cache(maxsize=16)
def _format_regex(name: str, language: str) -> tuple[re.Pattern[str], dict[str, int]]:
    """A regex of Django's date format ``name`` in ``language`` (config/formats), with groups y, m or M, d, H, i;
    and the month names it may hold."""
    with translation.override(language):
        pattern = str(formats.get_format(name, lang=language))
        months = {str(MONTHS_3[number]).title(): number for number in MONTHS_3}
        months |= {str(MONTHS[number]): number for number in MONTHS}
    parts = {
        "j": r"(?P<d>\d{1,2})",
        "d": r"(?P<d>\d{2})",
        "n": r"(?P<m>\d{1,2})",
        "m": r"(?P<m>\d{2})",
        "M": "(?P<M>" + "|".join(map(re.escape, months)) + ")",
        "F": "(?P<M>" + "|".join(map(re.escape, months)) + ")",
        "Y": r"(?P<y>\d{4})",
        "H": r"(?P<H>\d{2})",
        "G": r"(?P<H>\d{1,2})",
        "i": r"(?P<i>\d{2})",
    }
    regex = "".join(parts.get(char, re.escape(char)) for char in pattern)
    return re.compile(regex), months


def _parse_format(text: str, name: str, language: str) -> dict[str, int]:
    regex, months = _format_regex(name, language)
    match = regex.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a {name} in {language}: {text!r}")
    found = match.groupdict()
    month = months[found["M"]] if found.get("M") else int(found["m"])
    values = {"year": int(found["y"]), "month": month, "day": int(found["d"])}
    if "H" in found:
        values |= {"hour": int(found["H"]), "minute": int(found["i"])}
    return values


class Moment(Kind):
    """A date and time: stored in ISO 8601 with its offset, shown in the gym's timezone ("3 Dec 2026, 15:48")."""

    pattern = r".+?"

    def dump(self, value: Any) -> str:
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise TypeError(f"aware datetime expected, got {value!r}")
        return value.isoformat()

    def show(self, stored: Any) -> str:
        return format_datetime(datetime.fromisoformat(stored), zone=GYM_ZONE.get())

    def parse(self, text: str, language: str) -> str:
        values = _parse_format(text, "DATETIME_FORMAT", language)
        return datetime(**values, tzinfo=GYM_ZONE.get() or gym_timezone()).isoformat()

    def example(self) -> datetime:
        return datetime(2026, 12, 3, 15, 48, tzinfo=gym_timezone())


class Day(Kind):
    """A calendar day ("3 Dec 2026")."""

    pattern = r".+?"

    def dump(self, value: Any) -> str:
        if not isinstance(value, date) or isinstance(value, datetime):
            raise TypeError(f"date expected, got {value!r}")
        return value.isoformat()

    def show(self, stored: Any) -> str:
        return format_date(date.fromisoformat(stored))

    def parse(self, text: str, language: str) -> str:
        return date(**_parse_format(text, "DATE_FORMAT", language)).isoformat()

    def example(self) -> date:
        return date(2026, 12, 3)


class Days(Kind):
    """A range of days, both included: one day ("3 Dec 2026") or "3 Dec 2026 to 5 Dec 2026"."""

    pattern = r".+?"

    def dump(self, value: Any) -> list[str]:
        first, last = value
        return [Day().dump(first), Day().dump(last)]

    def show(self, stored: Any) -> str:
        first, last = stored
        if first == last:
            return Day().show(first)
        return DAYS % {"first": Day().show(first), "last": Day().show(last)}

    def parse(self, text: str, language: str) -> list[str]:
        try:
            day = Day().parse(text, language)
            return [day, day]
        except ValueError:
            pass
        with translation.override(language):
            match = compile_template(str(DAYS), {"first": Day(), "last": Day()}).fullmatch(text)
        if match is None:
            raise ValueError(f"not a range of days: {text!r}")
        return [Day().parse(match["first"], language), Day().parse(match["last"], language)]

    def example(self) -> tuple[date, date]:
        return date(2026, 12, 3), date(2026, 12, 5)


class Money(Kind):
    """An amount with its currency, given as ``(amount, currency)``; shown through ``apps.core.money`` ("₩50,000")."""

    pattern = r"-?(?:[^\d\s-]{1,3}|[A-Z]{3}\s)\d[\d,]*(?:\.\d+)?"

    def dump(self, value: Any) -> dict[str, str]:
        amount, currency = value
        code = normalize_currency(currency)
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValueError(f"currency code expected, got {currency!r}")
        return {"amount": str(to_decimal(amount)), "currency": code}

    def show(self, stored: Any) -> str:
        return format_money(Decimal(stored["amount"]), stored["currency"])

    def parse(self, text: str, language: str) -> dict[str, str]:
        # format_money: a sign, then a symbol or "CODE\xa0", then the number grouped with "," (en and ko alike)
        match = re.fullmatch(r"(-?)(?:([A-Z]{3})\s|([^\d\s-]{1,3}))(\d[\d,]*(?:\.\d+)?)", text.strip())
        if match is None:
            raise ValueError(f"not an amount: {text!r}")
        sign, code, symbol, number = match.groups()
        if symbol is not None:
            codes = [code for code, known in SYMBOLS.items() if known == symbol]
            if len(codes) != 1:
                raise ValueError(f"unknown currency symbol: {symbol!r}")
            code = codes[0]
        return {"amount": str(Decimal(sign + number.replace(",", ""))), "currency": code}

    def example(self) -> tuple[Decimal, str]:
        return Decimal("50000"), "KRW"


class Choice(Kind):
    """A value of a set of choices (``TextChoices``, ``IntegerChoices`` or pairs): stored as the value, shown as its
    label in the reader's language."""

    pattern = r".+?"

    def __init__(self, choices: type[models.Choices] | Iterable[tuple[Any, Any]]):
        self._choices = choices

    @property
    def pairs(self) -> list[tuple[Any, Any]]:
        choices = self._choices
        if isinstance(choices, type) and issubclass(choices, models.Choices):
            return list(choices.choices)
        return list(choices)

    def dump(self, value: Any) -> Any:
        value = getattr(value, "value", value)  # an enum member is stored as its value
        if value not in {key for key, _label in self.pairs}:
            raise ValueError(f"{value!r} is not one of {[key for key, _label in self.pairs]}")
        return value

    def show(self, stored: Any) -> str:
        return str(dict(self.pairs).get(stored, stored))

    def parse(self, text: str, language: str) -> Any:
        with translation.override(language):
            found = [key for key, label in self.pairs if str(label) == text]
        if not found:
            raise ValueError(f"no choice is labelled {text!r}")
        return found[0]

    def example(self) -> Any:
        return self.pairs[0][0]


class Fields(Kind):
    """Names of fields of ``model`` (what changed), shown as their verbose names: "name, logo"."""

    def __init__(self, model: type[models.Model]):
        self.model = model

    def label(self, name: str) -> str:
        return str(getattr(self.model._meta.get_field(name), "verbose_name", name))

    def dump(self, value: Any) -> list[str]:
        names = [str(name) for name in value]
        for name in names:
            self.model._meta.get_field(name)  # FieldDoesNotExist for a name that is not a field
        return names

    def show(self, stored: Any) -> str:
        return ", ".join(self.label(name) for name in stored)

    def parse(self, text: str, language: str) -> list[str]:
        with translation.override(language):
            names = {self.label(each.name): each.name for each in self.model._meta.get_fields() if each.concrete}
            names |= {self.label(each.name): each.name for each in self.model._meta.many_to_many}
        try:
            return [names[label] for label in text.split(", ")]
        except KeyError as error:
            raise ValueError(f"not a field: {error}") from None

    def example(self) -> list[str]:
        return [next(each.name for each in self.model._meta.concrete_fields if not each.primary_key)]


class Names(Kind):
    """A list of names as they were; an empty list is shown as "nobody"."""

    def dump(self, value: Any) -> list[str]:
        return [Text().dump(name) for name in value]

    def show(self, stored: Any) -> str:
        return ", ".join(stored) or str(NOBODY)

    def parse(self, text: str, language: str) -> list[str]:
        with translation.override(language):
            if text == str(NOBODY):
                return []
        return text.split(", ")

    def example(self) -> list[str]:
        return ["Tara", "Theo"]


TEXT, COUNT, SCORE, MOMENT, DAY, RANGE_OF_DAYS, MONEY, NAMES = (
    Text(),
    Count(),
    Score(),
    Moment(),
    Day(),
    Days(),
    Money(),
    Names(),
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def placeholders(template: str) -> set[str]:
    return {match[1] for match in _PLACEHOLDER.finditer(template) if match[1]}


def compile_template(template: str, kinds: Mapping[str, Kind]) -> re.Pattern[str]:
    """A regex matching what ``template % values`` gives, with a named group per placeholder (the same placeholder
    twice must say the same)."""
    regex, seen, at = [], set(), 0
    for match in _PLACEHOLDER.finditer(template):
        regex.append(re.escape(template[at : match.start()]))
        name = match[1]
        if name is None:
            regex.append("%")
        elif name in seen:
            regex.append(f"(?P={name})")
        else:
            seen.add(name)
            regex.append(f"(?P<{name}>{kinds[name].pattern})")
        at = match.end()
    regex.append(re.escape(template[at:]))
    return re.compile("".join(regex), re.DOTALL)


@dataclass(frozen=True)
class Legacy:
    """An older wording of an event (marked with ``gettext_noop`` so its Korean stays in the catalogue), used only to
    read old summaries. ``parts`` are phrases it was built from: {placeholder: template of the phrase}."""

    message: str
    parts: Mapping[str, str] = field(default_factory=dict)

    def template(self) -> str:
        text = gettext(self.message)
        for name, part in self.parts.items():
            text = text.replace(f"%({name})s", gettext(part))
        return text


@dataclass(frozen=True)
class Event:
    code: str
    message: Promise
    params: Mapping[str, Kind] = field(default_factory=dict)
    action: str = ""  # the entry's action (the log's filter); the code by default
    legacy: Sequence[Legacy] = ()

    @property
    def entry_action(self) -> str:
        return self.action or self.code

    @cached_property
    def msgids(self) -> tuple[str, str, str, str]:
        """(context, singular, plural, count parameter) of the message ("" where there is none).

        Read from the lazy translation itself through its pickling (``__reduce__`` gives the function's arguments),
        so the message is written once, where ``makemessages`` finds it; ``tests/audit/test_events.py`` walks them."""
        _unpickle, arguments = self.message.__reduce__()  # type: ignore[misc]
        if len(arguments) == 4 and isinstance(arguments[3], dict) and "singular" in arguments[3]:
            _func, _resultclass, number, kw = arguments  # ngettext_lazy / npgettext_lazy
            if not isinstance(number, str):
                raise TypeError(f"{self.code}: name the count parameter in ngettext_lazy(..., 'name')")
            return kw.get("context", ""), kw["singular"], kw["plural"], number
        args = arguments[1] if len(arguments) > 1 else ()
        if len(args) == 1 and isinstance(args[0], str):
            return "", args[0], "", ""
        if len(args) == 2 and all(isinstance(arg, str) for arg in args):  # pgettext_lazy(context, message)
            return args[0], args[1], "", ""
        raise TypeError(f"{self.code}: the message must be a lazy gettext, pgettext, ngettext or npgettext")

    def template(self, count: int | None = None) -> str:
        """The message in the active language, its plural form picked by ``count``."""
        context, singular, plural, _number = self.msgids
        if plural:
            n = 1 if count is None else count
            return npgettext(context, singular, plural, n) if context else ngettext(singular, plural, n)
        return pgettext(context, singular) if context else gettext(singular)

    def render(self, stored: Mapping[str, Any]) -> str:
        count = stored.get(self.msgids[3]) if self.msgids[3] else None
        values = {name: kind.show(stored[name]) for name, kind in self.params.items()}
        return self.template(count) % values

    def templates(self, language: str) -> list[str]:
        """Every wording of the event in ``language``: each plural form of the message, then the legacy ones."""
        with translation.override(language):
            found = [self.template(count) for count in (1, 2)] if self.msgids[2] else [self.template()]
            found += [legacy.template() for legacy in self.legacy]
        return list(dict.fromkeys(found))


REGISTRY: dict[str, Event] = {}


def register(*events: Event) -> None:
    for event in events:
        if event.code in REGISTRY and REGISTRY[event.code] != event:
            raise ValueError(f"audit event {event.code!r} is registered twice")
        event.msgids  # noqa: B018  # refuse a message of the wrong shape at start-up, not at the first read
        REGISTRY[event.code] = event


def get(code: str) -> Event:
    try:
        return REGISTRY[code]
    except KeyError:
        raise LookupError(f"unknown audit event {code!r}: declare it in an app's audit_events.py") from None


def dump_params(code: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """``params`` checked against the event's and stored as JSON; a missing, extra or wrong one is a programming
    error (LookupError, KeyError, TypeError, ValueError), never the user's."""
    event = get(code)
    given = dict(params or {})
    missing, extra = set(event.params) - set(given), set(given) - set(event.params)
    if missing or extra:
        raise KeyError(f"audit event {code!r}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    return {name: kind.dump(given[name]) for name, kind in event.params.items()}


def render(code: str, stored: Mapping[str, Any], *, fallback: str = "") -> str:
    """The sentence of an event in the active language. A row that cannot be rendered (an event since removed, a
    translation with a wrong placeholder) shows ``fallback`` rather than breaking the page."""
    try:
        return get(code).render(stored)
    except (LookupError, KeyError, TypeError, ValueError):
        pass
    try:  # a translation whose placeholders are wrong: the English still holds
        with translation.override(settings.LANGUAGE_CODE):
            return get(code).render(stored)
    except (LookupError, KeyError, TypeError, ValueError):
        return fallback or code


def parse_summary(action: str, summary: str) -> tuple[str, dict[str, Any]] | None:
    """(event, stored params) whose English or Korean wording gives ``summary``, among the events of ``action``;
    None when none does (the summary is then kept as written)."""
    for event in events_of(action):
        for language in [code for code, _name in settings.LANGUAGES]:
            for template in event.templates(language):
                try:
                    match = compile_template(template, event.params).fullmatch(summary)
                except KeyError:  # a wording with a placeholder the event no longer has
                    continue
                if match is None:
                    continue
                try:
                    found = match.groupdict()
                    return event.code, {name: kind.parse(found[name], language) for name, kind in event.params.items()}
                except (KeyError, ValueError):
                    continue
    return None


def events_of(action: str) -> list[Event]:
    return [event for event in REGISTRY.values() if event.entry_action == action]
