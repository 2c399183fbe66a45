"""The trainer's monthly report: the analytics of one month as a PDF, money only for those who may see it."""

import subprocess
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.analytics.metrics.scope import Scope
from apps.analytics.selectors import analytics
from apps.core.dates import gym_timezone, gym_today
from apps.reports.monthly import month_period, sessions_by_client
from apps.trainers.services.assistants import assistant_set_trainers
from tenants.models import Role
from tests.factories import ClientFactory, PaymentFactory, SessionFactory, SessionPackageFactory, TrainerFactory


def pdf_text(content, tmp_path):
    path = tmp_path / "monthly.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def month(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    tom = TrainerFactory(role=Role.TRAINER, user__full_name="Tom Monthly")
    ann = TrainerFactory(role=Role.ASSISTANT)
    assistant_set_trainers(actor=owner, assistant=ann, trainers=[tom])
    ann = type(ann).objects.get(pk=ann.pk)
    first = gym_today().replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    zone = gym_timezone()
    kim, lee = (
        ClientFactory(trainer=tom, first_name="Ara", last_name="Kim"),
        ClientFactory(trainer=tom, first_name="Bo", last_name="Lee"),
    )
    package = SessionPackageFactory(
        client=kim, total_sessions=4, gross_amount=Decimal("400"), net_amount=Decimal("400")
    )
    PaymentFactory(package=package, amount=Decimal("400"), paid_at=datetime.combine(last_month, time(9), tzinfo=zone))
    for day, client, status in [
        (1, kim, "completed"),
        (2, kim, "completed"),
        (3, lee, "no_show"),
        (4, lee, "completed"),
    ]:
        SessionFactory(client=client, trainer=tom, status=status, package=package if client == kim else None,
                       starts_at=datetime.combine(last_month + timedelta(days=day), time(10), tzinfo=zone))  # fmt: skip
    return {"owner": owner, "tom": tom, "ann": ann, "month": last_month, "kim": kim}


def test_sessions_by_client_add_up_to_the_analytics(month):
    period = month_period(month["month"].year, month["month"].month)
    scope = Scope(month["owner"], month["tom"].pk)
    rows = {row.name: row for row in sessions_by_client(scope, period)}
    assert (rows["Ara Kim"].delivered, rows["Ara Kim"].earned) == (2, Decimal("200.00"))  # 2 x 400 / 4
    assert (rows["Bo Lee"].delivered, rows["Bo Lee"].no_show, rows["Bo Lee"].earned) == (1, 1, Decimal("0.00"))
    result = analytics(scope=scope, period=period)
    assert sum(row.delivered for row in rows.values()) == result.sessions.delivered == 3
    assert sum(row.earned for row in rows.values()) == result.money.earned


def test_the_owner_downloads_a_trainers_month_with_money(month, client_a, tmp_path):
    client_a.login_as(month["owner"])
    first = month["month"]
    response = client_a.get(reverse("monthly_report", args=[month["tom"].pk, first.year, first.month]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Monthly report" in text and "Tom Monthly" in text and "Ara Kim" in text and "Bo Lee" in text
    assert "$400.00" in text and "$200.00" in text  # cash received; earned by Ara Kim


def test_an_assistant_gets_the_month_without_money_and_others_get_404(month, client_a, tmp_path):
    first = month["month"]
    url = reverse("monthly_report", args=[month["tom"].pk, first.year, first.month])
    client_a.login_as(month["ann"])
    text = pdf_text(client_a.get(url).content, tmp_path)
    assert "Ara Kim" in text and "$" not in text and "Earned" not in text
    client_a.login_as(TrainerFactory(role=Role.TRAINER))
    assert client_a.get(url).status_code == 404
    client_a.login_as(month["owner"])
    assert client_a.get(reverse("monthly_report", args=[month["tom"].pk, 2031, 13])).status_code == 404
    future = (gym_today().replace(day=28) + timedelta(days=10)).replace(day=1)
    assert client_a.get(reverse("monthly_report", args=[month["tom"].pk, future.year, future.month])).status_code == 404


def test_the_analytics_page_links_the_last_three_months(month, client_a):
    client_a.login_as(month["owner"])
    page = client_a.get(reverse("analytics_trainer", args=[month["tom"].pk])).content.decode()
    first = month["month"]
    assert reverse("monthly_report", args=[month["tom"].pk, first.year, first.month]) in page
    assert page.count("/report/") == 3
