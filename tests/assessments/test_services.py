"""Assessment services and selectors: scores stored with their version, overrides, partial assessments, scoping."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.assessments.models import Assessment, TestResult
from apps.assessments.scoring import SCORING_VERSION
from apps.assessments.selectors import assessment_compare, assessment_get, assessment_list_for_client
from apps.assessments.services import assessment_create, test_result_override, test_result_override_remove
from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory

FULL = {
    "deep_squat": {"raw": {"compensations": ["knees_valgus"], "heel_lift_compensations": []}},
    "shoulder_mobility": {"raw": {"left_cm": 15, "right_cm": 25, "hand_length_cm": 18}},
    "sit_and_reach": {"raw": {"reach_cm": 31}, "protocol": {"box_zero_offset_cm": 23}},
    "push_ups": {"raw": {"reps": 25}, "protocol": {"variant": "standard"}},
    "farmers_carry": {"raw": {"load_kg": 60, "body_weight_kg": 80, "distance_m": 40, "time_s": 35}},
    "balance_eyes_open": {"raw": {"left_s": 44.7, "right_s": 44.7}},
    "balance_eyes_closed": {"raw": {"left_s": 8.45, "right_s": 16.9}},
    "step_test": {"raw": {"recovery_hr_bpm": 90}, "protocol": {"protocol": "ymca", "step_height_cm": 30.5}},
}


@pytest.fixture
def trainer(in_gym_a):
    return TrainerFactory(role=Role.TRAINER)


@pytest.fixture
def client(trainer):
    # 28 on the day of the assessments below.
    return ClientFactory(trainer=trainer, date_of_birth=date(1998, 1, 15), sex="male", weight_kg=Decimal("80.00"))


def when(days_ago=1):
    return timezone.now() - timedelta(days=days_ago)


def create(trainer, client, results=FULL, **kwargs):
    kwargs.setdefault("performed_at", when())
    return assessment_create(actor=trainer, client=client, results=results, **kwargs)


def test_create_scores_with_the_engine_and_stores_the_version(trainer, client):
    assessment = create(trainer, client, setting="outdoor", temperature_c="21.5", notes=" windy ")
    assessment.refresh_from_db()
    assert assessment.scoring_version == SCORING_VERSION
    assert assessment.age_at_test == 28 and assessment.sex_at_test == "male"
    assert (assessment.setting, assessment.temperature_c, assessment.notes) == ("outdoor", Decimal("21.5"), "windy")
    assert assessment.category_scores() == {"strength": 70, "mobility": 71, "balance": 88, "cardio": 71}
    assert assessment.overall_score == 75
    assert assessment.coverage_pct == 100
    assert assessment.missing["tests"] == [] and assessment.missing["categories"] == []
    assert assessment.trainer == trainer
    results = {r.test_type: r for r in assessment.results.all()}
    assert len(results) == 8
    reach = results["sit_and_reach"]
    assert reach.raw_values == {"reach_cm": 31.0}
    assert reach.protocol == {"box_zero_offset_cm": 23.0}
    assert reach.details == {"reach_from_feet_cm": 8.0, "cpafla_cm": 34.0}
    assert (reach.band, reach.computed_score, reach.score) == ("very_good", 80, 80)
    assert results["shoulder_mobility"].flags == ["asymmetry"]
    entry = AuditEntry.objects.get(action="assessment.create")
    assert entry.actor_id == trainer.pk and entry.target_id == str(assessment.pk)


def test_a_partial_assessment_lists_what_is_missing(trainer, client):
    results = {"push_ups": {"raw": {"reps": 25}}, "step_test": {"raw": {"recovery_hr_bpm": 70}}}
    assessment = create(trainer, client, results=results)
    assert assessment.category_scores() == {"strength": 60, "mobility": None, "balance": None, "cardio": 100}
    assert assessment.overall_score == 80
    assert assessment.coverage_pct == 38  # (1/2 + 0 + 0 + 1) / 4 = 37.5
    assert assessment.missing["categories"] == ["mobility", "balance"]
    assert assessment.missing["by_category"]["strength"] == {"missing": ["farmers_carry"], "unscored": []}
    assert "deep_squat" in assessment.missing["tests"]


def test_raw_values_without_the_raw_key_and_body_weight_from_the_client(trainer, client):
    results = {"farmers_carry": {"load_kg": 80, "distance_m": 40, "time_s": 30}}
    assessment = create(trainer, client, results=results)
    carry = assessment.results.get()
    assert carry.raw_values["body_weight_kg"] == 80.0
    assert carry.computed_score == 100


@pytest.mark.parametrize(
    ("results", "field"),
    [
        ({"push_ups": {"raw": {"reps": -3}}}, "push_ups.reps"),
        ({"step_test": {"raw": {"recovery_hr_bpm": 400}}}, "step_test.recovery_hr_bpm"),
        ({"farmers_carry": {"raw": {"load_kg": 300, "distance_m": 40, "time_s": 30}}}, "farmers_carry.load_kg"),
        (
            {
                "step_test": {
                    "raw": {"duration_s": 0, "pulse_1": 50, "pulse_2": 40, "pulse_3": 40},
                    "protocol": {"protocol": "harvard"},
                }
            },
            "step_test.duration_s",
        ),
        ({"burpees": {"raw": {"reps": 3}}}, "test_type"),
        ({}, "results"),
    ],
)
def test_impossible_values_are_refused_and_nothing_is_saved(trainer, client, results, field):
    with pytest.raises(ApplicationError) as error:
        create(trainer, client, results={**results})
    assert error.value.field == field
    assert not Assessment.objects.exists() and not TestResult.objects.exists()


def test_date_temperature_and_setting_are_checked(trainer, client):
    with pytest.raises(ApplicationError) as error:
        create(trainer, client, performed_at=timezone.now() + timedelta(days=1))
    assert error.value.field == "performed_at"
    with pytest.raises(ApplicationError) as error:
        create(trainer, client, performed_at=datetime(1990, 1, 1, tzinfo=ZoneInfo("UTC")))
    assert error.value.field == "performed_at"
    with pytest.raises(ApplicationError) as error:
        create(trainer, client, temperature_c="80")
    assert error.value.field == "temperature_c"
    with pytest.raises(ApplicationError) as error:
        create(trainer, client, setting="space")
    assert error.value.field == "setting"


def test_age_is_needed(trainer):
    client = ClientFactory(trainer=trainer)
    with pytest.raises(ApplicationError) as error:
        create(trainer, client)
    assert error.value.field == "age"
    # Given explicitly (the form asks when the client's record lacks them).
    results = {"push_ups": {"raw": {"reps": 24}, "protocol": {"variant": "knee"}}}
    assessment = create(trainer, client, age=40, sex="female", results=results)
    assert (assessment.age_at_test, assessment.sex_at_test, assessment.strength_score) == (40, "female", 100)
    # Protocol details mixed into the raw values are refused by name.
    with pytest.raises(ApplicationError) as error:
        create(trainer, client, age=40, sex="female", results={"push_ups": {"reps": 24, "variant": "knee"}})
    assert error.value.field == "push_ups.variant"


def test_only_those_who_may_edit_the_client_assess(trainer, client):
    other = TrainerFactory(role=Role.TRAINER)
    assistant = TrainerFactory(role=Role.ASSISTANT)
    for actor in (other, assistant):
        with pytest.raises(ApplicationError):
            create(actor, client)
    owner = TrainerFactory(role=Role.OWNER)
    assessment = create(owner, client)
    assert assessment.trainer == owner and assessment.client.trainer == trainer


def test_a_client_who_needs_medical_clearance_is_assessed_only_with_it_confirmed(trainer, client):
    client.screening = {"chest_pain": True}
    client.save(update_fields=["screening"])
    assert client.needs_medical_clearance is True
    for confirmed in (False, None, "yes"):
        with pytest.raises(ApplicationError) as error:
            create(trainer, client, clearance_confirmed=confirmed)
        assert error.value.field == "clearance_confirmed"
    assert Assessment.objects.count() == 0
    assessment = create(trainer, client, clearance_confirmed=True)
    entry = AuditEntry.objects.get(action="assessment.create")
    assert (entry.target_id, entry.changes["medical_clearance_confirmed"]) == (str(assessment.pk), [None, True])


def test_a_client_without_risk_needs_no_confirmation(trainer, client):
    create(trainer, client)
    assert "medical_clearance_confirmed" not in AuditEntry.objects.get(action="assessment.create").changes


def test_override_recomputes_categories_and_overall_and_is_audited(trainer, client):
    assessment = create(trainer, client)
    step = assessment.results.get(test_type="step_test")
    test_result_override(actor=trainer, result=step, score=100, reason="  HR monitor  lagged ")
    step.refresh_from_db()
    assessment.refresh_from_db()
    assert (step.computed_score, step.override_score, step.score, step.is_overridden) == (71, 100, 100, True)
    assert (step.override_reason, step.override_by, step.overridden_at is not None) == (
        "HR monitor lagged",
        trainer,
        True,
    )
    assert assessment.cardio_score == 100
    assert assessment.overall_score == 82
    assert assessment.scoring_version == SCORING_VERSION
    entry = AuditEntry.objects.get(action="test_result.override")
    assert entry.changes["override_score"] == [None, 100]
    assert entry.changes["overall_score"] == [75, 82]

    test_result_override_remove(actor=trainer, result=step)
    assessment.refresh_from_db()
    assert (assessment.cardio_score, assessment.overall_score) == (71, 75)
    assert AuditEntry.objects.filter(action="test_result.override_remove").count() == 1


def test_an_unscored_test_can_be_overridden_and_then_counts(trainer):
    client = ClientFactory(trainer=trainer, date_of_birth=date(1998, 1, 15), sex="male")
    assessment = create(trainer, client, results={"push_ups": {"raw": {"reps": 30}, "protocol": {"variant": "knee"}}})
    assert assessment.strength_score is None and assessment.overall_score is None
    assert assessment.missing["by_category"]["strength"]["unscored"] == ["push_ups"]
    test_result_override(actor=trainer, result=assessment.results.get(), score=55, reason="Knee variant, own judgement")
    assessment.refresh_from_db()
    assert (assessment.strength_score, assessment.overall_score) == (55, 55)


@pytest.mark.parametrize(
    ("score", "reason", "field"),
    [(101, "x", "score"), (-1, "x", "score"), ("abc", "x", "score"), (True, "x", "score"), (50, "   ", "reason")],
)
def test_override_refuses_bad_values(trainer, client, score, reason, field):
    assessment = create(trainer, client)
    with pytest.raises(ApplicationError) as error:
        test_result_override(actor=trainer, result=assessment.results.first(), score=score, reason=reason)
    assert error.value.field == field
    assert not TestResult.objects.filter(override_score__isnull=False).exists()


def test_override_by_someone_who_cannot_edit_is_refused(trainer, client):
    assessment = create(trainer, client)
    with pytest.raises(ApplicationError):
        test_result_override(
            actor=TrainerFactory(role=Role.TRAINER), result=assessment.results.first(), score=50, reason="no"
        )


def test_an_old_version_is_kept_and_recombined_with_its_own_weights(trainer, client, monkeypatch):
    assessment = create(trainer, client)
    Assessment.objects.filter(pk=assessment.pk).update(scoring_version="2025.9")
    from apps.assessments.scoring import rules

    monkeypatch.setitem(rules.CATEGORY_WEIGHTS, "2025.9", {"strength": 1, "mobility": 0, "balance": 0, "cardio": 3})
    test_result_override(actor=trainer, result=assessment.results.get(test_type="push_ups"), score=100, reason="re")
    assessment.refresh_from_db()
    assert assessment.scoring_version == "2025.9"
    # strength (100 + 80) / 2 = 90, cardio 71: (90 + 3 x 71) / 4 = 75.75 -> 76 with that version's weights.
    assert (assessment.strength_score, assessment.overall_score) == (90, 76)


def test_visibility_follows_the_clients_trainer(trainer, client):
    assessment = create(trainer, client)
    other = TrainerFactory(role=Role.TRAINER)
    owner = TrainerFactory(role=Role.OWNER)
    assert assessment_get(actor=trainer, pk=assessment.pk) == assessment
    assert assessment_get(actor=owner, pk=assessment.pk) == assessment
    assert assessment_get(actor=other, pk=assessment.pk) is None
    assert list(assessment_list_for_client(actor=other, client=client)) == []
    assert list(TestResult.objects.visible_to(other)) == []
    assert TestResult.objects.visible_to(trainer).count() == 8


def test_compare_two_to_five_assessments(trainer, client):
    first = create(trainer, client, performed_at=when(60))
    second = create(
        trainer,
        client,
        performed_at=when(30),
        results={**FULL, "push_ups": {"raw": {"reps": 30}}, "step_test": {"raw": {"recovery_hr_bpm": 76}}},
    )
    third = create(trainer, client, performed_at=when(1), results={"push_ups": {"raw": {"reps": 36}}})
    test_result_override(actor=trainer, result=third.results.get(), score=90, reason="form check")
    comparison = assessment_compare(actor=trainer, client=client, assessment_ids=[third.pk, first.pk, second.pk])
    assert comparison["assessments"] == [first, second, third]
    assert comparison["versions"] == [SCORING_VERSION]
    push = next(row for row in comparison["tests"] if row["key"] == "push_ups")
    assert push["values"] == [60, 80, 90]
    assert push["overridden"] == [False, False, True]
    assert push["changes"] == [None, 20, 10]
    assert push["total_change"] == 30
    step = next(row for row in comparison["tests"] if row["key"] == "step_test")
    assert step["values"] == [71, 100, None]
    # One change only: it is the change from first to last, so the page prints it once (not again as the total).
    assert (step["changes"], step["total_change"], step["total_shown"]) == ([None, 29, None], 29, False)
    cardio = next(row for row in comparison["categories"] if row["key"] == "cardio")
    assert cardio["values"] == [71, 100, None]
    strength = next(row for row in comparison["categories"] if row["key"] == "strength")
    assert strength["values"] == [70, 80, 90]
    overall = comparison["overall"]
    assert overall["values"] == [75, 85, 90]
    # The third assessment measured push-ups only: its overall (and its strength, without the carry) stands for
    # fewer tests, so it is compared with none of the full ones (nor is the total, which would end on it).
    assert (overall["changes"], overall["total_change"]) == ([None, 10, None], None)
    assert (strength["changes"], strength["total_change"]) == ([None, 10, None], None)
    assert [cell["comparable"] for cell in overall["cells"]] == [True, True, False]
    assert push["total_shown"] is True
    assert [column["partial"] for column in comparison["columns"]] == [False, False, True]


def test_compare_refuses_wrong_counts_and_foreign_assessments(trainer, client):
    one = create(trainer, client)
    with pytest.raises(ApplicationError):
        assessment_compare(actor=trainer, client=client, assessment_ids=[one.pk])
    with pytest.raises(ApplicationError):
        assessment_compare(actor=trainer, client=client, assessment_ids=list(range(1, 7)))
    other_client = ClientFactory(trainer=trainer, date_of_birth=date(1990, 1, 1), sex="female")
    foreign = create(trainer, other_client)
    with pytest.raises(ApplicationError):
        assessment_compare(actor=trainer, client=client, assessment_ids=[one.pk, foreign.pk])
    with pytest.raises(ApplicationError):
        assessment_compare(actor=TrainerFactory(role=Role.TRAINER), client=client, assessment_ids=[one.pk, one.pk + 0])


def test_helpers_for_the_client_pages(trainer, client):
    from django.db.models import Count

    from apps.assessments.selectors import (
        assessment_export_for_client,
        assessment_progress,
        latest_overall_score_subquery,
    )
    from apps.assessments.services import assessments_erase_personal_text
    from apps.clients.models import Client

    older = create(trainer, client, performed_at=when(30), notes="Knee hurts, see Dr Kim")
    newer = create(trainer, client, performed_at=when(1), results={"push_ups": {"raw": {"reps": 36}}})
    test_result_override(actor=trainer, result=older.results.get(test_type="step_test"), score=90, reason="Ann's HR")
    annotated = Client.objects.visible_to(trainer).annotate(
        latest_overall=latest_overall_score_subquery(), n=Count("assessments")
    )
    assert annotated.get(pk=client.pk).latest_overall == newer.overall_score == 100
    progress = assessment_progress(actor=trainer, client=client)
    assert [row["id"] for row in progress] == [older.pk, newer.pk]
    assert progress[0]["cardio"] == 90 and progress[1]["strength"] == 100 and progress[1]["cardio"] is None
    assert assessment_progress(actor=TrainerFactory(role=Role.TRAINER), client=client) == []
    exported = assessment_export_for_client(actor=trainer, client=client)
    assert [item["id"] for item in exported] == [older.pk, newer.pk]
    step = next(r for r in exported[0]["results"] if r["test_type"] == "step_test")
    assert step["override"]["score"] == 90 and step["computed_score"] == 71
    assessments_erase_personal_text(client=client)
    older.refresh_from_db()
    assert older.notes == ""
    assert older.results.get(test_type="step_test").override_reason == "(erased)"
    assert older.results.get(test_type="step_test").override_score == 90


def test_assessment_rows_for_bulk_seeding(trainer, client):
    from apps.assessments.scoring import score_assessment
    from apps.assessments.services import assessment_rows

    scored = score_assessment(FULL, age=28, sex="male")
    assessments, results = [], []
    for days in (3, 2, 1):
        assessment, rows = assessment_rows(
            client=client, trainer=trainer, performed_at=when(days), scored=scored, age=28, sex="male"
        )
        assessments.append(assessment)
        results.append(rows)
    Assessment.objects.bulk_create(assessments)
    for assessment, rows in zip(assessments, results, strict=True):
        for row in rows:
            row.assessment = assessment
    TestResult.objects.bulk_create([row for rows in results for row in rows])
    assert Assessment.objects.filter(client=client, overall_score=75).count() == 3
    assert TestResult.objects.filter(assessment__client=client).count() == 24


def test_partial_assessments_of_the_same_tests_compare_with_each_other(trainer, client):
    push_only = {"push_ups": {"raw": {"reps": 20}}}
    first = create(trainer, client, performed_at=when(60), results=push_only)
    full = create(trainer, client, performed_at=when(30))
    last = create(trainer, client, performed_at=when(1), results={"push_ups": {"raw": {"reps": 30}}})
    comparison = assessment_compare(actor=trainer, client=client, assessment_ids=[first.pk, full.pk, last.pk])
    overall = comparison["overall"]
    change = last.overall_score - first.overall_score
    assert overall["changes"] == [None, None, change] and overall["total_change"] == change
    assert [cell["comparable"] for cell in overall["cells"]] == [True, False, True]
