"""A trainer re-scores an older assessment with the current norms on a phone and a desktop: the differences fit
the screen, the confirmation applies them, and the assessment's page offers the way back.

Set SCREENSHOTS=/some/folder to keep the pictures."""

import os
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session as HttpSession
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from apps.assessments.models import Assessment
from apps.assessments.scoring import SCORING_VERSION
from apps.assessments.services import assessment_create, assessment_rescore
from apps.trainers.models import Role
from tests.e2e.conftest import remove_member
from tests.factories import PASSWORD, ClientFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
OLD = "2026.3"
RESULTS = {
    "push_ups": {"raw": {"reps": 16}, "protocol": {"variant": "knee"}},
    "balance_eyes_closed": {"raw": {"left_s": 9, "right_s": 11}},
    "step_test": {
        "raw": {"duration_s": 300, "pulse_1": 64, "pulse_2": 58, "pulse_3": 52},
        "protocol": {"protocol": "harvard", "step_height_cm": 40.6},
    },
}


@pytest.fixture
def old_assessments(gym_a):
    """Two assessments of a woman scored with 2026.3 (one per screen size)."""
    connection.set_tenant(gym_a)
    sessions_before = set(HttpSession.objects.values_list("session_key", flat=True))
    email = f"rescore-{uuid.uuid4().hex[:6]}@alpha.example"
    try:
        trainer = TrainerFactory(user=UserFactory(email=email, full_name="Rae Rescore"), role=Role.TRAINER)
        client = ClientFactory(trainer=trainer, first_name="Mina", sex="female", date_of_birth=date(1990, 5, 1))
        made = []
        for days in (5, 4):
            assessment = assessment_create(
                actor=trainer, client=client, performed_at=timezone.now() - timedelta(days=days), results=RESULTS
            )
            assessment_rescore(actor=trainer, assessment=assessment, from_version=SCORING_VERSION, to_version=OLD)
            made.append(assessment.pk)
        connection.set_schema_to_public()
        yield {"trainer": trainer, "assessments": made}
    finally:
        remove_member(gym_a, email, sessions_before)


def test_rescore_shows_the_differences_and_applies_them_on_a_phone_and_a_desktop(
    old_assessments, gym_a, app_server, browser
):
    url = lambda path="/": app_server.gym_url(gym_a.slug, path)  # noqa: E731
    folder = Path(os.environ["SCREENSHOTS"]) if os.environ.get("SCREENSHOTS") else None
    for (size, viewport), pk in zip(SIZES.items(), old_assessments["assessments"], strict=True):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(url("/accounts/login/"))
        page.locator("input[name=login]").fill(old_assessments["trainer"].user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form button[type=submit], form button").last.click()
        page.wait_for_load_state()
        page.goto(url(f"/assessments/{pk}/"))
        page.get_by_role("link", name="Re-score with the current norms").click()
        expect(page.get_by_text("Good → Excellent")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        confirm = page.get_by_role("button", name=f"Re-score with version {SCORING_VERSION}")
        confirm.scroll_into_view_if_needed()
        box = confirm.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"rescore-{size}.png"), full_page=True)
        confirm.click()
        expect(page.get_by_role("button", name=f"Undo: back to version {OLD}")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        context.close()
        connection.set_tenant(gym_a)
        try:
            assert Assessment.objects.get(pk=pk).scoring_version == SCORING_VERSION
        finally:
            connection.set_schema_to_public()
