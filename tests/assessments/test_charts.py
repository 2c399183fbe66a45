"""The progress chart's geometry (pure: no database)."""

from datetime import UTC, datetime

from apps.assessments.charts import progress_chart


def row(pk, day, overall, strength=None, cardio=None):
    return {
        "id": pk,
        "performed_at": datetime(2026, 3, day, 9, 0, tzinfo=UTC),
        "overall": overall,
        "strength": strength,
        "mobility": None,
        "balance": None,
        "cardio": cardio,
    }


def test_no_assessment_no_chart():
    assert progress_chart([]) is None


def test_one_assessment_sits_in_the_middle():
    chart = progress_chart([row(1, 1, 50, strength=50)])
    [point] = chart["series"][0]["points"]
    assert (point["x"], point["y"], point["value"]) == (370, 139, 50)  # 40 + 660 / 2; 14 + 250 / 2
    assert chart["x_ticks"] == [{"x": 370, "label": "1 Mar 2026", "anchor": "middle"}]


def test_x_is_time_y_is_the_score_and_a_missing_value_breaks_the_line():
    chart = progress_chart(
        [row(1, 1, 0, strength=40), row(2, 3, 100, strength=None, cardio=80), row(3, 11, 60, strength=80)]
    )
    overall, strength = chart["series"][0], chart["series"][1]
    assert [(p["x"], p["y"]) for p in overall["points"]] == [(40, 264), (172, 14), (700, 114)]
    assert overall["lines"] == ["40,264 172,14 700,114"]
    assert [p["value"] for p in strength["points"]] == [40, 80]
    assert strength["lines"] == []  # 40 and 80 are not joined across the assessment without a strength score
    assert chart["rows"][1] == {
        "id": 2,
        "label": "3 Mar 2026",
        "categories": [None, None, None, 80],
        "overall": 100,
        "partial": False,
        "coverage_pct": None,
    }
    # 132 px between the first two dates: room enough for both labels
    assert [tick["label"] for tick in chart["x_ticks"]] == ["1 Mar 2026", "3 Mar 2026", "11 Mar 2026"]
    assert [tick["anchor"] for tick in chart["x_ticks"]] == ["start", "middle", "end"]


def test_close_dates_keep_only_labels_with_room():
    chart = progress_chart([row(pk, day, 50) for pk, day in enumerate(range(1, 31), start=1)])
    xs = [tick["x"] for tick in chart["x_ticks"]]
    assert xs[0] == 40 and xs[-1] == 700
    assert all(b - a >= 86 for a, b in zip(xs, xs[1:], strict=False))


def test_partial_assessments_are_drawn_hollow_and_named():
    partial = row(2, 3, 72, strength=72) | {"partial": True, "coverage_pct": 25}
    chart = progress_chart([row(1, 1, 50, strength=50) | {"partial": False, "coverage_pct": 100}, partial])
    overall = chart["series"][0]
    assert [point["partial"] for point in overall["points"]] == [False, True]
    assert chart["partial"] == [{"label": "3 Mar 2026", "coverage_pct": 25}]
    assert chart["rows"][1]["partial"] is True
