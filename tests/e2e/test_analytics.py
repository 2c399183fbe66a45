"""An owner reads the analytics in a real browser: the gym's page, a change of period (HTMX, the URL keeps it), one
trainer's page from the comparison table, and a CSV download whose totals equal the figures on the page."""

import csv
import io
import re
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session as HttpSession
from django.db import connection
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.core.dates import gym_timezone, gym_today
from apps.trainers.models import Role, Trainer
from apps.training.models import Payment, Session, SessionPackage
from tests.factories import (
    PASSWORD,
    ClientFactory,
    PaymentFactory,
    SessionFactory,
    SessionPackageFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

COACH = "Tess Totals"


@pytest.fixture
def people(gym_a):
    """A committed owner and trainer of gym alpha; the trainer delivered 3 sessions 40-60 days ago (outside the last
    30 days, inside the last 90) and 2 last week, and took a payment. All removed afterwards."""
    connection.set_tenant(gym_a)
    sessions_before = set(HttpSession.objects.values_list("session_key", flat=True))
    tag = uuid.uuid4().hex[:6]
    emails = [f"boss-{tag}@alpha.example", f"tess-{tag}@alpha.example"]
    try:
        owner = TrainerFactory(user=UserFactory(email=emails[0], full_name="Olga Owner"), role=Role.OWNER)
        coach = TrainerFactory(user=UserFactory(email=emails[1], full_name=COACH), role=Role.TRAINER)
        client = ClientFactory(trainer=coach, first_name="Ari", last_name="Tally")
        package = SessionPackageFactory(client=client, total_sessions=10, used_sessions=5,
                                        gross_amount=Decimal("500"), net_amount=Decimal("500"))  # fmt: skip
        PaymentFactory(package=package, amount=Decimal("500"))
        zone, today = gym_timezone(), gym_today()
        for days_ago in (40, 50, 60, 3, 5):
            day = today - timedelta(days=days_ago)
            SessionFactory(client=client, trainer=coach, package=package, status="completed",
                           starts_at=datetime.combine(day, time(10), tzinfo=zone))  # fmt: skip
        connection.set_schema_to_public()
        yield {"owner": owner, "coach": coach}
    finally:
        connection.set_tenant(gym_a)
        try:
            clients = Client.objects.filter(trainer__user__email__in=emails)
            Session.objects.filter(client__in=clients).delete()
            Payment.objects.filter(client__in=clients).delete()
            SessionPackage.objects.filter(client__in=clients).delete()
            clients.delete()
            AuditEntry.objects.filter(actor_id__in=Trainer.objects.filter(user__email__in=emails)).delete()
            Trainer.objects.filter(user__email__in=emails).delete()
            EmailAddress.objects.filter(user__email__in=emails).delete()
            User.objects.filter(email__in=emails).delete()
            HttpSession.objects.exclude(session_key__in=sessions_before).delete()
        finally:
            connection.set_schema_to_public()


def figure(page, key):
    return page.locator(f'[data-figure="{key}"] .value').inner_text()


def download_csv(page, link):
    with page.expect_download() as waiting:
        link.click()
    content = waiting.value.path().read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def test_owner_reads_the_gym_then_a_trainer_and_the_csv_adds_up(people, gym_a, app_server, browser, screenshots):
    url = lambda path="/": app_server.gym_url(gym_a.slug, path)  # noqa: E731
    for width, height in ((1280, 800), (390, 844)):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="en-US", accept_downloads=True
        )
        page = context.new_page()
        page.goto(url("/accounts/login/"))
        page.locator("input[name=login]").fill(people["owner"].user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        if width < 960:  # on a phone the navigation is behind the "Menu" button
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Analytics").click()
        expect(page.locator("h1")).to_have_text("Gym analytics")
        assert "period=" not in page.url or "30d" in page.url
        thirty = int(figure(page, "delivered"))
        page.get_by_label("Period", exact=True).select_option(label="Last 90 days")
        expect(page).to_have_url(re.compile(r"period=90d"))
        ninety = int(figure(page, "delivered"))
        assert ninety - thirty >= 3  # Tess's three sessions of 40-60 days ago
        screenshots(page, f"gym-analytics-{width}")

        rows = download_csv(page, page.locator("#chart-sessions-by-week .chart-export"))
        assert sum(int(row["Completed"]) for row in rows) == ninety

        page.locator(".trainers-compared").get_by_role("link", name=COACH).click()
        expect(page.locator("h1")).to_have_text(f"Analytics of {COACH}")
        assert "period=90d" in page.url
        assert figure(page, "delivered") == "5"
        assert figure(page, "cash") == "$500.00"
        rows = download_csv(page, page.locator("#chart-sessions-by-week .chart-export"))
        assert sum(int(row["Completed"]) for row in rows) == 5
        figures = download_csv(page, page.get_by_role("link", name="Download the figures (CSV)"))
        by_label = {row["Figure"]: row for row in figures}
        assert by_label["Sessions delivered"]["This period"] == "5"
        assert Decimal(by_label["Cash received"]["This period"]) == Decimal("500.00")
        screenshots(page, f"trainer-analytics-{width}")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"the page is wider than the screen at {width} px"
        context.close()
