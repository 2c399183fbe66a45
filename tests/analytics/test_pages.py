"""The analytics pages as each role opens them: figures, periods, exports, money only for those who may see it, and a
query count that does not grow with the gym."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.dates import gym_today
from tests.factories import ClientFactory, PaymentFactory, SessionFactory, SessionPackageFactory, TrainerFactory

from .conftest import PERIOD, at

# Any amount as the pages write it in the gym's currency ($, ₩, € ...) or a currency code.
CURRENCY = re.compile(r"[$€£₩¥]\s?\d|\b[A-Z]{3}\s\d")
QUERY = {"period": "custom", "from": PERIOD.first.isoformat(), "to": PERIOD.last.isoformat()}


def page(client, name, *args, headers=None, **query):
    return client.get(reverse(name, args=args), {**QUERY, **query}, headers=headers)


def test_owner_lands_on_the_gym_page_and_sees_every_section(world, client_a):
    client_a.login_as(world["owner"])
    response = page(client_a, "analytics")
    assert response.status_code == 302 and response["Location"].startswith(reverse("analytics_gym"))
    response = page(client_a, "analytics_gym")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Sessions delivered", "Cash received", "Trainers compared", "Clients at risk", "How is this counted?"]:
        assert text in html
    assert "$220.00" in html  # 150 for Tom + 70 for Una
    assert html.count("<svg") >= 6
    assert f'href="{reverse("analytics_trainer", args=[world["tom"].pk])}?' in html


def test_period_change_with_htmx_returns_the_body_only(world, client_a):
    client_a.login_as(world["tom"])
    response = page(client_a, "analytics", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="analytics-body"') and "<html" not in html


def test_bad_custom_dates_show_both_errors_and_keep_the_page(world, client_a):
    client_a.login_as(world["tom"])
    response = client_a.get(reverse("analytics"), {"period": "custom", "from": "soon", "to": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the first day as YYYY-MM-DD." in html and "Enter the last day as YYYY-MM-DD." in html
    assert "Sessions delivered" in html  # the default period's figures are still there
    response = client_a.get(reverse("analytics"), {"period": "custom", "from": "2026-03-15", "to": "2026-03-01"})
    assert response.status_code == 400 and "The last day cannot be before the first." in response.content.decode()


def test_trainers_see_their_own_and_nobody_elses(world, client_a):
    client_a.login_as(world["tom"])
    own = page(client_a, "analytics").content.decode()
    assert "$150.00" in own
    assert page(client_a, "analytics_trainer", world["una"].pk).status_code == 404
    assert page(client_a, "analytics_trainer", world["tom"].pk).status_code == 200
    assert page(client_a, "analytics_gym").status_code == 403


def test_senior_sees_any_trainer_without_money(world, client_a):
    client_a.login_as(world["sam"])
    response = page(client_a, "analytics_trainer", world["tom"].pk)
    assert response.status_code == 200
    assert not CURRENCY.search(response.content.decode())
    assert page(client_a, "analytics_gym").status_code == 403


@pytest.mark.parametrize("role", ["ann", "sam"])
def test_no_money_anywhere_for_those_who_may_not_see_it(world, client_a, role):
    """Every analytics page and export an assistant (or a senior on another trainer) can open carries no amount."""
    client_a.login_as(world[role])
    tom = world["tom"].pk
    urls = [(reverse("analytics_trainer", args=[tom]), 200)]
    if role == "ann":  # a senior's own page shows their own money
        urls.append((reverse("analytics"), 200))
    for slug in ["figures", "sessions-by-week", "client-growth", "score-bands", "at-risk-clients"]:
        urls.append((reverse("analytics_trainer_export", args=[tom, slug]), 200))
    urls.append((reverse("analytics_trainer_export", args=[tom, "cash-and-earned"]), 404))
    urls.append((reverse("analytics_gym_xlsx"), 403))  # the gym's figures: not for their role
    for url, status in urls:
        response = client_a.get(url, QUERY)
        assert response.status_code == status, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        assert not CURRENCY.search(text), url
        assert "Cash" not in text and "Earned" not in text and "Outstanding" not in text, url


def test_assistants_see_the_trainers_they_assist(world, client_a):
    client_a.login_as(world["ann"])
    assert page(client_a, "analytics_trainer", world["tom"].pk).status_code == 200
    assert page(client_a, "analytics_trainer", world["una"].pk).status_code == 404
    mine = page(client_a, "analytics").content.decode()
    assert "Analytics of your trainers" in mine


def test_the_switcher_narrows_my_analytics(world, client_a):
    client_a.login_as(world["owner"])
    client_a.post(reverse("view_as"), {"trainer": world["una"].pk, "next": "/"})
    response = page(client_a, "analytics")
    assert response.status_code == 200
    html = response.content.decode()
    assert world["una"].display_name in html and "$70.00" in html and "$150.00" not in html


def test_csv_totals_equal_the_page(world, client_a):
    client_a.login_as(world["owner"])
    response = page(client_a, "analytics_gym_export", "sessions-by-week")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="analytics-gym-sessions-by-week-2026-03-02-2026-03-15.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Week starting" and [row[0] for row in rows[1:]] == ["2026-03-02", "2026-03-09"]
    assert sum(int(row[1]) for row in rows[1:]) == 3  # completed: Tom's two and Una's one
    cash = page(client_a, "analytics_gym_export", "cash-and-earned")
    rows = list(csv.reader(io.StringIO(b"".join(cash.streaming_content).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["270.00", "-50.00"]  # a refund stays a number, not '-50.00
    assert sum(Decimal(row[1]) for row in rows[1:]) == Decimal("220.00")
    assert page(client_a, "analytics_gym_export", "no-such-table").status_code == 404


def test_csv_escapes_formulas_in_names(world, client_a):
    TrainerFactory(role="trainer", user__full_name="=HYPERLINK(1)")
    client_a.login_as(world["owner"])
    response = page(client_a, "analytics_gym_export", "trainers")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text


def test_owner_downloads_every_table_as_xlsx(world, client_a):
    client_a.login_as(world["owner"])
    response = page(client_a, "analytics_gym_xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert {"Figures", "Trainers compared", "Sessions by week", "Cash by week and trainer"} <= set(book.sheetnames)
    sheet = book["Cash and earned by week"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [Decimal("270"), Decimal("-50")]


def _busy(coach, clients):
    today = gym_today()
    for _ in range(clients):
        client = ClientFactory(trainer=coach)
        package = SessionPackageFactory(client=client, gross_amount=Decimal("100"), net_amount=Decimal("100"))
        PaymentFactory(package=package, amount=Decimal("50"))
        SessionFactory(client=client, starts_at=at(today - timedelta(days=3), 10), status="completed",
                       package=package)  # fmt: skip


@pytest.mark.parametrize(("who", "name"), [("owner", "analytics_gym"), ("owner", "analytics_trainer"),
                                          ("trainer", "analytics")])  # fmt: skip
def test_query_count_does_not_grow_with_the_gym(in_gym_a, client_a, who, name):
    owner, coach = TrainerFactory(role="owner"), TrainerFactory(role="trainer")
    client_a.login_as(owner if who == "owner" else coach)
    url = reverse(name, args=[coach.pk] if name == "analytics_trainer" else [])
    counts = []
    for trainers in (1, 4):
        for _ in range(trainers):
            _busy(TrainerFactory(role="trainer"), 3)
        _busy(coach, 3 * trainers)
        client_a.get(url, {"period": "30d"})  # warm the host and session caches
        with CaptureQueriesContext(connection) as queries:
            response = client_a.get(url, {"period": "30d"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_dashboard_and_analytics_agree(world, client_a):
    """The dashboard's month figures come from the analytics' metrics."""
    from apps.analytics.dashboard import dashboard
    from apps.analytics.metrics.scope import Scope
    from apps.analytics.periods import preset
    from apps.analytics.selectors import analytics

    month = preset("month")
    ClientFactory(trainer=world["tom"])
    figures = dashboard(actor=world["tom"])
    result = analytics(scope=Scope(world["tom"]), period=month)
    assert figures.completed_month == result.sessions.delivered
    assert figures.no_show_month == result.sessions.counts["no_show"]
    assert figures.revenue_month == result.money.cash
    assert date.today() - month.first < timedelta(days=32)
