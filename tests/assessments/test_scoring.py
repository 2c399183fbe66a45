"""The scoring engine: pure functions, no database. Boundaries of every norm band come from the tables themselves."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.assessments.scoring import (
    SCORING_VERSION,
    Category,
    ScoringInputError,
    TestType,
    combine,
    norms,
    rules,
    score_assessment,
    score_test,
)

NORMS = Path(norms.__file__).resolve().parent / "norms"
NORM_FILES = sorted(NORMS.glob("*/*.json"))


def table(name):
    return norms.load(name)


def age_rows(name, sex):
    return [(sex, row) for row in table(name)["tables"][sex]["rows"]]


def representative_age(row):
    low, high = row["age"]
    return min(low + 1, high)


# --- data files --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NORM_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_norm_file_cites_its_source(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    citation = data["source"]["citation"]
    assert len(citation) > 80
    assert any(str(year) in citation for year in range(1940, 2030))
    assert data["source"]["protocol"]


def test_every_norm_file_is_registered_in_every_version():
    assert sorted(p.name for p in NORMS.iterdir() if p.is_dir()) == sorted(rules.CATEGORY_WEIGHTS)
    for version in rules.CATEGORY_WEIGHTS:
        assert sorted(norms.FILES.values()) == sorted(p.name for p in (NORMS / version).glob("*.json")), version
        assert len(norms.sources(version)) == len(norms.FILES)


def test_every_current_table_says_how_it_was_verified():
    for name in norms.FILES:
        assert len(norms.load(name)["verification"]) > 200, name


@pytest.mark.parametrize("name", ["push_ups", "sit_and_reach", "ymca_step"])
@pytest.mark.parametrize("sex", ["female", "male"])
def test_tables_are_ordered_and_cover_ages_without_gaps(name, sex):
    rows = table(name)["tables"][sex]["rows"]
    for before, after in zip(rows, rows[1:], strict=False):
        assert after["age"][0] == before["age"][1] + 1
    for row in rows:
        assert row["thresholds"] == sorted(row["thresholds"])
        assert len(row["thresholds"]) == len(table(name)["bands"]) - 1


def test_every_result_carries_the_version():
    assert SCORING_VERSION == "2026.4"
    assert SCORING_VERSION in rules.CATEGORY_WEIGHTS
    result = score_assessment({"push_ups": {"raw": {"reps": 20}}}, age=30, sex="male")
    assert result.version == SCORING_VERSION


# --- rules -------------------------------------------------------------------------------------------------------


def test_band_points():
    assert [rules.band_points(rank, 5) for rank in range(1, 6)] == [20, 40, 60, 80, 100]
    assert [rules.band_points(rank, 7) for rank in range(1, 8)] == [14, 29, 43, 57, 71, 86, 100]
    assert [rules.band_points(rank, 3) for rank in range(1, 4)] == [33, 67, 100]


def test_rounding_is_half_up():
    assert rules.round_half_up(62.5) == 63
    assert rules.round_half_up(0.5) == 1
    assert rules.round_half_up(12.25, 1) == 12.3


# --- push-ups ------------------------------------------------------------------------------------------------------

PUSH_UP_CASES = [
    (sex, row, index) for sex in ("female", "male") for _s, row in age_rows("push_ups", sex) for index in range(4)
]


@pytest.mark.parametrize(("sex", "row", "index"), PUSH_UP_CASES)
def test_push_up_band_boundaries(sex, row, index):
    variant = table("push_ups")["tables"][sex]["variant"]
    age = representative_age(row)
    threshold = row["thresholds"][index]
    bands = table("push_ups")["bands"]
    at = score_test("push_ups", {"reps": threshold}, protocol={"variant": variant}, age=age, sex=sex)
    below = score_test("push_ups", {"reps": threshold - 1}, protocol={"variant": variant}, age=age, sex=sex)
    assert (at.band, at.points) == (bands[index + 1], 20 * (index + 2))
    assert (below.band, below.points) == (bands[index], 20 * (index + 1))
    assert at.flags == below.flags == ()


def test_push_ups_examples_by_age_and_sex():
    # CPAFLA: a man of 25 with 36 push-ups is excellent, 35 very good; a woman of 45 with 24 knee push-ups excellent.
    assert score_test("push_ups", {"reps": 36}, age=25, sex="male").band == "excellent"
    assert score_test("push_ups", {"reps": 35}, age=25, sex="male").band == "very_good"
    assert score_test("push_ups", {"reps": 24}, protocol={"variant": "knee"}, age=45, sex="female").points == 100
    # Same count, older man: a better band.
    assert score_test("push_ups", {"reps": 21}, age=25, sex="male").band == "fair"
    assert score_test("push_ups", {"reps": 21}, age=55, sex="male").band == "excellent"
    assert score_test("push_ups", {"reps": 0}, age=25, sex="male").points == 20


def test_push_ups_age_edges_and_outside_the_table():
    assert score_test("push_ups", {"reps": 36}, age=29, sex="male").band == "excellent"
    assert score_test("push_ups", {"reps": 30}, age=30, sex="male").band == "excellent"
    old = score_test("push_ups", {"reps": 18}, age=75, sex="male")
    assert (old.band, old.flags) == ("excellent", ("age_outside_norms",))
    young = score_test("push_ups", {"reps": 39}, age=12, sex="male")
    assert (young.band, young.flags) == ("excellent", ("age_outside_norms",))


def test_push_up_variants_off_the_published_protocol():
    woman = score_test("push_ups", {"reps": 30}, protocol={"variant": "standard"}, age=25, sex="female")
    assert (woman.points, woman.flags) == (100, ("scored_against_knee_norms",))
    man = score_test("push_ups", {"reps": 30}, protocol={"variant": "knee"}, age=25, sex="male")
    assert (man.points, man.flags) == (None, ("no_norm_for_variant",))
    unknown = score_test("push_ups", {"reps": 30}, age=25, sex="not_stated")
    assert (unknown.points, unknown.flags) == (None, ("no_norm_for_sex",))


# --- sit-and-reach -------------------------------------------------------------------------------------------------

REACH_CASES = [
    (sex, row, index) for sex in ("female", "male") for _s, row in age_rows("sit_and_reach", sex) for index in range(4)
]


@pytest.mark.parametrize(("sex", "row", "index"), REACH_CASES)
def test_sit_and_reach_band_boundaries_on_a_cpafla_box(sex, row, index):
    age = representative_age(row)
    threshold = row["thresholds"][index]
    bands = table("sit_and_reach")["bands"]
    at = score_test("sit_and_reach", {"reach_cm": threshold}, protocol={"box_zero_offset_cm": 26}, age=age, sex=sex)
    below = score_test("sit_and_reach", {"reach_cm": threshold - 0.5}, age=age, sex=sex)
    assert at.band == bands[index + 1]
    assert below.band == bands[index]


def test_sit_and_reach_converts_the_box_zero_offset():
    # A box reading 23 cm at the soles (YMCA-style 15 in = 38 cm boxes read differently again): 37 on it is
    # 14 cm past the feet, i.e. 40 on the CPAFLA scale -> excellent for a man of 25.
    result = score_test("sit_and_reach", {"reach_cm": 37}, protocol={"box_zero_offset_cm": 23}, age=25, sex="male")
    assert result.details == {"reach_from_feet_cm": 14.0, "cpafla_cm": 40.0}
    assert (result.band, result.points) == ("excellent", 100)
    assert result.protocol == {"box_zero_offset_cm": 23.0}
    # A toe touch measured from the toes (zero at the feet): -5 cm short of the toes is 21 on the CPAFLA scale.
    toe = score_test("sit_and_reach", {"reach_cm": -5}, protocol={"box_zero_offset_cm": 0}, age=25, sex="female")
    assert toe.details["cpafla_cm"] == 21.0
    assert toe.band == "needs_improvement"
    # No offset given: the CPAFLA box (26 cm at the soles) is assumed and recorded.
    assert score_test("sit_and_reach", {"reach_cm": 30}, age=25, sex="male").protocol == {"box_zero_offset_cm": 26.0}


def test_sit_and_reach_refuses_a_reach_impossible_for_the_box():
    with pytest.raises(ScoringInputError) as error:
        score_test("sit_and_reach", {"reach_cm": 150}, protocol={"box_zero_offset_cm": 26}, age=25, sex="male")
    assert error.value.field == "sit_and_reach.reach_cm"


# --- YMCA step test -----------------------------------------------------------------------------------------------

YMCA_CASES = [
    (sex, row, index) for sex in ("female", "male") for _s, row in age_rows("ymca_step", sex) for index in range(6)
]


@pytest.mark.parametrize(("sex", "row", "index"), YMCA_CASES)
def test_ymca_band_boundaries(sex, row, index):
    age = representative_age(row)
    threshold = row["thresholds"][index]
    bands = table("ymca_step")["bands"]  # worst first
    at = score_test("step_test", {"recovery_hr_bpm": threshold}, age=age, sex=sex)
    above = score_test("step_test", {"recovery_hr_bpm": threshold + 1}, age=age, sex=sex)
    assert at.band == bands[6 - index]
    assert above.band == bands[5 - index]
    assert at.points == rules.band_points(7 - index, 7)


def test_cardio_reaches_the_top_of_its_scale_with_realistic_heart_rates():
    """A very fit man of 25 recovers to about 70 bpm one minute after the YMCA test: full marks."""
    for hr in (60, 70, 76):
        result = score_test("step_test", {"recovery_hr_bpm": hr}, protocol={"protocol": "ymca"}, age=25, sex="male")
        assert (result.band, result.points) == ("excellent", 100)
    woman = score_test("step_test", {"recovery_hr_bpm": 78}, age=30, sex="female")
    assert woman.points == 100
    assessment = score_assessment({"step_test": {"raw": {"recovery_hr_bpm": 70}}}, age=25, sex="male")
    assert assessment.categories[Category.CARDIO].score == 100
    assert assessment.overall == 100
    # Harvard: 5 minutes and recovery counts of 45, 40 and 35 beats per 30 s (90, 80, 70 bpm): index 125.
    harvard = score_test(
        "step_test",
        {"duration_s": 300, "pulse_1": 45, "pulse_2": 40, "pulse_3": 35},
        protocol={"protocol": "harvard"},
        age=25,
        sex="male",
    )
    assert (harvard.details["fitness_index"], harvard.points) == (125.0, 100)


def test_ymca_examples_and_gaps_between_published_ranges():
    assert score_test("step_test", {"recovery_hr_bpm": 77}, age=25, sex="male").band == "good"  # gap 77-78
    assert score_test("step_test", {"recovery_hr_bpm": 120}, age=25, sex="male").band == "very_poor"
    assert score_test("step_test", {"recovery_hr_bpm": 120}, age=25, sex="male").points == 14
    # Same heart rate, a woman of the same age does better (her norms are higher).
    assert score_test("step_test", {"recovery_hr_bpm": 100}, age=25, sex="female").band == "above_average"
    assert score_test("step_test", {"recovery_hr_bpm": 100}, age=25, sex="male").band == "average"


def test_ymca_stopped_early_and_off_protocol_step():
    early = score_test("step_test", {"recovery_hr_bpm": 80, "duration_s": 120}, age=25, sex="male")
    assert (early.band, early.points, early.flags) == ("very_poor", 14, ("stopped_early",))
    high = score_test(
        "step_test", {"recovery_hr_bpm": 80}, protocol={"protocol": "ymca", "step_height_cm": 40}, age=25, sex="male"
    )
    assert high.flags == ("off_protocol_step_height",)
    assert high.protocol == {"protocol": "ymca", "step_height_cm": 40.0}
    assert score_test("step_test", {"recovery_hr_bpm": 80}, age=25, sex="male").protocol["step_height_cm"] == 30.5
    unknown = score_test("step_test", {"recovery_hr_bpm": 80}, age=25, sex=None)
    assert (unknown.points, unknown.flags) == (None, ("no_norm_for_sex",))


# --- Harvard step test -----------------------------------------------------------------------------------------


def harvard(duration, *pulses, form="long", sex="male", version=SCORING_VERSION, height=None):
    raw = {"duration_s": duration, **{f"pulse_{n}": p for n, p in enumerate(pulses, start=1)}}
    protocol = {"protocol": "harvard", "form": form, **({"step_height_cm": height} if height else {})}
    return score_test("step_test", raw, protocol=protocol, age=40, sex=sex, version=version)


def test_harvard_long_form_index_uses_the_real_duration():
    # 300 s, counts 80 + 70 + 60 = 210: 30000 / 420 = 71.4 -> high average.
    result = harvard(300, 80, 70, 60)
    assert result.details == {"fitness_index": 71.4}
    assert (result.band, result.points) == ("high_average", 60)
    # Stopped at 4 minutes with the same counts: 24000 / 420 = 57.1 -> low average, flagged.
    early = harvard(240, 80, 70, 60)
    assert (early.details["fitness_index"], early.band) == (57.1, "low_average")
    assert early.flags == ("stopped_before_5_minutes",)


@pytest.mark.parametrize(
    ("pulses_sum", "band", "points"),
    [
        # Men. FI = 30000 / (2 x sum): 166 -> 90.4, 167 -> 89.8 ...
        (166, "excellent", 100),
        (167, "good", 80),
        (187, "good", 80),  # 80.2
        (188, "high_average", 60),  # 79.8
        (230, "high_average", 60),  # 65.2
        (231, "low_average", 40),  # 64.9
        (272, "low_average", 40),  # 55.1
        (273, "poor", 20),  # 54.9
    ],
)
def test_harvard_long_form_band_boundaries(pulses_sum, band, points):
    first = pulses_sum // 3
    result = harvard(300, first, first, pulses_sum - 2 * first)
    assert (result.band, result.points) == (band, points)


def test_harvard_long_form_exact_thresholds():
    # 100 x 270 / (2 x 150) = 90.0 exactly: good (80.0-90.0 in every reproduction); excellent is above 90.
    assert harvard(270, 50, 50, 50).band == "good"
    assert harvard(271, 50, 50, 50).band == "excellent"  # 90.3
    # 100 x 240 / (2 x 150) = 80.0: good starts at 80.
    assert harvard(240, 50, 50, 50).band == "good"
    # Until 2026.3, 90.0 was excellent (our own reading of "Excellent >90, Good 80-89").
    assert harvard(270, 50, 50, 50, version="2026.3").band == "excellent"


@pytest.mark.parametrize(
    ("duration", "band", "points"),
    [
        # Women, counts 50 + 50 + 50 (FI = duration / 3): limits 50, 61, 76 and above 86.
        (258, "good", 80),  # 86.0
        (259, "excellent", 100),  # 86.3
        (228, "good", 80),  # 76.0
        (227, "high_average", 60),  # 75.7
        (183, "high_average", 60),  # 61.0
        (182, "low_average", 40),  # 60.7
        (150, "low_average", 40),  # 50.0
        (149, "poor", 20),  # 49.7
    ],
)
def test_harvard_womens_limits(duration, band, points):
    result = harvard(duration, 50, 50, 50, sex="female")
    assert (result.band, result.points) == (band, points)
    # The same index for a man is rated on the men's limits.
    assert harvard(258, 50, 50, 50, sex="male").band == "good"
    assert harvard(228, 50, 50, 50, sex="male").band == "high_average"


def test_harvard_step_height_by_sex():
    woman, man = harvard(300, 50, 50, 50, sex="female"), harvard(300, 50, 50, 50, sex="male")
    assert (woman.protocol["step_height_cm"], man.protocol["step_height_cm"]) == (40.6, 50.8)
    assert woman.flags == man.flags == ()
    # A woman on the men's 50.8 cm bench is off her protocol (flagged, still rated on the women's limits).
    assert harvard(300, 50, 50, 50, sex="female", height=50.8).flags == ("off_protocol_step_height",)
    assert harvard(300, 50, 50, 50, sex="female", height=41).flags == ()
    # Until 2026.3 everyone was rated as a man, on the 50.8 cm bench.
    old = harvard(300, 50, 50, 50, sex="female", version="2026.3", height=40.6)
    assert (old.flags, old.protocol["step_height_cm"]) == (("off_protocol_step_height",), 40.6)


def test_harvard_without_the_sex_is_recorded_not_rated():
    result = harvard(300, 50, 50, 50, sex="", height=45)
    assert (result.points, result.band, result.flags) == (None, None, ("no_norm_for_sex",))
    assert result.details == {"fitness_index": 100.0}
    assert result.protocol["step_height_cm"] == 45
    assert harvard(300, 50, 50, 50, sex="", version="2026.3").points == 100  # 2026.3: the men's limits for all


def test_harvard_short_form_of_a_woman_has_no_published_scale():
    result = harvard(300, 68, form="short", sex="female")
    assert (result.points, result.band, result.flags) == (None, None, ("no_norm_for_form",))
    assert result.details["fitness_index"] == 80.2


def test_harvard_short_form():
    # FI = 100 x 300 / (5.5 x 68) = 80.2 -> good; 5.5 x 69 -> 79.1 average; 5.5 x 109 -> 50.0 average; 110 -> poor.
    assert harvard(300, 68, form="short").details["fitness_index"] == 80.2
    assert (harvard(300, 68, form="short").band, harvard(300, 68, form="short").points) == ("good", 100)
    assert harvard(300, 69, form="short").band == "average"
    assert harvard(300, 109, form="short").band == "average"
    assert (harvard(300, 110, form="short").band, harvard(300, 110, form="short").points) == ("poor", 33)
    with pytest.raises(ScoringInputError) as error:
        score_test(
            "step_test",
            {"duration_s": 300, "pulse_1": 60, "pulse_2": 50},
            protocol={"protocol": "harvard", "form": "short"},
            age=40,
            sex="male",
        )
    assert error.value.field == "step_test.pulse_2"


# --- balance ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sex", ["female", "male"])
@pytest.mark.parametrize("condition", ["eyes_open", "eyes_closed"])
def test_balance_reaching_the_mean_of_ones_age_and_sex_is_full_marks(sex, condition):
    test_type = f"balance_{condition}"
    for row in table("single_leg_stance")["tables"][sex]["rows"]:
        mean = row[condition]
        age = representative_age(row)
        at = score_test(test_type, {"left_s": mean, "right_s": mean}, age=age, sex=sex)
        assert (at.points, at.band) == (100, "at_or_above_norm")
        half = score_test(test_type, {"left_s": mean / 2, "right_s": mean / 2}, age=age, sex=sex)
        assert (half.points, half.band) == (50, "below_norm")


def test_balance_sides_ages_and_asymmetry():
    # Woman of 65, eyes open best-of-3 mean 32.1 s: left 32.1 -> 100, right 10 -> 31; mean 65.5 -> 66,
    # asymmetric (10 < 16.05).
    result = score_test("balance_eyes_open", {"left_s": 32.1, "right_s": 10}, age=65, sex="female")
    assert result.details == {"reference_s": 32.1, "left_points": 100, "right_points": 31}
    assert (result.points, result.flags) == (66, ("asymmetry",))
    # The same times at 30 are far below the mean of 44.7 s: 72 and 22, mean 47.
    assert score_test("balance_eyes_open", {"left_s": 32.1, "right_s": 10}, age=30, sex="female").points == 47
    # Eyes closed, man of 45 (mean 12.0 s): 0 s and 0 s is 0, no asymmetry to flag.
    zero = score_test("balance_eyes_closed", {"left_s": 0, "right_s": 0}, age=45, sex="male")
    assert (zero.points, zero.flags) == (0, ())
    # Sex not stated: the mean of both rows (Springer et al. found no difference between the sexes).
    neutral = score_test("balance_eyes_closed", {"left_s": 15, "right_s": 15}, age=30, sex="not_stated")
    assert neutral.details["reference_s"] == pytest.approx(15.0)  # (13.1 + 16.9) / 2
    assert neutral.points == 100
    # Over the protocol's 45 s: counted as 45 and flagged; a child uses the youngest row, flagged.
    long = score_test("balance_eyes_open", {"left_s": 60, "right_s": 45}, age=16, sex="male")
    assert set(long.flags) == {"capped_at_protocol_maximum", "age_outside_norms"}
    assert long.points == 100


# Springer et al. 2007, best of 3 trials (our protocol records the best of three). Eyes open: the paper's total row
# (both sexes); eyes closed: per sex. Until 2026.2 the table held the mean-of-3-trials times (e.g. 8.5 / 10.2 s eyes
# closed at 18-39), which made an ordinary best-of-3 time look better than it is.
SPRINGER_BEST_OF_3 = {
    # age row: (eyes open, eyes closed women, eyes closed men)
    (18, 39): (44.7, 13.1, 16.9),
    (40, 49): (41.9, 13.5, 12.0),
    (50, 59): (41.2, 7.9, 8.6),
    (60, 69): (32.1, 3.6, 5.1),
    (70, 79): (21.5, 3.7, 2.6),
    (80, 120): (9.4, 2.1, 1.8),
}


def test_single_leg_stance_table_holds_the_best_of_3_times():
    data = table("single_leg_stance")
    assert data["statistic"] == "best_of_3"
    for sex, closed in (("female", 1), ("male", 2)):
        rows = {tuple(row["age"]): (row["eyes_open"], row["eyes_closed"]) for row in data["tables"][sex]["rows"]}
        assert rows == {age: (values[0], values[closed]) for age, values in SPRINGER_BEST_OF_3.items()}


def test_eyes_closed_at_18_to_39_is_scored_against_the_best_of_3_times():
    # A woman of 25 with 13.1 s on both legs reaches the reference; the old mean-of-3 reference (8.5 s) gave
    # full marks already at 8.5 s, which is now 65.
    assert score_test("balance_eyes_closed", {"left_s": 13.1, "right_s": 13.1}, age=25, sex="female").points == 100
    woman = score_test("balance_eyes_closed", {"left_s": 8.5, "right_s": 8.5}, age=25, sex="female")
    assert (woman.details["reference_s"], woman.points) == (13.1, 65)
    # A man of 25: reference 16.9 s; 10.2 s (the old reference) is 60.
    man = score_test("balance_eyes_closed", {"left_s": 10.2, "right_s": 10.2}, age=25, sex="male")
    assert (man.details["reference_s"], man.points) == (16.9, 60)
    assert score_test("balance_eyes_closed", {"left_s": 16.9, "right_s": 16.9}, age=25, sex="male").points == 100


# --- movement screen -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "grade", "points"),
    [
        ({"compensations": []}, 3, 100),
        ({}, 3, 100),
        ({"compensations": ["knees_valgus"], "heel_lift_compensations": []}, 2, 67),
        ({"compensations": ["heels_rise", "torso_forward_lean"], "heel_lift_compensations": ["knees_valgus"]}, 1, 33),
        ({"compensations": ["dowel_forward"]}, 1, 33),  # not retested with the heels raised
        ({"compensations": [], "pain": True}, 0, 0),
        ({"compensations": ["knees_valgus"], "heel_lift_compensations": [], "pain": True}, 0, 0),
    ],
)
def test_deep_squat_grades(raw, grade, points):
    result = score_test("deep_squat", raw, age=40, sex="female")
    assert (result.details["grade"], result.band, result.points) == (grade, str(grade), points)
    assert ("pain" in result.flags) is bool(raw.get("pain"))


def test_deep_squat_refuses_unknown_compensations():
    with pytest.raises(ScoringInputError) as error:
        score_test("deep_squat", {"compensations": ["wobbly"]}, age=40, sex="female")
    assert error.value.field == "deep_squat.compensations"


def shoulder(left, right, hand=20, **pain):
    raw = {"left_cm": left, "right_cm": right, "hand_length_cm": hand, **pain}
    return score_test("shoulder_mobility", raw, age=40, sex="male")


@pytest.mark.parametrize(
    ("left", "right", "grades", "grade"),
    [
        (20, 20, (3, 3), 3),  # exactly one hand length
        (20.5, 20, (2, 3), 2),
        (30, 30, (2, 2), 2),  # exactly one and a half
        (30.5, 10, (1, 3), 1),
        (45, 45, (1, 1), 1),
    ],
)
def test_shoulder_mobility_lower_side_counts(left, right, grades, grade):
    result = shoulder(left, right)
    assert (result.details["left_grade"], result.details["right_grade"]) == grades
    assert result.points == rules.grade_points(grade)
    assert ("asymmetry" in result.flags) is (grades[0] != grades[1])


def test_shoulder_mobility_painful_clearing_test_gives_zero():
    result = shoulder(5, 5, right_clearing_pain=True)
    assert (result.details["left_grade"], result.details["right_grade"], result.points) == (3, 0, 0)
    assert set(result.flags) == {"pain", "asymmetry"}


# --- farmer's carry --------------------------------------------------------------------------------------------


def carry(load, body=80, distance=40, time=30, sex="male"):
    raw = {"load_kg": load, "body_weight_kg": body, "distance_m": distance, "time_s": time}
    return score_test("farmers_carry", raw, age=35, sex=sex)


@pytest.mark.parametrize(
    ("load", "sex", "band", "points"),
    [
        (80, "male", "level_5", 100),  # 100 % of 80 kg
        (79.9, "male", "level_4", 80),
        (60, "male", "level_4", 80),  # 75 %
        (40, "male", "level_3", 60),  # 50 %
        (20, "male", "level_2", 40),  # 25 %
        (19.9, "male", "level_1", 20),
        (60, "female", "level_5", 100),  # 75 % is the women's top level
        (45, "female", "level_4", 80),  # 56.25 %
        (30, "female", "level_3", 60),  # 37.5 %
        (15, "female", "level_2", 40),  # 18.75 %
        (14.9, "female", "level_1", 20),
    ],
)
def test_farmers_carry_levels(load, sex, band, points):
    result = carry(load, sex=sex)
    assert (result.band, result.points) == (band, points)


def test_farmers_carry_partial_course_and_details():
    result = carry(80, distance=20, time=20)
    assert result.points == 50
    assert result.details == {
        "load_pct_body_weight": 100.0,
        "speed_m_s": 1.0,
        "level_points": 100,
        "course_done_pct": 50.0,
    }
    assert carry(80, distance=80, time=60).points == 100  # past the course: no bonus
    assert carry(60, sex="not_stated").flags == ("sex_not_stated_women_thresholds",)


# --- bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("test_type", "raw", "protocol", "field"),
    [
        ("push_ups", {"reps": -1}, None, "push_ups.reps"),
        ("push_ups", {"reps": 2.5}, None, "push_ups.reps"),
        ("push_ups", {"reps": "many"}, None, "push_ups.reps"),
        ("push_ups", {"reps": True}, None, "push_ups.reps"),
        ("push_ups", {"reps": "nan"}, None, "push_ups.reps"),
        ("push_ups", {"reps": 201}, None, "push_ups.reps"),
        ("push_ups", {}, None, "push_ups.reps"),
        ("push_ups", {"reps": 10, "sets": 2}, None, "push_ups.sets"),
        ("push_ups", {"reps": 10}, {"variant": "one_arm"}, "push_ups.variant"),
        ("step_test", {"recovery_hr_bpm": 400}, None, "step_test.recovery_hr_bpm"),
        ("step_test", {"recovery_hr_bpm": 29}, None, "step_test.recovery_hr_bpm"),
        ("step_test", {"recovery_hr_bpm": 251}, None, "step_test.recovery_hr_bpm"),
        ("step_test", {"recovery_hr_bpm": 90, "duration_s": 0}, None, "step_test.duration_s"),
        ("step_test", {"recovery_hr_bpm": 90}, {"protocol": "queens"}, "step_test.protocol"),
        ("step_test", {"recovery_hr_bpm": 90}, {"step_height_cm": 200}, "step_test.step_height_cm"),
        (
            "step_test",
            {"duration_s": 0, "pulse_1": 50, "pulse_2": 45, "pulse_3": 40},
            {"protocol": "harvard"},
            "step_test.duration_s",
        ),
        (
            "step_test",
            {"duration_s": 301, "pulse_1": 50, "pulse_2": 45, "pulse_3": 40},
            {"protocol": "harvard"},
            "step_test.duration_s",
        ),
        (
            "step_test",
            {"duration_s": 300, "pulse_1": 200, "pulse_2": 45, "pulse_3": 40},
            {"protocol": "harvard"},
            "step_test.pulse_1",
        ),
        ("balance_eyes_open", {"left_s": -1, "right_s": 3}, None, "balance_eyes_open.left_s"),
        ("balance_eyes_closed", {"left_s": 3}, None, "balance_eyes_closed.right_s"),
        ("sit_and_reach", {"reach_cm": 30}, {"box_zero_offset_cm": -3}, "sit_and_reach.box_zero_offset_cm"),
        (
            "shoulder_mobility",
            {"left_cm": 10, "right_cm": 10, "hand_length_cm": 0},
            None,
            "shoulder_mobility.hand_length_cm",
        ),
        (
            "shoulder_mobility",
            {"left_cm": 10, "right_cm": -2, "hand_length_cm": 18},
            None,
            "shoulder_mobility.right_cm",
        ),
        ("deep_squat", {"pain": "maybe"}, None, "deep_squat.pain"),
        (
            "farmers_carry",
            {"load_kg": 250, "body_weight_kg": 80, "distance_m": 40, "time_s": 30},
            None,
            "farmers_carry.load_kg",
        ),
        (
            "farmers_carry",
            {"load_kg": 0, "body_weight_kg": 80, "distance_m": 40, "time_s": 30},
            None,
            "farmers_carry.load_kg",
        ),
        (
            "farmers_carry",
            {"load_kg": 40, "body_weight_kg": 5, "distance_m": 40, "time_s": 30},
            None,
            "farmers_carry.body_weight_kg",
        ),
        (
            "farmers_carry",
            {"load_kg": 40, "body_weight_kg": 80, "distance_m": 0, "time_s": 30},
            None,
            "farmers_carry.distance_m",
        ),
        (
            "farmers_carry",
            {"load_kg": 40, "body_weight_kg": 80, "distance_m": 40, "time_s": 0},
            None,
            "farmers_carry.time_s",
        ),
        (
            "farmers_carry",
            {"load_kg": 40, "body_weight_kg": 80, "distance_m": 100, "time_s": 5},
            None,
            "farmers_carry.time_s",
        ),
    ],
)
def test_impossible_values_name_their_field(test_type, raw, protocol, field):
    with pytest.raises(ScoringInputError) as error:
        score_test(test_type, raw, protocol=protocol, age=30, sex="male")
    assert error.value.field == field
    assert error.value.message


def test_load_of_exactly_three_times_body_weight_is_accepted():
    assert carry(240).points == 100
    with pytest.raises(ScoringInputError, match="300"):
        carry(240.1)


def test_numbers_may_come_as_strings_from_a_form():
    assert score_test("push_ups", {"reps": " 30 "}, age=25, sex="male").raw == {"reps": 30}
    assert score_test("sit_and_reach", {"reach_cm": "30,5"}, age=25, sex="male").raw == {"reach_cm": 30.5}


@pytest.mark.parametrize(("age", "field"), [(None, "age"), (3, "age"), (111, "age"), ("30", "age")])
def test_age_is_needed_and_plausible(age, field):
    with pytest.raises(ScoringInputError) as error:
        score_test("push_ups", {"reps": 10}, age=age, sex="male")
    assert error.value.field == field


def test_unknown_test_type():
    with pytest.raises(ScoringInputError) as error:
        score_assessment({"burpees": {"raw": {"reps": 10}}}, age=30, sex="male")
    assert error.value.field == "test_type"


# --- categories, overall, partial assessments -------------------------------------------------------------------

FULL = {
    "deep_squat": {"raw": {"compensations": ["knees_valgus"], "heel_lift_compensations": []}},  # 67
    "shoulder_mobility": {"raw": {"left_cm": 15, "right_cm": 25, "hand_length_cm": 18}},  # min(3, 2) -> 67
    "sit_and_reach": {"raw": {"reach_cm": 31}, "protocol": {"box_zero_offset_cm": 23}},  # 34 -> very good, 80
    "push_ups": {"raw": {"reps": 25}, "protocol": {"variant": "standard"}},  # good, 60
    "farmers_carry": {"raw": {"load_kg": 60, "body_weight_kg": 80, "distance_m": 40, "time_s": 35}},  # 80
    "balance_eyes_open": {"raw": {"left_s": 44.7, "right_s": 44.7}},  # 100
    "balance_eyes_closed": {"raw": {"left_s": 8.45, "right_s": 16.9}},  # 50 and 100 -> 75
    "step_test": {"raw": {"recovery_hr_bpm": 90}, "protocol": {"protocol": "ymca", "step_height_cm": 30.5}},  # 71
}


def test_a_full_assessment():
    result = score_assessment(FULL, age=28, sex="male")
    points = {t: s.points for t, s in result.tests.items()}
    assert points == {
        "deep_squat": 67,
        "shoulder_mobility": 67,
        "sit_and_reach": 80,
        "push_ups": 60,
        "farmers_carry": 80,
        "balance_eyes_open": 100,
        "balance_eyes_closed": 75,
        "step_test": 71,
    }
    scores = {c: s.score for c, s in result.categories.items()}
    # strength (60 + 80) / 2 = 70; mobility (67 + 67 + 80) / 3 = 71.3; balance 87.5 -> 88; cardio 71.
    assert scores == {"strength": 70, "mobility": 71, "balance": 88, "cardio": 71}
    assert result.overall == 75  # (70 + 71 + 88 + 71) / 4 = 75
    assert result.missing == () and result.missing_categories == ()
    assert result.coverage_pct == 100


def test_a_partial_assessment_is_scored_on_what_was_measured_and_lists_what_is_missing():
    partial = {key: FULL[key] for key in ("push_ups", "deep_squat", "step_test")}
    result = score_assessment(partial, age=28, sex="male")
    strength = result.categories[Category.STRENGTH]
    assert (strength.score, strength.scored, strength.missing) == (60, ("push_ups",), ("farmers_carry",))
    mobility = result.categories[Category.MOBILITY]
    assert (mobility.score, mobility.missing) == (67, ("shoulder_mobility", "sit_and_reach"))
    balance = result.categories[Category.BALANCE]
    assert (balance.score, balance.missing) == (None, ("balance_eyes_open", "balance_eyes_closed"))
    assert result.overall == 66  # (60 + 67 + 71) / 3 = 66
    assert result.missing == (
        "shoulder_mobility",
        "sit_and_reach",
        "farmers_carry",
        "balance_eyes_open",
        "balance_eyes_closed",
    )
    assert result.missing_categories == ("balance",)
    assert result.coverage_pct == 46  # (1/2 + 1/3 + 0 + 1) / 4


def test_a_measured_test_without_a_norm_is_listed_as_unscored_not_missing():
    result = score_assessment({"push_ups": FULL["push_ups"], "farmers_carry": FULL["farmers_carry"]}, age=28, sex=None)
    strength = result.categories[Category.STRENGTH]
    # Sex not stated: the carry uses the women's thresholds (60 kg = 75 % of 80 kg is their top level).
    assert (strength.score, strength.scored, strength.unscored, strength.missing) == (
        100,
        ("farmers_carry",),
        ("push_ups",),
        (),
    )
    assert "push_ups" not in result.missing


def test_an_empty_assessment_has_no_overall():
    result = score_assessment({}, age=28, sex="male")
    assert result.overall is None
    assert result.missing == TestType.ALL
    assert result.missing_categories == Category.ALL
    assert result.coverage_pct == 0


def test_overrides_replace_the_points_in_categories_and_overall():
    result = score_assessment(FULL, age=28, sex="male", overrides={"step_test": 100})
    assert result.tests["step_test"].points == 71  # computed score kept
    assert result.categories[Category.CARDIO].score == 100
    assert result.overall == 82  # (70 + 71 + 88 + 100) / 4 = 82.25
    assert result.overridden == ("step_test",)
    with pytest.raises(ScoringInputError):
        score_assessment(FULL, age=28, sex="male", overrides={"step_test": 101})
    with pytest.raises(ScoringInputError):
        score_assessment({"push_ups": FULL["push_ups"]}, age=28, sex="male", overrides={"step_test": 50})


def test_combine_is_versioned():
    categories, overall, *_ = combine({"push_ups": 40, "step_test": 100}, version="2026.1")
    assert (categories["strength"].score, categories["cardio"].score, overall) == (40, 100, 70)
    with pytest.raises(ScoringInputError) as error:
        combine({"push_ups": 40}, version="1999.1")
    assert error.value.field == "scoring_version"


# --- versions ----------------------------------------------------------------------------------------------------


def test_score_assessment_uses_the_tables_of_the_version_it_is_given():
    # YMCA, a woman of 60 with 117 bpm: below average with 2026.1's limit (116), average from 2026.2 on (118).
    ymca = {"step_test": {"raw": {"recovery_hr_bpm": 117}}}
    old = score_assessment(ymca, age=60, sex="female", version="2026.1")
    new = score_assessment(ymca, age=60, sex="female")
    assert (old.version, old.tests["step_test"].band) == ("2026.1", "below_average")
    assert (new.version, new.tests["step_test"].band) == (SCORING_VERSION, "average")
    # Single-leg stance eyes closed, a man of 25 with 10.2 s: the mean-of-3 reference (10.2 s) until 2026.2,
    # the best-of-3 reference (16.9 s) from 2026.3 on.
    balance = {"balance_eyes_closed": {"raw": {"left_s": 10.2, "right_s": 10.2}}}
    assert score_assessment(balance, age=25, sex="male", version="2026.2").tests["balance_eyes_closed"].points == 100
    assert score_assessment(balance, age=25, sex="male", version="2026.3").tests["balance_eyes_closed"].points == 60
    assert score_test("step_test", {"recovery_hr_bpm": 117}, age=60, sex="female", version="2026.1").points == 43


def test_released_tables_keep_their_values():
    assert norms.load("ymca_step", "2026.1")["tables"]["female"]["rows"][4]["thresholds"][3] == 116
    assert norms.load("ymca_step", "2026.2")["tables"]["female"]["rows"][4]["thresholds"][3] == 118
    assert norms.load("single_leg_stance", "2026.2")["tables"]["male"]["rows"][0]["eyes_closed"] == 10.2
    assert norms.load("single_leg_stance", "2026.3")["tables"]["male"]["rows"][0]["eyes_closed"] == 16.9
    assert norms.load("harvard_step", "2026.3")["forms"]["long"]["thresholds"] == [55, 65, 80, 90]
    assert norms.load("harvard_step", "2026.4")["tables"]["female"]["forms"]["long"]["thresholds"] == [50, 61, 76, 86.1]


@pytest.mark.parametrize("version", ["1999.1", "", None, 2026.4, ["2026.4"]])
def test_an_unknown_version_is_refused(version):
    with pytest.raises(ScoringInputError) as error:
        score_assessment({"push_ups": {"raw": {"reps": 20}}}, age=30, sex="male", version=version)
    assert error.value.field == "scoring_version"
    with pytest.raises(ScoringInputError):
        score_test("push_ups", {"reps": 20}, age=30, sex="male", version=version)


# --- input of the wrong shape -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "results",
    [
        [],
        ["push_ups"],
        "push_ups",
        3,
        3.5,
        True,
        {"push_ups": []},
        {"push_ups": "20"},
        {"push_ups": 20},
        {"push_ups": {"raw": [20]}},
        {"push_ups": {"raw": "20"}},
        {"push_ups": {"raw": {"reps": [20]}}},
        {"push_ups": {"raw": {"reps": {"n": 20}}}},
        {"push_ups": {"raw": {"reps": 20}, "protocol": ["knee"]}},
        {"push_ups": {"raw": {"reps": 20}, "protocol": {"variant": ["knee"]}}},
        {"deep_squat": {"raw": {"compensations": "heels_rise"}}},
        {"deep_squat": {"raw": {"compensations": [["heels_rise"]], "pain": {"yes": 1}}}},
        {"step_test": {"raw": {"recovery_hr_bpm": 80}, "protocol": {"protocol": {"ymca": 1}}}},
        {1: {"raw": {}}},
        {("push_ups",): {}},
        {"push_ups": {"raw": {1: 2, "b": 3}}},
    ],
)
def test_input_of_the_wrong_shape_is_a_scoring_error(results):
    with pytest.raises(ScoringInputError):
        score_assessment(results, age=30, sex="male")


def test_overrides_of_the_wrong_shape_are_a_scoring_error():
    for overrides in (["push_ups"], "push_ups", 5, {"push_ups": "a lot"}, {"push_ups": [50]}, {7: 50}):
        with pytest.raises(ScoringInputError):
            score_assessment({"push_ups": {"raw": {"reps": 20}}}, age=30, sex="male", overrides=overrides)


def test_tiny_decimals_that_round_to_zero_are_refused_where_zero_is():
    carry = {"load_kg": 30, "body_weight_kg": 60, "distance_m": 40, "time_s": "1e-400"}
    with pytest.raises(ScoringInputError) as error:
        score_test("farmers_carry", carry, age=30, sex="male")
    assert error.value.field == "farmers_carry.time_s"


# Nested nonsense: scalars of every JSON kind (and a few that are not), lists and mappings of them, with the
# engine's own keys mixed in so that the random input reaches every scorer and every value reader.
KEYS = st.sampled_from(
    [*TestType.ALL, "raw", "protocol", "reps", "variant", "left_s", "right_s", "recovery_hr_bpm", "pulse_1",
     "duration_s", "form", "compensations", "pain", "load_kg", "body_weight_kg", "distance_m", "time_s",
     "reach_cm", "box_zero_offset_cm", "hand_length_cm", "left_cm", "right_cm", "step_height_cm"]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["harvard", "ymca", "short", "long", "knee", "standard", "heels_rise", "1e-400", "nan", "yes"])
)
NESTED = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.text(max_size=5), inner, max_size=5),
    max_leaves=20,
)
ENTRIES = st.dictionaries(KEYS, NESTED, max_size=4) | NESTED


@settings(
    max_examples=200, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    results=st.dictionaries(KEYS, ENTRIES, max_size=5) | NESTED,
    sex=st.sampled_from(["male", "female", "", None, 1, ["male"]]),
    overrides=st.none() | NESTED,
    version=st.sampled_from([*rules.CATEGORY_WEIGHTS, "1999.1"]),
)
def test_random_nested_input_gets_a_score_or_a_scoring_error(results, sex, overrides, version):
    try:
        result = score_assessment(results, age=40, sex=sex, overrides=overrides, version=version)
    except ScoringInputError as error:
        assert error.errors and all(isinstance(message, str) for _field, message in error.errors)
    else:
        assert result.version == version
        assert result.overall is None or 0 <= result.overall <= 100
