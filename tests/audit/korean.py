"""Korean for the audit messages the lead has not translated yet (issue 15 added them; locale/ is the lead's).

``stand_in_korean()`` patches the translation functions the audit events render with: a message that has no Korean in
the catalogue reads, in Korean only, "기록: " and its parameters. Pages then hold no English of the product's own, and
a test can tell a sentence made when read (Korean) from one stored when written (English).
``untranslated_messages()`` lists what is still missing (tests/audit/test_events.py asserts it is empty).
"""

from contextlib import contextmanager
from unittest import mock

from django.utils import translation

from apps.audit import events

STAND_IN = "기록: "


def stand_in(template):
    return STAND_IN + ", ".join(f"%({name})s" for name in sorted(events.placeholders(template)))


def _missing(msgid, translated):
    return translation.get_language() == "ko" and translated == msgid


def untranslated_messages():
    missing = []
    with translation.override("ko"):
        for event in events.REGISTRY.values():
            context, singular, plural, _count = event.msgids
            forms = [(singular, 1), (plural, 2)] if plural else [(singular, None)]
            for msgid, count in forms:
                if event.template(count) == msgid:
                    missing.append(msgid)
    return sorted(set(missing))


@contextmanager
def stand_in_korean():
    real = events.gettext, events.ngettext, events.pgettext, events.npgettext

    def gettext(msgid):
        translated = real[0](msgid)
        return stand_in(msgid) if _missing(msgid, translated) else translated

    def ngettext(singular, plural, n):
        translated = real[1](singular, plural, n)
        return stand_in(singular) if _missing(singular if n == 1 else plural, translated) else translated

    def pgettext(context, msgid):
        translated = real[2](context, msgid)
        return stand_in(msgid) if _missing(msgid, translated) else translated

    def npgettext(context, singular, plural, n):
        translated = real[3](context, singular, plural, n)
        return stand_in(singular) if _missing(singular if n == 1 else plural, translated) else translated

    with (
        mock.patch.object(events, "gettext", gettext),
        mock.patch.object(events, "ngettext", ngettext),
        mock.patch.object(events, "pgettext", pgettext),
        mock.patch.object(events, "npgettext", npgettext),
    ):
        yield
