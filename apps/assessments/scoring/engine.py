"""Scoring a whole assessment: each measured test, then categories and the overall, with what is missing."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import norms, rules
from .errors import ScoringInputError
from .rules import CATEGORY_TESTS, CATEGORY_WEIGHTS, SCORING_VERSION, Category, TestType
from .scorers import SCORERS


@dataclass(frozen=True)
class CategoryScore:
    category: str
    score: int | None  # mean of the scored tests, None when none was scored
    scored: tuple  # tests that count
    missing: tuple  # tests not measured
    unscored: tuple  # tests measured but without an applicable norm


@dataclass(frozen=True)
class AssessmentScore:
    version: str
    tests: dict  # test type -> TestScore
    categories: dict  # category -> CategoryScore
    overall: int | None
    missing: tuple  # every test not measured, in the order of rules.TestType.ALL
    missing_categories: tuple  # categories without any scored test
    coverage_pct: int  # share of the overall's weight measured: each category weighs by its share of scored tests
    overridden: tuple = field(default=())  # tests whose points a trainer overrode


def check_person(age, sex):
    """Age must be known to look norms up; sex may be unknown (norms that need it then do not apply)."""
    if age is None or isinstance(age, bool) or not isinstance(age, int):
        raise ScoringInputError("age", _("The client's age is needed to score against norms."))
    if not rules.MIN_AGE <= age <= rules.MAX_AGE:
        raise ScoringInputError(
            "age", _("Age must be from %(low)s to %(high)s.") % {"low": rules.MIN_AGE, "high": rules.MAX_AGE}
        )


def _check_test_type(test_type):
    if not isinstance(test_type, str) or test_type not in SCORERS:
        raise ScoringInputError("test_type", _("Unknown test “%(name)s”.") % {"name": test_type})


def score_test(test_type, raw, *, protocol=None, age, sex, version=SCORING_VERSION):
    """One test's raw values -> TestScore, with the tables of scoring ``version`` (the current one by default).

    Raises ScoringInputError naming the field of an impossible value, whatever the shape of the input.
    """
    _check_test_type(test_type)
    norms.check_version(version)
    check_person(age, sex)
    return SCORERS[test_type](raw, protocol, age=age, sex=sex, version=version)


def combine(points, *, version=SCORING_VERSION):
    """{test type: points or None (measured, unscored)} -> (categories, overall, missing, missing categories, coverage).

    Tests absent from ``points`` were not measured. Used for fresh scores and to recombine after an override,
    with the weights of the version the assessment was scored with.
    """
    norms.check_version(version)
    if not isinstance(points, Mapping):
        raise ScoringInputError("results", _("Enter the results of the tests."))
    unknown = set(points) - set(TestType.ALL)
    if unknown:
        raise ScoringInputError("test_type", _("Unknown test “%(name)s”.") % {"name": sorted(map(str, unknown))[0]})
    weights = CATEGORY_WEIGHTS[version]
    categories = {}
    for category in Category.ALL:
        tests = CATEGORY_TESTS[category]
        scored = tuple(t for t in tests if points.get(t) is not None)
        missing = tuple(t for t in tests if t not in points)
        unscored = tuple(t for t in tests if t in points and points[t] is None)
        score = rules.round_half_up(sum(points[t] for t in scored) / len(scored)) if scored else None
        categories[category] = CategoryScore(category, score, scored, missing, unscored)
    measured = {c: s.score for c, s in categories.items() if s.score is not None}
    weight_measured = sum(weights[c] for c in measured)
    overall = (
        rules.round_half_up(sum(weights[c] * score for c, score in measured.items()) / weight_measured)
        if measured
        else None
    )
    missing = tuple(t for t in TestType.ALL if t not in points)
    missing_categories = tuple(c for c in Category.ALL if c not in measured)
    # Each category contributes its weight times the share of its tests that were scored.
    covered = sum(weights[c] * len(categories[c].scored) / len(CATEGORY_TESTS[c]) for c in Category.ALL)
    coverage = rules.round_half_up(100 * covered / sum(weights.values()))
    return categories, overall, missing, missing_categories, coverage


def score_assessment(results, *, age, sex, overrides=None, version=SCORING_VERSION):
    """{test type: {"raw": {...}, "protocol": {...}}} -> AssessmentScore, with the norm tables and weights of scoring
    ``version`` (the current SCORING_VERSION by default; an older one re-scores with the tables of its time).

    ``overrides`` ({test type: points 0-100}) replace computed points in the categories and overall; the
    computed TestScore is kept as it was. Input of any other shape (a list, a string, a number where a mapping is
    expected) is refused with a ScoringInputError, never another exception.
    """
    norms.check_version(version)
    check_person(age, sex)
    if not isinstance(results, Mapping):
        raise ScoringInputError("results", _("Enter the results of the tests."))
    if overrides is not None and not isinstance(overrides, Mapping):
        raise ScoringInputError("score", _("An overriding score is a whole number from 0 to 100."))
    tests = {}
    errors = []  # each test is checked, so that one answer names every test with an impossible value
    for test_type, entry in results.items():
        try:
            _check_test_type(test_type)
            if entry is None:
                entry = {}
            if not isinstance(entry, Mapping):
                raise ScoringInputError(test_type, _("Enter the values of this test."))
            raw, protocol = entry.get("raw"), entry.get("protocol")
            tests[test_type] = score_test(test_type, raw, protocol=protocol, age=age, sex=sex, version=version)
        except ScoringInputError as error:
            errors.extend(error.errors)
    if errors:
        raise ScoringInputError.several(errors)
    overrides = dict(overrides or {})
    for test_type, value in overrides.items():
        check_override(test_type, value, measured=test_type in tests)
    points = {t: overrides.get(t, score.points) for t, score in tests.items()}
    categories, overall, missing, missing_categories, coverage = combine(points, version=version)
    return AssessmentScore(version, tests, categories, overall, missing, missing_categories, coverage, tuple(overrides))


def check_override(test_type, value, *, measured=True):
    if not measured:
        raise ScoringInputError(test_type, _("Only a measured test can be overridden."))
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ScoringInputError("score", _("An overriding score is a whole number from 0 to 100."))
