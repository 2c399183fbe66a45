"""Recommendations for the assessment report: the reviewed data file and how texts are chosen. No database."""

import copy
import json
import re

import pytest

from apps.assessments.recommendations import (
    CATEGORIES,
    DATA_FILE,
    LANGUAGES,
    LEVELS,
    RECOMMENDATIONS_VERSION,
    Recommendation,
    RecommendationsFileError,
    level_for,
    load,
    recommendations_for,
    resolve_language,
)
from apps.assessments.scoring import Category

HANGUL = re.compile("[\uac00-\ud7a3]")


def raw_file():
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def all_measured(**overrides):
    scores = {"strength": 90, "mobility": 90, "balance": 90, "cardio": 90}
    scores.update(overrides)
    return scores


# --- the data file -------------------------------------------------------------------------------------------------


def test_the_file_validates_and_names_its_version():
    data = load()
    assert data.version == RECOMMENDATIONS_VERSION
    assert RECOMMENDATIONS_VERSION
    assert (data.fair_from, data.good_from) == (60, 80)


def test_the_file_records_its_review_and_cites_the_guidance():
    review = raw_file()["review"]
    assert review["date"] and review["by"]
    citations = " ".join(entry["citation"] for entry in review["guidance"])
    assert "ACSM's Guidelines for Exercise Testing and Prescription, 11th edition" in citations
    assert "WHO guidelines on physical activity and sedentary behaviour" in citations
    assert "not copied" in review["nature"]


def test_the_categories_are_the_engines():
    assert set(CATEGORIES) == set(Category.ALL)
    assert set(raw_file()["categories"]) == set(Category.ALL)


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("level", LEVELS)
def test_every_category_and_level_has_both_languages(category, level):
    entry = raw_file()["categories"][category][level]
    assert 2 <= len(entry["items"]) <= 3
    for text in [entry["title"], *entry["items"]]:
        assert set(text) == set(LANGUAGES)
        assert text["en"].strip() and text["ko"].strip()
        assert HANGUL.search(text["ko"]), text["ko"]
        assert not HANGUL.search(text["en"]), text["en"]
    for language in LANGUAGES:
        title, items = load().texts[category, level, language]
        assert title and len(items) == len(entry["items"])


# --- levels and order ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, "weak"), (39, "weak"), (59, "weak"), (60, "fair"), (79, "fair"), (80, None), (100, None)],
)
def test_boundaries(score, level):
    assert level_for(score) == level
    found = recommendations_for(all_measured(balance=score), "en")
    if level is None:
        assert found == []
    else:
        assert [(r.category, r.level) for r in found] == [("balance", level)]


def test_weakest_category_first():
    found = recommendations_for({"strength": 75, "mobility": 40, "balance": 62, "cardio": 12}, "en")
    assert [(r.category, r.level) for r in found] == [
        ("cardio", "weak"),
        ("mobility", "weak"),
        ("balance", "fair"),
        ("strength", "fair"),
    ]


def test_equal_scores_keep_the_engines_category_order():
    found = recommendations_for({"cardio": 50, "balance": 50, "mobility": 50, "strength": 50}, "en")
    assert [r.category for r in found] == list(Category.ALL)


def test_not_measured_categories_are_skipped():
    found = recommendations_for({"strength": None, "mobility": 30, "balance": None}, "en")
    assert [r.category for r in found] == ["mobility"]
    assert recommendations_for({"strength": None, "mobility": None, "balance": None, "cardio": None}, "en") == []
    assert recommendations_for({}, "en") == []


def test_other_keys_such_as_overall_are_ignored():
    assert recommendations_for({**all_measured(), "overall": 10}, "en") == []


@pytest.mark.parametrize("score", [-1, 101, 55.5, True, "50"])
def test_an_impossible_score_is_refused(score):
    with pytest.raises(ValueError, match="strength score"):
        recommendations_for(all_measured(strength=score), "en")


def test_a_recommendation_is_the_files_text():
    entry = raw_file()["categories"]["strength"]["weak"]
    [found] = recommendations_for(all_measured(strength=20), "en")
    assert found == Recommendation(
        category="strength",
        level="weak",
        title=entry["title"]["en"],
        items=tuple(item["en"] for item in entry["items"]),
    )
    with pytest.raises(AttributeError):
        found.title = "changed"  # frozen


# --- languages -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ko", "ko-KR", "ko-kr", "ko_KR", "KO", " ko "])
def test_korean(language):
    entry = raw_file()["categories"]["cardio"]["fair"]
    [found] = recommendations_for(all_measured(cardio=70), language)
    assert found.title == entry["title"]["ko"]
    assert found.items == tuple(item["ko"] for item in entry["items"])
    assert resolve_language(language) == "ko"


@pytest.mark.parametrize("language", ["en", "en-US", "fr", "kor", "", "xx-KO"])
def test_anything_else_is_english(language):
    entry = raw_file()["categories"]["cardio"]["fair"]
    [found] = recommendations_for(all_measured(cardio=70), language)
    assert found.title == entry["title"]["en"]
    assert resolve_language(language) == "en"
    assert resolve_language(None) == "en"


# --- a broken file ---------------------------------------------------------------------------------------------------


def write(tmp_path, document):
    path = tmp_path / "recommendations.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def broken(change):
    document = copy.deepcopy(raw_file())
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda d: d["categories"]["balance"]["fair"]["items"][1].pop("ko"),
            r"balance\.fair\.items\[1\]: missing 'ko'",
        ),
        (lambda d: d["categories"]["cardio"]["weak"]["title"].update(ko="  "), r"cardio\.weak\.title\.ko: .*non-empty"),
        (lambda d: d["categories"]["mobility"].pop("fair"), r"categories\.mobility: missing 'fair'"),
        (lambda d: d["categories"].pop("strength"), r"categories: missing 'strength'"),
        (lambda d: d["categories"]["strength"]["weak"]["title"].update(kr="x"), r"unknown 'kr'"),
        (lambda d: d["categories"]["strength"].update(good={}), r"unknown 'good'"),
        (lambda d: d["categories"]["strength"]["weak"].update(items=[]), r"strength\.weak\.items: .*2 to 3"),
        (lambda d: d.pop("version"), r"missing 'version'"),
        (lambda d: d["review"].update(guidance=[]), r"review\.guidance"),
        (lambda d: d["threshold"].update(fair=80, good=60), r"threshold: needs 0 < fair < good"),
        (lambda d: d["threshold"].update(good="80"), r"threshold\.good: must be a whole number"),
    ],
)
def test_a_broken_file_raises_a_clear_error(tmp_path, change, where):
    path = write(tmp_path, broken(change))
    with pytest.raises(RecommendationsFileError, match=rf"Invalid recommendations file .*{where}"):
        load(path)


def test_a_file_that_is_not_json_or_missing_raises_a_clear_error(tmp_path):
    path = tmp_path / "recommendations.json"
    path.write_text('{"version": ', encoding="utf-8")
    with pytest.raises(RecommendationsFileError, match="not valid JSON"):
        load(path)
    with pytest.raises(RecommendationsFileError, match="Cannot read"):
        load(tmp_path / "absent.json")


def test_the_loader_reads_the_file_it_is_pointed_at(tmp_path):
    document = broken(lambda d: d.update(version="test.1", threshold={"fair": 50, "good": 70}))
    data = load(write(tmp_path, document))
    assert (data.version, data.fair_from, data.good_from) == ("test.1", 50, 70)
    assert load() is not data and load().version == RECOMMENDATIONS_VERSION
