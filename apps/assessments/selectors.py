"""Reads of assessments, always through ``visible_to(actor)``."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from apps.access import Actor
from apps.clients.models import Client
from apps.core.errors import ApplicationError
from apps.core.scoping import visible_object

from .labels import describe_raw
from .models import CATEGORY_LABELS, Assessment, TestResult, TestTypeChoices
from .scoring import CATEGORY_TESTS, Category

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MIN_COMPARE = 2
MAX_COMPARE = 5


def _with_results(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return queryset.select_related("client", "trainer__user").prefetch_related(
        Prefetch("results", queryset=TestResult.objects.select_related("override_by__user").order_by("pk"))
    )


def assessment_list_for_client(*, actor: Actor | None, client: Client) -> QuerySet[Assessment]:
    """The client's assessments, newest first (no results loaded: the list shows the scores)."""
    # The scoped queryset yields Any (ScopedQuerySet is a QuerySet[Any]): say what it finds.
    return cast(
        "QuerySet[Assessment]",
        Assessment.objects.visible_to(actor).filter(client=client).select_related("trainer__user"),
    )


def assessment_list(*, actor: Actor | None) -> QuerySet[Assessment]:
    """Every assessment the actor sees, with its client, trainer and results."""
    return _with_results(Assessment.objects.visible_to(actor)).order_by("performed_at", "pk")


def assessment_detail_source() -> QuerySet[Assessment]:
    """What an assessment's page reads: the assessment with its client, trainer and results."""
    return _with_results(Assessment.objects.all())


def assessment_get(*, actor: Actor | None, pk: object) -> Assessment | None:
    return visible_object(actor, assessment_detail_source(), pk)


def _change(values: Sequence[int | None], measured: Sequence[Hashable]) -> list[int | None]:
    """Per column, the change from the latest earlier column with a value that stands for the same tests
    (``measured``: which tests a score stands for). None for the first, a gap, or a score with no such column: a
    partial assessment's overall stands for fewer tests than a full one, so the two are not compared."""
    changes: list[int | None] = []
    latest: dict[Hashable, int] = {}
    for value, tests in zip(values, measured, strict=True):
        changes.append(None if value is None or tests not in latest else value - latest[tests])
        if value is not None:
            latest[tests] = value
    return changes


def _total(values: Sequence[int | None], measured: Sequence[Hashable]) -> int | None:
    """From the first to the last score that stand for the same tests as the last one."""
    present = [(value, tests) for value, tests in zip(values, measured, strict=True) if value is not None]
    if not present:
        return None
    last, tests = present[-1]
    same = [value for value, other in present if other == tests]
    return last - same[0] if len(same) >= 2 else None


def is_partial(assessment: Assessment) -> bool:
    """Not every test was measured: its overall score stands for fewer tests than a full one."""
    return bool((assessment.missing or {}).get("tests"))


def tests_missing(assessment: Assessment, category: str | None = None) -> tuple[str, ...]:
    """The tests left out of the overall (or of ``category``): two scores compare when these are the same."""
    missing = assessment.missing or {}
    if category is None:
        return tuple(sorted(missing.get("tests", [])))
    return tuple(sorted(missing.get("by_category", {}).get(category, {}).get("missing", [])))


def assessment_compare(
    *, actor: Actor | None, client: Client, assessment_ids: Iterable[int | str] | None
) -> dict[str, Any]:
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

    def row(
        key: str,
        label: StrOrPromise,
        values: list[int | None],
        overridden: list[bool] | None = None,
        stands_for: list[Hashable] | None = None,
        measured: list[str] | None = None,
    ) -> dict[str, Any]:
        overridden = overridden or [False] * len(values)
        stands_for = stands_for or [()] * len(values)
        measured = measured or [""] * len(values)
        changes = _change(values, stands_for)
        # A score after earlier ones but without a change: it stands for other tests ("not compared").
        seen = [any(v is not None for v in values[:index]) for index in range(len(values))]
        comparable = [not (v is not None and c is None and s) for v, c, s in zip(values, changes, seen, strict=True)]
        return {
            "key": key,
            "label": label,
            "values": values,
            "overridden": overridden,
            "changes": changes,
            "total_change": _total(values, stands_for),
            # Each change printed once: where a row has a single change (two assessments, or gaps), that change
            # already is the one from first to last, so the page leaves its "first to last" cell empty.
            "total_shown": sum(change is not None for change in changes) > 1,
            "cells": [
                {"value": v, "overridden": o, "change": c, "comparable": ok, "measured": m}
                for v, o, c, ok, m in zip(values, overridden, changes, comparable, measured, strict=True)
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
            measured = [describe_raw(test_type, r.raw_values, r.protocol) if r else "" for r in results]
            tests.append(
                row(test_type, labels[test_type], values, overridden, measured=measured) | {"category": category}
            )
    categories = [
        row(
            category,
            CATEGORY_LABELS[category],
            [a.category_scores()[category] for a in assessments],
            stands_for=[tests_missing(a, category) for a in assessments],
        )
        for category in Category.ALL
    ]
    partial = [is_partial(a) for a in assessments]
    return {
        "assessments": assessments,
        "columns": [{"assessment": a, "partial": p} for a, p in zip(assessments, partial, strict=True)],
        "any_partial": any(partial),
        "versions": versions,
        "tests": tests,
        "categories": categories,
        "overall": row(
            "overall",
            _("Overall"),
            [a.overall_score for a in assessments],
            stands_for=[tests_missing(a) for a in assessments],
        ),
        "show_total": len(assessments) > MIN_COMPARE,
    }


# Bands of the latest overall score (0-100), for the client list's filter and the analytics' distribution:
# {key: (lowest, highest)}; "none" is a client without a scored assessment. Documented in docs/scoring.md ("Score
# bands of the client list").
SCORE_BANDS = {"0-39": (0, 39), "40-59": (40, 59), "60-79": (60, 79), "80-100": (80, 100)}
NOT_ASSESSED = "none"


def latest_overall_score_subquery(client_ref: str = "pk") -> Subquery:
    """For the client list: annotate(latest_overall=latest_overall_score_subquery()) (one correlated subquery).

    Scoping stays with the client list: an assessment belongs to its client's trainer, so whoever sees a client
    sees its assessments.
    """
    latest = Assessment.objects.filter(client=OuterRef(client_ref)).order_by("-performed_at", "-pk")
    return Subquery(latest.values("overall_score")[:1])


def assessment_progress(*, actor: Actor | None, client: Client) -> list[dict[str, Any]]:
    """The client page's progress chart: [{"performed_at", "overall", "strength", ...}] oldest first."""
    rows = (
        Assessment.objects.visible_to(actor)
        .filter(client=client)
        .order_by("performed_at", "pk")
        .values("pk", "performed_at", "overall_score", "coverage_pct", "missing", *(f"{c}_score" for c in Category.ALL))
    )
    return [
        {
            "id": row["pk"],
            "performed_at": row["performed_at"],
            "overall": row["overall_score"],
            "partial": bool((row["missing"] or {}).get("tests")),
            "coverage_pct": row["coverage_pct"],
            **{category: row[f"{category}_score"] for category in Category.ALL},
        }
        for row in rows
    ]


def assessment_export_for_client(*, actor: Actor | None, client: Client) -> list[dict[str, Any]]:
    """Every assessment of the client as JSON-ready data (for the owner's "export everything")."""

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return [
        {
            "id": a.pk,
            "performed_at": iso(a.performed_at),
            "performed_by": {"id": a.trainer_id, "name": a.trainer.display_name},
            "setting": a.setting,
            "temperature_c": None if a.temperature_c is None else str(a.temperature_c),
            "age_at_test": a.age_at_test,
            "sex_at_test": a.sex_at_test,
            "scoring_version": a.scoring_version,
            "scores": {**a.category_scores(), "overall": a.overall_score},
            "coverage_pct": a.coverage_pct,
            "missing": a.missing,
            "notes": a.notes,
            "results": [
                {
                    "test_type": r.test_type,
                    "raw_values": r.raw_values,
                    "protocol": r.protocol,
                    "details": r.details,
                    "flags": r.flags,
                    "band": r.band,
                    "computed_score": r.computed_score,
                    "override": None
                    if r.override_score is None
                    else {
                        "score": r.override_score,
                        "reason": r.override_reason,
                        "by": r.override_by.display_name if r.override_by else "",
                        "at": iso(r.overridden_at),
                    },
                }
                for r in a.results.all()
            ],
        }
        for a in _with_results(Assessment.objects.visible_to(actor).filter(client=client)).order_by("performed_at")
    ]
