"""Every mapping rule of the scoring engine, in one place. Change anything here -> bump SCORING_VERSION.

Norm values themselves live in ``norms/<version>/*.json`` (each file cites its source); this module says how a band,
a grade or a ratio becomes points, which tests make up which category and how categories make the overall.
"""

from decimal import ROUND_HALF_UP, Decimal

SCORING_VERSION = "2026.4"


class TestType:
    DEEP_SQUAT = "deep_squat"
    SHOULDER_MOBILITY = "shoulder_mobility"
    SIT_AND_REACH = "sit_and_reach"
    PUSH_UPS = "push_ups"
    FARMERS_CARRY = "farmers_carry"
    BALANCE_EYES_OPEN = "balance_eyes_open"
    BALANCE_EYES_CLOSED = "balance_eyes_closed"
    STEP_TEST = "step_test"

    ALL = (
        DEEP_SQUAT,
        SHOULDER_MOBILITY,
        SIT_AND_REACH,
        PUSH_UPS,
        FARMERS_CARRY,
        BALANCE_EYES_OPEN,
        BALANCE_EYES_CLOSED,
        STEP_TEST,
    )


class Category:
    STRENGTH = "strength"
    MOBILITY = "mobility"
    BALANCE = "balance"
    CARDIO = "cardio"

    ALL = (STRENGTH, MOBILITY, BALANCE, CARDIO)


# Which tests make up each category (a category score is the plain mean of its scored tests).
CATEGORY_TESTS = {
    Category.STRENGTH: (TestType.PUSH_UPS, TestType.FARMERS_CARRY),
    Category.MOBILITY: (TestType.DEEP_SQUAT, TestType.SHOULDER_MOBILITY, TestType.SIT_AND_REACH),
    Category.BALANCE: (TestType.BALANCE_EYES_OPEN, TestType.BALANCE_EYES_CLOSED),
    Category.CARDIO: (TestType.STEP_TEST,),
}
TEST_CATEGORY = {test: category for category, tests in CATEGORY_TESTS.items() for test in tests}

# Weights of the categories in the overall score, per scoring version (a stored assessment keeps its version,
# so an override on an old assessment recombines it with the weights it was scored with).
CATEGORY_WEIGHTS = {
    "2026.1": {Category.STRENGTH: 1, Category.MOBILITY: 1, Category.BALANCE: 1, Category.CARDIO: 1},
    # 2026.2: same weights; only the YMCA women 56-65 "average" limit changed (116 -> 118, verified).
    "2026.2": {Category.STRENGTH: 1, Category.MOBILITY: 1, Category.BALANCE: 1, Category.CARDIO: 1},
    # 2026.3: same weights; the single-leg stance references are Springer et al.'s best-of-3 times (were mean of 3).
    "2026.3": {Category.STRENGTH: 1, Category.MOBILITY: 1, Category.BALANCE: 1, Category.CARDIO: 1},
    # 2026.4: same weights; the Harvard step test has a women's step (40.6 cm) and women's limits, and its
    # "excellent" starts above 90 (men) / 86 (women), as every reproduction prints it. Norm tables are kept per
    # version from 2026.4 on (norms/<version>/), so any assessment can be re-scored with any version's tables.
    "2026.4": {Category.STRENGTH: 1, Category.MOBILITY: 1, Category.BALANCE: 1, Category.CARDIO: 1},
}

# Ages for which the engine accepts to look up norms at all (outside the table's rows: the nearest row, flagged).
MIN_AGE = 5
MAX_AGE = 110

# Plausibility limits of raw values: anything outside is refused with the field named.
HEART_RATE_BPM = (30, 250)
PUSH_UPS_MAX = 200
BALANCE_MAX_S = 600
BALANCE_PROTOCOL_MAX_S = 45
REACH_RELATIVE_CM = (-60, 60)
BOX_ZERO_OFFSET_CM = (0, 60)
LOAD_MAX_PCT_BW = 300
BODY_WEIGHT_KG = (20, 400)
CARRY_DISTANCE_M = (0, 1000)
CARRY_TIME_S = (0, 1800)
CARRY_MAX_SPEED_M_S = 8
HAND_LENGTH_CM = (10, 30)
SHOULDER_DISTANCE_CM = (0, 150)
STEP_HEIGHT_CM = (10, 60)
STEP_HEIGHT_TOLERANCE_CM = 1.0
HARVARD_MAX_DURATION_S = 300
# A 30-second pulse count equals half the heart rate.
PULSE_30S = (HEART_RATE_BPM[0] / 2, HEART_RATE_BPM[1] / 2)
# Balance: sides whose times differ by more than this ratio (shorter / longer below it) are flagged.
BALANCE_ASYMMETRY_RATIO = 0.5


def round_half_up(value, places=0):
    """Half-up rounding (Python's round() rounds half to even: 62.5 -> 62)."""
    quantum = Decimal(1).scaleb(-places)
    result = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(result) if places == 0 else float(result)


def band_points(rank, band_count):
    """A norm band -> 0-100. Bands are ranked 1 (worst) .. band_count (best): points = 100 x rank / count.

    Five bands give 20, 40, 60, 80, 100; seven give 14, 29, 43, 57, 71, 86, 100; three give 33, 67, 100.
    """
    return round_half_up(100 * rank / band_count)


def grade_points(grade):
    """A movement-screen grade 0-3 -> 0, 33, 67, 100."""
    return round_half_up(100 * grade / 3)


def ratio_points(value, reference):
    """A time against the mean of one's age and sex: 100 x value / reference, capped at 100."""
    if reference <= 0:
        return 100
    return min(100, round_half_up(100 * value / reference))


def completion_points(points, done, target):
    """Points of a level scaled by the share of the course done (at most the whole)."""
    return round_half_up(points * min(1.0, done / target))
