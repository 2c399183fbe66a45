"""What the engine's codes (bands, flags) say to people. Translatable; the engine itself stores codes only.

A result reads in three separate parts, so that words and numbers never seem to contradict each other: what was
measured ("24 repetitions, on the knees"), the rating against the norm it was compared with, named in a trainer's
words ("Good for women 40–49"), and the points ("65 points"). The pages and the PDF report use the same functions.
"""

from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .scoring import norms

BANDS = {
    "excellent": _("Excellent"),
    "very_good": _("Very good"),
    "good": _("Good"),
    "fair": _("Fair"),
    "needs_improvement": _("Needs improvement"),
    "above_average": _("Above average"),
    "average": _("Average"),
    "below_average": _("Below average"),
    "high_average": _("High average"),
    "low_average": _("Low average"),
    "poor": _("Poor"),
    "very_poor": _("Very poor"),
    # Single-leg stance: the reference is the typical (median) time of the age group, not a pass mark.
    "at_or_above_norm": _("At or above the typical time"),
    "below_norm": _("Below the typical time"),
    "level_1": _("Level 1"),
    "level_2": _("Level 2"),
    "level_3": _("Level 3"),
    "level_4": _("Level 4"),
    "level_5": _("Level 5"),
    "0": _("Grade 0"),
    "1": _("Grade 1"),
    "2": _("Grade 2"),
    "3": _("Grade 3"),
}

FLAGS = {
    "pain": _("Pain reported"),
    "asymmetry": _("Left and right differ"),
    "age_outside_norms": _("Age outside the norm table; nearest age group used"),
    "no_norm_for_sex": _("No norm without the client's sex"),
    "no_norm_for_form": _("No published scale for this form and sex: the index is kept without a rating"),
    "no_norm_for_variant": _(
        "Done on the knees: the published men's norms are for push-ups on the toes only, so this count has no rating."
    ),
    "scored_against_knee_norms": _(
        "Done on the toes: the published women's norms are for push-ups on the knees only, so the count is rated "
        "against those. Push-ups on the toes are harder: if anything, the rating is too low."
    ),
    "sex_not_stated_women_thresholds": _("Sex not stated; women's thresholds used"),
    "capped_at_protocol_maximum": _("Times above 45 s counted as 45 s"),
    "off_protocol_step_height": _("Step height differs from the protocol"),
    "stopped_early": _("Stopped before 3 minutes"),
    "stopped_before_5_minutes": _("Stopped before 5 minutes"),
}


# The norm each test is compared with, in words a trainer understands (the report's footnotes cite the source).
NORM_NAMES = {
    "push_ups": _("Canadian fitness norms (CSEP) for push-ups, by age and sex"),
    "sit_and_reach": _("Canadian fitness norms (CSEP) for the sit-and-reach, by age and sex"),
    "ymca_step": _("YMCA step test norms, by age and sex"),
    "harvard_step": _("Harvard step test fitness index"),
    "single_leg_stance": _("Typical single-leg stance times by age (Springer et al., 2007)"),
    "movement_screen": _("Movement-screen grades 0 to 3 (Cook et al.)"),
    "farmers_carry": _("Our own load scale for the farmer's carry (no published norm exists)"),
}
TEST_NORMS = {
    "deep_squat": "movement_screen",
    "shoulder_mobility": "movement_screen",
    "sit_and_reach": "sit_and_reach",
    "push_ups": "push_ups",
    "farmers_carry": "farmers_carry",
    "balance_eyes_open": "single_leg_stance",
    "balance_eyes_closed": "single_leg_stance",
}
# Norm tables with rows per sex and age group.
AGE_TABLES = {"push_ups", "sit_and_reach", "ymca_step", "single_leg_stance"}

RAW_LABELS = {
    "reps": _("%(value)s repetitions"),
    "reach_cm": _("reach %(value)s cm"),
    "recovery_hr_bpm": _("recovery heart rate %(value)s bpm"),
    "duration_s": _("%(value)s s stepped"),
    "left_s": _("left %(value)s s"),
    "right_s": _("right %(value)s s"),
    "left_cm": _("left %(value)s cm"),
    "right_cm": _("right %(value)s cm"),
    "hand_length_cm": _("hand length %(value)s cm"),
    "load_kg": _("load %(value)s kg"),
    "distance_m": _("%(value)s m"),
    "time_s": _("in %(value)s s"),
    "body_weight_kg": _("body weight %(value)s kg"),
    "pulse_1": _("pulse counts %(value)s"),
    "pulse_2": "%(value)s",
    "pulse_3": "%(value)s",
}
VARIANTS = {"standard": _("on the toes"), "knee": _("on the knees")}


def band_label(code):
    return BANDS.get(code, code)


def flag_label(code):
    return FLAGS.get(code, code)


def norm_key(test_type: str, protocol: dict[str, Any] | None) -> str:
    """The norm table a result was compared with ("" for an unknown test)."""
    if test_type == "step_test":
        return "harvard_step" if (protocol or {}).get("protocol") == "harvard" else "ymca_step"
    return TEST_NORMS.get(test_type, "")


def norm_name(test_type: str, protocol: dict[str, Any] | None) -> str:
    return str(NORM_NAMES.get(norm_key(test_type, protocol), ""))


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def describe_raw(test_type: str, raw: dict[str, Any] | None, protocol: dict[str, Any] | None = None) -> str:
    """What was measured, in words: "24 repetitions, on the knees", "left 31 s, right 28 s"."""
    raw = raw or {}
    parts = [
        str(RAW_LABELS[key] % {"value": _number(raw[key])})
        for key in RAW_LABELS
        if key in raw and not isinstance(raw[key], bool) and raw[key] not in (None, "")
    ]
    if "compensations" in raw:  # the overhead squat
        count = len(raw["compensations"] or [])
        if count:
            parts.append(ngettext("%(count)d compensation", "%(count)d compensations", count) % {"count": count})
        else:
            parts.append(gettext("no compensation"))
        if count and raw.get("heel_lift_compensations") is not None:
            lifted = len(raw["heel_lift_compensations"])
            parts.append(gettext("%(count)d with heels raised") % {"count": lifted})
    if raw.get("pain") is True:
        parts.append(gettext("pain"))
    if test_type == "push_ups" and (protocol or {}).get("variant") in VARIANTS:
        parts.append(str(VARIANTS[(protocol or {})["variant"]]))
    return ", ".join(parts)


def norm_group(test_type: str, protocol: dict[str, Any] | None, *, age: int | None, sex: str | None) -> str:
    """The group a result is compared with: "women 40–49", "men", "ages 40–49" or "" (grades, one scale)."""
    key = norm_key(test_type, protocol)
    if key == "farmers_carry":
        return gettext("men") if sex == "male" else gettext("women")
    if key not in AGE_TABLES or age is None:
        return ""
    tables = norms.load(key)["tables"]
    row, _outside = norms.row_for_age(tables["male" if sex == "male" else "female"]["rows"], age)
    ages = f"{row['age'][0]}–{row['age'][1]}"
    if key == "push_ups" and sex == "female":
        return gettext("women %(ages)s, push-ups on the knees") % {"ages": ages}
    if sex == "female":
        return gettext("women %(ages)s") % {"ages": ages}
    if sex == "male":
        return gettext("men %(ages)s") % {"ages": ages}
    return gettext("ages %(ages)s") % {"ages": ages}


def rating(
    test_type: str,
    band: str,
    protocol: dict[str, Any] | None,
    details: dict[str, Any] | None,
    *,
    age: int | None,
    sex: str | None,
) -> str:
    """The band's words with the group they hold for: "Below average for women 40–49", "Grade 2 of 3"."""
    if not band:
        return ""
    if band in {"0", "1", "2", "3"}:
        return gettext("Grade %(grade)s of 3") % {"grade": band}
    if band.startswith("level_"):
        return gettext("Level %(level)s of 5") % {"level": band.removeprefix("level_")}
    words = str(band_label(band))
    group = norm_group(test_type, protocol, age=age, sex=sex)
    text = gettext("%(band)s for %(group)s") % {"band": words, "group": group} if group else words
    reference = (details or {}).get("reference_s")
    if band in {"at_or_above_norm", "below_norm"} and reference is not None:
        text = gettext("%(rating)s (%(seconds)s s)") % {"rating": text, "seconds": f"{reference:g}"}
    return text


def points_label(points: int | None) -> str:
    """ "65 points", or "–" without a score."""
    return "–" if points is None else gettext("%(points)d points") % {"points": points}


def explain(result: Any, *, age: int | None, sex: str | None) -> dict[str, Any]:
    """A stored TestResult in words: {"measured", "rating", "points", "norm", "flags"} (see the module's doc)."""
    return {
        "measured": describe_raw(result.test_type, result.raw_values, result.protocol),
        "rating": rating(result.test_type, result.band, result.protocol, result.details, age=age, sex=sex),
        "points": points_label(result.score),
        "norm": norm_name(result.test_type, result.protocol),
        "flags": [str(flag_label(code)) for code in result.flags],
    }
