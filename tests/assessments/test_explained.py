"""Scores that explain themselves: what was measured, the rating with its group, and the points, apart."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from apps.assessments.forms import AssessmentForm
from apps.assessments.labels import describe_raw, norm_group, points_label, rating
from apps.assessments.services import assessment_create
from apps.reports.assessment import assessment_report
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory
from tests.support import in_gym

FULL = {
    "push_ups": {"raw": {"reps": 12}, "protocol": {"variant": "knee"}},
    "farmers_carry": {"raw": {"load_kg": 30, "body_weight_kg": 60, "distance_m": 40, "time_s": 40}},
    "deep_squat": {"raw": {"compensations": [], "pain": False}},
    "shoulder_mobility": {"raw": {"left_cm": 10, "right_cm": 10, "hand_length_cm": 18}},
    "sit_and_reach": {"raw": {"reach_cm": 30}},
    "balance_eyes_open": {"raw": {"left_s": 20, "right_s": 20}},
    "balance_eyes_closed": {"raw": {"left_s": 5, "right_s": 5}},
    "step_test": {"raw": {"recovery_hr_bpm": 110}},
}


@pytest.fixture
def people(gym_a):
    def make():
        trainer = TrainerFactory(role=Role.TRAINER)
        # 45 on the day of every assessment below: the women's 40–49 rows.
        woman = ClientFactory(trainer=trainer, date_of_birth=date(1980, 1, 1), sex="female", first_name="Hana")
        return trainer, woman

    return in_gym(gym_a, make)


def assess(gym, trainer, client, days_ago, results):
    return in_gym(
        gym,
        assessment_create,
        actor=trainer,
        client=client,
        performed_at=timezone.now() - timedelta(days=days_ago),
        results=results,
    )


def test_rating_and_points_are_separate_and_name_the_group():
    assert rating("sit_and_reach", "below_average", {}, {}, age=44, sex="female") == "Below average for women 40–49"
    assert rating("step_test", "average", {"protocol": "ymca"}, {}, age=44, sex="male") == "Average for men 36–45"
    assert points_label(65) == "65 points" and points_label(None) == "–"
    # The single-leg stance compares with the typical time of the age group: no "below the norm" next to 65 points.
    text = rating("balance_eyes_open", "below_norm", {}, {"reference_s": 40.1}, age=44, sex="female")
    assert text == "Below the typical time for women 40–49 (40.1 s)"
    assert rating("deep_squat", "2", {}, {}, age=44, sex="female") == "Grade 2 of 3"
    assert rating("farmers_carry", "level_3", {}, {}, age=44, sex="female") == "Level 3 of 5"
    assert norm_group("sit_and_reach", {}, age=44, sex="not_stated") == "ages 40–49"


def test_the_push_up_norm_follows_the_variant_performed():
    assert norm_group("push_ups", {"variant": "knee"}, age=44, sex="female") == "women 40–49, push-ups on the knees"
    assert norm_group("push_ups", {"variant": "standard"}, age=44, sex="male") == "men 40–49"
    assert describe_raw("push_ups", {"reps": 12}, {"variant": "knee"}) == "12 repetitions, on the knees"
    assert describe_raw("push_ups", {"reps": 20}, {"variant": "standard"}) == "20 repetitions, on the toes"


def test_the_form_starts_from_the_variant_of_the_clients_norm():
    woman, man = ClientFactory.build(sex="female"), ClientFactory.build(sex="male")
    assert AssessmentForm(client=woman).fields["push_ups_variant"].initial == "knee"
    assert AssessmentForm(client=man).fields["push_ups_variant"].initial == "standard"


def test_the_page_shows_measured_rating_and_points_and_says_plainly_which_variant_was_scored(gym_a, client_a, people):
    trainer, woman = people
    toes = {**FULL, "push_ups": {"raw": {"reps": 20}, "protocol": {"variant": "standard"}}}
    assessment = assess(gym_a, trainer, woman, 1, toes)
    page = client_a.login_as(trainer).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "<td>20 repetitions, on the toes</td>" in page
    assert "for women 40–49, push-ups on the knees" in page
    assert "Canadian fitness norms (CSEP) for push-ups, by age and sex" in page
    assert "Done on the toes: the published women&#x27;s norms are for push-ups on the knees only" in page
    assert "Standard push-ups scored against the knee push-up norms" not in page
    push = in_gym(gym_a, lambda: assessment.results.get(test_type="push_ups"))
    assert f"{push.score} points" in page
    knees = assess(gym_a, trainer, woman, 0, FULL)
    page = client_a.get(f"/assessments/{knees.pk}/").content.decode()
    assert "<td>12 repetitions, on the knees</td>" in page and "Done on the toes" not in page


def test_the_compare_page_shows_raw_results_and_each_change_once(gym_a, client_a, people):
    trainer, woman = people
    first = assess(gym_a, trainer, woman, 30, FULL)
    second = assess(
        gym_a, trainer, woman, 1, {**FULL, "push_ups": {"raw": {"reps": 20}, "protocol": {"variant": "knee"}}}
    )
    client_a.login_as(trainer)
    url = f"/assessments/client/{woman.pk}/compare/"
    page = client_a.get(url, {"ids": [first.pk, second.pk]}).content.decode()
    pushes = in_gym(gym_a, lambda: [a.results.get(test_type="push_ups").score for a in (first, second)])
    change = pushes[1] - pushes[0]
    assert change > 0
    assert '<div class="measured small">12 repetitions, on the knees</div>' in page
    assert '<div class="measured small">20 repetitions, on the knees</div>' in page
    assert page.count(f'<span aria-hidden="true">▲</span> +{change}<') == 1  # once: no "first to last" column
    assert "First to last" not in page
    assert 'class="change up"' in page
    third = assess(
        gym_a, trainer, woman, 0, {**FULL, "push_ups": {"raw": {"reps": 5}, "protocol": {"variant": "knee"}}}
    )
    page = client_a.get(url, {"ids": [first.pk, second.pk, third.pk]}).content.decode()
    assert "First to last" in page and 'class="change down"' in page


def test_a_partial_assessment_gives_no_overall_change_and_says_why(gym_a, client_a, people):
    trainer, woman = people
    assess(gym_a, trainer, woman, 30, FULL)
    partial = assess(gym_a, trainer, woman, 1, {"push_ups": {"raw": {"reps": 20}, "protocol": {"variant": "knee"}}})
    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        report = in_gym(gym_a, lambda: assessment_report(actor=trainer, assessment=partial, language="en"))
    assert report.partial and report.overall_change is None
    assert report.partial_note == "No change is shown: a partial assessment's overall score stands for fewer tests."
    strength = next(category for category in report.categories if category.key == "strength")
    assert strength.change is None  # the carry was not measured this time
    client_page = client_a.login_as(trainer).get(f"/clients/{woman.pk}/").content.decode()
    assert "Hollow points are partial assessments" in client_page
    assert f"{partial.coverage_pct}% measured" in client_page
