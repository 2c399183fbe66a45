"""A trainer reads an assessment, compares three and sees the progress chart, on a phone and a desktop, in English
and Korean: scores say what was measured, the rating and the points apart; partial assessments are marked.

Set SCREENSHOTS=/some/folder to keep the pictures."""

import os
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session as HttpSession
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from apps.assessments.services import assessment_create
from apps.demo.seed import demo_results
from apps.trainers.models import Role
from tests.e2e.conftest import remove_member
from tests.factories import PASSWORD, ClientFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture
def history(gym_a):
    connection.set_tenant(gym_a)
    sessions_before = set(HttpSession.objects.values_list("session_key", flat=True))
    email = f"scores-{uuid.uuid4().hex[:6]}@alpha.example"
    try:
        trainer = TrainerFactory(user=UserFactory(email=email, full_name="Sora Scores"), role=Role.TRAINER)
        client = ClientFactory(trainer=trainer, first_name="Hana", last_name="Lee", sex="female",
                               date_of_birth=date(1981, 2, 1), weight_kg=Decimal("60"))  # fmt: skip
        now = timezone.now()
        made = [
            assessment_create(actor=trainer, client=client, performed_at=now - timedelta(days=days), results=results)
            for days, results in (
                (120, demo_results(0, 60)),
                (60, {"push_ups": {"raw": {"reps": 14}, "protocol": {"variant": "knee"}}}),
                (1, demo_results(1, 60)),
            )
        ]
        connection.set_schema_to_public()
        yield {"trainer": trainer, "client": client, "assessments": made}
    finally:
        remove_member(gym_a, email, sessions_before)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_scores_read_clearly_on_a_phone_and_a_desktop(history, gym_a, app_server, browser, language):
    url = lambda path="/": app_server.gym_url(gym_a.slug, path)  # noqa: E731
    folder = Path(os.environ["SCREENSHOTS"]) if os.environ.get("SCREENSHOTS") else None
    first, partial, latest = history["assessments"]
    ids = "&".join(f"ids={a.pk}" for a in history["assessments"])
    pages = {
        "detail": f"/assessments/{latest.pk}/",
        "compare": f"/assessments/client/{history['client'].pk}/compare/?{ids}",
        "client": f"/clients/{history['client'].pk}/",
    }
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale="ko-KR" if language == "ko" else "en-US")
        page = context.new_page()
        page.goto(url("/accounts/login/"))
        page.locator("input[name=login]").fill(history["trainer"].user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form button[type=submit], form button").last.click()
        page.wait_for_load_state()
        for name, path in pages.items():
            page.goto(url(path))
            if language == "en":
                expected = {"detail": "points", "compare": "First to last", "client": "Hollow points"}[name]
                expect(page.get_by_text(expected).first).to_be_attached()
            if folder:
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(folder / f"{name}-{size}-{language}.png"), full_page=True)
        context.close()
