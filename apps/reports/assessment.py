"""The assessment report: what the client takes home, built from what the actor may see.

``assessment_report(actor=, assessment=, language=)`` returns a :class:`AssessmentReport` (everything the template
``reports/assessment.html`` shows) and ``report_pdf`` renders it, kept by a content hash of its inputs so that an
unchanged report is served from the gym's storage instead of being drawn again.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.access import Actor
from apps.analytics import charts
from apps.assessments.labels import NORM_NAMES, describe_raw, explain, norm_key, points_label
from apps.assessments.models import CATEGORY_LABELS, Assessment, TestTypeChoices
from apps.assessments.recommendations import RECOMMENDATIONS_VERSION, Recommendation, recommendations_for
from apps.assessments.scoring import CATEGORY_TESTS, SCORING_VERSION, Category
from apps.assessments.scoring import norms as norm_tables
from apps.assessments.selectors import tests_missing
from apps.core.dates import format_date, gym_locale, gym_timezone

# A change to the template or to what goes into it is a new version: every kept report is drawn again.
TEMPLATE_VERSION = "5"
HISTORY = 8
LANGUAGES = ("en", "ko")


@dataclass
class TestRow:
    label: str
    result: str
    previous: str
    band: str  # the rating: the band's words and the group they hold for ("Good for women 40–49")
    score: int | None
    flags: list[str]
    norm: str  # the norm's name in a trainer's words, or "" when the test has no norm (not measured)
    norm_number: int | None  # its footnote

    @property
    def points(self) -> str:
        return points_label(self.score)


@dataclass
class CategoryRow:
    key: str
    label: str
    score: int | None
    previous: int | None
    tests: list[TestRow]
    # Both assessments measured the same tests of the category: otherwise the two scores stand for different tests.
    comparable: bool = True

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None or not self.comparable:
            return None
        return self.score - self.previous


@dataclass(frozen=True)
class Branding:
    """The gym's look in its reports (set by the owner on the gym's settings page)."""

    name: str
    logo: str  # storage name under the gym's media, or ""
    accent: str  # "#rrggbb"
    paper: str  # CSS page size: "A4" or "letter"


def gym_branding() -> Branding:
    gym = getattr(connection, "tenant", None)
    logo = getattr(gym, "logo", None)
    return Branding(
        name=getattr(gym, "name", ""),
        logo=logo.name if logo else "",
        accent=getattr(gym, "accent_colour", "") or "#0f766e",
        paper=getattr(gym, "paper_size", "") or "A4",
    )


@dataclass
class AssessmentReport:
    language: str
    gym_name: str
    branding: Branding
    generated_on: date
    assessment: Assessment
    previous: Assessment | None
    client_name: str
    client_age: int | None
    client_sex: str
    screening_done: bool
    needs_clearance: bool
    trainer: Any
    certifications: list[Any]
    specialties: list[str]
    categories: list[CategoryRow]
    partial: bool
    missing_tests: list[str]
    sources: list[tuple[int, str, str]]  # (footnote, table name, citation)
    history: charts.Chart | None
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def overall_change(self) -> int | None:
        """None when the two overall scores stand for different tests (a partial assessment; see partial_note)."""
        if self.previous is not None and tests_missing(self.previous) != tests_missing(self.assessment):
            return None
        now, before = self.assessment.overall_score, getattr(self.previous, "overall_score", None)
        return None if now is None or before is None else now - before

    @property
    def partial_note(self) -> str:
        """Why no overall change is printed, when a partial assessment is involved."""
        if self.previous is None or self.assessment.overall_score is None or self.previous.overall_score is None:
            return ""
        if tests_missing(self.previous) != tests_missing(self.assessment):
            return str(_("No change is shown: a partial assessment's overall score stands for fewer tests."))
        return ""


def _previous(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(client_id=assessment.client_id, performed_at__lt=assessment.performed_at)
        .prefetch_related("results")
        .order_by("-performed_at", "-pk")
        .first()
    )


def _history(assessment: Assessment) -> charts.Chart | None:
    rows = list(
        Assessment.objects.filter(client_id=assessment.client_id, performed_at__lte=assessment.performed_at).order_by(
            "-performed_at", "-pk"
        )[:HISTORY]
    )[::-1]
    if len(rows) < 2:
        return None
    zone = gym_timezone()
    names = {"overall": _("Overall"), **{key: str(label) for key, label in CATEGORY_LABELS.items()}}
    return charts.lines(
        slug="history",
        title=_("Scores over the last assessments"),
        description=_("The overall and category scores (0 to 100) of up to eight assessments, oldest first."),
        categories=[format_date(row.performed_at, zone=zone) for row in rows],
        series=[
            charts.Series(key, names[key], [getattr(row, f"{key}_score") for row in rows])
            for key in ["overall", *Category.ALL]
        ],
        x_name=_("Date"),
    )


def assessment_report(*, actor: Actor | None, assessment: Assessment, language: str) -> AssessmentReport:
    """Everything the report shows, in ``language`` ("en" or "ko"). The assessment comes from the actor's scoped
    fetch; its client's history and the trainer's profile are read here for that one client."""
    language = language if language in LANGUAGES else "en"
    with translation.override(language):
        previous = _previous(assessment)
        before = {result.test_type: result for result in previous.results.all()} if previous else {}
        results = {result.test_type: result for result in assessment.results.all()}
        labels = dict(TestTypeChoices.choices)
        sources: dict[str, int] = {}
        categories = []
        for category in Category.ALL:
            rows = []
            for test_type in CATEGORY_TESTS[category]:
                result = results.get(test_type)
                if result is None:
                    continue
                norm = norm_key(test_type, result.protocol)
                if norm and norm not in sources:
                    sources[norm] = len(sources) + 1
                earlier = before.get(test_type)
                words = explain(result, age=assessment.age_at_test, sex=assessment.sex_at_test)
                rows.append(
                    TestRow(
                        label=str(labels[test_type]),
                        result=words["measured"],
                        previous=describe_raw(test_type, earlier.raw_values, earlier.protocol) if earlier else "",
                        band=words["rating"],
                        score=result.score,
                        flags=words["flags"],
                        norm=words["norm"],
                        norm_number=sources.get(norm),
                    )
                )
            categories.append(
                CategoryRow(
                    key=category,
                    label=str(CATEGORY_LABELS[category]),
                    score=assessment.category_scores()[category],
                    previous=previous.category_scores()[category] if previous else None,
                    tests=rows,
                    comparable=previous is not None
                    and tests_missing(assessment, category) == tests_missing(previous, category),
                )
            )
        client = assessment.client
        trainer = assessment.trainer
        branding = gym_branding()
        # The sources of the tables the assessment was scored with (current ones for a version without tables).
        version = assessment.scoring_version
        tables_version = version if version in norm_tables.VERSIONS else SCORING_VERSION
        return AssessmentReport(
            language=language,
            gym_name=branding.name,
            branding=branding,
            generated_on=timezone.localdate(timezone=gym_timezone()),
            assessment=assessment,
            previous=previous,
            client_name=f"{client.first_name} {client.last_name}".strip(),
            client_age=assessment.age_at_test,
            client_sex=client.get_sex_display() if client.sex else "",
            screening_done=client.screening_done,
            needs_clearance=client.needs_medical_clearance,
            trainer=trainer,
            certifications=list(trainer.certifications.all()),
            specialties=[s.name for s in trainer.specialties.all()] + list(trainer.tags or []),
            categories=categories,
            partial=bool(assessment.missing.get("tests")),
            missing_tests=[str(labels[t]) for t in assessment.missing.get("tests", []) if t in labels],
            sources=[
                (number, str(NORM_NAMES[name]), norm_tables.load(name, tables_version)["source"]["citation"])
                for name, number in sources.items()
            ],  # fmt: skip
            history=_history(assessment),
            recommendations=recommendations_for(assessment.category_scores(), language),
        )


def _fingerprint(report: AssessmentReport) -> str:
    """What decides the report's content: the assessment and the one before, the client, the trainer's shown
    profile, the gym's name, the language and the versions. The generation date is left out (it is the day the
    kept file was drawn)."""
    a, trainer = report.assessment, report.trainer
    payload = {
        "template": TEMPLATE_VERSION,
        "recommendations": RECOMMENDATIONS_VERSION,
        "language": report.language,
        "gym": [report.branding.name, report.branding.logo, report.branding.accent, report.branding.paper],
        "assessment": [a.pk, a.updated_at.isoformat(), a.scoring_version],
        "previous": [report.previous.pk, report.previous.updated_at.isoformat()] if report.previous else None,
        "history": report.history.table_rows if report.history else None,
        "results": [[r.test_type, r.raw_values, r.band, r.score, r.flags] for r in a.results.all()],
        "client": [
            report.client_name,
            report.client_age,
            report.client_sex,
            report.screening_done,
            report.needs_clearance,
        ],  # fmt: skip
        "trainer": [
            trainer.pk,
            trainer.display_name,
            trainer.phone,
            trainer.user.email,
            str(trainer.photo_medium or ""),
            [[c.name, c.issuing_body, str(c.earned_on), str(c.expires_on)] for c in report.certifications],
            report.specialties,
        ],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def report_pdf(report: AssessmentReport) -> tuple[bytes, str]:
    """The PDF and its file name. Kept in the gym's storage under its content hash (``reports/``, never under a
    public URL); drawn again only when an input changed."""
    from .pdf import render_pdf

    digest = _fingerprint(report)
    name = f"reports/assessments/{report.assessment.pk}-{digest[:32]}.pdf"
    date_label = report.assessment.performed_at.astimezone(gym_timezone()).date().isoformat()
    download = f"assessment-{report.assessment.pk}-{date_label}-{report.language}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read(), download
    with gym_locale(report.language):
        html = render_to_string("reports/assessment.html", {"report": report, "a": report.assessment})
    content = render_pdf(html)
    default_storage.save(name, ContentFile(content))
    return content, download


__all__ = ["AssessmentReport", "assessment_report", "report_pdf"]
