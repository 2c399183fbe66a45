"""What the engine's codes (bands, flags) say to people. Translatable; the engine itself stores codes only."""

from django.utils.translation import gettext_lazy as _

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
    "at_or_above_norm": _("At or above the norm"),
    "below_norm": _("Below the norm"),
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
    "no_norm_for_variant": _("No published norm for this variant"),
    "scored_against_knee_norms": _("Standard push-ups scored against the knee push-up norms"),
    "sex_not_stated_women_thresholds": _("Sex not stated; women's thresholds used"),
    "capped_at_protocol_maximum": _("Times above 45 s counted as 45 s"),
    "off_protocol_step_height": _("Step height differs from the protocol"),
    "stopped_early": _("Stopped before 3 minutes"),
    "stopped_before_5_minutes": _("Stopped before 5 minutes"),
}


def band_label(code):
    return BANDS.get(code, code)


def flag_label(code):
    return FLAGS.get(code, code)
