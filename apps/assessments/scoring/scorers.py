"""One scorer per test: raw values (+ protocol details, age, sex) -> TestScore. Pure; the tables are data."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import norms, rules
from .errors import ScoringInputError
from .rules import TestType
from .values import check_keys, choice, codes, field_name, flag, number

FEMALE, MALE = "female", "male"


@dataclass(frozen=True)
class TestScore:
    test_type: str
    points: int | None  # 0-100; None when no norm applies (see flags)
    band: str | None  # the norm band or grade reached
    raw: dict  # the cleaned raw values
    protocol: dict  # the cleaned protocol details (defaults filled in)
    details: dict = field(default_factory=dict)  # derived figures (per side, index, converted reach...)
    flags: tuple = ()  # codes: age_outside_norms, asymmetry, pain, no_norm_for_sex, off_protocol...


def _sex(sex):
    return sex if sex in (FEMALE, MALE) else None


def _norm_row(table, age, flags):
    row, outside = norms.row_for_age(table["rows"], age)
    if outside:
        flags.append("age_outside_norms")
    return row


def _unscored(test_type, raw, protocol, details, flags, reason):
    return TestScore(test_type, None, None, raw, protocol, details, (*flags, reason))


# --- mobility -----------------------------------------------------------------------------------------------


def deep_squat(raw, protocol, *, age, sex, version):
    t = TestType.DEEP_SQUAT
    table = norms.load("movement_screen", version)["deep_squat"]
    raw = check_keys(t, raw, {"pain", "compensations", "heel_lift_compensations"})
    protocol = check_keys(t, protocol, set(), "protocol")
    pain = flag(t, raw, "pain")
    seen = codes(t, raw, "compensations", table["compensations"])
    with_heel_lift = codes(t, raw, "heel_lift_compensations", table["compensations"], required=False)
    clean = {"pain": pain, "compensations": seen, "heel_lift_compensations": with_heel_lift}
    if pain:
        grade = 0
    elif not seen:
        grade = 3
    elif with_heel_lift == []:
        grade = 2
    else:
        grade = 1
    flags = ["pain"] if pain else []
    return TestScore(t, rules.grade_points(grade), str(grade), clean, {}, {"grade": grade}, tuple(flags))


def _shoulder_grade(distance, hand_length, pain, thresholds):
    if pain:
        return 0
    if distance <= thresholds["3"] * hand_length:
        return 3
    if distance <= thresholds["2"] * hand_length:
        return 2
    return 1


def shoulder_mobility(raw, protocol, *, age, sex, version):
    t = TestType.SHOULDER_MOBILITY
    table = norms.load("movement_screen", version)["shoulder_mobility"]
    raw = check_keys(t, raw, {"left_cm", "right_cm", "hand_length_cm", "left_clearing_pain", "right_clearing_pain"})
    protocol = check_keys(t, protocol, set(), "protocol")
    left = number(t, raw, "left_cm", low=rules.SHOULDER_DISTANCE_CM[0], high=rules.SHOULDER_DISTANCE_CM[1])
    right = number(t, raw, "right_cm", low=rules.SHOULDER_DISTANCE_CM[0], high=rules.SHOULDER_DISTANCE_CM[1])
    hand = number(t, raw, "hand_length_cm", low=rules.HAND_LENGTH_CM[0], high=rules.HAND_LENGTH_CM[1])
    left_pain = flag(t, raw, "left_clearing_pain")
    right_pain = flag(t, raw, "right_clearing_pain")
    clean = {
        "left_cm": left,
        "right_cm": right,
        "hand_length_cm": hand,
        "left_clearing_pain": left_pain,
        "right_clearing_pain": right_pain,
    }
    left_grade = _shoulder_grade(left, hand, left_pain, table["hand_lengths"])
    right_grade = _shoulder_grade(right, hand, right_pain, table["hand_lengths"])
    grade = min(left_grade, right_grade)
    flags = []
    if left_pain or right_pain:
        flags.append("pain")
    if left_grade != right_grade:
        flags.append("asymmetry")
    details = {"grade": grade, "left_grade": left_grade, "right_grade": right_grade}
    return TestScore(t, rules.grade_points(grade), str(grade), clean, {}, details, tuple(flags))


def sit_and_reach(raw, protocol, *, age, sex, version):
    t = TestType.SIT_AND_REACH
    table = norms.load("sit_and_reach", version)
    zero = table["scale_zero_at_feet_cm"]
    raw = check_keys(t, raw, {"reach_cm"})
    protocol = check_keys(t, protocol, {"box_zero_offset_cm"}, "protocol")
    offset = number(
        t,
        protocol,
        "box_zero_offset_cm",
        low=rules.BOX_ZERO_OFFSET_CM[0],
        high=rules.BOX_ZERO_OFFSET_CM[1],
        required=False,
        default=float(zero),
    )
    reach = number(t, raw, "reach_cm", low=-200, high=200)
    relative = reach - offset
    low, high = rules.REACH_RELATIVE_CM
    if not low <= relative <= high:
        raise ScoringInputError(
            field_name(t, "reach_cm"),
            _(
                "With the box's zero at %(offset)s cm, this reach is %(relative)s cm from the feet; "
                "enter one within %(low)s to %(high)s cm."
            )
            % {"offset": f"{offset:g}", "relative": f"{relative:g}", "low": low, "high": high},
        )
    on_scale = rules.round_half_up(relative + zero, 1)
    clean_protocol = {"box_zero_offset_cm": offset}
    details = {"reach_from_feet_cm": rules.round_half_up(relative, 1), "cpafla_cm": on_scale}
    flags = []
    sex = _sex(sex)
    if sex is None:
        return _unscored(t, {"reach_cm": reach}, clean_protocol, details, flags, "no_norm_for_sex")
    row = _norm_row(table["tables"][sex], age, flags)
    rank = norms.rank_higher_is_better(on_scale, row["thresholds"])
    band = table["bands"][rank - 1]
    points = rules.band_points(rank, len(table["bands"]))
    return TestScore(t, points, band, {"reach_cm": reach}, clean_protocol, details, tuple(flags))


# --- strength -----------------------------------------------------------------------------------------------


def push_ups(raw, protocol, *, age, sex, version):
    t = TestType.PUSH_UPS
    table = norms.load("push_ups", version)
    raw = check_keys(t, raw, {"reps"})
    protocol = check_keys(t, protocol, {"variant"}, "protocol")
    variant = choice(t, protocol, "variant", ("standard", "knee"), default="standard")
    reps = number(t, raw, "reps", low=0, high=rules.PUSH_UPS_MAX, integer=True)
    clean, clean_protocol, flags = {"reps": reps}, {"variant": variant}, []
    sex = _sex(sex)
    if sex is None:
        return _unscored(t, clean, clean_protocol, {}, flags, "no_norm_for_sex")
    norm = table["tables"][sex]
    if variant != norm["variant"]:
        if sex == MALE:
            # CPAFLA norms men on standard push-ups only; knee push-ups of a man have no published norm.
            return _unscored(t, clean, clean_protocol, {}, flags, "no_norm_for_variant")
        # A woman's standard push-ups against the knee norms: the harder variant, so never over-rated.
        flags.append("scored_against_knee_norms")
    row = _norm_row(norm, age, flags)
    rank = norms.rank_higher_is_better(reps, row["thresholds"])
    points = rules.band_points(rank, len(table["bands"]))
    return TestScore(t, points, table["bands"][rank - 1], clean, clean_protocol, {}, tuple(flags))


def farmers_carry(raw, protocol, *, age, sex, version):
    t = TestType.FARMERS_CARRY
    table = norms.load("farmers_carry", version)
    raw = check_keys(t, raw, {"load_kg", "body_weight_kg", "distance_m", "time_s"})
    protocol = check_keys(t, protocol, set(), "protocol")
    body = number(t, raw, "body_weight_kg", low=rules.BODY_WEIGHT_KG[0], high=rules.BODY_WEIGHT_KG[1])
    load = number(t, raw, "load_kg", low=0, high=10_000, low_open=True)
    low, high = rules.CARRY_DISTANCE_M
    distance = number(t, raw, "distance_m", low=low, high=high, low_open=True)
    seconds = number(t, raw, "time_s", low=rules.CARRY_TIME_S[0], high=rules.CARRY_TIME_S[1], low_open=True)
    load_pct = 100 * load / body
    if load_pct > rules.LOAD_MAX_PCT_BW:
        raise ScoringInputError(
            field_name(t, "load_kg"),
            _("A load of %(pct)s%% of body weight is not plausible; the most is %(max)s%%.")
            % {"pct": rules.round_half_up(load_pct), "max": rules.LOAD_MAX_PCT_BW},
        )
    if distance / seconds > rules.CARRY_MAX_SPEED_M_S:
        raise ScoringInputError(
            field_name(t, "time_s"),
            _("%(distance)s m in %(time)s s is faster than anyone walks with a load.")
            % {"distance": f"{distance:g}", "time": f"{seconds:g}"},
        )
    clean = {"load_kg": load, "body_weight_kg": body, "distance_m": distance, "time_s": seconds}
    thresholds = table["thresholds"][MALE if sex == MALE else FEMALE]
    rank = norms.rank_higher_is_better(load_pct, thresholds)
    level_points = rules.band_points(rank, len(table["bands"]))
    points = rules.completion_points(level_points, distance, table["course_m"])
    details = {
        "load_pct_body_weight": rules.round_half_up(load_pct, 1),
        "speed_m_s": rules.round_half_up(distance / seconds, 2),
        "level_points": level_points,
        "course_done_pct": rules.round_half_up(min(100.0, 100 * distance / table["course_m"]), 1),
    }
    flags = [] if sex in (FEMALE, MALE) else ["sex_not_stated_women_thresholds"]
    return TestScore(t, points, table["bands"][rank - 1], clean, {}, details, tuple(flags))


# --- balance ------------------------------------------------------------------------------------------------


def _balance(t, condition, raw, protocol, *, age, sex, version):
    table = norms.load("single_leg_stance", version)
    raw = check_keys(t, raw, {"left_s", "right_s"})
    protocol = check_keys(t, protocol, set(), "protocol")
    left = number(t, raw, "left_s", low=0, high=rules.BALANCE_MAX_S)
    right = number(t, raw, "right_s", low=0, high=rules.BALANCE_MAX_S)
    flags = []
    cap = table["max_time_s"]
    if left > cap or right > cap:
        flags.append("capped_at_protocol_maximum")
    sex = _sex(sex)
    if sex is None:
        # Springer et al. found no difference between the sexes: without one, the mean of both rows.
        rows = [_norm_row(table["tables"][s], age, flags) for s in (FEMALE, MALE)]
        reference = sum(row[condition] for row in rows) / 2
    else:
        reference = _norm_row(table["tables"][sex], age, flags)[condition]
    flags = list(dict.fromkeys(flags))
    left_points = rules.ratio_points(min(left, cap), reference)
    right_points = rules.ratio_points(min(right, cap), reference)
    points = rules.round_half_up((left_points + right_points) / 2)
    longer, shorter = max(left, right), min(left, right)
    if longer > 0 and shorter / longer < rules.BALANCE_ASYMMETRY_RATIO:
        flags.append("asymmetry")
    details = {"reference_s": reference, "left_points": left_points, "right_points": right_points}
    band = "at_or_above_norm" if points >= 100 else "below_norm"
    return TestScore(t, points, band, {"left_s": left, "right_s": right}, {}, details, tuple(flags))


def balance_eyes_open(raw, protocol, *, age, sex, version):
    return _balance(TestType.BALANCE_EYES_OPEN, "eyes_open", raw, protocol, age=age, sex=sex, version=version)


def balance_eyes_closed(raw, protocol, *, age, sex, version):
    return _balance(TestType.BALANCE_EYES_CLOSED, "eyes_closed", raw, protocol, age=age, sex=sex, version=version)


# --- cardio -------------------------------------------------------------------------------------------------


def _step_height(t, protocol, expected, flags):
    height = number(
        t, protocol, "step_height_cm", low=rules.STEP_HEIGHT_CM[0], high=rules.STEP_HEIGHT_CM[1], required=False
    )
    if height is None:
        return expected
    if expected is not None and abs(height - expected) > rules.STEP_HEIGHT_TOLERANCE_CM:
        flags.append("off_protocol_step_height")
    return height


def step_test(raw, protocol, *, age, sex, version):
    t = TestType.STEP_TEST
    protocol = check_keys(t, protocol, {"protocol", "step_height_cm", "form"}, "protocol")
    kind = choice(t, protocol, "protocol", ("ymca", "harvard"), default="ymca")
    if kind == "ymca":
        return _ymca(t, raw, protocol, age=age, sex=sex, version=version)
    return _harvard(t, raw, protocol, sex=sex, version=version)


def _ymca(t, raw, protocol, *, age, sex, version):
    table = norms.load("ymca_step", version)
    raw = check_keys(t, raw, {"recovery_hr_bpm", "duration_s"})
    if "form" in protocol:
        raise ScoringInputError(field_name(t, "form"), _("The YMCA step test has one form only."))
    flags = []
    height = _step_height(t, protocol, table["step_height_cm"], flags)
    hr = number(t, raw, "recovery_hr_bpm", low=rules.HEART_RATE_BPM[0], high=rules.HEART_RATE_BPM[1])
    duration = number(t, raw, "duration_s", low=0, high=table["duration_s"], low_open=True, required=False)
    duration = table["duration_s"] if duration is None else duration
    clean = {"recovery_hr_bpm": hr, "duration_s": duration}
    clean_protocol = {"protocol": "ymca", "step_height_cm": height}
    bands = table["bands"]
    sex = _sex(sex)
    if sex is None:
        return _unscored(t, clean, clean_protocol, {}, flags, "no_norm_for_sex")
    row = _norm_row(table["tables"][sex], age, flags)
    if duration < table["duration_s"]:
        # Stopped before 3 minutes: the recovery heart rate means nothing; the lowest band.
        flags.append("stopped_early")
        rank = 1
    else:
        rank = norms.rank_lower_is_better(hr, row["thresholds"])
    points = rules.band_points(rank, len(bands))
    return TestScore(t, points, bands[rank - 1], clean, clean_protocol, {}, tuple(flags))


def _harvard_norm(table, sex):
    """The step height and limits for ``sex``: per sex from 2026.4 on (None when the sex is not stated), one set
    for everyone before (the men's, as those versions applied them)."""
    if "tables" not in table:
        return table
    sex = _sex(sex)
    return table["tables"][sex] if sex else None


def _harvard(t, raw, protocol, *, sex, version):
    table = norms.load("harvard_step", version)
    norm = _harvard_norm(table, sex)
    flags = []
    # Without the sex the protocol's step height is unknown: the height entered is recorded, compared with nothing.
    expected = norm["step_height_cm"] if norm else None
    height = _step_height(t, protocol, expected, flags)
    form = choice(t, protocol, "form", ("long", "short"), default="long")
    allowed = {"duration_s", "pulse_1", "pulse_2", "pulse_3"} if form == "long" else {"duration_s", "pulse_1"}
    raw = check_keys(t, raw, allowed)
    duration = number(t, raw, "duration_s", low=0, high=table["max_duration_s"], low_open=True)
    low, high = rules.PULSE_30S
    pulses = [number(t, raw, key, low=low, high=high, integer=True) for key in sorted(allowed - {"duration_s"})]
    # Brouha (1943): long form 100 x s / (2 x sum of three counts); short form 100 x s / (5.5 x first count).
    index = 100 * duration / (2 * sum(pulses)) if form == "long" else 100 * duration / (5.5 * pulses[0])
    index = rules.round_half_up(index, 1)
    clean = {"duration_s": duration, **{f"pulse_{n}": p for n, p in enumerate(pulses, start=1)}}
    clean_protocol = {"protocol": "harvard", "form": form, "step_height_cm": height}
    if duration < table["max_duration_s"]:
        flags.append("stopped_before_5_minutes")
    details = {"fitness_index": index}
    if norm is None:
        return _unscored(t, clean, clean_protocol, details, flags, "no_norm_for_sex")
    scale = norm["forms"].get(form)
    if scale is None:
        # No published scale for this sex and form (the short form for women): the index is kept, not rated.
        return _unscored(t, clean, clean_protocol, details, flags, "no_norm_for_form")
    bands = scale["bands"]
    rank = norms.rank_higher_is_better(index, scale["thresholds"])
    points = rules.band_points(rank, len(bands))
    return TestScore(t, points, bands[rank - 1], clean, clean_protocol, details, tuple(flags))


SCORERS = {
    TestType.DEEP_SQUAT: deep_squat,
    TestType.SHOULDER_MOBILITY: shoulder_mobility,
    TestType.SIT_AND_REACH: sit_and_reach,
    TestType.PUSH_UPS: push_ups,
    TestType.FARMERS_CARRY: farmers_carry,
    TestType.BALANCE_EYES_OPEN: balance_eyes_open,
    TestType.BALANCE_EYES_CLOSED: balance_eyes_closed,
    TestType.STEP_TEST: step_test,
}
