"""The scoring engine: pure functions, no models, no database. Norm tables are data under ``norms/``.

    score_test("push_ups", {"reps": 30}, protocol={"variant": "standard"}, age=25, sex="male")
    score_assessment({"push_ups": {"raw": {...}, "protocol": {...}}, ...}, age=25, sex="male")
    combine({"push_ups": 80, "step_test": 100})  # categories and overall from test points

Every rule that maps a result to points is in ``rules.py``; change one and bump ``SCORING_VERSION``.
"""

from .engine import (
    AssessmentScore,
    CategoryScore,
    check_override,
    check_person,
    combine,
    score_assessment,
    score_test,
)
from .errors import ScoringInputError
from .rules import CATEGORY_TESTS, SCORING_VERSION, TEST_CATEGORY, Category, TestType
from .scorers import TestScore

__all__ = [
    "CATEGORY_TESTS",
    "SCORING_VERSION",
    "TEST_CATEGORY",
    "AssessmentScore",
    "Category",
    "CategoryScore",
    "ScoringInputError",
    "TestScore",
    "TestType",
    "check_override",
    "check_person",
    "combine",
    "score_assessment",
    "score_test",
]
