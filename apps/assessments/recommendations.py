"""Training recommendations for the assessment report: for each weak or fair category, texts from a data file.

Pure: no models, no database, no gettext. The texts live in ``recommendations/recommendations.json`` in English
and Korean, side by side, with a ``review`` entry that records how they were checked (like the ``verification``
of the norm tables). The file is read and validated once; a malformed file raises
``RecommendationsFileError`` naming the file and the place in it.

    recommendations_for(assessment.category_scores(), "ko")  # weakest category first

A category scores "weak" below ``threshold.fair`` (60), "fair" from 60 to below ``threshold.good`` (80), and gets
no recommendation from 80 on or when it was not measured (None). See docs/scoring.md, "Recommendations in the
report". Changing a text or a threshold means bumping ``version`` in the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from .scoring.rules import Category

DATA_FILE: Final = Path(__file__).resolve().parent / "recommendations" / "recommendations.json"

CATEGORIES: Final[tuple[str, ...]] = tuple(Category.ALL)  # strength, mobility, balance, cardio
Level = Literal["weak", "fair"]
LEVELS: Final[tuple[Level, ...]] = ("weak", "fair")
Language = Literal["en", "ko"]
LANGUAGES: Final[tuple[Language, ...]] = ("en", "ko")
MIN_ITEMS: Final = 2
MAX_ITEMS: Final = 3


class RecommendationsFileError(ValueError):
    """The recommendations file is missing, not JSON, or not shaped as expected; the message says where."""


@dataclass(frozen=True)
class Recommendation:
    category: str  # "strength", "mobility", "balance" or "cardio"
    level: Level
    title: str
    items: tuple[str, ...]  # 2 or 3 sentences


@dataclass(frozen=True)
class RecommendationData:
    """The validated file: version, thresholds and every text, keyed by (category, level, language)."""

    version: str
    fair_from: int  # lowest score that is "fair"; below it, "weak"
    good_from: int  # lowest score without a recommendation
    texts: Mapping[tuple[str, str, str], tuple[str, tuple[str, ...]]]  # -> (title, items)


# --- reading and validating the file ------------------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(where, message)
        self.where = where
        self.message = message


def _object(value: Any, where: str, *, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A JSON object; with ``keys``, exactly those keys (a missing or an unknown one is an error)."""
    if not isinstance(value, dict):
        raise _Invalid(where, "must be an object")
    if keys is not None:
        missing = [key for key in keys if key not in value]
        if missing:
            raise _Invalid(where, f"missing {', '.join(repr(key) for key in missing)}")
        unknown = sorted(set(value) - set(keys))
        if unknown:
            expected = ", ".join(repr(key) for key in keys)
            raise _Invalid(where, f"unknown {', '.join(repr(key) for key in unknown)} (expected {expected})")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(where, "must be a non-empty string")
    return value.strip()


def _integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(where, "must be a whole number")
    return value


def _translations(value: Any, where: str) -> dict[str, str]:
    entry = _object(value, where, keys=LANGUAGES)
    return {language: _string(entry[language], f"{where}.{language}") for language in LANGUAGES}


def _parse(raw: Any) -> RecommendationData:
    document = _object(raw, "(top level)")
    for key in ("version", "review", "threshold", "categories"):
        if key not in document:
            raise _Invalid("(top level)", f"missing {key!r}")
    version = _string(document["version"], "version")

    review = _object(document["review"], "review")
    for key in ("date", "by"):
        _string(review.get(key), f"review.{key}")
    guidance = review.get("guidance")
    if not isinstance(guidance, list) or not guidance:
        raise _Invalid("review.guidance", "must list the guidance the texts were checked against")

    threshold = _object(document["threshold"], "threshold")
    fair_from = _integer(threshold.get("fair"), "threshold.fair")
    good_from = _integer(threshold.get("good"), "threshold.good")
    if not 0 < fair_from < good_from <= 100:
        raise _Invalid("threshold", f"needs 0 < fair < good <= 100 (fair {fair_from}, good {good_from})")

    categories = _object(document["categories"], "categories", keys=CATEGORIES)
    texts: dict[tuple[str, str, str], tuple[str, tuple[str, ...]]] = {}
    for category in CATEGORIES:
        levels = _object(categories[category], f"categories.{category}", keys=LEVELS)
        for level in LEVELS:
            where = f"categories.{category}.{level}"
            entry = _object(levels[level], where, keys=("title", "items"))
            title = _translations(entry["title"], f"{where}.title")
            items = entry["items"]
            if not isinstance(items, list) or not MIN_ITEMS <= len(items) <= MAX_ITEMS:
                raise _Invalid(f"{where}.items", f"must be a list of {MIN_ITEMS} to {MAX_ITEMS} entries")
            sentences = [_translations(item, f"{where}.items[{index}]") for index, item in enumerate(items)]
            for language in LANGUAGES:
                texts[category, level, language] = (
                    title[language],
                    tuple(sentence[language] for sentence in sentences),
                )
    return RecommendationData(version=version, fair_from=fair_from, good_from=good_from, texts=texts)


@cache
def load(path: Path = DATA_FILE) -> RecommendationData:
    """Read and validate the recommendations file (once per path). Raises RecommendationsFileError."""
    try:
        with Path(path).open(encoding="utf-8") as handle:
            raw = json.load(handle)
    except OSError as error:
        raise RecommendationsFileError(f"Cannot read the recommendations file {path}: {error}") from error
    except json.JSONDecodeError as error:
        raise RecommendationsFileError(
            f"The recommendations file {path} is not valid JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno})"
        ) from error
    try:
        return _parse(raw)
    except _Invalid as invalid:
        raise RecommendationsFileError(
            f"Invalid recommendations file {path}, at {invalid.where}: {invalid.message}"
        ) from None


# The file ships with the code and is validated by the tests; reading it here makes a broken file fail loudly at
# import rather than in the middle of a report.
RECOMMENDATIONS_VERSION: Final[str] = load().version


# --- choosing the recommendations ---------------------------------------------------------------------------------


def resolve_language(language: str | None) -> Language:
    """ "ko", "ko-kr", "ko_KR" (any case) -> "ko"; anything else, including None or "", -> "en"."""
    primary = (language or "").strip().replace("_", "-").split("-")[0].lower()
    return "ko" if primary == "ko" else "en"


def level_for(score: int) -> Level | None:
    """The level of a category score 0-100: "weak", "fair", or None (good enough for no recommendation)."""
    data = load()
    if score < data.fair_from:
        return "weak"
    if score < data.good_from:
        return "fair"
    return None


def _check_score(category: str, score: object) -> int | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ValueError(f"The {category} score must be a whole number from 0 to 100 or None, not {score!r}.")
    return score


def recommendations_for(scores: Mapping[str, int | None], language: str) -> list[Recommendation]:
    """Recommendations for every weak or fair category, weakest first, in ``language`` (Korean or English).

    ``scores`` maps category to its score (``Assessment.category_scores()``); a category that is absent or None
    was not measured and is skipped, as is one at or above the "good" threshold. Other keys (such as
    "overall") are ignored. Equal scores keep the order strength, mobility, balance, cardio. A score that is
    not a whole number from 0 to 100 raises ValueError.
    """
    data = load()
    lang = resolve_language(language)
    measured = [
        (score, index, category)
        for index, category in enumerate(CATEGORIES)
        if (score := _check_score(category, scores.get(category))) is not None
    ]
    result = []
    for score, _index, category in sorted(measured):
        level = level_for(score)
        if level is None:
            continue
        title, items = data.texts[category, level, lang]
        result.append(Recommendation(category=category, level=level, title=title, items=items))
    return result
