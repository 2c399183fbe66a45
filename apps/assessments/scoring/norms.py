"""Norm tables: JSON files under ``norms/<scoring version>/``, each citing its published source. Read once, never
written.

Every scoring version keeps its own copy of every table, so that an assessment can be re-scored with exactly the
tables it was scored with (or, explicitly, with the current ones). A released version's files never change: a
corrected value is a new version directory.
"""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import ScoringInputError
from .rules import CATEGORY_WEIGHTS, SCORING_VERSION

NORMS_DIR = Path(__file__).resolve().parent / "norms"

FILES = {
    "push_ups": "pushups_cpafla.json",
    "sit_and_reach": "sit_and_reach_cpafla.json",
    "ymca_step": "ymca_step_test.json",
    "harvard_step": "harvard_step_test.json",
    "single_leg_stance": "single_leg_stance_springer2007.json",
    "movement_screen": "movement_screen_cook.json",
    "farmers_carry": "farmers_carry_criterion.json",
}

# The versions with tables: the same as the versions with category weights (rules.CATEGORY_WEIGHTS).
VERSIONS = tuple(CATEGORY_WEIGHTS)


def check_version(version):
    """Refuse a version without tables (a ScoringInputError naming ``scoring_version``)."""
    if not isinstance(version, str) or version not in CATEGORY_WEIGHTS:
        raise ScoringInputError("scoring_version", _("Unknown scoring version “%(v)s”.") % {"v": version})
    return version


@cache
def _read(version, name):
    with (NORMS_DIR / version / FILES[name]).open(encoding="utf-8") as handle:
        return json.load(handle)


def load(name, version=SCORING_VERSION):
    """The table ``name`` (a key of FILES) of scoring ``version`` (the current one by default)."""
    return _read(check_version(version), name)


def sources(version=SCORING_VERSION):
    """[(table name, citation)] for every norm table of ``version``, for documentation and reports."""
    return [(load(name, version)["name"], load(name, version)["source"]["citation"]) for name in FILES]


def row_for_age(rows, age):
    """The row whose age range holds ``age``; outside every range, the nearest row and True (flagged)."""
    for row in rows:
        low, high = row["age"]
        if low <= age <= high:
            return row, False
    nearest = rows[0] if age < rows[0]["age"][0] else rows[-1]
    return nearest, True


def rank_higher_is_better(value, thresholds):
    """Band rank 1 (worst) .. len(thresholds) + 1 (best); ``thresholds`` are each band's lowest value."""
    return 1 + sum(1 for threshold in thresholds if value >= threshold)


def rank_lower_is_better(value, thresholds):
    """Band rank 1 (worst) .. len(thresholds) + 1 (best); ``thresholds`` are each band's highest value, best first."""
    return len(thresholds) + 1 - sum(1 for threshold in thresholds if value > threshold)
