"""Accent- and case-insensitive search without PostgreSQL extensions (no ``unaccent``, no ``pg_trgm``).

The services keep ``Client.search_text``: the names and email normalised by ``normalize`` plus the phone's digits.
A query is normalised the same way and matched with ``icontains``.
"""

import re
import unicodedata

from django.db.models import Q

_NOT_DIGIT = re.compile(r"\D")
_PHONE_QUERY = re.compile(r"^[\d\s()+./-]+$")
# Latin letters that carry their "accent" in the letter itself, so NFKD does not split them.
_FOLD = str.maketrans({"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def normalize(text):
    """Decompose (NFKD), drop combining marks, recompose (NFC: Hangul jamo become syllables again), casefold.

    "José" -> "jose", "MÜLLER" -> "muller", "Straße" -> "strasse", "김민지" -> "김민지".
    """
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFC", stripped).casefold().translate(_FOLD).split())


def digits(text):
    return _NOT_DIGIT.sub("", str(text or ""))


def search_text_for(*, first_name, last_name, email, phone):
    parts = [normalize(first_name), normalize(last_name), normalize(email), digits(phone)]
    return " ".join(part for part in parts if part)[:400]


def search_q(query):
    """A Q matching clients whose search text contains the query (or, for a phone-like query, its digits)."""
    query = str(query or "").strip()
    condition = Q(search_text__icontains=normalize(query))
    if _PHONE_QUERY.match(query) and len(digits(query)) >= 3:
        condition |= Q(search_text__icontains=digits(query))
    return condition
