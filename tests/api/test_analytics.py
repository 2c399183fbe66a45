"""Analytics over the API: the same figures as the selectors (the pages' read models), the pages' access rules
(404 for what the caller may not see), money only for those who may see it, periods read as on the pages, and a
fixed number of queries whatever the gym's size."""

import json
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.analytics.metrics.scope import Scope
from apps.analytics.periods import custom, preset
from apps.analytics.selectors import analytics, gym_analytics
from apps.api.serializers.analytics import AnalyticsSerializer, GymAnalyticsSerializer
from apps.assessments.models import Assessment
from apps.trainers.models import AssistantLink, AvailabilitySlot
from apps.training.services import packages as package_services
from tenants.models import Role
from tests.api.test_no_money_for_assistants import MONEY_FIELDS, walk
from tests.factories import ClientFactory, PaymentFactory, SessionFactory
from tests.support import in_gym, member

PAID = Decimal("123.45")  # the trainer's payment: an amount that appears nowhere else
OTHER_PAID = Decimal("77.70")
# Keys that carry amounts of money in an analytics answer, beside the API's usual money fields.
ANALYTICS_MONEY_KEYS = MONEY_FIELDS | {"cash", "cash_previous", "earned", "earned_previous", "outstanding", "currency"}


def coach_with_work(owner, trainer, paid=Decimal("50.00"), delivered=2, hours=True):
    """In the current schema: a client of ``trainer`` with a package (10 sessions for 500), a payment, ``delivered``
    completed sessions in the last week, two assessments and (``hours``) weekly hours."""
    client = ClientFactory(trainer=trainer)
    package = package_services.package_sell(
        actor=owner, client=client, name="Ten", total_sessions=10, price=Decimal("500")
    )
    PaymentFactory(package=package, amount=paid, paid_at=timezone.now() - timedelta(days=2))
    for days_ago in range(3, 3 + delivered):
        SessionFactory(
            client=client,
            trainer=trainer,
            package=package,
            status="completed",
            starts_at=timezone.now() - timedelta(days=days_ago),
        )
    if hours:
        AvailabilitySlot.objects.create(trainer=trainer, weekday=1, starts_at=time(9), ends_at=time(12))
    for days_ago, score in ((60, 50), (4, 62)):
        Assessment.objects.create(
            client=client,
            trainer=trainer,
            performed_at=timezone.now() - timedelta(days=days_ago),
            age_at_test=40,
            scoring_version="test",
            overall_score=score,
        )
    return client


@pytest.fixture
def work(gym_a, people):
    """The trainer (assisted by the assistant) with 2 delivered sessions and PAID; the other trainer with one."""

    def build():
        AssistantLink.objects.create(assistant=people["assistant"], trainer=people["trainer"])
        coach_with_work(people["owner"], people["trainer"], paid=PAID)
        coach_with_work(people["owner"], people["other"], paid=OTHER_PAID, delivered=1)

    in_gym(gym_a, build)
    return people


def in_json(value):
    return json.loads(json.dumps(value))


def figures(answer):
    return {figure["key"]: figure for figure in answer["figures"]}


def expected(gym, actor, trainer_id=None, period=None):
    """What the selectors say, through the same serializer, in the gym's schema."""

    def compute():
        result = analytics(scope=Scope(actor, trainer_id), period=period or preset("30d"))
        return AnalyticsSerializer(result, context={"money": result.money is not None}).data

    return in_json(in_gym(gym, compute))


def test_the_figures_are_the_selectors(gym_a, work, api_as):
    answer = api_as(work["trainer"]).get("analytics/")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["figures"] == expected(gym_a, work["trainer"])["figures"]
    mine = figures(data)
    assert mine["delivered"]["value"] == 2 and mine["delivered"]["kind"] == "count"
    assert mine["hours"]["value"] == "2.00"  # two sessions of the default hour, as a decimal string
    assert mine["cash"] == {**mine["cash"], "value": "123.45", "kind": "money", "change": "123.45"}
    assert data["money"]["cash"] == "123.45" and data["money"]["currency"] == "USD"
    assert data["money"]["earned"] == "100.00"  # 2 sessions of a 500 package of 10
    assert mine["cancellation_rate"]["value"] == 0.0 and mine["cancellation_rate"]["previous"] is None
    assert sum(week["completed"] for week in data["sessions_by_week"]) == 2
    assert data["clients"]["active"] == 1 and data["bands"] == {
        "0-39": 0,
        "40-59": 0,
        "60-79": 1,
        "80-100": 0,
        "none": 0,
    }
    # Every figure's key is unique: the progress section's per-score changes are told apart.
    keys = [figure["key"] for figure in data["figures"]]
    assert len(keys) == len(set(keys)) and {"score_change", "score_change_strength"} <= set(keys)
    assert mine["score_change"]["value"] == 12.0 and mine["reassessed"]["value"] == 1
    assert [row["weekday"] for row in data["heatmap"]["rows"]] == list(range(7))
    period = preset("30d", timezone.localdate())
    assert data["period"]["key"] == "30d" and data["period"]["days"] == 30
    assert data["period"]["previous_last"] == (period.first - timedelta(days=1)).isoformat()


def test_the_owner_reads_any_trainer_and_the_gym(gym_a, work, api_as):
    api = api_as(work["owner"])
    trainer = api.get(f"analytics/trainers/{work['trainer'].pk}/").json()
    assert trainer == expected(gym_a, work["owner"], work["trainer"].pk)
    assert figures(trainer)["delivered"]["value"] == 2 and trainer["money"]["cash"] == "123.45"
    gym = api.get("analytics/gym/")
    assert gym.status_code == 200, gym.content
    data = gym.json()
    assert figures(data)["delivered"]["value"] == 3 and data["money"]["cash"] == "201.15"  # 123.45 + 77.70

    def selectors():
        result = gym_analytics(actor=work["owner"], period=preset("30d"))
        return GymAnalyticsSerializer(result, context={"money": True}).data

    assert data["figures"] == in_json(in_gym(gym_a, selectors))["figures"]
    rows = {row["id"]: row for row in data["trainers"]}
    assert rows[work["trainer"].pk]["delivered"] == 2 and rows[work["trainer"].pk]["cash"] == "123.45"
    assert rows[work["other"].pk]["hours_delivered"] == "1.00" and rows[work["other"].pk]["earned"] == "50.00"
    assert {(row["trainer_id"], row["amount"]) for row in data["revenue_by_trainer"]} == {
        (work["trainer"].pk, "123.45"),
        (work["other"].pk, "77.70"),
    }


def test_the_gym_sorts_its_trainers_and_ignores_an_unknown_order(work, api_as):
    api = api_as(work["owner"])
    by_delivered = [row["id"] for row in api.get("analytics/gym/", sort="-delivered").json()["trainers"]]
    assert by_delivered[:2] == [work["trainer"].pk, work["other"].pk]
    by_name = [row["name"] for row in api.get("analytics/gym/").json()["trainers"]]
    assert by_name == sorted(by_name, key=str.lower)
    for unknown in ("price", "--name", "-"):
        answer = api.get("analytics/gym/", sort=unknown)
        assert answer.status_code == 200
        assert [row["name"] for row in answer.json()["trainers"]] == by_name


@pytest.mark.parametrize("role", ["senior", "trainer", "assistant"])
def test_the_gym_is_the_owners_alone(work, api_as, role):
    answer = api_as(work[role]).get("analytics/gym/")
    assert answer.status_code == 404
    assert answer.json() == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_a_trainer_reads_themselves_never_another(work, api_as):
    api = api_as(work["trainer"])
    own = api.get(f"analytics/trainers/{work['trainer'].pk}/")
    assert own.status_code == 200 and own.json()["money"]["cash"] == "123.45"
    for path in (
        f"analytics/trainers/{work['other'].pk}/",
        f"analytics/trainers/{work['owner'].pk}/",
        "analytics/trainers/999999999/",
        "analytics/trainers/nonsense/",
    ):
        answer = api.get(path)
        assert answer.status_code == 404, path
        assert set(answer.json()) == {"code", "message", "fields"}
    # Even with an invalid period: what may not be seen is not found, before anything is checked.
    assert api.get(f"analytics/trainers/{work['other'].pk}/", period="custom").status_code == 404


def test_an_assistant_sees_the_work_of_whom_they_assist_and_no_money(gym_a, work, api_as):
    api = api_as(work["assistant"])
    answers = [api.get("analytics/"), api.get(f"analytics/trainers/{work['trainer'].pk}/")]
    for answer in answers:
        assert answer.status_code == 200, answer.content
        data = answer.json()
        assert figures(data)["delivered"]["value"] == 2
        assert data["money"] is None
        assert not [figure for figure in data["figures"] if figure["kind"] == "money"]
        assert not set(walk(data)) & ANALYTICS_MONEY_KEYS
        text = answer.content.decode()
        assert "123.45" not in text and "USD" not in text and "Cash" not in text
    assert answers[0].json()["figures"] == expected(gym_a, work["assistant"])["figures"]
    # Not the trainer's they do not assist, not their own (assistants have none), not the gym's.
    assert api.get(f"analytics/trainers/{work['other'].pk}/").status_code == 404
    assert api.get(f"analytics/trainers/{work['assistant'].pk}/").status_code == 404


def test_a_senior_sees_another_trainer_without_money_and_themselves_with(gym_a, work, api_as):
    in_gym(gym_a, coach_with_work, work["owner"], work["senior"], paid=Decimal("9.99"))
    api = api_as(work["senior"])
    other = api.get(f"analytics/trainers/{work['trainer'].pk}/").json()
    assert figures(other)["delivered"]["value"] == 2
    assert other["money"] is None and "cash" not in figures(other)
    assert "123.45" not in json.dumps(other)
    assert other == expected(gym_a, work["senior"], work["trainer"].pk)
    own = api.get(f"analytics/trainers/{work['senior'].pk}/").json()
    assert own["money"]["cash"] == "9.99" and figures(own)["cash"]["value"] == "9.99"
    mine = api.get("analytics/").json()  # a senior's own analytics are their own, not the team's
    assert mine["money"]["cash"] == "9.99" and figures(mine)["delivered"]["value"] == 2


def test_periods_are_read_as_on_the_pages(gym_a, work, api_as):
    api = api_as(work["trainer"])
    default = api.get("analytics/").json()
    for unknown in ("fortnight", "", "30D"):
        answer = api.get("analytics/", period=unknown)
        assert answer.status_code == 200
        assert answer.json()["period"] == default["period"] and answer.json()["period"]["key"] == "30d"
    today = timezone.localdate()
    first = today - timedelta(days=6)
    week = api.get("analytics/", period="custom", **{"from": first.isoformat(), "to": today.isoformat()}).json()
    assert (week["period"]["key"], week["period"]["first"], week["period"]["days"]) == ("custom", first.isoformat(), 7)
    assert week["figures"] == expected(gym_a, work["trainer"], period=custom(first, today))["figures"]
    assert api.get("analytics/", period="12m").json()["period"]["bucket"] == "month"


@pytest.mark.parametrize("path", ["analytics/", "analytics/gym/", "trainer"])
def test_bad_custom_dates_answer_400_naming_both_fields(work, api_as, path):
    api = api_as(work["owner"])
    path = f"analytics/trainers/{work['trainer'].pk}/" if path == "trainer" else path
    answer = api.get(path, period="custom", **{"from": "2026-02-30", "to": "soon"})
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid" and body["message"] == "Check the fields marked."
    assert body["fields"] == {
        "from": ["Enter the first day as YYYY-MM-DD."],
        "to": ["Enter the last day as YYYY-MM-DD."],
    }
    backwards = api.get(path, period="custom", **{"from": "2026-03-10", "to": "2026-03-01"}).json()
    assert backwards["fields"] == {"to": ["The last day cannot be before the first."]}
    missing = api.get(path, period="custom").json()
    assert set(missing["fields"]) == {"from", "to"}


def test_read_only_keys_read_analytics_and_nothing_else_is_allowed(work, api_as):
    api = api_as(work["owner"], writable=False)
    for path in ("analytics/", "analytics/gym/", f"analytics/trainers/{work['trainer'].pk}/"):
        assert api.get(path).status_code == 200, path
    writer = api_as(work["owner"])
    assert writer.post("analytics/").status_code == 405
    assert writer.patch("analytics/gym/", {}).status_code == 405


def count_queries(api, path):
    api.get(path)  # warm: the host's gym is cached and the key's last use noted
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("role", ["owner", "senior", "trainer", "assistant"])
def test_the_cost_is_the_same_with_2_and_6_trainers(gym_a, work, api_as, role):
    api = api_as(work[role])
    paths = ["analytics/", f"analytics/trainers/{work['trainer'].pk}/"]
    if role == "owner":
        paths.append("analytics/gym/")
    few = {path: count_queries(api, path) for path in paths}

    for _ in range(4):  # 4 more trainers with their clients, and 4 more clients for the assisted trainer
        in_gym(gym_a, coach_with_work, work["owner"], member(gym_a, Role.TRAINER), delivered=3)
        in_gym(gym_a, coach_with_work, work["owner"], work["trainer"], delivered=1, hours=False)
    many = {path: count_queries(api, path) for path in paths}
    assert many == few
    if role == "owner":
        assert len(api.get("analytics/gym/").json()["trainers"]) >= 6


def test_the_serializer_shows_no_money_unless_the_view_says_so(gym_a, work):
    def render(context):
        result = gym_analytics(actor=work["owner"], period=preset("30d"))
        assert result.money is not None
        return in_json(GymAnalyticsSerializer(result, context=context).data)

    told, untold = in_gym(gym_a, render, {"money": True}), in_gym(gym_a, render, {})
    assert told["money"]["cash"] == "201.15" and "123.45" in json.dumps(told)
    assert untold["money"] is None and untold["revenue_by_trainer"] == []
    assert not [figure for figure in untold["figures"] if figure["kind"] == "money"]
    assert all(row["cash"] is None and row["earned"] is None for row in untold["trainers"])
    assert "123.45" not in json.dumps(untold)
