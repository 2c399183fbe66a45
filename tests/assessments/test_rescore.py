"""Re-scoring an assessment with the current norms: the differences first, then a confirmed, audited change."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.assessments.models import Assessment
from apps.assessments.scoring import SCORING_VERSION
from apps.assessments.services import (
    assessment_create,
    assessment_rescore,
    assessment_rescore_preview,
    test_result_override,
)
from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory
from tests.support import in_gym

OLD = "2026.3"
# A woman of 35: on the Harvard step test, 30000 / (2 x 174) = 86.2 is excellent on the women's limits (2026.4)
# and good on the men's limits that 2026.3 applied to everyone; push-ups do not change.
RESULTS = {
    "push_ups": {"raw": {"reps": 16}, "protocol": {"variant": "knee"}},
    "step_test": {
        "raw": {"duration_s": 300, "pulse_1": 64, "pulse_2": 58, "pulse_3": 52},
        "protocol": {"protocol": "harvard", "step_height_cm": 40.6},
    },
}


@pytest.fixture
def people(gym_a):
    def make():
        trainer = TrainerFactory(role=Role.TRAINER)
        client = ClientFactory(trainer=trainer, date_of_birth=date(1990, 5, 1), sex="female", first_name="Ann")
        return trainer, client

    return in_gym(gym_a, make)


@pytest.fixture
def old_assessment(gym_a, people):
    """An assessment scored with version 2026.3, as it was stored before 2026.4 (re-scored back to it)."""
    trainer, client = people

    def make():
        assessment = assessment_create(
            actor=trainer, client=client, performed_at=timezone.now() - timedelta(days=3), results=RESULTS
        )
        assessment_rescore(actor=trainer, assessment=assessment, from_version=SCORING_VERSION, to_version=OLD)
        return Assessment.objects.get(pk=assessment.pk)

    return in_gym(gym_a, make)


def test_an_older_version_restores_the_scores_of_its_time(gym_a, old_assessment):
    step = in_gym(gym_a, lambda: old_assessment.results.get(test_type="step_test"))
    assert old_assessment.scoring_version == OLD
    # 2026.3 rated everyone on the men's 50.8 cm bench: a woman's 40.6 cm step is off that protocol.
    assert (step.band, step.computed_score, step.flags) == ("good", 80, ["off_protocol_step_height"])
    assert step.details == {"fitness_index": 86.2}


def test_the_preview_lists_old_and_new_per_test_and_category_and_writes_nothing(gym_a, old_assessment):
    before = in_gym(gym_a, lambda: (AuditEntry.objects.count(), list(Assessment.objects.values())))
    rescore = in_gym(gym_a, assessment_rescore_preview, old_assessment)
    assert (rescore.old_version, rescore.new_version, rescore.changed) == (OLD, SCORING_VERSION, True)
    changes = {change.test_type: change for change in rescore.tests}
    step, push = changes["step_test"], changes["push_ups"]
    assert (step.old_points, step.new_points, step.old_band, step.new_band) == (80, 100, "good", "excellent")
    assert step.old_flags == ("off_protocol_step_height",) and step.new_flags == ()
    assert not push.changed
    assert ("cardio", 80, 100) in rescore.categories
    assert (rescore.old_overall, rescore.new_overall) == (old_assessment.overall_score, rescore.scored.overall)
    assert in_gym(gym_a, lambda: (AuditEntry.objects.count(), list(Assessment.objects.values()))) == before


def test_rescoring_applies_the_new_scores_keeps_overrides_and_audits_the_old_version(gym_a, people, old_assessment):
    trainer, _client = people
    push = in_gym(gym_a, lambda: old_assessment.results.get(test_type="push_ups"))
    in_gym(gym_a, test_result_override, actor=trainer, result=push, score=90, reason="Counted from video")
    old_assessment = in_gym(gym_a, Assessment.objects.get, pk=old_assessment.pk)
    old_overall = old_assessment.overall_score
    in_gym(gym_a, assessment_rescore, actor=trainer, assessment=old_assessment, from_version=OLD)

    def read():
        assessment = Assessment.objects.get(pk=old_assessment.pk)
        results = {r.test_type: r for r in assessment.results.all()}
        entry = AuditEntry.objects.filter(action="assessment.rescore", target_id=str(assessment.pk)).latest("pk")
        return assessment, results, entry

    assessment, results, entry = in_gym(gym_a, read)
    assert assessment.scoring_version == SCORING_VERSION
    assert (results["step_test"].band, results["step_test"].computed_score) == ("excellent", 100)
    assert results["step_test"].flags == []
    assert results["push_ups"].override_score == 90  # the trainer's override stays and counts
    assert assessment.category_scores() == {"strength": 90, "mobility": None, "balance": None, "cardio": 100}
    assert entry.changes["scoring_version"] == [OLD, SCORING_VERSION]
    assert entry.changes["step_test.computed_score"] == [80, 100]
    assert entry.changes["step_test.band"] == ["good", "excellent"]
    assert entry.changes["overall_score"] == [old_overall, assessment.overall_score]
    assert OLD in entry.sentence and entry.actor_id == trainer.pk


def test_a_stale_or_pointless_rescore_is_refused_and_changes_nothing(gym_a, people, old_assessment):
    trainer, _client = people
    for from_version, to_version in ((SCORING_VERSION, SCORING_VERSION), ("2026.1", SCORING_VERSION)):
        with pytest.raises(ApplicationError) as error:
            in_gym(
                gym_a,
                assessment_rescore,
                actor=trainer,
                assessment=old_assessment,
                from_version=from_version,
                to_version=to_version,
            )
        assert error.value.extra["code"] == "conflict"
    with pytest.raises(ApplicationError) as error:
        in_gym(gym_a, assessment_rescore, actor=trainer, assessment=old_assessment, from_version=OLD, to_version="9")
    assert error.value.field == "version"
    other = in_gym(gym_a, TrainerFactory, role=Role.TRAINER)
    with pytest.raises(ApplicationError):
        in_gym(gym_a, assessment_rescore, actor=other, assessment=old_assessment, from_version=OLD)
    assert in_gym(gym_a, Assessment.objects.get, pk=old_assessment.pk).scoring_version == OLD


def test_the_page_shows_the_differences_and_the_confirmation_applies_them(gym_a, client_a, people, old_assessment):
    trainer, _client = people
    url = f"/assessments/{old_assessment.pk}/rescore/"
    client_a.login_as(trainer)
    detail = client_a.get(f"/assessments/{old_assessment.pk}/").content.decode()
    assert url in detail
    page = client_a.get(url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Good" in content and "Excellent" in content and "80" in content and "100" in content
    assert f'name="from_version" value="{OLD}"' in content
    assert in_gym(gym_a, Assessment.objects.get, pk=old_assessment.pk).scoring_version == OLD  # GET writes nothing
    done = client_a.post(url, {"from_version": OLD, "to_version": SCORING_VERSION})
    assert done.status_code == 302 and done["Location"].endswith(f"?rescored_from={OLD}")
    assert in_gym(gym_a, Assessment.objects.get, pk=old_assessment.pk).scoring_version == SCORING_VERSION
    after = client_a.get(done["Location"]).content.decode()
    assert f"Undo: back to version {OLD}" in after
    assert "Re-score with the current norms" not in after  # nothing to re-score any more
    # The same confirmation again is stale: refused with a message, nothing written.
    again = client_a.post(url, {"from_version": OLD, "to_version": SCORING_VERSION}, follow=True)
    assert "re-scored in the meantime" in again.content.decode()
    # Undo: back to the old version's scores.
    client_a.post(url, {"from_version": SCORING_VERSION, "to_version": OLD})
    step = in_gym(gym_a, lambda: Assessment.objects.get(pk=old_assessment.pk).results.get(test_type="step_test"))
    assert (step.band, step.computed_score) == ("good", 80)
    up_to_date = client_a.get(f"/assessments/{assessment_of(gym_a, people).pk}/rescore/").content.decode()
    assert "there is nothing to re-score" in up_to_date
    # Someone who may not edit the client gets 404, for the page and the confirmation.
    other = in_gym(gym_a, TrainerFactory, role=Role.TRAINER)
    client_a.login_as(other)
    assert client_a.get(url).status_code == 404
    assert client_a.post(url, {"from_version": OLD, "to_version": SCORING_VERSION}).status_code == 404


def assessment_of(gym, people):
    trainer, client = people
    return in_gym(gym, assessment_create, actor=trainer, client=client, performed_at=timezone.now(), results=RESULTS)
