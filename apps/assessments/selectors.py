"""Reads of assessments, always through ``visible_to(actor)``."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError

from .models import CATEGORY_LABELS, Assessment, TestResult, TestTypeChoices
from .scoring import CATEGORY_TESTS, Category

MIN_COMPARE = 2
MAX_COMPARE = 5


def _with_results(queryset):
    return queryset.select_related("client", "trainer__user").prefetch_related(
        Prefetch("results", queryset=TestResult.objects.select_related("override_by__user").order_by("pk"))
    )


def assessment_list_for_client(*, actor, client):
    """The client's assessments, newest first (no results loaded: the list shows the scores)."""
    return Assessment.objects.visible_to(actor).filter(client=client).select_related("trainer__user")


def assessment_get(*, actor, pk):
    return _with_results(Assessment.objects.visible_to(actor)).filter(pk=pk).first()


def _change(values):
    """Per column, the change from the previous column that has a value (None for the first or a gap)."""
    changes, previous = [], None
    for value in values:
        changes.append(None if value is None or previous is None else value - previous)
        if value is not None:
            previous = value
    return changes


def _total(values):
    present = [value for value in values if value is not None]
    return present[-1] - present[0] if len(present) >= 2 else None


def assessment_compare(*, actor, client, assessment_ids):
    """2 to 5 assessments of one client, oldest first, with the change per test, category and overall.

    Returns {"assessments": [...], "tests": [row], "categories": [row], "overall": row} where a row is
    {"key", "label", "values", "overridden", "changes", "total_change"}; a change is against the previous
    assessment that has a value, ``total_change`` from the first to the last.
    """
    ids = list(dict.fromkeys(assessment_ids or []))
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE:
        raise ApplicationError(
            _("Choose from %(min)d to %(max)d assessments to compare.") % {"min": MIN_COMPARE, "max": MAX_COMPARE},
            {"field": "assessments"},
        )
    assessments = list(
        _with_results(Assessment.objects.visible_to(actor).filter(client=client, pk__in=ids)).order_by(
            "performed_at", "pk"
        )
    )
    if len(assessments) != len(ids):
        raise ApplicationError(_("Choose assessments of this client."), {"field": "assessments"})
    versions = sorted({a.scoring_version for a in assessments})
    by_test = [{r.test_type: r for r in a.results.all()} for a in assessments]
    labels = dict(TestTypeChoices.choices)

    def row(key, label, values, overridden=None):
        overridden = overridden or [False] * len(values)
        changes = _change(values)
        return {
            "key": key,
            "label": label,
            "values": values,
            "overridden": overridden,
            "changes": changes,
            "total_change": _total(values),
            "cells": [
                {"value": v, "overridden": o, "change": c} for v, o, c in zip(values, overridden, changes, strict=True)
            ],
        }

    tests = []
    for category in Category.ALL:
        for test_type in CATEGORY_TESTS[category]:
            results = [tests_of.get(test_type) for tests_of in by_test]
            if all(result is None for result in results):
                continue
            values = [result.score if result else None for result in results]
            overridden = [bool(result and result.is_overridden) for result in results]
            tests.append(row(test_type, labels[test_type], values, overridden) | {"category": category})
    categories = [
        row(category, CATEGORY_LABELS[category], [a.category_scores()[category] for a in assessments])
        for category in Category.ALL
    ]
    return {
        "assessments": assessments,
        "versions": versions,
        "tests": tests,
        "categories": categories,
        "overall": row("overall", _("Overall"), [a.overall_score for a in assessments]),
    }
