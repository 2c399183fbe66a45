"""One date and time format per language (config/formats), in the gym's timezone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from apps.core.dates import format_date, format_datetime, format_time, gym_locale

SEOUL = ZoneInfo("Asia/Seoul")
# 06:48 UTC is 15:48 in Seoul, on the same day; 20:05 UTC on the 2nd is 05:05 on the 3rd there.
AFTERNOON = datetime(2026, 12, 3, 6, 48, tzinfo=UTC)
EARLY = datetime(2026, 12, 2, 20, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "moment", "day", "clock"),
    [
        ("en", "3 Dec 2026, 15:48", "3 Dec 2026", "15:48"),
        ("ko", "2026년 12월 3일 15:48", "2026년 12월 3일", "15:48"),
    ],
)
def test_one_format_per_language_in_python(language, moment, day, clock):
    with translation.override(language):
        assert format_datetime(AFTERNOON, zone=SEOUL) == moment
        assert format_date(AFTERNOON, zone=SEOUL) == day
        assert format_date(date(2026, 12, 3)) == day
        assert format_time(AFTERNOON, zone=SEOUL) == clock


def test_times_are_zero_padded_and_the_day_is_the_gyms():
    with translation.override("ko"):
        assert format_datetime(EARLY, zone=SEOUL) == "2026년 12월 3일 05:05"
        assert format_time(time(7, 5)) == "07:05"
    with translation.override("en"):
        assert format_date(EARLY, zone=SEOUL) == "3 Dec 2026"
        assert format_date(EARLY, zone=ZoneInfo("UTC")) == "2 Dec 2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "3 Dec 2026, 15:48|3 Dec 2026, 15:48|3 Dec 2026|3 Dec 2026|15:48|December 2026|3 Dec|3 Dec 2026, 15:48",
        ),
        (
            "ko",
            "2026년 12월 3일 15:48|2026년 12월 3일 15:48|2026년 12월 3일|2026년 12월 3일|15:48|2026년 12월|12월 3일"
            "|2026년 12월 3일 15:48",
        ),
    ],
)
def test_templates_short_and_long_names_agree(language, expected):
    """No "Dec. 3, 2026" on one page and "12/03/2026" or "2026-12-3 15:48" on the next."""
    names = ["DATETIME_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "SHORT_DATE_FORMAT", "TIME_FORMAT"]
    names += ["YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT"]
    template = Template("|".join([*(f'{{{{ v|date:"{name}" }}}}' for name in names), "{{ v }}"]))
    with gym_locale(language, zone=SEOUL):
        assert template.render(Context({"v": AFTERNOON})) == expected


def test_gym_locale_restores_what_was_active():
    with translation.override("en"), timezone.override(ZoneInfo("UTC")):
        with gym_locale("ko", zone=SEOUL):
            assert (translation.get_language(), timezone.get_current_timezone_name()) == ("ko", "Asia/Seoul")
        assert (translation.get_language(), timezone.get_current_timezone_name()) == ("en", "UTC")
