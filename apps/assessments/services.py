"""Writes of assessments. Scores come from the scoring engine and keep the version that produced them."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import Actor
from apps.audit.services import audit_record
from apps.clients.models import Client, age_on
from apps.clients.permissions import can_edit_client
from apps.core.dates import gym_timezone
from apps.core.errors import ApplicationError, FieldErrors, full_clean_or_raise
from apps.trainers.models import Trainer

from .models import Assessment, Setting, TestResult
from .scoring import (
    SCORING_VERSION,
    AssessmentScore,
    Category,
    CategoryScore,
    ScoringInputError,
    TestType,
    check_override,
    check_person,
    combine,
    norms,
    score_assessment,
)

# A clock a few minutes ahead on the tablet is not an assessment from the future.
FUTURE_TOLERANCE = timedelta(minutes=10)
TEMPERATURE_C = (Decimal("-40"), Decimal("60"))
MAX_REASON = 500


def _scoring_error(error: ScoringInputError) -> ApplicationError:
    errors = FieldErrors()
    for field, message in error.errors:
        errors.add(field, message)
    return ApplicationError(error.message, {"field": error.field, "fields": errors.errors})


# The limits of the tests' values do not depend on age: when the age is refused, the values are still checked
# (and their complaints reported with the age's) by scoring them for a stand-in age.
STAND_IN_AGE = 30


def _clean_performed_at(performed_at: datetime | None, client: Client) -> datetime:
    if performed_at is None or timezone.is_naive(performed_at):
        raise ApplicationError(_("Enter when the assessment was performed."), {"field": "performed_at"})
    if performed_at > timezone.now() + FUTURE_TOLERANCE:
        raise ApplicationError(_("An assessment cannot be in the future."), {"field": "performed_at"})
    birth = getattr(client, "date_of_birth", None)
    if birth and performed_at.astimezone(gym_timezone()).date() < birth:
        raise ApplicationError(_("The assessment is before the client's birth."), {"field": "performed_at"})
    return performed_at


def _clean_temperature(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        temperature = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ApplicationError(_("Enter the temperature as a number."), {"field": "temperature_c"}) from None
    if not temperature.is_finite() or not TEMPERATURE_C[0] <= temperature <= TEMPERATURE_C[1]:
        raise ApplicationError(
            _("Enter a temperature from %(low)s to %(high)s °C.") % {"low": TEMPERATURE_C[0], "high": TEMPERATURE_C[1]},
            {"field": "temperature_c"},
        )
    return temperature.quantize(Decimal("0.1"))


def _person(client: Client, performed_at: datetime, age: int | None, sex: str | None) -> tuple[int, str]:
    """Age on the day of the assessment (gym's timezone) and sex, from the client unless given."""
    if age is None:
        birth = getattr(client, "date_of_birth", None)
        if birth is None:
            raise ApplicationError(
                _("Enter the client's date of birth first: the norms depend on age."), {"field": "age"}
            )
        age = age_on(birth, performed_at.astimezone(gym_timezone()).date())
    if sex is None:
        sex = getattr(client, "sex", "") or ""
    try:
        check_person(age, sex)
    except ScoringInputError as error:
        raise ApplicationError(error.message, {"field": "age"}) from None
    return age, sex


def _normalise(results: object, client: Client) -> dict[str, dict[str, dict[str, Any]]]:
    """{test: {"raw": ..., "protocol": ...}} or {test: raw values}; the carry's body weight from the client."""
    if not isinstance(results, dict):
        raise ApplicationError(_("Enter the results of the tests."), {"field": "results"})
    entries = {}
    for test_type, entry in results.items():
        entry = entry or {}
        if not isinstance(entry, dict):
            raise ApplicationError(_("Enter the values of this test."), {"field": test_type})
        if "raw" in entry or "protocol" in entry:
            raw, protocol = dict(entry.get("raw") or {}), dict(entry.get("protocol") or {})
        else:
            raw, protocol = dict(entry), {}
        if test_type == TestType.FARMERS_CARRY and raw.get("body_weight_kg") in (None, ""):
            weight = getattr(client, "weight_kg", None)
            if weight:
                raw["body_weight_kg"] = weight
        entries[test_type] = {"raw": raw, "protocol": protocol}
    return entries


def _category_fields(
    categories: Mapping[str, CategoryScore],
    overall: int | None,
    missing: Iterable[str],
    missing_categories: Iterable[str],
    coverage: int,
) -> dict[str, Any]:
    return {
        "strength_score": categories["strength"].score,
        "mobility_score": categories["mobility"].score,
        "balance_score": categories["balance"].score,
        "cardio_score": categories["cardio"].score,
        "overall_score": overall,
        "coverage_pct": coverage,
        "missing": {
            "tests": list(missing),
            "categories": list(missing_categories),
            "by_category": {
                name: {"missing": list(c.missing), "unscored": list(c.unscored)} for name, c in categories.items()
            },
        },
    }


def clean_assessment(
    *,
    client: Client,
    performed_at: datetime | None,
    results: object,
    setting: str = Setting.INDOOR,
    temperature_c: object = None,
    age: int | None = None,
    sex: str | None = None,
    clearance_confirmed: object = False,
    preview: bool = False,
) -> tuple[datetime, Decimal | None, int, str, AssessmentScore]:
    """Every rule of an assessment's input, each field checked (and refused) on its own: (performed at,
    temperature, age, sex, scores), or one ApplicationError naming every field refused. A ``preview`` asks
    neither the medical clearance nor a measured test."""
    errors = FieldErrors()
    if not preview and client.needs_medical_clearance and clearance_confirmed is not True:
        errors.add(
            "clearance_confirmed",
            _("This client needs medical clearance: confirm that it was obtained before the assessment."),
        )
    if setting not in Setting.values:
        errors.add("setting", _("Choose indoor or outdoor."))
    performed_at = errors.check("performed_at", _clean_performed_at, performed_at, client)
    temperature = errors.check("temperature_c", _clean_temperature, temperature_c)
    person = errors.check("age", _person, client, performed_at or timezone.now(), age, sex)
    entries = errors.check("results", _normalise, results, client)
    if entries == {} and not preview:
        errors.add("results", _("Enter the result of at least one test."))
    scored = None
    if entries:
        scoring_age, scoring_sex = person or (STAND_IN_AGE, sex or getattr(client, "sex", "") or "")
        try:
            scored = score_assessment(entries, age=scoring_age, sex=scoring_sex)
        except ScoringInputError as error:
            errors.add_error(_scoring_error(error))
    errors.raise_if_any()
    assert performed_at is not None and person is not None  # every check passed
    if scored is None:  # nothing measured (the preview): the scores of an empty assessment
        scored = score_assessment({}, age=person[0], sex=person[1])
    return performed_at, temperature, person[0], person[1], cast(AssessmentScore, scored)


SCORE_FIELDS = ["strength_score", "mobility_score", "balance_score", "cardio_score", "overall_score"]


def assessment_rows(
    *,
    client: Client,
    trainer: Trainer,
    performed_at: datetime,
    scored: AssessmentScore,
    age: int,
    sex: str | None,
    setting: str = Setting.INDOOR,
    temperature_c: Decimal | None = None,
    notes: str = "",
) -> tuple[Assessment, list[TestResult]]:
    """Unsaved ``Assessment`` and its ``TestResult`` rows (without ``assessment`` set) for an engine result.

    The one place that maps a score onto rows: ``assessment_create`` saves them after its checks, and the bench
    seeder bulk-creates them (``score_assessment`` of the engine gives ``scored``).
    """
    assessment = Assessment(
        client=client,
        trainer=trainer,
        performed_at=performed_at,
        setting=setting,
        temperature_c=temperature_c,
        age_at_test=age,
        sex_at_test=sex or "",
        scoring_version=scored.version,
        notes=notes,
        **_category_fields(
            scored.categories, scored.overall, scored.missing, scored.missing_categories, scored.coverage_pct
        ),
    )
    rows = [
        TestResult(
            test_type=test_type,
            raw_values=test.raw,
            protocol=test.protocol,
            details=test.details,
            flags=list(test.flags),
            band=test.band or "",
            computed_score=test.points,
        )
        for test_type, test in ((t, scored.tests[t]) for t in TestType.ALL if t in scored.tests)
    ]
    return assessment, rows


@transaction.atomic
def assessment_create(
    *,
    actor: Trainer,
    client: Client,
    performed_at: datetime | None,
    results: Mapping[str, Any],
    setting: str = Setting.INDOOR,
    temperature_c: Decimal | float | str | None = None,
    notes: str | None = "",
    age: int | None = None,
    sex: str | None = None,
    clearance_confirmed: bool = False,
) -> Assessment:
    """Score ``results`` with the current engine and store them with its version. ``actor`` performed it.

    A client whose health screening calls for medical clearance is assessed only with ``clearance_confirmed``:
    the trainer states that clearance was obtained (recorded in the audit entry).
    """
    client = Client.objects.visible_to(actor).select_for_update(of=("self",)).filter(pk=client.pk).first()
    if client is None or not can_edit_client(actor, client):
        raise ApplicationError(_("You cannot assess this client."), {"field": "client"})
    needs_clearance = client.needs_medical_clearance
    performed_at, temperature, age, sex, scored = clean_assessment(
        client=client,
        performed_at=performed_at,
        results=results,
        setting=setting,
        temperature_c=temperature_c,
        age=age,
        sex=sex,
        clearance_confirmed=clearance_confirmed,
    )

    assessment, rows = assessment_rows(
        client=client,
        trainer=actor,
        performed_at=performed_at,
        scored=scored,
        age=age,
        sex=sex,
        setting=setting,
        temperature_c=temperature,
        notes=str(notes or "").strip(),
    )
    full_clean_or_raise(assessment)
    assessment.save()
    for row in rows:
        row.assessment = assessment
        full_clean_or_raise(row)
    TestResult.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        event="assessment.create",
        target=assessment,
        params={"client": str(client), "overall": scored.overall, "version": scored.version},
        changes={
            "tests": [[None, sorted(scored.tests)]],
            "overall_score": [None, scored.overall],
            **({"medical_clearance_confirmed": [None, True]} if needs_clearance else {}),
        },
    )
    return assessment


def assessment_preview(
    *,
    actor: Actor | None,
    client: Client,
    performed_at: datetime | None,
    results: Mapping[str, Any],
    age: int | None = None,
    sex: str | None = None,
) -> AssessmentScore:
    """The scores ``assessment_create`` would store, computed and returned without writing anything."""
    if not can_edit_client(actor, client):
        raise ApplicationError(_("You cannot assess this client."), {"field": "client"})
    return clean_assessment(client=client, performed_at=performed_at, results=results, age=age, sex=sex, preview=True)[
        4
    ]


def _recombine(assessment: Assessment) -> None:
    """Categories and overall from the stored scores (overrides included), with the assessment's own version."""
    points = {row.test_type: row.score for row in assessment.results.all()}
    try:
        categories, overall, missing, missing_categories, coverage = combine(points, version=assessment.scoring_version)
    except ScoringInputError as error:
        raise _scoring_error(error) from None
    for name, value in _category_fields(categories, overall, missing, missing_categories, coverage).items():
        setattr(assessment, name, value)
    assessment.save(update_fields=[*SCORE_FIELDS, "coverage_pct", "missing", "updated_at"])


def _lock_result(actor: Actor | None, result: TestResult) -> tuple[Assessment, TestResult]:
    assessment = (
        Assessment.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("client")
        .filter(pk=result.assessment_id)
        .first()
    )
    if assessment is None or not can_edit_client(actor, assessment.client):
        raise ApplicationError(_("You cannot change this assessment."))
    return assessment, assessment.results.get(pk=result.pk)


def _override_reason(value: object) -> str:
    reason = " ".join(str(value or "").split())
    if not reason:
        raise ApplicationError(_("Say why the score is overridden."), {"field": "reason"})
    if len(reason) > MAX_REASON:
        raise ApplicationError(_("Use at most %(limit)d characters.") % {"limit": MAX_REASON}, {"field": "reason"})
    return reason


def _override_score(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    try:
        check_override(None, value)
    except ScoringInputError as error:
        raise ApplicationError(error.message, {"field": "score"}) from None
    return cast(int, value)


def clean_override(values: Mapping[str, object]) -> tuple[int, str]:
    """The score (0-100) and reason of an override among ``values``, or one ApplicationError naming both when both
    are refused. Keys absent are not checked (a form's check of the fields it parsed)."""
    errors = FieldErrors()
    score = errors.check("score", _override_score, values["score"]) if "score" in values else None
    reason = errors.check("reason", _override_reason, values["reason"]) if "reason" in values else None
    errors.raise_if_any()
    return cast(int, score), cast(str, reason)


@transaction.atomic
def test_result_override(*, actor: Trainer, result: TestResult, score: int | str, reason: str | None) -> TestResult:
    """Replace a test's computed score by ``score`` (0-100) with a reason; categories and overall follow."""
    assessment, result = _lock_result(actor, result)
    score, reason = clean_override({"score": score, "reason": reason})
    before = {"override_score": result.override_score, "overall_score": assessment.overall_score}
    result.override_score = score
    result.override_reason = reason
    result.override_by = actor
    result.overridden_at = timezone.now()
    full_clean_or_raise(result)
    result.save(update_fields=["override_score", "override_reason", "override_by", "overridden_at"])
    _recombine(assessment)
    audit_record(
        actor=actor,
        event="test_result.override",
        target=assessment,
        params={"test": result.test_type, "computed": result.computed_score, "score": score, "reason": reason},
        changes={
            "test_type": [result.test_type, result.test_type],
            "override_score": [before["override_score"], score],
            "overall_score": [before["overall_score"], assessment.overall_score],
        },
    )
    return result


@transaction.atomic
def test_result_override_remove(*, actor: Trainer, result: TestResult) -> TestResult:
    """Go back to the computed score."""
    assessment, result = _lock_result(actor, result)
    if result.override_score is None:
        return result
    before = {"override_score": result.override_score, "overall_score": assessment.overall_score}
    result.override_score = None
    result.override_reason = ""
    result.override_by = None
    result.overridden_at = None
    result.save(update_fields=["override_score", "override_reason", "override_by", "overridden_at"])
    _recombine(assessment)
    audit_record(
        actor=actor,
        event="test_result.override_remove",
        target=assessment,
        params={"test": result.test_type},
        changes={
            "override_score": [before["override_score"], None],
            "overall_score": [before["overall_score"], assessment.overall_score],
        },
    )
    return result


def assessments_erase_personal_text(*, client: Client) -> None:
    """Called by the client's erasure (in its transaction): free text may name the person, scores stay."""
    Assessment.objects.filter(client=client).update(notes="")
    TestResult.objects.filter(assessment__client=client).exclude(override_reason="").update(
        override_reason=_("(erased)")
    )


# The names start with "test_": keep pytest from collecting them where tests import them.
test_result_override.__test__ = False  # type: ignore[attr-defined]  # pytest's marker, set on the function object
test_result_override_remove.__test__ = False  # type: ignore[attr-defined]  # the same


REPORT_NOTE_LIMIT = 1000
REASSESS_WITHIN_DAYS = 2 * 366


def clean_report_details(assessment: Assessment, values: Mapping[str, Any]) -> dict[str, Any]:
    """The report's next assessment date and note among ``values``, each checked, or one ApplicationError naming
    both. The report form calls it on the fields it could parse."""
    errors = FieldErrors()
    reassess_on = values.get("reassess_on")
    performed_on = assessment.performed_at.astimezone(gym_timezone()).date()
    latest = performed_on + timedelta(days=REASSESS_WITHIN_DAYS)
    if reassess_on is not None and not performed_on < reassess_on <= latest:
        errors.add("reassess_on", _("Choose a day after the assessment and within two years of it."))
    note = str(values.get("note") or "").strip()
    if len(note) > REPORT_NOTE_LIMIT:
        errors.add("note", _("Use at most %(limit)d characters.") % {"limit": REPORT_NOTE_LIMIT})
    errors.raise_if_any()
    return {"reassess_on": reassess_on, "note": note}


@transaction.atomic
def assessment_report_details_set(
    *, actor: Trainer, assessment: Assessment, reassess_on: date | None, note: str | None
) -> Assessment:
    """What the client's report adds: the date of the next assessment (after this one, within two years) and a
    note from the trainer (at most REPORT_NOTE_LIMIT characters). Every refusal names its field."""
    if not can_edit_client(actor, assessment.client):
        raise ApplicationError(_("You cannot change this assessment."))
    assessment = Assessment.objects.select_for_update(of=("self",)).select_related("client").get(pk=assessment.pk)
    note = clean_report_details(assessment, {"reassess_on": reassess_on, "note": note})["note"]
    before = {"reassess_on": str(assessment.reassess_on or ""), "report_note": assessment.report_note}
    assessment.reassess_on, assessment.report_note = reassess_on, note
    assessment.save(update_fields=["reassess_on", "report_note", "updated_at"])
    audit_record(
        actor=actor,
        event="assessment.report_details",
        target=assessment,
        changes={
            "reassess_on": [before["reassess_on"], str(reassess_on or "")],
            "report_note": [before["report_note"], note],
        },
    )
    return assessment


# --- re-scoring with another version's norms ---------------------------------------------------------------------


@dataclass(frozen=True)
class TestChange:
    test_type: str
    old_points: int | None
    new_points: int | None
    old_band: str
    new_band: str
    old_flags: tuple[str, ...]
    new_flags: tuple[str, ...]
    override: int | None  # the trainer's override, kept: it still counts instead of the new points

    @property
    def changed(self) -> bool:
        return (self.old_points, self.old_band, self.old_flags) != (self.new_points, self.new_band, self.new_flags)


@dataclass(frozen=True)
class Rescore:
    """What re-scoring an assessment with the norms of ``new_version`` would change (nothing is written)."""

    old_version: str
    new_version: str
    tests: tuple[TestChange, ...]
    categories: tuple[tuple[str, int | None, int | None], ...]  # (category, old score, new score)
    old_overall: int | None
    new_overall: int | None
    scored: AssessmentScore

    @property
    def changed(self) -> bool:
        return (
            any(test.changed for test in self.tests)
            or any(old != new for _name, old, new in self.categories)
            or self.old_overall != self.new_overall
        )


def assessment_rescore_preview(assessment: Assessment, *, version: str = SCORING_VERSION) -> Rescore:
    """The stored raw values, protocol, age and sex scored again with the norm tables and weights of ``version``
    (the current ones by default), next to the stored scores. Overrides are kept and still count. An
    ApplicationError when the stored values cannot be scored with that version (naming every refused value)."""
    try:
        norms.check_version(version)
    except ScoringInputError as error:
        raise ApplicationError(error.message, {"field": "version"}) from None
    results = list(assessment.results.all())
    entries = {row.test_type: {"raw": row.raw_values, "protocol": row.protocol} for row in results}
    overrides = {row.test_type: row.override_score for row in results if row.override_score is not None}
    try:
        scored = score_assessment(
            entries, age=assessment.age_at_test, sex=assessment.sex_at_test, overrides=overrides, version=version
        )
    except ScoringInputError as error:
        raise _scoring_error(error) from None
    by_type = {row.test_type: row for row in results}
    tests = tuple(
        TestChange(
            test_type=test_type,
            old_points=by_type[test_type].computed_score,
            new_points=scored.tests[test_type].points,
            old_band=by_type[test_type].band,
            new_band=scored.tests[test_type].band or "",
            old_flags=tuple(by_type[test_type].flags),
            new_flags=tuple(scored.tests[test_type].flags),
            override=by_type[test_type].override_score,
        )
        for test_type in TestType.ALL
        if test_type in by_type
    )
    stored = assessment.category_scores()
    categories = tuple((name, stored[name], scored.categories[name].score) for name in Category.ALL)
    return Rescore(
        old_version=assessment.scoring_version,
        new_version=version,
        tests=tests,
        categories=categories,
        old_overall=assessment.overall_score,
        new_overall=scored.overall,
        scored=scored,
    )


@transaction.atomic
def assessment_rescore(
    *, actor: Trainer, assessment: Assessment, from_version: str, to_version: str = SCORING_VERSION
) -> Rescore:
    """Re-score ``assessment`` with the norms of ``to_version`` (the current ones by default; an older version
    undoes a re-score). ``from_version`` is the version the actor reviewed the differences against: if the
    assessment has changed version since, nothing is written (conflict). Overrides are kept; the audit entry keeps
    the old version and every score that changed."""
    assessment = _lock_assessment(actor, assessment)
    if assessment.scoring_version != from_version:
        raise ApplicationError(
            _("This assessment was re-scored in the meantime: look at the differences again."), {"code": "conflict"}
        )
    if to_version == from_version:
        raise ApplicationError(
            _("This assessment is already scored with version %(version)s.") % {"version": to_version},
            {"code": "conflict"},
        )
    rescore = assessment_rescore_preview(assessment, version=to_version)
    scored = rescore.scored
    rows = {row.test_type: row for row in assessment.results.all()}
    for test_type, test in scored.tests.items():
        row = rows[test_type]
        row.raw_values, row.protocol, row.details = test.raw, test.protocol, test.details
        row.flags, row.band, row.computed_score = list(test.flags), test.band or "", test.points
        full_clean_or_raise(row)
    TestResult.objects.bulk_update(
        rows.values(), ["raw_values", "protocol", "details", "flags", "band", "computed_score"]
    )
    before = {name: getattr(assessment, name) for name in SCORE_FIELDS}
    assessment.scoring_version = to_version
    fields = _category_fields(
        scored.categories, scored.overall, scored.missing, scored.missing_categories, scored.coverage_pct
    )
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save(update_fields=["scoring_version", *SCORE_FIELDS, "coverage_pct", "missing", "updated_at"])
    changes: dict[str, list[Any]] = {"scoring_version": [from_version, to_version]}
    changes.update({name: [before[name], fields[name]] for name in SCORE_FIELDS if before[name] != fields[name]})
    for test in rescore.tests:
        if test.old_points != test.new_points:
            changes[f"{test.test_type}.computed_score"] = [test.old_points, test.new_points]
        if test.old_band != test.new_band:
            changes[f"{test.test_type}.band"] = [test.old_band, test.new_band]
    audit_record(
        actor=actor,
        event="assessment.rescore",
        target=assessment,
        params={
            "new": to_version,
            "old": from_version,
            "before": before["overall_score"],
            "after": scored.overall,
        },
        changes=changes,
    )
    return rescore


def _lock_assessment(actor: Actor | None, assessment: Assessment) -> Assessment:
    locked = (
        Assessment.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("client")
        .filter(pk=assessment.pk)
        .first()
    )
    if locked is None or not can_edit_client(actor, locked.client):
        raise ApplicationError(_("You cannot change this assessment."))
    return locked
