"""Norm tables: JSON files next to this module, each citing its published source. Read once, never written."""

import json
from functools import cache
from pathlib import Path

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


@cache
def load(name):
    with (NORMS_DIR / FILES[name]).open(encoding="utf-8") as handle:
        return json.load(handle)


def sources():
    """[(table name, citation)] for every norm table, for documentation and reports."""
    return [(load(name)["name"], load(name)["source"]["citation"]) for name in FILES]


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
