"""Assessment pages: a client's list (constant queries), one assessment, override form, comparison; 404s."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.assessments.scoring import SCORING_VERSION
from apps.assessments.services import assessment_create, test_result_override
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory
from tests.support import in_gym

RESULTS = {
    "push_ups": {"raw": {"reps": 25}},
    "deep_squat": {"raw": {"compensations": [], "pain": False}},
    "step_test": {"raw": {"recovery_hr_bpm": 90}},
}


@pytest.fixture
def people(gym_a):
    def make():
        trainer = TrainerFactory(role=Role.TRAINER)
        client = ClientFactory(trainer=trainer, date_of_birth=date(1990, 5, 1), sex="female", first_name="Ann")
        return trainer, client

    return in_gym(gym_a, make)


def assess(gym, trainer, client, days_ago=1, results=RESULTS):
    return in_gym(
        gym,
        assessment_create,
        actor=trainer,
        client=client,
        performed_at=timezone.now() - timedelta(days=days_ago),
        results=results,
    )


def test_list_shows_the_clients_assessments_to_their_trainer_only(gym_a, client_a, people):
    trainer, client = people
    assessment = assess(gym_a, trainer, client)
    response = client_a.login_as(trainer).get(f"/assessments/client/{client.pk}/")
    assert response.status_code == 200
    assert list(response.context["assessments"]) == [assessment]
    other = in_gym(gym_a, TrainerFactory, role=Role.TRAINER)
    assert client_a.login_as(other).get(f"/assessments/client/{client.pk}/").status_code == 404
    assert client_a.get(f"/assessments/{assessment.pk}/").status_code == 404
    owner = in_gym(gym_a, TrainerFactory, role=Role.OWNER)
    assert client_a.login_as(owner).get(f"/assessments/{assessment.pk}/").status_code == 200


def test_the_list_costs_the_same_queries_with_3_and_30_assessments(gym_a, client_a, people):
    trainer, client = people
    client_a.login_as(trainer)
    counts = []
    for total in (3, 30):
        existing = len(client_a.get(f"/assessments/client/{client.pk}/").context["assessments"])
        for day in range(existing, total):
            assess(gym_a, trainer, client, days_ago=day + 1, results={"push_ups": {"raw": {"reps": day}}})
        with CaptureQueriesContext(connection) as queries:
            response = client_a.get(f"/assessments/client/{client.pk}/")
        assert len(response.context["assessments"]) == min(total, 25)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_detail_marks_overrides_and_lists_missing_tests(gym_a, client_a, people):
    trainer, client = people
    assessment = assess(gym_a, trainer, client)
    step = in_gym(gym_a, lambda: assessment.results.get(test_type="step_test"))
    in_gym(gym_a, test_result_override, actor=trainer, result=step, score=95, reason="Monitor lag")
    content = client_a.login_as(trainer).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Overridden" in content
    assert "Monitor lag" in content
    assert "Partial assessment." in content
    assert "Farmer&#x27;s carry" in content or "Farmer's carry" in content
    assert SCORING_VERSION in content


def test_override_form_saves_and_refuses_bad_input_at_the_field(gym_a, client_a, people):
    trainer, client = people
    assessment = assess(gym_a, trainer, client)
    push = in_gym(gym_a, lambda: assessment.results.get(test_type="push_ups"))
    url = f"/assessments/{assessment.pk}/results/{push.pk}/override/"
    client_a.login_as(trainer)
    bad = client_a.post(url, {"score": "400", "reason": "x"})
    assert bad.status_code == 400
    assert "score" in bad.context["override_form"].errors
    no_reason = client_a.post(url, {"score": "50", "reason": ""})
    assert no_reason.status_code == 400
    assert "reason" in no_reason.context["override_form"].errors
    ok = client_a.post(url, {"score": "50", "reason": "Counted wrong"})
    assert ok.status_code == 302
    push = in_gym(gym_a, lambda: assessment.results.get(pk=push.pk))
    assert (push.override_score, push.override_reason) == (50, "Counted wrong")
    other = in_gym(gym_a, TrainerFactory, role=Role.TRAINER)
    assert client_a.login_as(other).post(url, {"score": "10", "reason": "x"}).status_code == 404
    removed = client_a.login_as(trainer).post(url, {"remove": "1"})
    assert removed.status_code == 302
    assert in_gym(gym_a, lambda: assessment.results.get(pk=push.pk)).override_score is None


def test_compare_page(gym_a, client_a, people):
    trainer, client = people
    first = assess(gym_a, trainer, client, days_ago=30)
    second = assess(gym_a, trainer, client, days_ago=1, results={**RESULTS, "push_ups": {"raw": {"reps": 30}}})
    client_a.login_as(trainer)
    response = client_a.get(f"/assessments/client/{client.pk}/compare/", {"ids": [first.pk, second.pk]})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    push = next(row for row in comparison["tests"] if row["key"] == "push_ups")
    # With two assessments the change is printed once, in the second column; no "first to last" column.
    assert push["values"] == [80, 100] and push["changes"] == [None, 20] and push["total_change"] == 20
    assert push["total_shown"] is False and "First to last" not in response.content.decode()
    one = client_a.get(f"/assessments/client/{client.pk}/compare/", {"ids": [first.pk]})
    assert "Choose from 2 to 5 assessments" in one.content.decode()


def test_the_entry_form_scores_what_was_entered(gym_a, client_a, people):
    trainer, client = people
    client_a.login_as(trainer)
    url = f"/assessments/client/{client.pk}/new/"
    form = client_a.get(url)
    assert form.status_code == 200
    assert "age" not in form.context["form"].fields  # the client's date of birth is known
    page = form.content.decode()
    assert "js/assessment-tools.js" in page
    assert 'data-timer-for="id_eyes_closed_right_s" data-max="45"' in page
    assert 'class="secondary metronome"' in page
    response = client_a.post(
        url,
        {
            "setting": "indoor",
            "temperature_c": "21",
            "push_ups_reps": "30",
            "push_ups_variant": "knee",
            "deep_squat_measured": "on",
            "deep_squat_compensations": ["knees_valgus"],
            "deep_squat_heel_lift_retest": "on",
            "box_zero_offset_cm": "26",
            "carry_distance_m": "40",
            "step_protocol": "harvard",
            "step_harvard_form": "long",
            "step_height_cm": "50.8",
            "step_duration_s": "300",
            "step_pulse_1": "45",
            "step_pulse_2": "40",
            "step_pulse_3": "35",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    from apps.assessments.models import Assessment

    assessment = in_gym(gym_a, lambda: Assessment.objects.prefetch_related("results").get())
    scores = {r.test_type: r.computed_score for r in assessment.results.all()}
    # A woman of 36: 30 knee push-ups excellent; squat grade 2; Harvard index 125.
    assert scores == {"push_ups": 100, "deep_squat": 67, "step_test": 100}
    assert assessment.temperature_c == 21
    assert response["Location"] == f"/assessments/{assessment.pk}/"
    assert "sit_and_reach" in assessment.missing["tests"]  # the default box offset alone does not count


def test_the_entry_form_shows_impossible_values_at_their_field(gym_a, client_a, people):
    trainer, client = people
    client_a.login_as(trainer)
    url = f"/assessments/client/{client.pk}/new/"
    base = {"setting": "indoor", "push_ups_variant": "standard", "step_protocol": "ymca", "step_harvard_form": "long"}
    for field, value in [("push_ups_reps", "-3"), ("step_recovery_hr_bpm", "400"), ("eyes_open_left_s", "abc")]:
        data = {**base, field: value, "eyes_open_right_s": "10"} if field.startswith("eyes") else {**base, field: value}
        response = client_a.post(url, data)
        assert response.status_code == 400
        assert field in response.context["form"].errors, (field, response.context["form"].errors)
    nothing = client_a.post(url, base)
    assert nothing.status_code == 400
    assert nothing.context["form"].non_field_errors()
    other = in_gym(gym_a, TrainerFactory, role=Role.TRAINER)
    assert client_a.login_as(other).get(url).status_code == 404


def test_live_preview_scores_without_saving(gym_a, client_a, people):
    trainer, client = people
    client_a.login_as(trainer)
    url = f"/assessments/client/{client.pk}/preview/"
    base = {"setting": "indoor", "push_ups_variant": "knee", "step_protocol": "ymca", "step_harvard_form": "long"}
    response = client_a.post(url, {**base, "push_ups_reps": "30", "step_recovery_hr_bpm": "78"})
    assert response.status_code == 200
    score = response.context["score"]
    assert (score.overall, score.categories["strength"].score, score.categories["cardio"].score) == (100, 100, 100)
    assert "Preview" in response.content.decode()
    assert "Push-ups: <strong>100 points</strong>" in response.content.decode()
    toes = client_a.post(url, {**base, "push_ups_variant": "standard", "push_ups_reps": "30"}).content.decode()
    assert "⚑ Done on the toes: the published women&#x27;s norms are for push-ups on the knees only" in toes
    bad = client_a.post(url, {**base, "step_recovery_hr_bpm": "400"})
    assert bad.status_code == 200 and "30 to 250" in bad.context["error"]
    from apps.assessments.models import Assessment

    assert in_gym(gym_a, lambda: Assessment.objects.count()) == 0
    other = in_gym(gym_a, TrainerFactory, role=Role.TRAINER)
    assert client_a.login_as(other).post(url, base).status_code == 404


def test_the_form_asks_for_the_age_when_the_date_of_birth_is_unknown(gym_a, client_a, people):
    trainer, _client = people
    client = in_gym(gym_a, ClientFactory, trainer=trainer, sex="male")
    client_a.login_as(trainer)
    url = f"/assessments/client/{client.pk}/new/"
    assert "age" in client_a.get(url).context["form"].fields
    base = {"setting": "indoor", "push_ups_variant": "standard", "step_protocol": "ymca", "step_harvard_form": "long"}
    missing = client_a.post(url, {**base, "push_ups_reps": "36"})
    assert missing.status_code == 400 and "age" in missing.context["form"].errors
    impossible = client_a.post(url, {**base, "push_ups_reps": "36", "age": "300"})
    assert impossible.status_code == 400 and "age" in impossible.context["form"].errors
    assert client_a.post(url, {**base, "push_ups_reps": "36", "age": "25"}).status_code == 302


def test_absurd_ids_answer_404_or_a_message_never_a_500(gym_a, client_a, people):
    trainer, client = people
    client_a.login_as(trainer)
    huge = "9" * 30
    assert client_a.get(f"/assessments/{huge}/").status_code == 404
    assert client_a.get(f"/assessments/client/{huge}/").status_code == 404
    response = client_a.get(f"/assessments/client/{client.pk}/compare/", {"ids": [huge, "1", "x"]})
    assert response.status_code == 200
    assert "Choose" in response.context["error"]


def test_the_entry_form_warns_and_needs_the_clearance_confirmed(gym_a, client_a, people):
    trainer, client = people
    client_a.login_as(trainer)
    url = f"/assessments/client/{client.pk}/new/"
    fields = {"push_ups_reps": "20", "push_ups_variant": "standard", "setting": "indoor", "step_protocol": "ymca"}
    fields |= {"step_harvard_form": "long"}
    page = client_a.get(url).content.decode()
    assert "Needs medical clearance." not in page and "clearance_confirmed" not in page
    in_gym(gym_a, type(client).objects.filter(pk=client.pk).update, screening={"dizziness": True})
    page = client_a.get(url).content.decode()
    assert "Needs medical clearance." in page
    assert 'name="clearance_confirmed"' in page
    refused = client_a.post(url, fields)
    assert refused.status_code == 400
    assert refused.context["form"].errors["clearance_confirmed"] == [
        "This client needs medical clearance: confirm that it was obtained before the assessment."
    ]
    assert in_gym(gym_a, client.assessments.count) == 0
    saved = client_a.post(url, {**fields, "clearance_confirmed": "on"})
    assert saved.status_code == 302
    assert in_gym(gym_a, client.assessments.count) == 1
